"""What changed underneath the derived figures: the one signal every app sends after a bulk write.

Single saves are seen by the model signals the reporting app listens to; bulk writes (imports,
``bulk_create``, ``QuerySet.update``) send ``indicator_inputs_changed`` themselves, naming the places
whose rows changed and the first date the change affects. The signal lives here, below every app, so
that ``stations`` and ``workforce`` can announce a change without importing ``reporting``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.dispatch import Signal

# kwargs: place_codes (sorted list of 12-digit division codes), since (date or None: all periods)
indicator_inputs_changed = Signal()


def indicator_inputs_changed_send(
    *, sender: str, place_codes: Iterable[str], since: datetime.date | None = None
) -> None:
    """Announce that rows under ``place_codes`` changed from ``since`` on (call it inside the write's
    transaction; receivers act on commit)."""
    indicator_inputs_changed.send(sender=sender, place_codes=sorted(set(place_codes)), since=since)

"""The station page's panels that higher apps contribute (supervision's SUP-1 months, …).

``stations`` cannot import the apps above it, so an app registers a panel from its ``AppConfig.ready()``: a
template and a function giving its context for one station and the request's user (already scoped by the caller:
the station is one the user may see). The station page renders every registered panel in order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class StationPanel:
    code: str
    template: str
    context: Callable[[object, object], dict]  # (station, request) -> context, or {} to hide the panel
    order: int = 100


_PANELS: dict[str, StationPanel] = {}


def station_panel_register(panel: StationPanel) -> None:
    """Add (or replace) a panel of the station page."""
    _PANELS[panel.code] = panel


def station_panels(station, request) -> list[tuple[str, dict]]:
    """(template, context) of every panel that shows for this station and user."""
    out = []
    for panel in sorted(_PANELS.values(), key=lambda p: (p.order, p.code)):
        ctx = panel.context(station, request)
        if ctx:
            out.append((panel.template, ctx))
    return out

"""The workbench registry: what needs a user's action, gathered from every app through one interface.

``network`` sits at the bottom of the app layers, so it cannot import the apps that know about follow-ups,
qualifications, supervision or plans. Each app instead registers its alert sources here from its
``AppConfig.ready()``; the 工作台 (home page), the notification beat task and the e-mail digest all read this
one registry, so an alert means the same thing wherever it is shown, and it disappears everywhere once the
record behind it is resolved.

An alert source answers, for one user on one day, the list of items needing that user's action. The items
are computed from the records each time (nothing is stored): a resolved follow-up simply stops being listed.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils.functional import Promise


@dataclass(frozen=True)
class AlertItem:
    """One record needing action. ``key`` is stable for the record and the reason (e.g. ``srv3:followup:42``):
    notifications are created once per key and recipient."""

    key: str
    title: str
    url: str
    due_on: datetime.date | None = None
    place_code: str = ""


@dataclass(frozen=True)
class AlertSource:
    """A kind of alert. ``items(user, today)`` lists what needs this user's action, already restricted to the
    user's scope through the one scope primitive; ``applies(user)`` says whether the kind concerns the role at
    all (a station worker has no plans to file). ``list_url(user)`` opens the full list behind the count."""

    code: str
    label: str | Promise
    rule: str
    items: Callable[[object, datetime.date], Iterable[AlertItem]]
    list_url: Callable[[object], str]
    applies: Callable[[object], bool] = lambda user: True
    severity: str = "warning"  # "danger" (overdue), "warning" (due), "info"
    order: int = 100
    notify: bool = True  # whether the beat task turns its items into notifications
    extra: dict = field(default_factory=dict)


_SOURCES: dict[str, AlertSource] = {}


def alert_source_register(source: AlertSource) -> AlertSource:
    """Adds (or replaces, on a reload) an alert source. Called from the contributing app's ``ready()``."""
    _SOURCES[source.code] = source
    return source


def alert_sources() -> list[AlertSource]:
    return sorted(_SOURCES.values(), key=lambda s: (s.order, s.code))


def alert_source(code: str) -> AlertSource:
    return _SOURCES[code]


@dataclass
class Alert:
    source: AlertSource
    items: list[AlertItem]

    @property
    def count(self) -> int:
        return len(self.items)


def alerts_for(user, today: datetime.date) -> list[Alert]:
    """Every alert kind that concerns ``user`` with its items on ``today`` (kinds with no item included, so the
    workbench can say that nothing is waiting)."""
    return [Alert(s, list(s.items(user, today))) for s in alert_sources() if s.applies(user)]


# --- Quick actions (记录服务, 导入, 新建…) -------------------------------------------------------------------------


@dataclass(frozen=True)
class QuickAction:
    """A button on the workbench: a page to start common work from, for the roles its view lets in."""

    code: str
    label: str | Promise
    url_name: str
    predicate: Callable[[object], bool]
    args: tuple = ()
    icon: str = "plus-lg"
    order: int = 100


_ACTIONS: dict[str, QuickAction] = {}


def quick_action_register(action: QuickAction) -> QuickAction:
    _ACTIONS[action.code] = action
    return action


def quick_actions_for(user) -> list[dict]:
    """The quick actions the user may take (an action whose route does not exist yet is skipped)."""
    from django.urls import NoReverseMatch, reverse

    out = []
    for action in sorted(_ACTIONS.values(), key=lambda a: (a.order, a.code)):
        if not action.predicate(user):
            continue
        try:
            url = reverse(action.url_name, args=action.args)
        except NoReverseMatch:
            continue
        out.append({"code": action.code, "label": action.label, "url": url, "icon": action.icon})
    return out


# --- Key figures --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyFigure:
    """One figure of the user's own area (city, county or station) with its status against the target."""

    code: str
    label: str | Promise
    value: str
    status: str = ""  # a reporting status: met, on_track, at_risk, missed, or "" without a target
    status_label: str | Promise = ""
    target: str = ""
    url: str = ""
    place: str = ""


_FIGURES: list[Callable[[object, datetime.date], Iterable[KeyFigure]]] = []


def key_figures_register(provider: Callable[[object, datetime.date], Iterable[KeyFigure]]) -> None:
    """The reporting app registers how to read the user's key figures from its computed values."""
    if provider not in _FIGURES:
        _FIGURES.append(provider)


def key_figures_for(user, today: datetime.date) -> list[KeyFigure]:
    return [figure for provider in _FIGURES for figure in provider(user, today)]

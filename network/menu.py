"""The menu: groups of pages by the work, each entry shown only to the roles its view lets in.

The menu is data: a group lists entries by URL name, with the predicate of ``network.roles`` that the page's
view itself applies (``None``: every signed-in user; the page then scopes its records). An entry whose URL
name does not resolve (an app whose pages are not installed yet) is skipped, so a later app's pages appear as
soon as its routes exist. Higher apps (and later work) may add entries with ``menu_entry_register`` from their
``AppConfig.ready()``.

The same entries give the breadcrumbs (工作台 › group › page): a breadcrumb links only to an entry the user's
menu holds, so it never leads to a page the user may not open.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .roles import is_city_admin, is_city_staff, may_publish_notices, may_use_menu_entry


@dataclass(frozen=True)
class MenuEntry:
    url_name: str
    label: str | Promise
    predicate: Callable[[object], bool] | None = None  # a network.roles predicate; None: every signed-in user
    icon: str = ""  # a Bootstrap Icons name, e.g. "geo-alt"
    order: int = 100
    alternatives: tuple[str, ...] = ()  # other URL names of the same page, tried in turn while the first is missing


@dataclass
class MenuGroup:
    code: str
    label: str | Promise
    icon: str
    order: int
    entries: list[MenuEntry] = field(default_factory=list)


_GROUPS: dict[str, MenuGroup] = {}


def menu_group_register(code: str, label, *, icon: str = "", order: int = 100) -> MenuGroup:
    """Adds a group (or returns the one already registered under ``code``)."""
    if code not in _GROUPS:
        _GROUPS[code] = MenuGroup(code, label, icon, order)
    return _GROUPS[code]


def menu_entry_register(group: str, entry: MenuEntry) -> MenuEntry:
    """Adds an entry to a group; an entry with the same URL name replaces the earlier one."""
    entries = _GROUPS[group].entries
    entries[:] = [e for e in entries if e.url_name != entry.url_name]
    entries.append(entry)
    entries.sort(key=lambda e: e.order)
    return entry


# The groups by the work, in the order civil-affairs staff expect them.
for _code, _label, _icon, _order in [
    ("workbench", _("Workbench"), "speedometer2", 10),
    ("network", _("Service network"), "diagram-3", 20),
    ("services", _("Services"), "people", 30),
    ("workforce", _("Workforce"), "person-badge", 40),
    ("procurement", _("Procurement of services"), "briefcase", 50),
    ("supervision", _("Supervision and training"), "mortarboard", 60),
    ("statistics", _("Statistics and analysis"), "bar-chart", 70),
    ("admin", _("System administration"), "gear", 80),
]:
    menu_group_register(_code, _label, icon=_icon, order=_order)

# (group, url name, label, predicate[, other names of the same page]). The predicate is the one the view applies;
# pages without one let every signed-in user in and scope what they show.
DEFAULT_ENTRIES = [
    ("workbench", "home", _("Workbench"), None),
    ("workbench", "network:notification_list", _("Notifications"), None),
    ("workbench", "network:notice_list", _("Notices"), None),
    ("workbench", "network:notice_create", _("Publish a notice"), may_publish_notices),
    ("network", "network:place_list", _("Places"), None),
    ("network", "network:centre_list", _("Centres"), None),
    ("network", "stations:station_list", _("Stations"), None),
    ("network", "stations:room_list", _("Rooms"), None),
    ("services", "stations:recipient_list", _("Recipients"), None),
    ("services", "stations:record_list", _("Service records"), None),
    ("services", "stations:follow_up_list", _("Follow-ups"), None),
    ("workforce", "workforce:worker_list", _("Workers"), None),
    ("workforce", "workforce:deadline_list", _("Qualification deadlines"), None),
    ("workforce", "workforce:reregistration_list", _("Re-registration due"), None),
    ("workforce", "workforce:assignment_list", _("Assignments"), None),
    ("workforce", "workforce:organisation_list", _("Organisations"), None),
    ("procurement", "procurement:project_list", _("Projects"), None),
    ("procurement", "procurement:contract_list", _("Contracts"), None),
    ("procurement", "procurement:evaluation_list", _("Evaluations"), None),
    ("procurement", "procurement:payline_list", _("Pay lines"), None),
    ("procurement", "procurement:fund_list", _("County funds"), None),
    ("procurement", "procurement:wage_list", _("Minimum wages"), None),
    ("supervision", "supervision:log_list", _("Supervision log"), None),
    ("supervision", "supervision:heat_map", _("Supervision coverage"), None),
    ("supervision", "supervision:supervision_plan_list", _("Supervision plans"), None),
    ("supervision", "supervision:supervisor_list", _("Supervisors' stations"), None),
    ("supervision", "supervision:course_list", _("Training courses"), None),
    ("supervision", "supervision:attendance_list", _("Training attendance"), None),
    ("supervision", "supervision:training_hours", _("Training hours"), None),
    ("supervision", "supervision:trainer_list", _("Trainer pool"), None),
    ("supervision", "supervision:plan_list", _("County plans"), None),
    ("statistics", "reporting:dashboard", _("Indicators"), None),
    ("statistics", "reporting:recompute", _("Recompute indicators"), is_city_admin),
    ("admin", "network:user_list", _("Accounts"), is_city_admin),
    ("admin", "procurement:account_list", _("Organisation accounts"), is_city_admin),
    ("admin", "network:rule_settings", _("Rule settings"), is_city_staff),
    ("admin", "network:division_import", _("Import divisions"), is_city_admin),
    ("admin", "network:personal_data_log", _("Personal-data log"), is_city_admin),
]
for _position, (_group, _name, _label, _predicate, *_others) in enumerate(DEFAULT_ENTRIES):
    _alternatives = tuple(_others[0]) if _others else ()
    menu_entry_register(_group, MenuEntry(_name, _label, _predicate, order=_position * 10, alternatives=_alternatives))


@lru_cache(maxsize=512)
def _resolved(url_name: str) -> str | None:
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return None


def menu_url(url_name: str, alternatives: tuple[str, ...] = ()) -> str | None:
    """The entry's address, or None while no route carries the name (nor any of its other names)."""
    for name in (url_name, *alternatives):
        url = _resolved(name)
        if url is not None:
            return url
    return None


def menu_for(user, path: str) -> list[dict]:
    """The groups and entries ``user`` may open, the entry for ``path`` marked current (the entry whose address
    is the longest start of the path; the workbench only on its own address)."""
    groups = []
    best: tuple[int, dict] | None = None
    for group in sorted(_GROUPS.values(), key=lambda g: g.order):
        items = []
        for entry in group.entries:
            url = menu_url(entry.url_name, entry.alternatives)
            if url is None or not may_use_menu_entry(user, entry.predicate):
                continue
            item = {"url": url, "label": entry.label, "url_name": entry.url_name, "active": False}
            items.append(item)
            matches = path == url if url == "/" else path.startswith(url)
            if matches and (best is None or len(url) > best[0]):
                best = (len(url), item)
        if items:
            groups.append({"code": group.code, "label": group.label, "icon": group.icon, "items": items})
    if best is not None:
        best[1]["active"] = True
        for g in groups:
            g["active"] = any(i["active"] for i in g["items"])
    return groups


def breadcrumbs(groups: list[dict], path: str) -> list[dict]:
    """工作台 › group › the current page's menu entry: every link is an entry of the user's own menu. Empty on
    the workbench itself and on pages no entry covers."""
    for group in groups:
        for item in group["items"]:
            if item["active"]:
                if item["url"] == "/":
                    return []
                home = next((i for g in groups for i in g["items"] if i["url"] == "/"), None)
                crumbs = [{"label": home["label"], "url": home["url"]}] if home else []
                if group["code"] != "workbench":
                    crumbs.append({"label": group["label"], "url": ""})
                crumbs.append({"label": item["label"], "url": "" if item["url"] == path else item["url"]})
                return crumbs
    return []

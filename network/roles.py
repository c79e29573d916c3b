"""What each role may do, decided here and only here.

Places (the scope, ``network.scope``) say *where* a user may read or write; these predicates say
*what* the role allows whatever the places: pages, API permissions, menus, services and imports all
ask these functions instead of comparing ``user.role`` themselves.
"""

from __future__ import annotations

from .choices import PERSONAL_DATA_ROLES, READ_ONLY_ROLES, Role

# Roles that confirm a station's standard check (TGT-STD, NET-2: the county guidance centre; the city too).
STANDARD_CONFIRMING_ROLES = frozenset({Role.COUNTY_OFFICER, Role.CITY_ADMIN})
# Roles that see the rule settings in force (the city centre); only the administrator edits them.
CITY_STAFF_ROLES = frozenset({Role.CITY_ADMIN, Role.CITY_VIEWER})
# Roles that keep the station registry (NET-3: register a station, edit its six haves, record that it opens,
# is suspended or closes): the civil-affairs side and the worker stationed there. A provider's staff deliver
# the services of a station; they do not open, suspend or close it.
STATION_KEEPING_ROLES = frozenset({Role.CITY_ADMIN, Role.COUNTY_OFFICER, Role.STATION_WORKER})
# Roles that read the API only, with a token: no web pages.
API_ONLY_ROLES = frozenset({Role.API_CLIENT})


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def role_may_write(role: str) -> bool:
    """The role creates and changes records (inside its places); city viewers, evaluators and API clients
    only read. Decides which permissions a grant gives (``network.services``)."""
    return role not in READ_ONLY_ROLES


def may_write(user) -> bool:
    """The signed-in user may create and change records (inside their places)."""
    return _signed_in(user) and (user.is_superuser or role_may_write(user.role))


def is_city_admin(user) -> bool:
    """The city centre's administrator (accounts, rule settings, division imports, recomputes)."""
    return _signed_in(user) and (user.is_superuser or user.role == Role.CITY_ADMIN)


def is_city_staff(user) -> bool:
    """The city centre's staff, who see the rule settings in force."""
    return _signed_in(user) and (user.is_superuser or user.role in CITY_STAFF_ROLES)


def may_confirm_standard(user) -> bool:
    """TGT-STD/NET-2: the county guidance centre (county officers) confirms standard checks; the city too."""
    return _signed_in(user) and (user.is_superuser or user.role in STANDARD_CONFIRMING_ROLES)


def may_keep_stations(user) -> bool:
    """NET-3: the user may register stations, edit their six haves and change their status (inside their places)."""
    return _signed_in(user) and (user.is_superuser or user.role in STATION_KEEPING_ROLES)


def may_use_pages(user) -> bool:
    """The user may sign in to the web pages (the API client reads the API with its token only)."""
    return _signed_in(user) and (user.is_superuser or user.role not in API_ONLY_ROLES)


def may_start_jobs(user) -> bool:
    """The user may start work the portal keeps for them (a report workbook): the roles that write; read-only
    roles read what is computed."""
    return may_write(user)


def sees_personal_data(user) -> bool:
    """ID numbers and phones are shown unmasked to these roles only, on pages, exports and the API."""
    return _signed_in(user) and (user.is_superuser or user.role in PERSONAL_DATA_ROLES)


# Roles that reach procurement records through the organisation they work for (a provider or a third-party
# evaluator, procurement.OrganisationAccount) rather than through the places they hold.
ORGANISATION_ROLES = frozenset({Role.PROVIDER_STAFF, Role.EVALUATOR})


def works_for_organisation(user) -> bool:
    """Provider staff and evaluators: procurement records reach them through their organisation."""
    return _signed_in(user) and not user.is_superuser and user.role in ORGANISATION_ROLES


def is_evaluator(user) -> bool:
    """A third-party evaluator (PRC-4): reads exactly the projects its organisation evaluates."""
    return _signed_in(user) and not user.is_superuser and user.role == Role.EVALUATOR


# Roles whose workbench lists the day-to-day work of stations and workers (overdue follow-ups, qualification
# deadlines, re-registrations, understaffed stations): the county, the stationed worker and the provider.
FIELD_WORK_ROLES = frozenset({Role.COUNTY_OFFICER, Role.STATION_WORKER, Role.PROVIDER_STAFF})
# Roles that buy services (PRC-1…PRC-4: projects, awards, evaluations): the county and the city.
PURCHASING_ROLES = frozenset({Role.CITY_ADMIN, Role.COUNTY_OFFICER})


def does_field_work(user) -> bool:
    """The user's workbench lists the stations' and workers' day-to-day to-dos (inside their places)."""
    return _signed_in(user) and not user.is_superuser and user.role in FIELD_WORK_ROLES


def purchases_services(user) -> bool:
    """The user buys services for their area (PRC-1…PRC-4): their workbench lists evaluations due."""
    return _signed_in(user) and (user.is_superuser or user.role in PURCHASING_ROLES)


# Roles that publish notices (通知公告): the city centre for the city, a county's guidance centre for its own area.
NOTICE_PUBLISHING_ROLES = frozenset({Role.CITY_ADMIN, Role.COUNTY_OFFICER})


def may_publish_notices(user) -> bool:
    """The city centre (and a county for its own area) publishes notices; where, the places decide."""
    return _signed_in(user) and (user.is_superuser or user.role in NOTICE_PUBLISHING_ROLES)


def may_use_menu_entry(user, predicate) -> bool:
    """A navigation entry guarded by one of the predicates above (None: every signed-in user)."""
    return _signed_in(user) and (predicate is None or predicate(user))


# SUP-1: a supervision log is written by the supervisor's provider (its staff) or the county, and confirmed by the
# station it supervised (the worker stationed there); supervision plans are kept by the county and the city.
SUPERVISION_RECORDING_ROLES = frozenset({Role.CITY_ADMIN, Role.COUNTY_OFFICER, Role.PROVIDER_STAFF})
SUPERVISION_CONFIRMING_ROLES = frozenset({Role.STATION_WORKER})
SUPERVISION_PLAN_ROLES = frozenset({Role.CITY_ADMIN, Role.COUNTY_OFFICER})


def may_record_supervision(user) -> bool:
    """SUP-1: the user may record or correct a supervision log (inside their places)."""
    return _signed_in(user) and (user.is_superuser or user.role in SUPERVISION_RECORDING_ROLES)


def may_confirm_supervision(user) -> bool:
    """SUP-1: the user confirms, for the station, that a recorded supervision took place."""
    return _signed_in(user) and (user.is_superuser or user.role in SUPERVISION_CONFIRMING_ROLES)


def may_keep_supervision_plans(user) -> bool:
    """SUP-1: the user may create and change supervision plans and add stations to a plan's supervisors."""
    return _signed_in(user) and (user.is_superuser or user.role in SUPERVISION_PLAN_ROLES)


# PLAN-1: the city civil-affairs bureau files (备案) the counties' implementation plans or returns them; the
# county officer drafts and submits its county's plan (the city administrator may act for a county too).
PLAN_DRAFTING_ROLES = frozenset({Role.COUNTY_OFFICER, Role.CITY_ADMIN})


def may_file_county_plans(user) -> bool:
    """PLAN-1: the user files or returns the counties' submitted implementation plans (the city)."""
    return is_city_admin(user)


def may_draft_county_plans(user) -> bool:
    """PLAN-1: the user drafts and submits a county's implementation plan (inside the places they may change)."""
    return _signed_in(user) and (user.is_superuser or user.role in PLAN_DRAFTING_ROLES)

"""One "today" and one place for role predicates, checked on the source itself.

The portal runs in Asia/Shanghai while servers keep UTC: between 16:00 and 24:00 UTC ``date.today()`` is
still yesterday in Liuzhou, so a date entered as today would be refused as "in the future" by one form
and accepted by another. Every app asks ``timezone.localdate()``. Likewise, what a role may do (write,
administer the city, confirm a standard, see personal data) is decided by ``network.roles`` alone.
"""

import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

ROOT = Path(__file__).resolve().parent.parent
APPS = ["liuzhou_social", "network", "stations", "workforce", "procurement", "supervision", "reporting"]


def _sources(suffixes=(".py",)):
    for app in APPS:
        for path in (ROOT / app).rglob("*"):
            if path.suffix in suffixes and "migrations" not in path.parts:
                yield path


TODAY_PATTERNS = re.compile(r"date\.today\(\)|datetime\.now\(|timezone\.now\(\)\.date\(\)|datetime\.utcnow\(")
ROLE_PATTERNS = re.compile(
    r"\b(?:user|request\.user|account)\.role\s*(?:==|!=|\bin\b|\bnot in\b)"
    r"|\bREAD_ONLY_ROLES\b|\bPERSONAL_DATA_ROLES\b|\bRole\.(?:CITY_ADMIN|COUNTY_OFFICER|CITY_VIEWER)\s+in\b"
)


def test_no_app_module_asks_the_system_clock_for_today():
    found = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for path in _sources((".py", ".html", ".js"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if TODAY_PATTERNS.search(line)
    ]
    assert not found, "use timezone.localdate():\n" + "\n".join(found)


def test_role_predicates_live_in_network_roles_only():
    allowed = {ROOT / "network" / "roles.py", ROOT / "network" / "choices.py"}
    found = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for path in _sources((".py", ".html"))
        if path not in allowed
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if ROLE_PATTERNS.search(line)
    ]
    assert not found, "ask network.roles instead:\n" + "\n".join(found)


@pytest.mark.django_db
def test_a_certificate_obtained_today_in_liuzhou_is_not_in_the_future():
    """Whatever the server's clock zone, today in Liuzhou is a valid date for every date rule."""
    from workforce.services import organisation_save, qualification_check

    today = timezone.localdate()
    assert qualification_check(worker_birth=None, obtained_on=today, registered_on=today) == {}
    with pytest.raises(ValidationError) as exc:
        organisation_save(user=None, data={"credit_code": "bad", "registered_on": today})
    assert "registered_on" not in getattr(exc.value, "message_dict", {})


def test_the_role_predicates():
    from network.choices import Role
    from network.models import User
    from network.roles import is_city_admin, is_city_staff, may_confirm_standard, may_write, sees_personal_data

    def user(role, **kw):
        return User(username=role, role=role, **kw)

    table = {
        Role.CITY_ADMIN: (True, True, True, True, True),
        Role.CITY_VIEWER: (False, False, True, False, False),
        Role.COUNTY_OFFICER: (True, False, False, True, True),
        Role.STATION_WORKER: (True, False, False, False, True),
        Role.PROVIDER_STAFF: (True, False, False, False, False),
        Role.EVALUATOR: (False, False, False, False, False),
        Role.API_CLIENT: (False, False, False, False, False),
    }
    for role, expected in table.items():
        u = user(role)
        got = (may_write(u), is_city_admin(u), is_city_staff(u), may_confirm_standard(u), sees_personal_data(u))
        assert got == expected, role
    inactive = user(Role.CITY_ADMIN, is_active=False)
    assert not may_write(inactive) and not is_city_admin(inactive)
    superuser = user(Role.EVALUATOR, is_superuser=True)
    assert may_write(superuser) and is_city_admin(superuser) and may_confirm_standard(superuser)

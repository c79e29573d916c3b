"""The README's path for a newcomer, end to end: a fresh copy of the repository, `./scripts/start` on the
embedded PostgreSQL (no DATABASE_URL, no REDIS_URL), every demo account logging in through the form
and clicking through the portal in Chromium; then a second start on the kept data.

Fails on any answer >= 500, any 404 behind a link the portal shows, any blank page and any console
error (Content-Security-Policy violations included). Prints the pages opened per account and the
start-up times (`pytest -s -n 0 tests/test_newcomer.py` shows them; they are in the failure message).
"""

import re

import psycopg2
import pytest

from network.choices import Role
from network.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from tests.browser import CHROMIUM, CHROMIUM_ARGS
from tests.newcomer import copy_checkout, crawl_account, demo_accounts_from_readme, portal_started, scratch_dir

# The demo data a start loads; a second start on the same data must leave these counts as they were.
DEMO_TABLES = [
    "network_place",
    "network_centre",
    "network_user",
    "stations_station",
    "stations_stationstatuschange",
    "stations_room",
    "stations_catalogueitem",
    "stations_recipient",
    "stations_servicerecord",
    "workforce_organisation",
    "workforce_worker",
    "workforce_qualification",
    "workforce_assignment",
    "reporting_indicatorvalue",
]


def _demo_counts(portal) -> dict[str, int]:
    url = re.findall(r"^DATABASE_URL=(\S+)$", portal.log.read_text(errors="replace"), flags=re.MULTILINE)[-1]
    with psycopg2.connect(url) as connection, connection.cursor() as cursor:
        counts = {}
        for table in DEMO_TABLES:
            cursor.execute(f"SELECT count(*) FROM {table}")
            counts[table] = cursor.fetchone()[0]
    connection.close()
    return counts


def test_readme_lists_every_demo_account():
    assert demo_accounts_from_readme() == [username for username, *_ in DEMO_ACCOUNTS]


@pytest.mark.browser
def test_fresh_copy_starts_with_the_readme_command_and_every_page_works():
    with scratch_dir("liuzhou-newcomer-") as scratch:
        _newcomer_path(scratch)


def _newcomer_path(scratch):
    from playwright.sync_api import sync_playwright

    checkout = copy_checkout(scratch / "portal")
    log = scratch / "start.log"
    summary, failures = [], []
    with portal_started(checkout, log) as portal:
        summary.append(f"./scripts/start on a fresh copy: first page served after {portal.started_in:.1f} s")
        first_counts = _demo_counts(portal)
        assert first_counts["stations_station"] == 118 and first_counts["network_user"] == len(DEMO_ACCOUNTS)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                roles = {username: role for username, role, *_ in DEMO_ACCOUNTS}
                for username in demo_accounts_from_readme():
                    result = crawl_account(browser, portal.url, username, DEMO_PASSWORD)
                    if roles[username] == Role.API_CLIENT:  # reads the API with its token: no web pages
                        assert result.login_refused, f"{username} (API client) signed in to the pages"
                        summary.append(f"{username}: the login form refuses the API client, as the README says")
                        continue
                    assert not result.login_refused, f"{username} cannot log in through the login form"
                    summary.append(
                        f"{username}: {len(result.pages)} pages opened, {result.links_checked} further links checked"
                    )
                    failures += result.failures
            finally:
                browser.close()
    # The portal stopped its embedded PostgreSQL cleanly (a server still running keeps this file).
    assert not (checkout / ".pgdata" / "postmaster.pid").exists(), portal.log_tail()

    with portal_started(checkout, log) as portal:
        summary.append(f"./scripts/start again on the kept data: first page served after {portal.started_in:.1f} s")
        assert _demo_counts(portal) == first_counts  # load_demo is idempotent: nothing doubled
    assert not (checkout / ".pgdata" / "postmaster.pid").exists(), portal.log_tail()

    print("\n".join(summary))
    assert not failures, "\n".join(summary + failures)

"""The accessibility check (issue: a workbench for every role, point 9): axe-core, vendored from npm into
tests/vendor by scripts/vendor_static.sh, is injected through Playwright into the main pages of each role on the
populated test network; no page may have a serious or critical violation. (The browser context bypasses the
content-security policy only to inject the tool; the pages themselves are served as always.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from tests.browser import CHROMIUM, CHROMIUM_ARGS
from tests.conftest import PASSWORD
from tests.population import populate

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}


def _pages(n) -> dict[str, list[str]]:
    """The main pages of each role: its home, the lists of its daily work, a record of each kind."""
    station, worker = n["station_a1"], n.get("pop_worker_a1")
    lists = [
        "stations:station_list",
        "stations:recipient_list",
        "stations:record_list",
        "workforce:worker_list",
        "workforce:assignment_list",
        "network:place_list",
    ]
    common = ["/", *[reverse(name) for name in lists], reverse("stations:station_detail", args=[station.pk])]
    if worker is not None:
        common.append(reverse("workforce:worker_detail", args=[worker.pk]))
    admin = [
        reverse("network:account_list"),
        reverse("network:operation_log"),
        reverse("network:login_log"),
        reverse("network:scheduled_jobs"),
        reverse("network:rule_legend"),
        reverse("reporting:dashboard"),
        reverse("procurement:project_list"),
        reverse("stations:station_create"),
    ]
    return {
        "city_admin": common + admin,
        "officer_a": [*common, reverse("reporting:dashboard"), reverse("procurement:project_list")],
        "station_worker": [*common, reverse("stations:record_create")],
        "provider": ["/", reverse("procurement:project_list")],
        "evaluator": ["/", reverse("procurement:evaluation_list")],
    }


AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
}"""


@pytest.mark.django_db(transaction=True)
def test_main_pages_of_each_role_have_no_serious_violation(live_server, personas, network):
    from playwright.sync_api import sync_playwright

    made = populate(network)
    network["pop_worker_a1"] = next(
        w for w in made["workers"] if w.place.code.startswith(network["township_a1"].code[:9])
    )
    pages = _pages(network)
    found = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for persona, urls in pages.items():
                for language in ("zh-hans", "en"):
                    context = browser.new_context(locale="zh-CN", bypass_csp=True)
                    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
                    page = context.new_page()
                    page.set_default_timeout(20000)
                    page.goto(f"{live_server.url}/accounts/login/")
                    page.fill("#id_username", persona)
                    page.fill("#id_password", PASSWORD)
                    page.click("button[type=submit]")
                    page.wait_for_load_state()
                    for url in urls:
                        response = page.goto(live_server.url + url)
                        assert response is not None and response.status == 200, (
                            persona,
                            url,
                            response and response.status,
                        )
                        page.add_script_tag(path=str(AXE))
                        for v in page.evaluate(AXE_RUN):
                            if v["impact"] in BLOCKING:
                                found.append(
                                    f"{persona} {language} {url}: {v['impact']} {v['id']} ({v['help']}) {v['nodes']}"
                                )
                    context.close()
        finally:
            browser.close()
    assert not found, f"{len(found)} serious or critical violations:\n" + "\n".join(found)

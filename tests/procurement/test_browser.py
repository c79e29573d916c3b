"""In the browser, with a real worker: a county officer records bids, scores them, awards the contract, links the
stationed workers, records a pay line below its floor, sees the shortfall flagged on the contract page with its
rule and numbers, and sees it counted on the county dashboard without anyone pressing 重新计算."""

import datetime
import time
from decimal import Decimal

import pytest

from procurement.models import Award, Project
from reporting.services import indicators_recompute
from tests.conftest import PASSWORD
from tests.factories import AssignmentFactory, WorkerFactory


@pytest.mark.browser
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_bids_scored_awarded_and_a_pay_shortfall_flagged_and_counted(live_server, personas, prc, network):
    from django.core.cache import cache

    from liuzhou_social.celery import app
    from tests.browser import browser_page, login
    from tests.workerproc import celery_worker

    today = prc["today"]
    project = prc["open_project"]
    # The project's service starts ten days ago, so the contract is in force today.
    Project.objects.filter(pk=project.pk).update(
        service_start=today - datetime.timedelta(days=10), service_end=today + datetime.timedelta(days=700)
    )
    winner = prc["bidders"]["和谐社工"]
    for name in ("韦春梅", "覃海燕"):  # 和谐社工's stationed workers at A1, both uncertified: floor 3,200 yuan
        AssignmentFactory(
            worker=WorkerFactory(name=name, place=network["township_a1"], organisation=winner),
            station=network["station_a1"],
            organisation=winner,
            start_on=today - datetime.timedelta(days=10),
        )
    indicators_recompute()
    app.control.purge()
    cache.clear()
    base = live_server.url
    with celery_worker(), browser_page() as page:
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        login(page, base, "officer_a", PASSWORD)

        # 1. Two bids.
        for org, price in (("同心社工", "380000"), ("和谐社工", "460000")):
            page.goto(f"{base}/procurement/projects/{project.pk}/")
            page.get_by_test_id("add-bid").click()
            page.select_option("#id_organisation", str(prc["bidders"][org].pk))
            page.fill("#id_price", price)
            page.locator("form button[type=submit]").last.click()
            page.wait_for_selector('[data-testid="scores"]')

        # 2. The panel scores them: the cheaper one lower on quality.
        page.goto(f"{base}/procurement/projects/{project.pk}/")
        for org, score in (("同心社工", "75"), ("和谐社工", "90")):
            bid = project.bids.get(organisation=prc["bidders"][org])
            page.get_by_test_id(f"score-{bid.pk}").click()
            for field in ("capability", "team", "plan", "assurance", "record"):
                page.fill(f"#id_score_{field}", score)
            page.get_by_test_id("submit").click()
            page.wait_for_selector('[data-testid="ranking"]')
        ranking = page.get_by_test_id("ranking").inner_text()
        assert "PRC-1" in ranking  # the lowest price, beaten on quality, cannot win on price alone
        assert "20 %" in page.get_by_test_id("scoring-rule").inner_text()

        # 3. The award step: the bid ranked first is preselected.
        page.get_by_test_id("award-step").click()
        page.fill("#id_reason", "综合得分最高")
        page.get_by_test_id("award-submit").click()
        page.wait_for_selector('[data-testid="findings"]')
        award = Award.objects.get(project=project)
        assert award.bid.organisation == winner and award.decided_by == personas["officer_a"]
        contract = award.contract

        # 4. The stationed workers under the new contract, then a pay line 1 yuan below the 160 % floor.
        page.get_by_test_id("staff-link").click()
        page.get_by_test_id("link-all").click()
        page.wait_for_selector('[data-testid="staffing"]')
        assert "韦春梅" in page.get_by_test_id("staffing").inner_text()
        page.goto(f"{base}/procurement/pay-lines/new/?contract={contract.pk}")
        worker = contract.staffing.get(assignment__worker__name="韦春梅").assignment.worker
        page.select_option("#id_worker", str(worker.pk))
        page.fill("#id_month", f"{today:%Y-%m}")
        page.fill("#id_amount", "3199")
        page.locator("form button[type=submit]").last.click()
        page.wait_for_selector('[data-testid="pay-finding"]')
        page.goto(f"{base}/procurement/contracts/{contract.pk}/")
        findings = page.get_by_test_id("findings").inner_text()
        assert "PRC-3" in findings and "3,199.00" in findings and "3,200.00" in findings

        # 5. Counted on the county dashboard, recomputed by the worker after the save.
        dashboard = f"{base}/reporting/place/450222000000/"
        saved, shown = time.monotonic(), ""
        while time.monotonic() - saved < 60:
            page.goto(dashboard)
            card = page.get_by_test_id("cards").inner_text()
            shown = page.get_by_test_id("value-PRC-3-PAY").inner_text().strip()
            if "0 / 1" in card and shown.startswith("0"):
                break
            time.sleep(0.5)
        assert shown.startswith("0"), shown
        assert "驻站社工薪酬达标比例" in page.get_by_test_id("cards").inner_text()
        assert not errors, errors
    assert contract.pay_lines.get().amount == Decimal(3199)

"""In the browser: a county officer starts the county's implementation plan, writes its twelve sections, attaches
the signed PDF and submits it; the city administrator finds it waiting, files it, and sees the county filed with
version 1 in force."""

import pytest

from supervision.choices_plans import PlanStatus
from supervision.models import CountyPlan
from supervision.rules_plans import SECTIONS
from tests.conftest import PASSWORD
from tests.supervision import plans_kit
from tests.supervision.plans_kit import PDF_BYTES

media = plans_kit.media


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("every_persona")
def test_a_county_submits_and_the_city_files_its_plan(live_server, personas, network, media, tmp_path):
    from tests.browser import browser_page, login

    signed = tmp_path / "柳城县实施方案（盖章）.pdf"
    signed.write_bytes(PDF_BYTES)
    base = live_server.url
    with browser_page() as page:
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        login(page, base, "officer_a", PASSWORD)

        # 1. The county starts its plan: version 1 opens as a draft.
        page.goto(f"{base}/supervision/plans/")
        page.locator("a[href$='/supervision/plans/new/']").click()
        page.select_option("#id_county", network["county_a"].pk)
        page.fill("#id_title", "柳城县社工站建设实施方案")
        page.locator("form button[type=submit]").last.click()
        page.wait_for_selector('[data-testid="missing"]')
        plan = CountyPlan.objects.get()

        # 2. Submitting with the sections empty is refused, naming them.
        page.get_by_test_id("submit-step").click()
        page.get_by_test_id("confirm").click()
        page.wait_for_selector('[data-testid="form-errors"]')
        assert "任务目标" in page.get_by_test_id("form-errors").inner_text()

        # 3. Every section written, the signed PDF attached, then submitted.
        page.goto(f"{base}/supervision/plans/versions/{plan.versions.get().pk}/edit/")
        for s in SECTIONS:
            page.fill(f"#id_{s.field}", f"柳城县{s.field}的安排。")
        page.set_input_files("#id_signed_pdf", str(signed))
        page.get_by_test_id("save").click()
        page.wait_for_selector('[data-testid="pdf"]')
        page.get_by_test_id("submit-step").click()
        page.get_by_test_id("confirm").click()
        page.wait_for_selector('[data-testid="status"]')
        assert plan.versions.get().status == PlanStatus.SUBMITTED
        assert page.get_by_test_id("file-step").count() == 0  # a county cannot file

        # 4. The city finds it waiting and files it.
        page.context.clear_cookies()
        login(page, base, "city_admin", PASSWORD)
        page.goto(f"{base}/supervision/plans/?status=submitted")
        page.get_by_role("link", name="柳城县社工站建设实施方案").click()
        page.locator("[data-testid=versions] a").first.click()
        page.get_by_test_id("file-step").click()
        page.get_by_test_id("confirm").click()
        page.wait_for_selector('[data-testid="status"]')
        assert "已备案" in page.get_by_test_id("status").inner_text()
        version = plan.versions.get()
        assert version.status == PlanStatus.FILED and CountyPlan.objects.get().in_force_id == version.pk

        # 5. The overview: 柳城县 filed, version 1 in force; 鹿寨县 has no plan.
        page.get_by_test_id("plan-counties-tab").click()
        row = page.locator("[data-county='450222000000']").inner_text()
        assert "v1" in row and "是" in row
        assert "尚无方案" in page.locator("[data-county='450223000000']").inner_text()
        assert not errors, errors

"""The shell in a real browser: each demo account lands on its own home page; language switch; scope."""

import pytest
from django.core.management import call_command

from network.demo import DEMO_PASSWORD
from tests.browser import browser_page, login


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_demo_accounts_land_on_their_home_pages(live_server):
    call_command("load_demo", verbosity=0)  # also ensures the plan's categories a flush may have removed
    from network.models import Place
    from stations.models import Station

    other_county_station = Station.objects.filter(place__code__startswith="450223").first()
    with browser_page() as page:
        login(page, live_server.url, "city_admin", DEMO_PASSWORD)
        assert page.locator("[data-testid=home-city]").is_visible()
        assert page.locator("[data-testid=county-table] tbody tr").count() == 12  # 10 units + 2 zones
        assert "首页" in page.content()  # Chinese by default
        with page.expect_navigation():  # the switch submits itself (static/js/portal.js)
            page.select_option("select[name=language]", "en")
        assert "Home" in page.locator("nav").inner_text()
        page.click("text=Log out")
        page.wait_for_load_state()

        login(page, live_server.url, "liucheng_officer", DEMO_PASSWORD)
        assert page.locator("[data-testid=home-county]").inner_text().startswith("柳城县")
        rows = page.locator("[data-testid=township-table] tbody tr")
        assert rows.count() == Place.objects.filter(parent_id="450222000000").count() == 12
        assert "柳城县大埔镇社会工作服务站" in page.content()
        response = page.goto(f"{live_server.url}/stations/{other_county_station.pk}/")
        assert response.status == 404
        page.goto(f"{live_server.url}/")
        page.click("text=Log out")
        page.wait_for_load_state()

        login(page, live_server.url, "dapu_worker", DEMO_PASSWORD)
        assert page.locator("[data-testid=station-home]").is_visible()
        assert "柳城县大埔镇社会工作服务站" in page.locator("[data-testid=station-home]").inner_text()

"""The shell in a real browser: each demo account lands on its own home page; language switch; scope."""

import pytest
from django.core.management import call_command

from network.demo import DEMO_PASSWORD
from tests.browser import browser_page, login, logout, open_menu, switch_language


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
        assert "工作台" in page.content()  # Chinese by default
        switch_language(page, "en")
        assert "Workbench" in open_menu(page).inner_text()
        logout(page)

        login(page, live_server.url, "liucheng_officer", DEMO_PASSWORD)
        assert page.locator("[data-testid=home-county]").inner_text().startswith("柳城县")
        rows = page.locator("[data-testid=township-table] tbody tr")
        assert rows.count() == Place.objects.filter(parent_id="450222000000").count() == 12
        assert "柳城县大埔镇社会工作服务站" in page.content()
        response = page.goto(f"{live_server.url}/stations/{other_county_station.pk}/")
        assert response.status == 404
        page.goto(f"{live_server.url}/")
        logout(page)

        login(page, live_server.url, "dapu_worker", DEMO_PASSWORD)
        assert page.locator("[data-testid=station-home]").is_visible()
        assert "柳城县大埔镇社会工作服务站" in page.locator("[data-testid=station-home]").inner_text()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("every_persona")
def test_api_docs_render_under_the_content_security_policy(live_server, personas):
    """Swagger UI's start-up script is a file of its own: the portal's CSP allows no inline script."""
    from tests.conftest import PASSWORD

    errors = []
    with browser_page() as page:
        page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
        login(page, live_server.url, "city_viewer", PASSWORD)
        page.goto(f"{live_server.url}/api/docs/")
        title = page.locator(".swagger-ui .info .title")
        title.wait_for()
        assert "柳州市社会工作服务网络 API" in title.inner_text()
        assert page.locator(".swagger-ui .opblock").count() > 10  # the operations, read from the schema
    assert errors == []

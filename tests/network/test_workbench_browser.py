"""The workbench in a real browser on the demo data: every demo role sees its 工作台 with the counts the database
gives, a station worker resolves a to-do and sees the count drop, a city notice is read by one county and the
receipts show it, and the frame fits 1280 px and 390 px in Chinese and English."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from network.demo import DEMO_PASSWORD
from tests.browser import browser_page, login, logout, menu_click, open_menu, switch_language

DEMO_ROLES = ["city_admin", "city_viewer", "liucheng_officer", "luzhai_officer", "dapu_worker", "provider_staff"]
DEMO_ROLES += ["evaluator"]


def _expected_counts(username):
    from network.models import User
    from network.workbench import alerts_for

    user = User.objects.get(username=username)
    return {a.source.code: a.count for a in alerts_for(user, timezone.localdate()) if a.count}


def _shown_counts(page):
    found = {}
    for el in page.locator("[data-testid^=todo-count-]").all():
        found[el.get_attribute("data-testid").removeprefix("todo-count-")] = int(el.inner_text())
    return found


def _fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _in_viewport(page, selector):
    box = page.locator(selector).bounding_box()
    width = page.evaluate("window.innerWidth")
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_workbench_for_every_demo_role(live_server):
    from network.models import User

    call_command("load_demo", verbosity=0)
    base = live_server.url
    with browser_page() as page:
        # Every demo role: its workbench with the database's counts (or the empty state).
        for username in DEMO_ROLES:
            login(page, base, username, DEMO_PASSWORD)
            assert page.locator("h1").first.inner_text().startswith("工作台"), username
            expected = _expected_counts(username)
            assert _shown_counts(page) == expected, username
            assert page.locator("[data-testid=todo-empty]").count() == (0 if expected else 1), username
            logout(page)

        # A station worker opens an overdue follow-up, marks it done, and the count drops by one.
        login(page, base, "dapu_worker", DEMO_PASSWORD)
        before = _shown_counts(page)["srv3_follow_ups_overdue"]
        page.locator("[data-testid=todo-srv3_follow_ups_overdue] [data-testid=todo-item]").first.click()
        page.wait_for_load_state()
        with page.expect_navigation():
            page.locator("main a", has_text="标记完成").first.click()
        page.fill("#id_done_on", timezone.localdate().isoformat())
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        page.goto(f"{base}/")
        after = _shown_counts(page).get("srv3_follow_ups_overdue", 0)
        assert after == before - 1 == _expected_counts("dapu_worker").get("srv3_follow_ups_overdue", 0)
        logout(page)

        # The city publishes a notice to the county level; 柳城县 reads it; the receipts show who has.
        login(page, base, "city_admin", DEMO_PASSWORD)
        menu_click(page, "network:notice_create")
        page.fill("#id_title", "关于报送第四季度花名册的通知")
        page.fill("#id_body", "请各县（市、区）于月底前报送。")
        page.check("input[name=levels][value=county]")
        with page.expect_navigation():
            page.click("[data-testid=notice-publish]")
        notice_url = page.url
        logout(page)
        login(page, base, "liucheng_officer", DEMO_PASSWORD)
        assert _shown_counts(page).get("notices_unread") == 1
        page.click("[data-testid=todo-notices_unread] [data-testid=todo-item]")
        page.wait_for_load_state()
        assert "关于报送第四季度花名册的通知" in page.locator("[data-testid=notice-title]").inner_text()
        page.goto(f"{base}/")
        assert "notices_unread" not in _shown_counts(page)
        logout(page)
        login(page, base, "city_admin", DEMO_PASSWORD)
        page.goto(notice_url)
        with page.expect_navigation():
            page.click("[data-testid=receipts-link]")
        read = page.locator("[data-testid=receipts-read]").inner_text()
        unread = page.locator("[data-testid=receipts-unread]").inner_text()
        liucheng, luzhai = (str(User.objects.get(username=u)) for u in ("liucheng_officer", "luzhai_officer"))
        assert liucheng in read and liucheng not in unread
        assert luzhai in unread and luzhai not in read
        logout(page)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 390])
def test_frame_fits_1280_and_390_in_both_languages(live_server, width):
    call_command("load_demo", verbosity=0)
    base = live_server.url
    with browser_page() as page:
        page.set_viewport_size({"width": width, "height": 800})
        for username in ("liucheng_officer", "city_admin"):
            login(page, base, username, DEMO_PASSWORD)
            for language in ("zh-hans", "en"):
                switch_language(page, language)
                for path in ("/", "/network/notices/", "/network/notifications/", "/network/profile/", "/stations/"):
                    page.goto(base + path)
                    assert _fits(page), (username, language, width, path)
                    assert _in_viewport(page, "[data-testid=language]"), (username, language, width, path)
                    assert _in_viewport(page, "[data-testid=bell]"), (username, language, width, path)
                # The menu: folded into a toggle at 390 px, beside the page at 1280 px; the current page marked.
                assert page.locator("[data-testid=menu-toggle]").is_visible() == (width < 992)
                menu = open_menu(page)
                current = menu.locator("a.active")
                assert current.count() == 1 and current.get_attribute("data-menu") == "stations:station_list"
                assert _in_viewport(page, "#mainnav a[data-menu='stations:station_list']")
                admin_entries = menu.locator("a[data-menu='network:user_list']").count()
                assert admin_entries == (1 if username == "city_admin" else 0)
                page.goto(base + "/")
                # The user menu opens and its log-out button lies inside the screen.
                page.click("[data-testid=user-menu-button]")
                assert page.locator("[data-testid=logout]").is_visible()
                assert _in_viewport(page, "[data-testid=logout]")
                page.click("[data-testid=user-menu-button]")
            switch_language(page, "zh-hans")
            logout(page)

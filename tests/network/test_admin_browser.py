"""Browser test (Debian's Chromium): a county officer locks themself out, sees how long the lock lasts and whom to
ask; the city administrator unlocks the account from its page; the officer then signs in."""

import pytest

from tests.browser import browser_page, login
from tests.conftest import PASSWORD


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("every_persona")
def test_admin_unlocks_a_locked_out_officer(live_server, personas, settings):
    with browser_page() as officer:
        for _ in range(settings.AXES_FAILURE_LIMIT):
            login(officer, live_server.url, "officer_a", "wrong-password")
        login(officer, live_server.url, "officer_a", PASSWORD)
        assert officer.get_by_test_id("locked-out").is_visible()
        assert "30 分钟" in officer.get_by_test_id("lock-duration").inner_text()
        assert "city_admin" in officer.get_by_test_id("lock-whom").inner_text()

        admin = officer.context.browser.new_context(locale="zh-CN").new_page()  # a second, separate session
        login(admin, live_server.url, "city_admin", PASSWORD)
        admin.goto(f"{live_server.url}/network/login-log/")
        admin.get_by_test_id("locked-now").get_by_role("link", name="officer_a").click()
        assert "已锁定" in admin.get_by_test_id("lock-state").inner_text()
        admin.once("dialog", lambda dialog: dialog.accept())
        admin.get_by_test_id("unlock").click()
        admin.wait_for_load_state()
        assert "未锁定" in admin.get_by_test_id("lock-state").inner_text()

        login(officer, live_server.url, "officer_a", PASSWORD)
        assert "/accounts/login/" not in officer.url
        assert officer.locator("#id_password").count() == 0  # signed in: no sign-in form

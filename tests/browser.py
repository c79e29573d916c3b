"""Playwright on Debian's Chromium, for the browser tests."""

from contextlib import contextmanager

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
    "--disable-background-networking",
    "--disable-component-update",
]


@contextmanager
def browser_page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(locale="zh-CN")
            page.set_default_timeout(15000)
            yield page
        finally:
            browser.close()


def login(page, base_url, username, password):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def open_menu(page):
    """Opens the left-hand menu where it is folded into a toggle (narrow screens); a no-op where it shows."""
    toggle = page.locator("[data-testid=menu-toggle]")
    if toggle.is_visible():
        toggle.click()
        page.locator("#sidebar.show").wait_for()
    return page.locator("#mainnav")


def menu_click(page, url_name):
    """Follows the menu entry of a URL name (e.g. "stations:station_list"), opening the menu first if folded."""
    open_menu(page)
    with page.expect_navigation():
        page.click(f"#mainnav a[data-menu='{url_name}']")


def logout(page):
    """Logs out through the user menu in the header."""
    page.click("[data-testid=user-menu-button]")
    with page.expect_navigation():
        page.click("[data-testid=logout]")


def switch_language(page, code):
    """The language switch in the header submits itself (static/js/portal.js)."""
    with page.expect_navigation():
        page.select_option("select[name=language]", code)

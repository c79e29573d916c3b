"""The newcomer's path, as tools for tests/test_newcomer.py: a fresh copy of the repository, the README's
first command (`./scripts/start`) in it, and a crawl in Chromium of what each demo account can click.

The copy holds the files git tracks (``git ls-files``) as they are in the working tree, and a symlink
``.venv`` to this checkout's virtualenv, so nothing is reinstalled (scripts/install finds the
requirements already installed). ``./scripts/start`` runs there with a shell's bare environment:
no DATABASE_URL (so the embedded PostgreSQL starts in the copy's ``.pgdata/``), no REDIS_URL.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

BASE = Path(__file__).resolve().parent.parent
START_TIMEOUT = 600  # seconds: migrate + load_demo on a busy 2-core machine
PAGES_PER_ACCOUNT = 60  # pages opened in the browser, per account
LINKS_PER_ACCOUNT = 400  # further links whose answer is checked, per account
LINKS_PER_SHAPE_AND_PAGE = 3  # e.g. three station links of one list page, not all of them
# A shell's environment: none of the portal's variables (README, Configuration).
KEPT_ENV = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "USER", "LOGNAME", "TERM")


def demo_accounts_from_readme() -> list[str]:
    """The usernames of the README's demo-account table, in its order."""
    text = (BASE / "README.md").read_text(encoding="utf-8")
    section = text.split("## Demo accounts", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([a-z_]+)` \|", section, flags=re.MULTILINE)


def copy_checkout(target: Path) -> Path:
    """Copies the tracked files of this checkout (working-tree contents) to ``target``."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=BASE, capture_output=True, check=True).stdout
    target.mkdir(parents=True, exist_ok=True)
    for name in filter(None, listed.decode().split("\0")):
        source = BASE / name
        if not source.exists() and not source.is_symlink():
            continue  # deleted in the working tree, not yet committed
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            destination.symlink_to(os.readlink(source))
        else:
            shutil.copy2(source, destination)
    (target / ".venv").symlink_to((BASE / ".venv").resolve(), target_is_directory=True)
    return target


@contextmanager
def scratch_dir(prefix: str):
    """A folder of its own under the system's temporary folder, removed afterwards. Not pytest's
    tmp_path: as root the embedded PostgreSQL opens the folders above its data to its own system
    user, and pytest closes its base folder again (mode 0700) whenever a session starts."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Portal:
    checkout: Path
    url: str
    process: subprocess.Popen
    log: Path
    started_in: float = 0.0

    def log_tail(self, lines: int = 60) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


@contextmanager
def portal_started(checkout: Path, log: Path):
    """``./scripts/start`` in ``checkout`` on a free port; stopped (SIGTERM, as a service manager
    would) at the end, even when the block fails, and its embedded PostgreSQL with it."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k in KEPT_ENV} | {"PORTAL_ADDRESS": f"127.0.0.1:{port}"}
    began = time.monotonic()
    with log.open("ab") as out:
        process = subprocess.Popen(
            ["./scripts/start"], cwd=checkout, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    portal = Portal(checkout=checkout, url=f"http://127.0.0.1:{port}", process=process, log=log)
    try:
        _wait_until_served(portal, began)
        yield portal
    finally:
        portal_stop(portal)


def _wait_until_served(portal: Portal, began: float) -> None:
    deadline = began + START_TIMEOUT
    while time.monotonic() < deadline:
        if portal.process.poll() is not None:
            raise AssertionError(f"./scripts/start ended with {portal.process.returncode}:\n{portal.log_tail()}")
        try:
            with urllib.request.urlopen(f"{portal.url}/accounts/login/", timeout=5) as response:
                if response.status == 200:
                    portal.started_in = time.monotonic() - began
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise AssertionError(f"the portal did not answer within {START_TIMEOUT} s:\n{portal.log_tail()}")


def portal_stop(portal: Portal) -> None:
    """SIGTERM to the launcher (it passes it on to the portal, then stops the cluster); if that does
    not end it within a minute, kill the process group it leads and stop the cluster directly."""
    process = portal.process
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    datadir = portal.checkout / ".pgdata"
    if (datadir / "postmaster.pid").exists():
        from liuzhou_social.embedded_db import EmbeddedPostgres

        EmbeddedPostgres(datadir).start().stop()  # adopts the cluster the killed launcher left running


# ---------------------------------------------------------------------------------------------------
# The crawl

# Pages the README names that no menu links to: opened as navigation entries.
README_PAGES = ("/api/docs/",)
# Never opened: they end the session, switch the language, download a file or are not pages.
SKIPPED_PATHS = ("/accounts/logout/", "/i18n/", "/media/", "/static/", "/api/schema/")
DOWNLOAD = re.compile(r"(export|download|workbook|template)|\.(xlsx|csv|zip|pdf)$", re.IGNORECASE)
DOWNLOAD_QUERY = re.compile(r"(^|&)(format|export)=(xlsx|csv)", re.IGNORECASE)

# Reports any violation of the content-security policy as a console error, whatever Chromium logs.
CSP_LISTENER = """
document.addEventListener('securitypolicyviolation', (e) => {
  console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') +
                ' at ' + e.sourceFile + ':' + e.lineNumber);
});
"""


@dataclass
class CrawlResult:
    username: str
    pages: list[str] = field(default_factory=list)
    links_checked: int = 0
    failures: list[str] = field(default_factory=list)
    login_refused: bool = False


def _segment_shape(segment: str) -> str:
    if re.fullmatch(r"\d{12}", segment):  # a division code stands for its level: each level is its own page
        return (
            "<city>"
            if segment[4:] == "0" * 8
            else "<county>"
            if segment[6:] == "0" * 6
            else ("<township>" if segment[9:] == "000" else "<village>")
        )
    if re.fullmatch(r"\d+|[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", segment):
        return "<id>"
    if re.fullmatch(r"[A-Z][A-Z0-9_]*(-[A-Z0-9_]+)*", segment):  # a rule or indicator ID
        return "<code>"
    return segment


def shape(url: str) -> str:
    """A URL with its identifiers replaced and its query values dropped: one page per shape is enough."""
    parts = urlsplit(url)
    path = "/".join(_segment_shape(segment) for segment in parts.path.split("/"))
    keys = sorted({pair.split("=", 1)[0] for pair in parts.query.split("&") if pair})
    return path + ("?" + "&".join(keys) if keys else "")


def skipped(url: str, base: str, *, download: bool = False) -> bool:
    parts = urlsplit(url)
    if download or not url.startswith(base + "/") or parts.scheme not in ("http", "https"):
        return True
    if parts.path.startswith(SKIPPED_PATHS):
        return True
    return bool(DOWNLOAD.search(parts.path) or DOWNLOAD_QUERY.search(parts.query))


def crawl_account(browser, base: str, username: str, password: str) -> CrawlResult:
    """Logs in through the form, opens the landing page, every navigation entry and the links one
    click below them (one page per URL shape, at most PAGES_PER_ACCOUNT), and checks the answer of
    every further link those pages show (at most LINKS_PER_ACCOUNT)."""
    result = CrawlResult(username)
    context = browser.new_context(locale="zh-CN")
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    page.set_default_timeout(30000)
    current = {"url": "", "source": ""}

    def fail(message: str) -> None:
        result.failures.append(f"{username}: {message}")

    page.on(
        "console",
        lambda msg: msg.type == "error" and fail(f"console error on {current['url']}: {msg.text} {msg.location}"),
    )
    page.on("pageerror", lambda error: fail(f"script error on {current['url']}: {error}"))

    def on_response(response):
        if response.url.startswith(base) and (response.status >= 500 or response.status == 404):
            where = f"linked from {current['source']}" if response.url == current["url"] else f"on {current['url']}"
            fail(f"{response.status} for {response.url} ({where})")

    page.on("response", on_response)
    try:
        page.goto(f"{base}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        with page.expect_navigation():
            page.click("main button[type=submit]")
        if urlsplit(page.url).path.startswith("/accounts/login/"):
            result.login_refused = True
            return result
        current["url"] = page.url
        landing = page.url
        _check_page(page, landing, fail)
        result.pages.append(landing)
        nav = _links(page, base, "#mainnav a[href]") + [base + path for path in README_PAGES]
        candidates: list[tuple[str, str]] = []  # (url, found on)
        for url in [landing, *nav]:
            if url != landing:  # the landing page is open already
                if url in result.pages or len(result.pages) >= PAGES_PER_ACCOUNT:
                    continue
                if not _open(page, url, current, fail):
                    continue
                result.pages.append(url)
            elif candidates:
                continue  # the menu's link to the landing page
            candidates += [(link, url) for link in _links(page, base, "a[href]")]
        seen_shapes = {shape(u) for u in result.pages}
        to_check: list[tuple[str, str]] = []
        for url, source in candidates:
            if url in result.pages:
                continue
            if shape(url) not in seen_shapes and len(result.pages) < PAGES_PER_ACCOUNT:
                seen_shapes.add(shape(url))
                if _open(page, url, current, fail, source=source):
                    result.pages.append(url)
                    to_check += [(link, url) for link in _links(page, base, "a[href]")]
            else:
                to_check.append((url, source))
        result.links_checked = _check_links(context, base, to_check, set(result.pages), fail)
    finally:
        context.close()
    return result


def _links(page, base: str, selector: str) -> list[str]:
    found = page.eval_on_selector_all(
        selector, "els => els.map(e => [e.href.split('#')[0], e.hasAttribute('download')])"
    )
    links = []
    for href, download in found:
        if href and not skipped(href, base, download=download) and href not in links:
            links.append(href)
    return links


def _open(page, url: str, current: dict, fail, source: str = "") -> bool:
    """Opens a page and checks it; False when the link was a file download, not a page."""
    current.update(url=url, source=source or "the navigation")
    from playwright.sync_api import Error as PlaywrightError

    try:
        response = page.goto(url)
    except PlaywrightError as error:
        if "Download is starting" in str(error):
            return False
        raise
    status = response.status if response else 0
    if 400 <= status < 500 and status != 404:  # 404 and 5xx: reported by the response listener
        fail(f"{status} for {url} (linked from {current['source']})")
    _check_page(page, url, fail)
    return True


def _check_page(page, url: str, fail) -> None:
    script = "() => ((document.querySelector('main') || document.body || {}).innerText || '').trim().length"
    if not page.evaluate(script):
        page.wait_for_load_state("networkidle")  # a page drawn by its script (the API docs)
        if not page.evaluate(script):
            fail(f"blank page {url}")


def _check_links(context, base: str, links: list[tuple[str, str]], opened: set[str], fail) -> int:
    checked: set[str] = set(opened)
    per_shape: dict[tuple[str, str], int] = {}
    count = 0
    for url, source in links:
        if url in checked or count >= LINKS_PER_ACCOUNT:
            continue
        key = (shape(url), source)
        if per_shape.get(key, 0) >= LINKS_PER_SHAPE_AND_PAGE:
            continue
        per_shape[key] = per_shape.get(key, 0) + 1
        checked.add(url)
        count += 1
        response = context.request.get(url, max_redirects=5)
        if response.status >= 500 or response.status == 404:
            fail(f"{response.status} for {url} (linked from {source})")
    return count

"""A crawler over the portal as one persona sees it, through the Django test client.

It starts at the home page and at every page route that takes no argument, follows every link a page shows
(``<a href>``), submits the one GET form that asks the reason of an export, and for the API fetches every list
(JSON) and the browsable page of its first records (HTML, with the forms an API client is offered). For each
answer it keeps the text a person would see — the page's HTML, the JSON, every cell of a downloaded workbook —
the forms of the page (as parsed from the HTML and as the view built them) and the route it belongs to.

Bounded: at most ``per_route`` different addresses of one route (with the same query keys) and ``limit``
answers in all, so a crawl of the small test network takes seconds, not minutes.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from django.forms import BaseForm
from django.urls import NoReverseMatch, Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse

SKIPPED_PREFIXES = ("/accounts/logout", "/admin/", "/static/", "/media/", "/i18n/", "/api/schema/", "/api/docs/")
BROWSER = "text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class FormField:
    name: str
    kind: str  # input type, "select", "textarea"
    value: str = ""
    options: list[str] = field(default_factory=list)
    selected: list[str] = field(default_factory=list)
    checked: bool = False
    multiple: bool = False


@dataclass
class HtmlForm:
    method: str
    action: str
    fields: list[FormField] = field(default_factory=list)

    def data(self) -> dict[str, list[str]]:
        """What the browser sends when the form is submitted as shown."""
        out: dict[str, list[str]] = {}
        for f in self.fields:
            if not f.name or f.kind in ("submit", "button", "file", "reset", "image"):
                continue
            if f.kind in ("checkbox", "radio"):
                if f.checked:
                    out.setdefault(f.name, []).append(f.value or "on")
            elif f.kind == "select":
                chosen = f.selected or ([] if f.multiple or not f.options else [f.options[0]])
                out.setdefault(f.name, []).extend(chosen)
            else:
                out.setdefault(f.name, []).append(f.value)
        return out

    def choices(self) -> dict[str, list[str]]:
        """Every offered value of each select or checkbox group, by field name."""
        offered: dict[str, list[str]] = {}
        for f in self.fields:
            if f.kind == "select":
                offered.setdefault(f.name, []).extend(v for v in f.options if v)
            elif f.kind in ("checkbox", "radio") and f.value:
                offered.setdefault(f.name, []).append(f.value)
        return offered


class PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[HtmlForm] = []
        self._form: HtmlForm | None = None
        self._select: FormField | None = None
        self._option: str | None = None
        self._textarea: FormField | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = HtmlForm(method=a.get("method", "get").lower(), action=a.get("action", ""))
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input":
            self._form.fields.append(
                FormField(a.get("name", ""), a.get("type", "text").lower(), a.get("value", ""), checked="checked" in a)
            )
        elif tag == "select":
            self._select = FormField(a.get("name", ""), "select", multiple="multiple" in a)
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            value = a.get("value")
            self._option = value
            if value is not None:
                self._select.options.append(value)
                if "selected" in a:
                    self._select.selected.append(value)
        elif tag == "textarea":
            self._textarea = FormField(a.get("name", ""), "textarea")
            self._form.fields.append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data
        elif self._select is not None and self._option is None and data.strip():
            pass

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "option":
            self._option = None
        elif tag == "textarea":
            self._textarea = None


@dataclass
class Visit:
    url: str
    route: str
    status: int
    content_type: str
    text: str
    forms: list[HtmlForm]
    context_forms: list[BaseForm]
    location: str = ""


def workbook_text(content: bytes) -> str:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        "\t".join("" if v is None else str(v) for v in row) for ws in wb for row in ws.iter_rows(values_only=True)
    )


def response_bytes(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def context_forms(response) -> list[BaseForm]:
    """Every form the view put in the page's context (filter forms included), each once."""
    found, seen = [], set()
    for ctx in response.context or []:
        for value in ctx.flatten().values() if hasattr(ctx, "flatten") else ctx.values():
            form = value.form if hasattr(value, "filters") and hasattr(value, "form") else value
            if isinstance(form, BaseForm) and id(form) not in seen:
                seen.add(id(form))
                found.append(form)
    return found


def route_of(path: str) -> str:
    try:
        return resolve(path).view_name
    except Resolver404:
        return ""


def no_arg_routes(resolver=None, namespace: str = "") -> list[str]:
    """Names of the routes that take no argument (admin left out)."""
    resolver = resolver or get_resolver()
    names = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names.extend(no_arg_routes(entry, ns))
        elif isinstance(entry, URLPattern) and entry.name and not entry.pattern.converters:
            if "format" in str(entry.pattern):
                continue
            names.append(namespace + entry.name)
    return names


class Crawler:
    def __init__(self, client, *, per_route: int = 6, limit: int = 900):
        self.client, self.per_route, self.limit = client, per_route, limit
        self.visits: list[Visit] = []
        self.form_targets: set[str] = set()  # routes that forms of the pages post to
        self._seen: set[str] = set()
        self._per_key: dict[tuple, int] = {}

    def _key(self, url: str) -> tuple:
        parts = urlsplit(url)
        keys = tuple(sorted({k for k, _v in parse_qsl(parts.query)} - {"page"}))
        return route_of(parts.path), keys

    def _admit(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            return False
        if parts.path.startswith(SKIPPED_PREFIXES) or url in self._seen:
            return False
        key = self._key(url)
        if not key[0] or self._per_key.get(key, 0) >= self.per_route:
            return False
        self._per_key[key] = self._per_key.get(key, 0) + 1
        self._seen.add(url)
        return True

    def fetch(self, url: str, *, accept: str = BROWSER) -> Visit:
        response = self.client.get(url, HTTP_ACCEPT=accept)
        content_type = response.get("Content-Type", "")
        body = response_bytes(response)
        if content_type.startswith(XLSX):
            text = workbook_text(body)
        elif content_type.startswith(("text/", "application/json")):
            text = body.decode("utf-8", "replace")
        else:
            text = ""
        parser = PageParser()
        if content_type.startswith("text/html"):
            parser.feed(text)
        visit = Visit(
            url=url,
            route=route_of(urlsplit(url).path),
            status=response.status_code,
            content_type=content_type,
            text=text,
            forms=parser.forms,
            context_forms=context_forms(response),
            location=response.get("Location", ""),
        )
        visit.links = parser.links  # type: ignore[attr-defined]
        if content_type.startswith("application/json"):
            try:
                visit.json = json.loads(text)  # type: ignore[attr-defined]
            except ValueError:
                visit.json = None  # type: ignore[attr-defined]
        self.visits.append(visit)
        return visit

    def crawl(self) -> list[Visit]:
        queue: list[tuple[str, str]] = [("/", BROWSER)]
        for name in no_arg_routes():
            try:
                url = reverse(name)
            except NoReverseMatch:
                continue
            if url.startswith(SKIPPED_PREFIXES):
                continue
            api = url.startswith("/api/")
            queue.append((url, "application/json" if api else BROWSER))
            if api:
                queue.append((url + "?format=api", BROWSER))
        while queue and len(self.visits) < self.limit:
            url, accept = queue.pop(0)
            if "format=api" in url:
                if url in self._seen:
                    continue
                self._seen.add(url)
            elif not self._admit(url):
                continue
            visit = self.fetch(url, accept=accept)
            for link in getattr(visit, "links", []):
                target = urljoin(url, link.split("#")[0])
                if target and target not in self._seen:
                    queue.append((target, BROWSER))
            for form in visit.forms:
                names = {f.name for f in form.fields}
                if form.method == "post":
                    self.form_targets.add(route_of(urlsplit(urljoin(url, form.action or url)).path))
                if form.method == "get" and "reason" in names:  # an export's reason, then the file
                    data = form.data() | {"reason": ["crawl"]}
                    target = urljoin(url, form.action or url)
                    query = urlencode([(k, v) for k, values in data.items() for v in values])
                    queue.append((urlsplit(target).path + "?" + query, BROWSER))
            queue.extend(self._api_details(visit))
        return self.visits

    def _api_details(self, visit: Visit) -> list[tuple[str, str]]:
        """The browsable page of the first records of an API list."""
        data = getattr(visit, "json", None)
        if not visit.route.endswith("-list") or data is None:
            return []
        rows = data.get("results", []) if isinstance(data, dict) else data
        detail = visit.route.removesuffix("-list") + "-detail"
        out = []
        for row in rows[: self.per_route] if isinstance(rows, list) else []:
            key = row.get("id", row.get("code")) if isinstance(row, dict) else None
            if key is None:
                continue
            try:
                out.append((reverse(detail, args=[key]) + "?format=api", BROWSER))
            except NoReverseMatch:
                break
        return out

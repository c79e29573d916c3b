"""The language-leak crawl (issue: a workbench for every role, point 6).

Each persona's pages are crawled in Chinese and in English (tests/crawl.py, on the populated test network). The
text a person reads — text nodes and the title, placeholder, aria-label and alt attributes, scripts and styles left
out — must hold no word of the other language outside data: in the Chinese pages no English word (raw keys such as
``TGT-COV.target_2021`` or "- Select an option -" included), in the English pages no Chinese character. Data is
what the database holds (names, addresses, notes: every text value of every model) and usernames; rule IDs and
abbreviations written in capitals (SRV-1, API, ID) are the same in both languages.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.db import models

from tests.crawl import Crawler
from tests.population import populate

PERSONAS_CRAWLED = ["city_admin", "officer_a", "station_worker"]  # the city reaches every page; two roles below
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
WORD = re.compile(r"[A-Za-z][A-Za-z_]*(?:\.[A-Za-z_]+)*")
# Words that are the same in both languages: formats, products and the language switch's own entry.
SHARED_WORDS = {"Word", "Excel", "English", "OpenAPI", "Swagger", "ReDoc", "JSON", "Token", "WPS"}
SHARED_WORDS |= {"xlsx", "xls", "csv", "jpg", "jpeg", "png", "pdf", "docx", "doc"}  # file types
# Words of a file format the page explains: the column names of the national division list.
ROUTE_WORDS = {"network:division_import": {"code", "name", "level", "kind", "parent_code"}}
SHARED_CJK = {"简体中文"}
ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")


class VisibleText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in ATTRIBUTES and value:
                self.parts.append(value)
        if tag == "input" and dict(attrs).get("type") in ("submit", "button") and dict(attrs).get("value"):
            self.parts.append(dict(attrs)["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return parser.parts


def data_values() -> set[str]:
    """Every text value the database holds, and every record's name as the pages write it (``str``: a station's
    sign, a room's name built from its village's): what a page may show in any language."""
    values: set[str] = set()
    for model in apps.get_models():
        if model._meta.label_lower.startswith(("sessions.", "axes.", "admin.", "contenttypes.", "auth.")):
            continue
        if model.__name__.startswith("Historical"):
            continue
        fields = [f.attname for f in model._meta.concrete_fields if isinstance(f, (models.CharField, models.TextField))]
        for row in model._default_manager.values_list(*fields)[:5000] if fields else ():
            values.update(str(v) for v in row if v)
        for obj in model._default_manager.all()[:2000]:
            values.add(str(obj))
    return values


class Data:
    """The data values, found in a text by their first two characters."""

    def __init__(self, values: set[str]):
        self.corpus = "\n".join(values)
        self.by_start: dict[str, list[str]] = {}
        for v in sorted((v for v in values if CJK.search(v)), key=len, reverse=True):
            self.by_start.setdefault(v[:2], []).append(v)

    def strip(self, text: str) -> str:
        """The text with every data value in it blanked out, longest first."""
        starts = {text[i : i + 2] for i in range(len(text) - 1)}
        for v in sorted((v for s in starts for v in self.by_start.get(s, ())), key=len, reverse=True):
            if v in text:
                text = text.replace(v, " ")
        return text


def leaks(text_parts: list[str], language: str, data: Data, route: str = "") -> set[str]:
    found = set()
    route_words = ROUTE_WORDS.get(route, set())
    for part in text_parts:
        if language == "en":
            if not CJK.search(part):
                continue
            for run in CJK.findall(data.strip(part)):
                if run in SHARED_CJK:
                    continue
                found.add(f"{run!r} in {part[:80]!r}")
        else:
            for word in WORD.findall(part):
                if len(word) < 2 or word in SHARED_WORDS or word in route_words or re.fullmatch(r"[A-Z0-9_-]+", word):
                    continue
                if word in data.corpus:
                    continue
                found.add(f"{word!r} in {part[:80]!r}")
    return found


def crawl_in(client, user, language: str) -> Crawler:
    client.logout()
    client.force_login(user)
    client.cookies["django_language"] = language
    crawler = Crawler(client, per_route=1, limit=400)
    crawler.crawl()
    return crawler


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("persona", PERSONAS_CRAWLED)
def test_no_word_of_the_other_language(client, personas, network, persona, language):
    populate(network)
    data = Data(data_values() | {u.username for u in personas.values() if u})
    crawler = crawl_in(client, personas[persona], language)
    problems: dict[str, set[str]] = {}
    pages = 0
    for visit in crawler.visits:
        if visit.status != 200 or not visit.content_type.startswith("text/html"):
            continue
        if urlsplit(visit.url).path.startswith(
            "/api/"
        ):  # the browsable API: Django REST framework's pages for developers
            continue
        pages += 1
        for leak in leaks(visible_text(visit.text), "en" if language == "en" else "zh", data, visit.route):
            problems.setdefault(leak, set()).add(visit.route)
    assert pages > 10
    report = [f"{leak} on {sorted(routes)[:3]}" for leak, routes in sorted(problems.items())]
    assert not report, f"{len(report)} strings of the other language:\n" + "\n".join(report)

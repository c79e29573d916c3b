"""The leak crawl and the walk over every form (issue: privacy and robustness, points 1 and 7).

For every persona, a crawler (tests/crawl.py) opens every page and form the persona can reach on a network
populated in all four townships (tests/population.py) and

* greps every answer — page, JSON, downloaded workbook — for the names, ID numbers and phones of workers and
  recipients outside the persona's places, and, for a role that sees masked values, for any full ID number or
  phone at all;
* checks that every dropdown of every form the pages built offers only records inside the persona's places;
* then submits every form that writes, once per dropdown, with a record outside those places chosen, and
  checks that the form refuses that field and nothing is written;
* and sends every writable related field of every API endpoint a record outside the places, which must answer
  400 on that field.
"""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
from django.apps import apps
from django.forms import ModelChoiceField, ModelMultipleChoiceField
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.authtoken.models import Token
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from network.models import Place
from network.roles import may_write, sees_personal_data
from network.scope import CHANGE, VIEW, restrict_choices
from stations.models import Recipient
from tests.crawl import Crawler
from tests.permkit import PERSONAS
from tests.population import populate
from workforce.models import Worker

SIGNED_IN = [p for p in PERSONAS if p != "anonymous"]
# Page routes the city administrator's crawl cannot reach by a link, and why.
UNREACHED = {
    "network:job_detail": "a job page belongs to the user who started the job (tests/network/test_views.py)",
    "network:job_status": "polled by the job page's script, not a link",
    "network:job_confirm": "POST only, on a job page",
    "network:job_download": "a job's file, for its owner",
    "stations:standard_evidence": "served only when a check has an evidence file (tests/stations/test_views.py)",
    "workforce:qualification_evidence": "served only for an uploaded scan (tests/workforce/test_views.py)",
    "reporting:report_start": "POST only, on a dashboard with computed values",
    "token-rotate": "POST only (tests/network/test_api.py)",
    "api-docs": "Swagger UI (tests/test_browser_shell.py)",
    "api-schema": "the OpenAPI document (tests/test_api_fuzz.py)",
    "reporting-value-detail": "values are listed by indicator, place and period (tests/reporting/test_api.py)",
    "procurement-api:bid-detail": "bids are published after the award only (tests/procurement/test_api.py)",
    "supervision:plan_version_pdf": "served only for an attached signed PDF (tests/supervision/test_plans_views.py)",
    "supervision-api:plan-revise": "POST only (tests/supervision/test_plans_api.py)",
    "supervision-api:plan-version-submit": "POST only (tests/supervision/test_plans_api.py)",
    "supervision-api:plan-version-file": "POST only (tests/supervision/test_plans_api.py)",
    "supervision-api:plan-version-return": "POST only (tests/supervision/test_plans_api.py)",
    "logout": "ends the crawl's session",
    "set_language": "POST only, the language switch",
    "supervision-api:supervision-log-confirm": "POST only, the station's confirmation (tests/supervision/)",
    "supervision:log_confirm": "the station's step, offered to the worker stationed there only (tests/supervision/)",
    "network:user_list": "the former name of network:account_list, the same address",
    "network:account_unlock": "POST only, shown on an account's page while it is locked (tests/network/test_admin.py)",
}


def _crawl(client, personas, persona):
    user = personas[persona]
    client.logout()
    if persona == "api_client":
        # The API client has no web pages: it reads the API with its token.
        token, _created = Token.objects.get_or_create(user=user)
        client.defaults["HTTP_AUTHORIZATION"] = f"Token {token.key}"
    else:
        client.force_login(user)
    crawler = Crawler(client)
    crawler.crawl()
    return crawler


def _forbidden(user, made) -> dict[str, str]:
    """Strings that must appear on no page the user opens, with what they are."""
    out = {}
    for model, records in ((Worker, made["workers"]), (Recipient, made["recipients"])):
        visible = set(model.objects.restrict(user, VIEW).values_list("pk", flat=True))
        for r in records:
            if r.pk not in visible:
                out |= {r.name: f"name of {r}", r.id_number: f"ID number of {r}", r.phone: f"phone of {r}"}
            elif not sees_personal_data(user):
                out |= {r.id_number: f"unmasked ID number of {r}", r.phone: f"unmasked phone of {r}"}
    return out


def _choice_problems(user, visit) -> list[str]:
    problems = []
    for form in visit.context_forms:
        for name, field in form.fields.items():
            if not isinstance(field, (ModelChoiceField, ModelMultipleChoiceField)):
                continue
            model = field.queryset.model
            allowed = set(restrict_choices(model._default_manager.all(), user, VIEW).values_list("pk", flat=True))
            extra = set(field.queryset.values_list("pk", flat=True)) - allowed
            if extra:
                problems.append(f"{visit.url} {type(form).__name__}.{name} offers {model.__name__} {sorted(extra)[:5]}")
    return problems


@pytest.mark.django_db
@pytest.mark.parametrize("persona", SIGNED_IN)
def test_the_crawl_finds_nothing_outside_the_personas_places_and_every_form_refuses_it(
    client, personas, network, persona
):
    """One crawl per persona (the slowest part) serves both checks: nothing outside the places on any page, then
    every form refusing a choice outside them."""
    made = populate(network)
    user = personas[persona]
    forbidden = _forbidden(user, made)
    crawler = _crawl(client, personas, persona)
    _no_leak(user, persona, made, forbidden, crawler)
    if persona != "api_client":  # no web forms: its writable API fields are tried below
        _every_form_refuses_outside(client, user, persona, crawler.visits)


def _no_leak(user, persona, made, forbidden, crawler):
    """No answer >= 500, nothing of another place or unmasked on any page, every dropdown within the places."""
    visits = crawler.visits

    errors = [f"{v.url} answered {v.status}" for v in visits if v.status >= 500]
    assert not errors, errors
    leaks = [f"{v.url}: {what}" for v in visits for text, what in forbidden.items() if text in v.text]
    assert not leaks, f"{len(leaks)} leaks: {leaks[:20]}"
    problems = [p for v in visits for p in _choice_problems(user, v)]
    assert not problems, problems

    # The crawl is real: it reached the records the persona may see, and there were others to leak.
    everything = "\n".join(v.text for v in visits)
    seen = [r.name for r in made["workers"] + made["recipients"] if r.name in everything]
    visible_workers = Worker.objects.restrict(user, VIEW).filter(pk__in=[w.pk for w in made["workers"]])
    assert {w.name for w in visible_workers} <= set(seen)
    if persona != "city_admin" and persona != "city_viewer":
        assert forbidden
    if persona == "city_admin":
        reached = {v.route for v in visits if v.status < 400} | crawler.form_targets
        missing = sorted(_page_routes() - reached - set(UNREACHED))
        assert not missing, f"the crawl reached no page of {missing}: link them, or say why in UNREACHED"


def _page_routes(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    names = set()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= _page_routes(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name and "format" not in str(entry.pattern):
            names.add(namespace + entry.name)
    return names


# ---------------------------------------------------------------- every form refuses a choice outside the places


def _history_rows() -> int:
    return sum(m.objects.count() for m in apps.get_models() if m.__name__.startswith("Historical") and m._meta.managed)


def _outside(user, field, offered: list[str]):
    """A record of the field's model the user may not see, of the same level as those offered (places)."""
    model = field.queryset.model
    qs = model._default_manager.exclude(pk__in=restrict_choices(model._default_manager.all(), user, VIEW))
    if model is Place and offered:
        level = Place.objects.filter(pk__in=offered).values_list("level", flat=True).first()
        qs = qs.filter(level=level) if level else qs
    return qs.order_by("pk").first()


def _every_form_refuses_outside(client, user, persona, visits):
    """Every form that writes, submitted once per dropdown with a record outside the places: refused on that
    field, nothing written."""
    tried, failures = 0, []
    for visit in visits:
        if not visit.content_type.startswith("text/html") or "format=api" in visit.url:
            continue
        model_fields = {
            form.add_prefix(name): field
            for form in visit.context_forms
            for name, field in form.fields.items()
            if isinstance(field, (ModelChoiceField, ModelMultipleChoiceField)) and not field.disabled
        }
        for html_form in visit.forms:
            if html_form.method != "post":
                continue
            target = urljoin(visit.url, html_form.action or visit.url)
            for name, offered in html_form.choices().items():
                field = model_fields.get(name)
                if field is None:
                    continue
                outside = _outside(user, field, offered)
                if outside is None:
                    continue
                data = html_form.data() | {name: [str(outside.pk)]}
                before = _history_rows()
                response = client.post(target, data)
                tried += 1
                written = _history_rows() != before
                form = response.context.get("form") if response.context else None
                refused = form is not None and name.split("-")[-1] in form.errors
                if written or response.status_code == 302 or not (refused or response.status_code in (403, 404)):
                    failures.append(f"{target} {name}={outside.pk} ({outside}): {response.status_code}")
    assert not failures, failures
    if may_write(user) and persona != "city_admin":  # the city administrator's places hold everything
        assert tried, "no form with a dropdown was tried"


# ---------------------------------------------------------------- every writable API field refuses it too


def _api_routes(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _api_routes(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name and hasattr(entry.callback, "cls"):
            actions = getattr(entry.callback, "actions", None) or {}
            if entry.name.endswith("-list") and "post" in actions and "format" not in str(entry.pattern):
                yield namespace + entry.name, entry.callback.cls


def _serializer(viewset, user):
    request = Request(APIRequestFactory().post("/"))
    request.user = user
    return viewset.serializer_class(context={"request": request})


@pytest.mark.django_db
@pytest.mark.parametrize("persona", SIGNED_IN)
def test_every_writable_api_field_refuses_a_choice_outside_the_personas_places(client, personas, network, persona):
    from rest_framework import serializers

    populate(network)
    user = personas[persona]
    token, _created = Token.objects.get_or_create(user=user)
    auth = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    refused_on_field, failures = 0, []
    for route, viewset in _api_routes():
        serializer = _serializer(viewset, user)
        model = serializer.Meta.model
        for name, field in serializer.fields.items():
            if field.read_only:
                continue
            target = field.child_relation if isinstance(field, serializers.ManyRelatedField) else field
            if not isinstance(target, serializers.RelatedField):
                continue
            related = target.queryset.model
            allowed = set(restrict_choices(related._default_manager.all(), user, VIEW).values_list("pk", flat=True))
            extra = set(target.queryset.values_list("pk", flat=True)) - allowed
            if extra:
                failures.append(f"{route}.{name} offers {related.__name__} {sorted(extra)[:5]}")
            outside = related._default_manager.exclude(pk__in=allowed).order_by("pk").first()
            if outside is None:
                continue
            value = [outside.pk] if isinstance(field, serializers.ManyRelatedField) else outside.pk
            attempts = [("post", reverse(route))]
            mine = model._default_manager.restrict(user, CHANGE).order_by("pk").first()
            if mine is not None:
                attempts.append(("patch", reverse(route.removesuffix("-list") + "-detail", args=[mine.pk])))
            for method, url in attempts:
                before = _history_rows()
                response = getattr(client, method)(url, {name: value}, content_type="application/json", **auth)
                if _history_rows() != before or response.status_code < 400 or response.status_code >= 500:
                    failures.append(f"{method.upper()} {url} {name}={outside.pk}: {response.status_code}")
                elif response.status_code == 400:
                    if name in response.json().get("errors", {}):
                        refused_on_field += 1
                    else:
                        failures.append(f"{method.upper()} {url} {name}: 400 without an error on {name}")
    assert not failures, failures
    if may_write(user) and persona != "city_admin":
        assert refused_on_field, "no API field was refused"

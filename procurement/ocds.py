"""NET-2 "publishes project information": a purchase project, its award and contracts as an Open Contracting Data
Standard 1.1 release package — the format public procurement portals use.

One release per stage: the planning and tender (the project), the award, each contract. Parties are the purchaser
(the county civil-affairs bureau or another department) and organisations (bidders, the supplier) by their unified
social credit code; personal data is left out (no worker, team member or account appears). The tests validate the
output against the official OCDS 1.1 release-package schema vendored in ``procurement/schema/``.
"""

from __future__ import annotations

import datetime
import json
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .choices import OCDS_METHOD, ProjectStatus
from .models import Award, Bid, Contract, Project

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
OCID_PREFIX = getattr(settings, "OCDS_OCID_PREFIX", "ocds-lzsw45")
CURRENCY = "CNY"
CREDIT_SCHEME = "CN-USCC"  # org-id.guide: the unified social credit code (GB 32100)


def _local(moment) -> str:
    """A moment in the portal's one timezone (+08:00), as every date of the API."""
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


def ocid(project: Project) -> str:
    return f"{OCID_PREFIX}-{project.number}"


def _dt(day: datetime.date | None) -> str | None:
    if day is None:
        return None
    return datetime.datetime.combine(day, datetime.time(), tzinfo=timezone.get_current_timezone()).isoformat()


def _amount(value) -> dict:
    return {"amount": float(value), "currency": CURRENCY}


def _purchaser_id(project: Project) -> str:
    return f"purchaser-{project.county_id}-{project.purchaser_kind}"


def _org_party(organisation, roles: list[str]) -> dict:
    return {
        "id": f"{CREDIT_SCHEME}-{organisation.credit_code}",
        "name": organisation.name,
        "identifier": {"scheme": CREDIT_SCHEME, "id": organisation.credit_code, "legalName": organisation.name},
        "roles": roles,
    }


def _ref(party: dict) -> dict:
    return {"id": party["id"], "name": party["name"]}


def releases(project: Project) -> list[dict]:
    """The releases of one project: tender, award (if decided), each contract."""
    buyer = {
        "id": _purchaser_id(project),
        "name": project.purchaser,
        "address": {"region": project.county.name, "countryName": "中国"},
        "roles": ["buyer", "procuringEntity"],
    }
    bids = list(Bid.objects.filter(project=project).select_related("organisation").order_by("id"))
    parties = {buyer["id"]: buyer}
    for b in bids:
        party = _org_party(b.organisation, ["tenderer"])
        parties.setdefault(party["id"], party)
    award = Award.objects.filter(project=project).select_related("bid__organisation").first()
    if award is not None:
        winner = parties[f"{CREDIT_SCHEME}-{award.bid.organisation.credit_code}"]
        winner["roles"] = sorted(set(winner["roles"]) | {"supplier"})
    stations = list(project.stations.select_related("place").order_by("place_id"))
    items = [
        {
            "id": str(s.pk),
            "description": s.sign_text,
            "classification": {"scheme": "CN-DIVISION", "id": s.place_id, "description": s.place.name},
            "quantity": 1,
        }
        for s in stations
    ]
    budget_sources = {
        "fund_assistance": "社会救助专项经费",
        "fund_lottery": "福彩公益金",
        "fund_elderly": "高龄补贴工作经费",
        "fund_community": "村（社区）社会事务管理经费和社区惠民项目资金",
        "fund_department": "部门预算",
    }
    description = "；".join(
        f"{label}{getattr(project, field):.2f}元" for field, label in budget_sources.items() if getattr(project, field)
    )
    period = {"startDate": _dt(project.service_start), "endDate": _dt(project.service_end)}
    tender = {
        "id": f"{project.number}-tender",
        "title": project.name,
        "status": "complete" if project.status == ProjectStatus.AWARDED else "active",
        "procuringEntity": _ref(buyer),
        "items": items,
        "value": _amount(project.budget_total),
        "mainProcurementCategory": "services",
        "awardCriteria": "ratedCriteria",
        "awardCriteriaDetails": "PRC-1",
        "contractPeriod": period,
        "numberOfTenderers": len(bids),
        "tenderers": [_ref(parties[f"{CREDIT_SCHEME}-{b.organisation.credit_code}"]) for b in bids],
    }
    if project.formal_procurement and project.procurement_method:
        tender["procurementMethod"] = OCDS_METHOD[project.procurement_method]
        tender["procurementMethodDetails"] = project.get_procurement_method_display()
    base_date = timezone.make_aware(datetime.datetime.combine(project.service_start, datetime.time()))
    common = {
        "ocid": ocid(project),
        "language": "zh",
        "initiationType": "tender",
        "buyer": _ref(buyer),
        "parties": list(parties.values()),
    }
    out = [
        {
            **common,
            "id": f"{project.number}-tender",
            "date": _local(project.created_at or base_date),
            "tag": ["planning", "tender"],
            "planning": {
                "budget": {"description": description or project.name, "amount": _amount(project.budget_total)}
            },
            "tender": tender,
        }
    ]
    if award is not None:
        award_data = {
            "id": f"{project.number}-award",
            "status": "active",
            "date": _dt(award.decided_on),
            "value": _amount(award.bid.price),
            "suppliers": [_ref(winner)],
            "contractPeriod": period,
        }
        out.append(
            {
                **common,
                "id": f"{project.number}-award",
                "date": _dt(award.decided_on),
                "tag": ["award"],
                "tender": tender,
                "awards": [award_data],
            }
        )
        for contract in Contract.objects.filter(project=project).order_by("id"):
            status = (
                "active"
                if contract.in_force()
                else ("terminated" if contract.end_on < timezone.localdate() else "pending")
            )
            out.append(
                {
                    **common,
                    "id": f"{contract.number}-contract",
                    "date": _dt(contract.signed_on or contract.start_on),
                    "tag": ["contract"],
                    "awards": [award_data],
                    "contracts": [
                        {
                            "id": contract.number,
                            "awardID": award_data["id"],
                            "title": project.name,
                            "status": status,
                            "period": {"startDate": _dt(contract.start_on), "endDate": _dt(contract.end_on)},
                            "value": _amount(contract.value),
                            "dateSigned": _dt(contract.signed_on),
                        }
                    ],
                }
            )
    return out


def release_package(project: Project, *, request=None) -> dict:
    """The OCDS 1.1 release package of a project."""
    uri = (
        request.build_absolute_uri()
        if request is not None
        else f"https://portal.invalid/procurement/{project.pk}/ocds/"
    )
    return {
        "uri": uri,
        "version": "1.1",
        "publishedDate": _local(timezone.now()),
        "publisher": {"name": "柳州市社会工作服务网络门户"},
        "releases": releases(project),
    }


@cache
def release_package_schema() -> dict:
    return json.loads((SCHEMA_DIR / "release-package-schema.json").read_text(encoding="utf-8"))


@cache
def release_schema() -> dict:
    return json.loads((SCHEMA_DIR / "release-schema.json").read_text(encoding="utf-8"))


def validation_errors(package: dict) -> list[str]:
    """The package checked against the vendored OCDS 1.1 schemas with ``jsonschema`` (draft 4, formats checked)."""
    import jsonschema
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    package_schema = release_package_schema()
    release = Resource.from_contents(release_schema(), default_specification=DRAFT4)
    registry = Registry().with_resource(package_schema["properties"]["releases"]["items"]["$ref"], release)
    validator = jsonschema.Draft4Validator(
        package_schema, registry=registry, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(package)]

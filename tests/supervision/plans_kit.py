"""Shared data of the county-plan tests (PLAN-1, SUP-4), imported by ``tests/supervision/test_plans_*.py``.

In county A (柳城县): ``draft`` (plan 2021–2023, v1 a complete draft with its signed PDF), ``submitted`` (plan
2024–2026, v1 submitted), ``filed`` (plan 2018–2020, v1 filed); in county B (鹿寨县): ``b_submitted`` (plan
2021–2023, v1 submitted). Built through the services, as the pages and the API would."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from supervision import services_plans as services
from supervision.models import CountyPlan, PlanVersion
from supervision.rules_plans import SECTIONS

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def pdf(name: str = "signed-plan.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def sections(tag: str = "") -> dict[str, str]:
    """Every section written (PLAN-1's nine and SUP-4's three)."""
    return {s.field: f"{s.field}：全县推进社工站建设的安排{tag}。" for s in SECTIONS}


def complete_draft(user, county, *, first_year=2021, last_year=2023, title=None, tag="") -> PlanVersion:
    plan = services.county_plan_create(
        user=user,
        county=county,
        title=title or f"{county.name}社工站建设实施方案{first_year}",
        first_year=first_year,
        last_year=last_year,
    )
    version = plan.versions.get(number=1)
    return services.plan_version_save(user=user, version=version, data=sections(tag), signed_pdf=pdf())


def submitted(user, county, **kwargs) -> PlanVersion:
    return services.plan_version_submit(user=user, version=complete_draft(user, county, **kwargs))


def filed(user, city_user, county, **kwargs) -> PlanVersion:
    version = submitted(user, county, **kwargs)
    return services.plan_version_file(user=city_user, version=version)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def plans(network, personas, media):
    personas.all()  # the records below assume every account (the provider's contract)
    a, b, city = personas["officer_a"], personas["officer_b"], personas["city_admin"]
    network["plans"] = {
        "draft": complete_draft(a, network["county_a"]),
        "submitted": submitted(a, network["county_a"], first_year=2024, last_year=2026),
        "filed": filed(a, city, network["county_a"], first_year=2018, last_year=2020),
        "b_submitted": submitted(b, network["county_b"]),
    }
    return network["plans"]


__all__ = ["CountyPlan", "PlanVersion", "complete_draft", "filed", "media", "pdf", "plans", "sections", "submitted"]

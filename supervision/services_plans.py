"""Writes on the county plans (PLAN-1, SUP-4): create a plan, edit a draft, submit, file (备案), return, revise.

Each workflow step is one function here, called by its page and its API action alike. Every step is atomic and
re-reads the version under a row lock, so two clicks cannot both move it; a refused step raises ``ValidationError``
(a Chinese message naming the field and the rule) or ``PermissionDenied`` and saves nothing.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liuzhou_social.validators import upload_type
from network.choices import PlaceLevel
from network.roles import may_draft_county_plans, may_file_county_plans, may_write
from network.scope import CHANGE, VIEW, can

from .choices_plans import OPEN_STATUSES, REVISABLE_STATUSES, PlanStatus
from .models import CountyPlan, PlanVersion
from .rules_plans import SECTION_FIELDS, plan1_missing_sections

PDF_TYPES = (".pdf",)


def _may_draft(user, plan: CountyPlan) -> None:
    """The county's side of the workflow: a drafting role that may change the plan's county."""
    if not (may_write(user) and may_draft_county_plans(user)):
        raise PermissionDenied(_("PLAN-1: only the county drafts and submits its implementation plan."))
    if not can(user, CHANGE, plan):
        raise PermissionDenied(_("PLAN-1: this plan belongs to a county outside the places you may change."))


def _may_file(user, plan: CountyPlan) -> None:
    """The city's side: only the city civil-affairs bureau files or returns a plan."""
    if not may_file_county_plans(user):
        raise PermissionDenied(_("PLAN-1: only the city civil-affairs bureau files or returns a county plan."))
    if not can(user, VIEW, plan):
        raise PermissionDenied(_("PLAN-1: this plan lies outside your places."))


def _locked(version: PlanVersion) -> PlanVersion:
    return PlanVersion.objects.select_for_update().select_related("plan__county").get(pk=version.pk)


def upload_validate_signed_pdf(upload) -> None:
    """PLAN-1: the signed plan is a PDF (checked by its first bytes, not only its name), no larger than
    ``UPLOAD_MAX_BYTES`` — the same checks as the portal's evidence uploads."""
    from django.conf import settings

    name = (upload.name or "").lower()
    if not name.endswith(".pdf"):
        raise ValidationError(
            {
                "signed_pdf": _("PLAN-1: the signed plan must be a PDF file; “%(name)s” is not accepted.")
                % {"name": upload.name}
            }
        )
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            {
                "signed_pdf": _("The file is %(size)s MB; at most %(max)s MB may be uploaded.")
                % {"size": round(upload.size / 1048576, 1), "max": settings.UPLOAD_MAX_BYTES // 1048576}
            }
        )
    if upload_type(upload, PDF_TYPES) is None:
        raise ValidationError(
            {
                "signed_pdf": _(
                    "The content of “%(name)s” does not match its type; the file may be damaged or renamed."
                )
                % {"name": upload.name}
            }
        )


@transaction.atomic
def county_plan_create(*, user, county, title: str, first_year: int, last_year: int) -> CountyPlan:
    """PLAN-1: a county starts its implementation plan; version 1 is opened as a draft."""
    errors: dict[str, list] = {}
    if county is None or county.level != PlaceLevel.COUNTY:
        errors["county"] = [_("PLAN-1: a plan belongs to a county-level unit.")]
    if not (title or "").strip():
        errors["title"] = [_("PLAN-1: give the plan's title.")]
    if first_year and last_year and last_year < first_year:
        errors["last_year"] = [_("The last year cannot come before the first year.")]
    if errors:
        raise ValidationError(errors)
    if not (may_write(user) and may_draft_county_plans(user)):
        raise PermissionDenied(_("PLAN-1: only the county drafts and submits its implementation plan."))
    plan = CountyPlan(county=county, title=title.strip(), first_year=first_year, last_year=last_year, created_by=user)
    if CountyPlan.objects.filter(county=county, first_year=first_year).exists():
        raise ValidationError(
            {
                "first_year": _("PLAN-1: %(c)s already has a plan starting in %(y)s; revise it with a new version.")
                % {"c": county.name, "y": first_year}
            }
        )
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError as exc:
        raise ValidationError(_("Not saved: the record conflicts with one that already exists.")) from exc
    if not can(user, CHANGE, plan):
        raise PermissionDenied(_("PLAN-1: this plan belongs to a county outside the places you may change."))
    PlanVersion.objects.create(plan=plan, number=1, status=PlanStatus.DRAFT, created_by=user)
    return plan


@transaction.atomic
def plan_version_save(*, user, version: PlanVersion, data: dict, signed_pdf=None) -> PlanVersion:
    """PLAN-1: the county edits a draft's sections (empty sections may be saved; submission requires them) and may
    attach the signed PDF. Only a draft changes: a submitted, returned or filed version stays as it was."""
    version = _locked(version)
    _may_draft(user, version.plan)
    if version.status != PlanStatus.DRAFT:
        raise ValidationError(
            _("PLAN-1: version %(n)s is %(s)s and can no longer be edited; start a new version to revise the plan.")
            % {"n": version.number, "s": version.get_status_display()}
        )
    for name in (*SECTION_FIELDS, "change_note"):
        if name in data:
            setattr(version, name, (data[name] or "").strip())
    if signed_pdf:
        upload_validate_signed_pdf(signed_pdf)
        version.signed_pdf.save(signed_pdf.name, signed_pdf, save=False)
    version.full_clean(exclude=["plan", "based_on", "created_by", "submitted_by", "decided_by"])
    version.save()
    return version


@transaction.atomic
def plan_version_submit(*, user, version: PlanVersion) -> PlanVersion:
    """PLAN-1 / SUP-4: the county submits a draft to the city. Every section must be written and the signed PDF
    attached; otherwise nothing changes and each missing item is named."""
    version = _locked(version)
    _may_draft(user, version.plan)
    if version.status != PlanStatus.DRAFT:
        raise ValidationError(
            {
                "status": _("PLAN-1: only a draft can be submitted; version %(n)s is %(s)s.")
                % {"n": version.number, "s": version.get_status_display()}
            }
        )
    errors: dict[str, list] = {}
    for section in plan1_missing_sections({f: getattr(version, f) for f in SECTION_FIELDS}):
        errors[section.field] = [
            _("%(rule)s: the section “%(label)s” is empty; every section is required before the plan is submitted.")
            % {"rule": section.rule, "label": section.label}
        ]
    if not version.signed_pdf:
        errors["signed_pdf"] = [_("PLAN-1: attach the signed plan as a PDF before submitting it.")]
    if errors:
        raise ValidationError(errors)
    version.status = PlanStatus.SUBMITTED
    version.submitted_at = timezone.now()
    version.submitted_by = user
    version.save(update_fields=["status", "submitted_at", "submitted_by"])
    return version


@transaction.atomic
def plan_version_file(
    *, user, version: PlanVersion, comments: str = "", filed_on: datetime.date | None = None
) -> PlanVersion:
    """PLAN-1: the city civil-affairs bureau files (备案) a submitted version. It becomes the version in force; the
    version filed before it, if any, is superseded."""
    version = _locked(version)
    _may_file(user, version.plan)
    today = timezone.localdate()
    filed_on = filed_on or today
    if version.status != PlanStatus.SUBMITTED:
        raise ValidationError(
            {
                "status": _("PLAN-1: only a submitted plan can be filed; version %(n)s is %(s)s.")
                % {"n": version.number, "s": version.get_status_display()}
            }
        )
    if filed_on > today:
        raise ValidationError({"filed_on": _("PLAN-1: the filing date cannot lie in the future.")})
    if version.submitted_at and filed_on < timezone.localtime(version.submitted_at).date():
        raise ValidationError({"filed_on": _("PLAN-1: the filing date cannot come before the submission.")})
    plan = CountyPlan.objects.select_for_update().get(pk=version.plan_id)
    for earlier in PlanVersion.objects.filter(plan=plan, status=PlanStatus.FILED).exclude(pk=version.pk):
        earlier.status = PlanStatus.SUPERSEDED  # saved one by one, so the change history records it
        earlier.save(update_fields=["status"])
    version.status = PlanStatus.FILED
    version.filed_on = filed_on
    version.decided_at = timezone.now()
    version.decided_by = user
    version.comments = (comments or "").strip()
    version.full_clean(exclude=["plan", "based_on", "created_by", "submitted_by", "decided_by"])
    version.save(update_fields=["status", "filed_on", "decided_at", "decided_by", "comments"])
    plan.in_force = version
    plan.save(update_fields=["in_force"])
    return version


@transaction.atomic
def plan_version_return(*, user, version: PlanVersion, comments: str) -> PlanVersion:
    """PLAN-1: the city returns a submitted version with its comments; the county revises it in a new version."""
    version = _locked(version)
    _may_file(user, version.plan)
    if version.status != PlanStatus.SUBMITTED:
        raise ValidationError(
            {
                "status": _("PLAN-1: only a submitted plan can be returned; version %(n)s is %(s)s.")
                % {"n": version.number, "s": version.get_status_display()}
            }
        )
    if not (comments or "").strip():
        raise ValidationError({"comments": _("PLAN-1: say why the plan is returned, so the county can revise it.")})
    version.status = PlanStatus.RETURNED
    version.decided_at = timezone.now()
    version.decided_by = user
    version.comments = comments.strip()
    version.full_clean(exclude=["plan", "based_on", "created_by", "submitted_by", "decided_by"])
    version.save(update_fields=["status", "decided_at", "decided_by", "comments"])
    return version


@transaction.atomic
def plan_revise(*, user, plan: CountyPlan, change_note: str = "") -> PlanVersion:
    """PLAN-1: a new draft version copied from the latest one, which must be returned or filed (a filed plan is
    revised only by a new version filed again; the version in force stays in force until then)."""
    plan = CountyPlan.objects.select_for_update().get(pk=plan.pk)
    _may_draft(user, plan)
    latest = plan.versions.order_by("-number").first()
    if latest is not None and latest.status in OPEN_STATUSES:
        raise ValidationError(
            _("PLAN-1: version %(n)s is still %(s)s; finish it before starting a new one.")
            % {"n": latest.number, "s": latest.get_status_display()}
        )
    if latest is not None and latest.status not in REVISABLE_STATUSES:
        raise ValidationError(_("PLAN-1: only a returned or filed version can be revised."))
    version = PlanVersion(
        plan=plan,
        number=(latest.number + 1) if latest else 1,
        status=PlanStatus.DRAFT,
        based_on=latest,
        created_by=user,
        change_note=(change_note or "").strip()[:300],
        **({f: getattr(latest, f) for f in SECTION_FIELDS} if latest else {}),
    )
    version.save()
    return version

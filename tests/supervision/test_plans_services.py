"""PLAN-1 / SUP-4: every transition of the county-plan workflow, versions kept and compared, and the bad input the
issue names — each refused with a Chinese message naming the field and the rule, nothing half-saved."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from network.models import RetiredFile
from supervision import services_plans as services
from supervision.choices_plans import PlanStatus
from supervision.models import CountyPlan, PlanVersion
from supervision.rules_plans import SECTIONS, plan1_in_force, plan1_missing_sections
from supervision.selectors_plans import county_filings, versions_compare
from tests.supervision import plans_kit
from tests.supervision.plans_kit import complete_draft, filed, pdf, sections, submitted

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]
media = plans_kit.media


def _fresh(version):
    return PlanVersion.objects.get(pk=version.pk)


def test_creating_a_plan_opens_version_one_as_a_draft(network, personas):
    plan = services.county_plan_create(
        user=personas["officer_a"], county=network["county_a"], title="柳城县实施方案", first_year=2021, last_year=2023
    )
    assert list(plan.versions.values_list("number", "status")) == [(1, PlanStatus.DRAFT)]
    assert plan.in_force is None


def test_a_second_plan_for_the_same_county_and_year_is_refused(network, personas):
    complete_draft(personas["officer_a"], network["county_a"])
    with pytest.raises(ValidationError) as exc:
        services.county_plan_create(
            user=personas["officer_a"], county=network["county_a"], title="重复", first_year=2021, last_year=2023
        )
    assert "first_year" in exc.value.message_dict and "PLAN-1" in exc.value.message_dict["first_year"][0]
    assert CountyPlan.objects.count() == 1


def test_a_county_officer_cannot_create_a_plan_for_another_county(network, personas):
    with pytest.raises(PermissionDenied):
        services.county_plan_create(
            user=personas["officer_a"], county=network["county_b"], title="越权", first_year=2021, last_year=2023
        )
    assert not CountyPlan.objects.exists()


def test_roles_that_do_not_draft_cannot_create_a_plan(network, personas):
    for name in ("station_worker", "provider", "city_viewer"):
        with pytest.raises(PermissionDenied):
            services.county_plan_create(
                user=personas[name], county=network["county_a"], title="x", first_year=2021, last_year=2023
            )
    assert not CountyPlan.objects.exists()


def test_draft_to_submitted(network, personas):
    version = complete_draft(personas["officer_a"], network["county_a"])
    services.plan_version_submit(user=personas["officer_a"], version=version)
    v = _fresh(version)
    assert v.status == PlanStatus.SUBMITTED and v.submitted_by == personas["officer_a"] and v.submitted_at


@pytest.mark.parametrize("section", SECTIONS, ids=lambda s: s.field)
def test_a_plan_submitted_with_a_section_empty_is_refused_naming_it(network, personas, section):
    version = complete_draft(personas["officer_a"], network["county_a"])
    services.plan_version_save(user=personas["officer_a"], version=version, data={section.field: "   "})
    with pytest.raises(ValidationError) as exc:
        services.plan_version_submit(user=personas["officer_a"], version=version)
    errors = exc.value.message_dict
    assert list(errors) == [section.field]
    assert section.rule in errors[section.field][0] and str(section.label) in errors[section.field][0]
    assert "提交" in errors[section.field][0]  # the message is Chinese
    assert _fresh(version).status == PlanStatus.DRAFT and _fresh(version).submitted_at is None


def test_every_empty_section_and_the_missing_pdf_are_named_at_once(network, personas):
    plan = services.county_plan_create(
        user=personas["officer_a"], county=network["county_a"], title="空白方案", first_year=2021, last_year=2023
    )
    with pytest.raises(ValidationError) as exc:
        services.plan_version_submit(user=personas["officer_a"], version=plan.versions.get())
    assert set(exc.value.message_dict) == {s.field for s in SECTIONS} | {"signed_pdf"}
    assert plan.versions.get().status == PlanStatus.DRAFT


def test_submitting_without_the_signed_pdf_is_refused(network, personas):
    plan = services.county_plan_create(
        user=personas["officer_a"], county=network["county_a"], title="无盖章", first_year=2021, last_year=2023
    )
    version = services.plan_version_save(user=personas["officer_a"], version=plan.versions.get(), data=sections())
    with pytest.raises(ValidationError) as exc:
        services.plan_version_submit(user=personas["officer_a"], version=version)
    assert list(exc.value.message_dict) == ["signed_pdf"] and "PDF" in exc.value.message_dict["signed_pdf"][0]


def test_submitted_to_filed_sets_the_version_in_force(network, personas):
    version = submitted(personas["officer_a"], network["county_a"])
    services.plan_version_file(user=personas["city_admin"], version=version, comments="同意备案")
    v = _fresh(version)
    assert (
        v.status == PlanStatus.FILED and v.filed_on == timezone.localdate() and v.decided_by == personas["city_admin"]
    )
    assert v.plan.in_force == v and v.comments == "同意备案"


def test_submitted_to_returned_keeps_the_comments(network, personas):
    version = submitted(personas["officer_a"], network["county_a"])
    services.plan_version_return(user=personas["city_admin"], version=version, comments="资金安排不具体")
    v = _fresh(version)
    assert v.status == PlanStatus.RETURNED and v.comments == "资金安排不具体" and v.plan.in_force is None


def test_returning_without_comments_is_refused(network, personas):
    version = submitted(personas["officer_a"], network["county_a"])
    with pytest.raises(ValidationError) as exc:
        services.plan_version_return(user=personas["city_admin"], version=version, comments=" ")
    assert list(exc.value.message_dict) == ["comments"] and "PLAN-1" in exc.value.message_dict["comments"][0]
    assert _fresh(version).status == PlanStatus.SUBMITTED


def test_the_city_filing_a_plan_that_was_not_submitted_is_refused(network, personas):
    version = complete_draft(personas["officer_a"], network["county_a"])
    with pytest.raises(ValidationError) as exc:
        services.plan_version_file(user=personas["city_admin"], version=version)
    assert list(exc.value.message_dict) == ["status"] and "PLAN-1" in exc.value.message_dict["status"][0]
    v = _fresh(version)
    assert v.status == PlanStatus.DRAFT and v.filed_on is None and v.plan.in_force is None


def test_a_filed_or_returned_version_cannot_be_filed_or_returned_again(network, personas):
    version = filed(personas["officer_a"], personas["city_admin"], network["county_a"])
    for step in (services.plan_version_file, services.plan_version_submit):
        user = personas["city_admin"] if step is services.plan_version_file else personas["officer_a"]
        with pytest.raises(ValidationError):
            step(user=user, version=version)
    with pytest.raises(ValidationError):
        services.plan_version_return(user=personas["city_admin"], version=version, comments="再退回")
    assert _fresh(version).status == PlanStatus.FILED


@pytest.mark.parametrize("persona", ["officer_a", "officer_b", "city_viewer", "station_worker", "provider"])
def test_a_county_or_any_other_role_trying_to_file_is_refused(network, personas, persona):
    version = submitted(personas["officer_a"], network["county_a"])
    with pytest.raises(PermissionDenied) as exc:
        services.plan_version_file(user=personas[persona], version=version)
    assert "PLAN-1" in str(exc.value)
    with pytest.raises(PermissionDenied):
        services.plan_version_return(user=personas[persona], version=version, comments="退回")
    assert _fresh(version).status == PlanStatus.SUBMITTED


def test_a_filing_date_in_the_future_is_refused(network, personas):
    version = submitted(personas["officer_a"], network["county_a"])
    with pytest.raises(ValidationError) as exc:
        services.plan_version_file(
            user=personas["city_admin"], version=version, filed_on=timezone.localdate() + datetime.timedelta(days=1)
        )
    assert list(exc.value.message_dict) == ["filed_on"]
    assert _fresh(version).status == PlanStatus.SUBMITTED


def test_a_submitted_version_can_no_longer_be_edited(network, personas):
    version = submitted(personas["officer_a"], network["county_a"])
    with pytest.raises(ValidationError):
        services.plan_version_save(user=personas["officer_a"], version=version, data={"goals": "改写"})
    assert _fresh(version).goals != "改写"


def test_returned_to_a_new_draft_copied_from_it(network, personas):
    v1 = submitted(personas["officer_a"], network["county_a"])
    services.plan_version_return(user=personas["city_admin"], version=v1, comments="补充进度")
    v2 = services.plan_revise(user=personas["officer_a"], plan=v1.plan, change_note="补充进度安排")
    assert (v2.number, v2.status, v2.based_on_id) == (2, PlanStatus.DRAFT, v1.pk)
    assert all(getattr(v2, s.field) == getattr(v1, s.field) for s in SECTIONS)
    assert not v2.signed_pdf  # the new text needs its own signature
    assert _fresh(v1).status == PlanStatus.RETURNED  # kept as it was


def test_a_new_version_is_refused_while_one_is_open(network, personas):
    version = submitted(personas["officer_a"], network["county_a"])
    with pytest.raises(ValidationError):
        services.plan_revise(user=personas["officer_a"], plan=version.plan)
    assert version.plan.versions.count() == 1


def test_a_filed_plan_is_revised_only_by_a_new_version_filed_again(network, personas):
    officer, city = personas["officer_a"], personas["city_admin"]
    v1 = filed(officer, city, network["county_a"])
    v2 = services.plan_revise(user=officer, plan=v1.plan)
    services.plan_version_save(user=officer, version=v2, data={"schedule": "2022年完成全覆盖。"}, signed_pdf=pdf())
    services.plan_version_submit(user=officer, version=v2)
    assert CountyPlan.objects.get().in_force_id == v1.pk  # still v1 until v2 is filed
    services.plan_version_return(user=city, version=v2, comments="进度需细化到月")
    assert CountyPlan.objects.get().in_force_id == v1.pk
    v3 = services.plan_revise(user=officer, plan=v1.plan)
    services.plan_version_save(user=officer, version=v3, data={"schedule": "2022年6月完成全覆盖。"}, signed_pdf=pdf())
    services.plan_version_submit(user=officer, version=v3)
    services.plan_version_file(user=city, version=v3)
    assert CountyPlan.objects.get().in_force_id == v3.pk
    assert dict(PlanVersion.objects.values_list("number", "status")) == {
        1: PlanStatus.SUPERSEDED,
        2: PlanStatus.RETURNED,
        3: PlanStatus.FILED,
    }
    assert _fresh(v1).schedule == sections()["schedule"]  # every version kept as it was
    statuses = list(_fresh(v1).history.order_by("history_date").values_list("status", flat=True))
    assert statuses[-3:] == [PlanStatus.SUBMITTED, PlanStatus.FILED, PlanStatus.SUPERSEDED]  # every step recorded


def test_two_versions_compared_section_by_section(network, personas):
    officer, city = personas["officer_a"], personas["city_admin"]
    v1 = filed(officer, city, network["county_a"])
    v2 = services.plan_revise(user=officer, plan=v1.plan)
    services.plan_version_save(user=officer, version=v2, data={"funding": "县财政安排<b>200万元</b>。"})
    rows = {r.label: r for r in versions_compare(_fresh(v1), _fresh(v2))}
    changed = [label for label, r in rows.items() if r.changed]
    assert changed == [str(next(s.label for s in SECTIONS if s.field == "funding"))]
    diff = rows[changed[0]].diff
    assert '<ins class="diff-ins">' in diff and '<del class="diff-del">' in diff
    assert "&lt;b&gt;200万元&lt;/b&gt;" in diff and "<b>" not in diff  # text is escaped


def test_a_renamed_file_is_refused_as_the_signed_pdf(network, personas):
    plan = services.county_plan_create(
        user=personas["officer_a"], county=network["county_a"], title="附件", first_year=2021, last_year=2023
    )
    version = plan.versions.get()
    for upload in (pdf("scan.png"), pdf("plan.pdf", b"MZ\x90\x00 not a pdf")):
        with pytest.raises(ValidationError) as exc:
            services.plan_version_save(
                user=personas["officer_a"], version=version, data={"goals": "目标"}, signed_pdf=upload
            )
        assert list(exc.value.message_dict) == ["signed_pdf"]
    v = _fresh(version)
    assert not v.signed_pdf and v.goals == ""  # nothing half-saved


def test_a_replaced_signed_pdf_is_kept_for_the_retention_period(network, personas):
    version = complete_draft(personas["officer_a"], network["county_a"])
    old = _fresh(version).signed_pdf.name
    services.plan_version_save(user=personas["officer_a"], version=version, data={}, signed_pdf=pdf("v1-signed.pdf"))
    assert RetiredFile.objects.filter(name=old).exists()


def test_plan1_in_force_rule():
    d = datetime.date
    assert plan1_in_force(filed_on=d(2021, 3, 1), last_year=2023, on=d(2021, 12, 31))
    assert plan1_in_force(filed_on=d(2021, 12, 31), last_year=2023, on=d(2021, 12, 31))
    assert not plan1_in_force(filed_on=d(2022, 1, 1), last_year=2023, on=d(2021, 12, 31))
    assert not plan1_in_force(filed_on=d(2021, 3, 1), last_year=2023, on=d(2024, 1, 31))
    assert not plan1_in_force(filed_on=None, last_year=2023, on=d(2022, 1, 1))
    assert [s.field for s in plan1_missing_sections({"goals": "x"})][:2] == ["siting", "workforce"]


def test_the_city_sees_which_counties_filed_when_and_which_version(network, personas):
    v = filed(personas["officer_a"], personas["city_admin"], network["county_a"], first_year=2025, last_year=2027)
    rows = {r.county.code: r for r in county_filings(personas["city_admin"], on=timezone.localdate())}
    assert rows["450222000000"].in_force == v and rows["450222000000"].in_force_today
    assert rows["450223000000"].plan is None and not rows["450223000000"].in_force_today
    assert [r.county.code for r in county_filings(personas["officer_b"], on=timezone.localdate())] == ["450223000000"]

"""Station services: the standard check (TGT-STD), NET-2 warnings, service records (SRV-3/4), follow-ups."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from network.models import Place
from stations import rules, services
from stations.models import CatalogueItem, Station
from tests.factories import PlaceFactory, RecipientFactory
from tests.supervision.helpers import supervised_monthly

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _workers(station, count):
    from tests.factories import valid_id_number
    from workforce.models import Assignment, Worker

    workers = []
    for i in range(count):
        w = Worker.objects.create(
            name=f"社工{i}",
            gender="female",
            birth_date=datetime.date(1990, 1, 1),
            id_number=valid_id_number(300 + i + station.pk * 10, birth="19900101"),
            place=station.place,
        )
        Assignment.objects.create(worker=w, station=station, role="stationed", start_on=datetime.date(2022, 1, 1))
        workers.append(w)
    return workers


def _make_standard(station):
    CatalogueItem.objects.create(
        station=station, field="livelihood", title="困难群众走访", published_on=datetime.date(2021, 1, 1)
    )
    _workers(station, 2)
    supervised_monthly(station, since=datetime.date(2021, 1, 1))  # SUP-1, the item supervision contributes


@pytest.mark.django_db
def test_standard_items_name_each_rule(network):
    station = network["station_a1"]
    items = {i.item: i for i in rules.tgt_std_check(station=station).items}
    assert items["has_venue"].ok and items["has_venue"].rule == "NET-3"
    assert not items["catalogue"].ok and items["catalogue"].rule == "NET-2"
    assert not items["stationed_workers"].ok and items["stationed_workers"].rule == "PRC-2"
    _make_standard(station)
    assert rules.tgt_std_check(station=station).met


@pytest.mark.django_db
def test_stationed_workers_threshold_is_a_rule_setting(network):
    from network.models import RuleSetting
    from network.rule_settings import forget_rule_settings

    station = network["station_a1"]
    _make_standard(station)
    RuleSetting.objects.create(key="PRC-2.workers_per_station", value=3)
    forget_rule_settings()
    assert [i.item for i in rules.tgt_std_check(station=station).missing] == ["stationed_workers"]


@pytest.mark.django_db
def test_ended_assignments_do_not_count(network):
    from workforce.models import Assignment

    station = network["station_a1"]
    _make_standard(station)
    from workforce.rules import prc2_stationed_count

    Assignment.objects.filter(station=station).update(end_on=datetime.date(2022, 6, 30))
    assert prc2_stationed_count(station_id=station.pk, on=timezone.localdate()) == 0
    assert prc2_stationed_count(station_id=station.pk, on=datetime.date(2022, 6, 30)) == 2
    assert not rules.tgt_std_check(station=station).met


@pytest.mark.django_db
def test_confirm_standard_records_evidence_and_date(network, personas):
    station = network["station_a1"]
    with pytest.raises(ValidationError) as exc:
        services.station_confirm_standard(station=station, user=personas["officer_a"], evidence_note="现场查看")
    assert "PRC-2" in str(exc.value) and "NET-2" in str(exc.value)
    assert not station.standard_checks.exists()
    _make_standard(station)
    with pytest.raises(PermissionDenied):
        services.station_confirm_standard(station=station, user=personas["station_worker"], evidence_note="x")
    photo = SimpleUploadedFile("site.png", PNG, content_type="image/png")
    check = services.station_confirm_standard(
        station=station, user=personas["officer_a"], evidence_note="现场查看", evidence_file=photo
    )
    assert check.confirmed_on == timezone.localdate() and check.evidence_file.name.endswith(".png")
    assert {i["rule"] for i in check.items} == {"NET-3", "NET-2", "PRC-2", "SUP-1"}
    # Losing one of the six haves: the station no longer meets the standard from that day; the confirmation
    # stays as the record of what the officer saw, and the days before keep their result (TGT-STD).
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    services.station_update(station=station, has_rules=False)
    assert not rules.tgt_std_check(station=station).met
    assert rules.tgt_std_check(station=station, on=yesterday).met
    assert station.standard_checks.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name,content,needle",
    [
        ("site.exe", b"MZ\x90\x00", "exe"),
        ("site.png", b"not a png at all", "site.png"),
    ],
)
def test_evidence_upload_type_checked(network, personas, name, content, needle):
    station = network["station_a1"]
    _make_standard(station)
    with pytest.raises(ValidationError) as exc:
        services.station_confirm_standard(
            station=station,
            user=personas["officer_a"],
            evidence_note="x",
            evidence_file=SimpleUploadedFile(name, content),
        )
    assert needle in str(exc.value)
    assert not station.standard_checks.exists()


@pytest.mark.django_db
def test_evidence_upload_size_checked(network, personas, settings):
    settings.UPLOAD_MAX_BYTES = 50
    station = network["station_a1"]
    _make_standard(station)
    with pytest.raises(ValidationError) as exc:
        services.station_confirm_standard(
            station=station,
            user=personas["officer_a"],
            evidence_note="x",
            evidence_file=SimpleUploadedFile("site.png", PNG),
        )
    assert "MB" in str(exc.value)


@pytest.mark.django_db
def test_confirm_page_flow(client, personas, network):
    station = network["station_a1"]
    _make_standard(station)
    client.force_login(personas["officer_a"])
    url = reverse("stations:station_detail", args=[station.pk])
    assert 'data-testid="confirm-form"' in client.get(url).content.decode()
    response = client.post(
        reverse("stations:station_standard", args=[station.pk]),
        {"evidence_note": "六有齐全", "evidence_file": SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")},
    )
    assert response.status_code == 302
    html = client.get(url).content.decode()
    today = timezone.localdate()
    assert f"{today:%Y-%m-%d}" in html.split('data-testid="last-confirmation"')[1][:200]


@pytest.mark.django_db
def test_net2_warning_for_zero_or_more_than_two(network):
    counties = Place.objects.filter(level="county")
    warned = {w.county.code for w in rules.county_demonstration_warnings(counties=counties)}
    assert warned == {network["county_a"].code, network["county_b"].code}  # no demonstration station yet
    Station.objects.filter(pk=network["station_a1"].pk).update(is_demonstration=True)
    warned = {w.county.code: w for w in rules.county_demonstration_warnings(counties=counties)}
    assert set(warned) == {network["county_b"].code}
    assert "NET-2" in warned[network["county_b"].code].message
    from tests.conftest import _place
    from tests.factories import StationFactory

    for i in (3, 4):
        StationFactory(
            place=_place(f"45022210{i}000", f"示范{i}镇", "township", "town", network["county_a"]),
            is_demonstration=True,
        )
    warned = {w.county.code: w.count for w in rules.county_demonstration_warnings(counties=counties)}
    assert warned[network["county_a"].code] == 3


@pytest.mark.django_db
def test_service_record_rules(network, personas):
    station = network["station_a1"]
    worker = _workers(station, 1)[0]
    mine, other = network["recipient_a11"], network["recipient_a21"]
    record = services.service_record_create(
        user=personas["station_worker"],
        station=station,
        kind="group",
        served_on=datetime.date(2023, 3, 3),
        duration_hours=2,
        recipients=[mine],
        workers=[worker],
        participant_count=8,
        volunteer_count=3,
        volunteer_names="志愿者甲",
        charity_resources="爱心企业捐赠米油",
        charity_value=500,
    )
    assert list(record.recipients.all()) == [mine] and list(record.workers.all()) == [worker]
    assert record.volunteer_count == 3 and record.charity_value == 500
    cases = [
        {"served_on": timezone.localdate() + datetime.timedelta(days=1)},  # future
        {"served_on": datetime.date(2020, 2, 1)},  # before the station was established (2020-03-01)
        {"recipients": [other]},  # a recipient of another township
        {"participant_count": 0, "recipients": [mine]},
    ]
    for case in cases:
        args = {"served_on": datetime.date(2023, 3, 3), "recipients": [mine], "participant_count": None} | case
        with pytest.raises(ValidationError):
            services.service_record_create(
                user=personas["station_worker"], station=station, kind="home_visit", duration_hours=1, **args
            )
    assert station.service_records.count() == 2  # the fixture's home visit and the group session


@pytest.mark.django_db
def test_follow_ups_and_overdue(network):
    from stations.selectors import follow_ups_overdue

    r = network["recipient_a11"]
    with pytest.raises(ValidationError):
        services.follow_up_create(recipient=r, due_on=datetime.date(2020, 1, 1), action="早于登记")
    plan = services.follow_up_create(recipient=r, due_on=datetime.date(2023, 6, 1), action="复评")
    assert plan in follow_ups_overdue()
    services.follow_up_complete(plan=plan, done_on=datetime.date(2023, 6, 2), outcome="已复评")
    assert plan not in follow_ups_overdue()
    with pytest.raises(ValidationError):
        services.follow_up_complete(plan=plan, done_on=timezone.localdate() + datetime.timedelta(days=2))


@pytest.mark.django_db
def test_overdue_counts_per_station(network, personas):
    from stations.selectors import overdue_counts_by_township

    counts = overdue_counts_by_township(user=personas["officer_a"])
    assert counts == {network["township_a1"].code: 1, network["township_a2"].code: 1}


@pytest.mark.django_db
def test_assessment_levels_and_dates(network, personas):
    r = network["recipient_a11"]
    a = services.assessment_create(
        recipient=r,
        user=personas["station_worker"],
        assessed_on=datetime.date(2022, 1, 1),
        material="high",
        psychological="medium",
        social="low",
        social_notes="少与邻里来往",
    )
    assert a.assessed_by == personas["station_worker"]
    with pytest.raises(ValidationError):
        services.assessment_create(
            recipient=r,
            user=None,
            assessed_on=datetime.date(2020, 1, 1),
            material="high",
            psychological="low",
            social="low",
        )


@pytest.mark.django_db
def test_recipient_create_rules(network, personas):
    from tests.factories import valid_id_number

    village = network["village_a11"]
    common = {"name": "某", "id_number": valid_id_number(77), "target_groups": ["orphan"]}
    with pytest.raises(ValidationError):  # future
        services.recipient_create(
            user=personas["officer_a"],
            village=village,
            registered_on=timezone.localdate() + datetime.timedelta(days=1),
            **common,
        )
    with pytest.raises(ValidationError):  # before the station was established
        services.recipient_create(
            user=personas["officer_a"], village=village, registered_on=datetime.date(2019, 1, 1), **common
        )
    with pytest.raises(ValidationError):  # outside the worker's station
        services.recipient_create(
            user=personas["station_worker"],
            village=network["village_a21"],
            registered_on=datetime.date(2022, 1, 1),
            **common,
        )
    with pytest.raises(ValidationError):  # no target group
        services.recipient_create(
            user=personas["officer_a"],
            village=village,
            registered_on=datetime.date(2022, 1, 1),
            **(common | {"target_groups": []}),
        )
    with pytest.raises(ValidationError):  # a township is not a village
        services.recipient_create(
            user=personas["officer_a"],
            village=network["township_a1"],
            registered_on=datetime.date(2022, 1, 1),
            **common,
        )
    with pytest.raises(ValidationError):  # duplicate ID number
        services.recipient_create(
            user=personas["officer_a"],
            village=village,
            registered_on=datetime.date(2022, 1, 1),
            **(common | {"id_number": network["recipient_a11"].id_number}),
        )
    r = services.recipient_create(
        user=personas["officer_a"], village=village, registered_on=datetime.date(2022, 1, 1), **common
    )
    assert r.pk and r.history.count() == 1


@pytest.mark.django_db
def test_recipient_target_group_filter(client, personas, network):
    RecipientFactory(name="Orphan-x", village=network["village_a11"], target_groups=["orphan", "dibao"])
    client.force_login(personas["officer_a"])
    html = client.get(reverse("stations:recipient_list") + "?target_group=orphan").content.decode()
    assert "Orphan-x" in html and "Rcp-a11" not in html


@pytest.mark.django_db
def test_sign_text_net3a(network):
    place = PlaceFactory(code="450222104000", name="大埔镇", level="township", kind="town", parent=network["county_a"])
    assert services.station_sign_text(place) == "柳城县大埔镇社会工作服务站"

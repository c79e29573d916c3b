"""SUP-1 writes: a log's bad input refused with a Chinese message naming the field and the rule, nothing
half-saved; the station confirms; the 2–8 load when a station is added to a supervisor; the alert from the 20th;
every write leaves its mark for the indicator recompute."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from reporting.models import PendingChange
from stations.rules import tgt_std_check
from supervision import selectors_supervision as selectors
from supervision import services_supervision as services
from supervision.choices_supervision import LogStatus
from supervision.models import SupervisionLog
from tests.factories import AssignmentFactory, QualificationFactory, StationFactory, WorkerFactory
from tests.supervision.sup_fixtures import sup  # noqa: F401
from workforce.models import Assignment
from workforce.rules import sup1_load_flag

D = datetime.date
T = datetime.time
pytestmark = pytest.mark.django_db


def _data(network, sup, **changes):  # noqa: F811
    data = {
        "station": network["station_a1"],
        "supervisor": sup["supervisor"],
        "held_on": sup["last_month"].replace(day=14),
        "days": 2,
        "start_time": T(9),
        "end_time": T(17),
        "method": "casework",
        "content": "陪同个案",
        "follow_up": "下月复查",
        "workers_present": sup["stationed"],
    }
    return data | changes


def _refused(user, data):
    before = SupervisionLog.objects.count()
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        services.supervision_log_save(user=user, data=data)
    assert SupervisionLog.objects.count() == before  # nothing half-saved
    return exc.value.message_dict


def test_a_valid_log_computes_its_hours_and_provider(network, personas, sup):  # noqa: F811
    log = services.supervision_log_save(user=personas["provider"], data=_data(network, sup))
    assert log.hours == Decimal("16.00") and log.organisation == sup["org"] and log.status == LogStatus.RECORDED
    assert set(log.workers_present.all()) == set(sup["stationed"])
    assert log.recorded_by == personas["provider"]
    assert PendingChange.objects.filter(place_code=network["township_a1"].code).exists()  # recompute follows


def test_end_before_start(network, personas, sup):  # noqa: F811
    errors = _refused(personas["officer_a"], _data(network, sup, start_time=T(17), end_time=T(9)))
    assert "结束时间" in errors["end_time"][0] and "SUP-1" in errors["end_time"][0]


def test_in_the_future(network, personas, sup):  # noqa: F811
    errors = _refused(personas["officer_a"], _data(network, sup, held_on=timezone.localdate() + datetime.timedelta(1)))
    assert "日期" in errors["held_on"][0] and "SUP-1" in errors["held_on"][0]


def test_supervisor_not_senior(network, personas, sup):  # noqa: F811
    junior = WorkerFactory(name="新社工", place=network["township_a1"], organisation=sup["org"])
    QualificationFactory(worker=junior, grade=1, certificate_no="A-1", obtained_on=D(2022, 1, 1))
    AssignmentFactory(
        worker=junior, station=network["station_a1"], role="supervisor", organisation=sup["org"], start_on=D(2022, 1, 1)
    )
    errors = _refused(personas["officer_a"], _data(network, sup, supervisor=junior, workers_present=[]))
    assert "督导" in errors["supervisor"][0] and "SUP-1" in errors["supervisor"][0]


def test_supervisor_not_the_providers(network, personas, sup):  # noqa: F811
    outsider = WorkerFactory(name="外机构", place=network["township_a1"])
    QualificationFactory(worker=outsider, grade=2, certificate_no="B-1", obtained_on=D(2015, 1, 1))
    AssignmentFactory(
        worker=outsider,
        station=network["station_a1"],
        role="supervisor",
        organisation=sup["org"],
        start_on=D(2020, 1, 1),
    )
    errors = _refused(personas["officer_a"], _data(network, sup, supervisor=outsider, workers_present=[]))
    assert "SUP-1" in errors["supervisor"][0] and sup["org"].name in errors["supervisor"][0]


def test_station_not_covered_by_the_supervisor(network, personas, sup):  # noqa: F811
    errors = _refused(personas["city_admin"], _data(network, sup, station=network["station_b1"], workers_present=[]))
    assert "站点" in errors["station"][0] and "SUP-1" in errors["station"][0]


def test_more_than_24_hours_in_a_day_for_one_person(network, personas, sup):  # noqa: F811
    services.supervision_log_save(
        user=personas["officer_a"], data=_data(network, sup, days=1, start_time=T(0, 0), end_time=T(20, 0))
    )
    errors = _refused(
        personas["officer_a"],
        _data(network, sup, station=network["station_a2"], days=1, start_time=T(6), end_time=T(12), workers_present=[]),
    )
    assert "24" in errors["end_time"][0]


def test_a_worker_present_must_be_stationed_there(network, personas, sup):  # noqa: F811
    stranger = WorkerFactory(name="路人", place=network["township_a1"])
    errors = _refused(personas["officer_a"], _data(network, sup, workers_present=[stranger]))
    assert "路人" in errors["workers_present"][0]


def test_the_station_confirms_and_then_the_standard_item_passes(network, personas, sup):  # noqa: F811
    log = sup["log"]
    station = network["station_a1"]
    assert not {i.item: i for i in tgt_std_check(station=station).items}["supervision"].ok
    with pytest.raises(PermissionDenied):
        services.supervision_log_confirm(user=personas["officer_a"], log=log)
    services.supervision_log_confirm(user=personas["station_worker"], log=log)
    log.refresh_from_db()
    assert log.status == LogStatus.CONFIRMED and log.confirmed_by == personas["station_worker"]
    assert {i.item: i for i in tgt_std_check(station=station).items}["supervision"].ok
    with pytest.raises(ValidationError):
        services.supervision_log_save(user=personas["officer_a"], data={"content": "改"}, log=log)
    with pytest.raises(ValidationError):
        services.supervision_log_confirm(user=personas["station_worker"], log=log)


def test_a_station_worker_does_not_record(network, personas, sup):  # noqa: F811
    with pytest.raises(PermissionDenied):
        services.supervision_log_save(user=personas["station_worker"], data=_data(network, sup))


def test_two_to_eight_stations_a_ninth_refused_fewer_than_two_flagged(network, personas, sup):  # noqa: F811
    plan, supervisor = sup["plan"], sup["supervisor"]
    county = network["county_a"]
    extra = [
        StationFactory(
            place=county.__class__.objects.create(
                code=f"450222{150 + i:03d}000", name=f"加{i}镇", level="township", kind="town", parent=county
            )
        )
        for i in range(7)
    ]
    start = D(2022, 1, 1)
    for station in extra[:6]:  # 2 + 6 = 8
        services.plan_station_add(
            user=personas["officer_a"], plan=plan, worker=supervisor, station=station, start_on=start
        )
    assert selectors.supervisor_load(supervisor.pk, D(2022, 6, 1)) == 8
    before = Assignment.objects.count()
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        services.plan_station_add(
            user=personas["officer_a"], plan=plan, worker=supervisor, station=extra[6], start_on=start
        )
    assert "SUP-1" in str(exc.value) and "8" in str(exc.value)
    assert Assignment.objects.count() == before
    assert sup1_load_flag(1) and "SUP-1" in sup1_load_flag(1)
    assert sup1_load_flag(2) is None and sup1_load_flag(8) is None
    rows = selectors.plan_supervisors(plan, on=D(2022, 6, 1))
    assert [(r.worker, r.load, r.flag, r.senior) for r in rows] == [(supervisor, 8, None, True)]


def test_a_station_is_added_only_to_a_senior_supervisor_of_the_provider(network, personas, sup):  # noqa: F811
    junior = WorkerFactory(name="新人", place=network["township_a1"], organisation=sup["org"])
    with pytest.raises(ValidationError) as exc:
        services.plan_station_add(
            user=personas["officer_a"],
            plan=sup["plan"],
            worker=junior,
            station=network["station_a1"],
            start_on=D(2022, 1, 1),
        )
    assert "worker" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.plan_station_add(
            user=personas["provider"],
            plan=sup["plan"],
            worker=sup["supervisor"],
            station=network["station_a1"],
            start_on=D(2022, 1, 1),
        )


def test_the_alert_from_the_20th(network, personas, sup):  # noqa: F811
    today = timezone.localdate()
    day19, day20 = today.replace(day=19), today.replace(day=20)
    user = personas["officer_a"]
    assert not selectors.stations_without_supervision(user=user, today=day19).exists()
    listed = set(selectors.stations_without_supervision(user=user, today=day20))
    assert listed == {network["station_a1"], network["station_a2"]}
    # A session recorded this month (not in the future) removes the station from the list.
    first = today.replace(day=1)
    SupervisionLog.objects.create(
        station=network["station_a1"],
        supervisor=sup["supervisor"],
        held_on=first,
        start_time=T(9),
        end_time=T(10),
        hours=1,
        method="casework",
        content="x",
    )
    assert set(selectors.stations_without_supervision(user=user, today=day20)) == {network["station_a2"]}
    from network.workbench import alert_source

    source = alert_source("sup1-no-supervision")
    assert source.rule == "SUP-1" and source.applies(user) and not source.applies(personas["city_viewer"])
    assert [i.place_code for i in source.items(user, day20)] == [network["station_a2"].place_id]

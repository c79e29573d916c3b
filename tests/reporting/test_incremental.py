"""Every figure follows every edit: each write to an indicator's input leaves a pending change, and the
incremental recompute of the pending changes stores what a full recompute would."""

import datetime
import random

import pytest
from django.db import connection
from django.utils import timezone

from network.changes import indicator_inputs_changed_send
from network.choices import PlaceKind, PlaceLevel
from network.models import Place
from reporting import services
from reporting.models import Computation, IndicatorValue, PendingChange
from reporting.services import (
    indicators_recompute,
    indicators_recompute_pending,
    places_reached,
)
from stations.choices import ALLOWED_TRANSITIONS, StationStatus
from stations.models import CatalogueItem, Station
from stations.services import station_change_status, station_update
from tests.factories import (
    AssignmentFactory,
    OrganisationFactory,
    QualificationFactory,
    RecipientFactory,
    RoomFactory,
    ServiceRecordFactory,
    SpecialisationFactory,
    StationFactory,
    WorkerFactory,
)
from workforce.models import Assignment, Organisation, Qualification, Worker

D = datetime.date
CITY, A, B = "450200000000", "450222000000", "450223000000"


def stored() -> dict:
    return {
        (v.indicator, v.place_id, v.period): (
            v.level,
            v.period_kind,
            v.as_of,
            v.numerator,
            v.denominator,
            v.value,
            v.target,
            v.status,
        )
        for v in IndicatorValue.objects.all()
    }


def pending() -> set:
    return set(PendingChange.objects.values_list("place_code", "since"))


def value(code, place, period=None):
    period = period or f"{timezone.localdate():%Y-%m}"
    return IndicatorValue.objects.get(indicator=code, place_id=place, period=period)


@pytest.fixture
def current(indicator_network):
    """The indicator network with every value computed today (the full run settles the fixture's marks)."""
    indicators_recompute()
    assert not PendingChange.objects.exists()
    return indicator_network


def test_places_reached_are_the_township_county_and_city():
    assert places_reached("450222101203") == ["450200000000", "450222000000", "450222101000"]
    assert places_reached("450222101000") == ["450200000000", "450222000000", "450222101000"]
    assert places_reached("450222000000") == ["450200000000", "450222000000"]
    assert places_reached("441900003000") == ["441900000000", "441900003000"]  # a city without counties
    assert places_reached("") == [] and places_reached("4502") == []


@pytest.mark.django_db
def test_suspending_a_station_recomputes_its_township_county_and_city_from_that_day(current):
    """The regression of the issue: a county officer suspends a station and the county's coverage drops,
    with no one pressing 重新计算 — only the current period and the three places are recomputed."""
    today = timezone.localdate()
    a1 = current["township_a1"].code
    before = stored()
    assert value("TGT-COV", A).numerator == 4
    station_change_status(station=current["station_a1"], status=StationStatus.SUSPENDED, effective_on=today)
    assert pending() == {(a1, today)}

    result = indicators_recompute_pending()
    assert result["full"] is False and result["places"] == [CITY, A, a1]
    assert result["periods"] == [f"{today:%Y-%m}"]
    assert value("TGT-COV", A).numerator == 3 and value("TGT-COV", CITY).numerator == 4
    assert value("TGT-COV", a1).numerator == 0
    assert not pending()
    after = stored()
    changed = {key for key in after if after[key] != before.get(key)}
    assert changed and all(place in (CITY, A, a1) for _code, place, _period in changed)
    assert all(period == f"{today:%Y-%m}" for _code, _place, period in changed)
    assert Computation.objects.latest("finished_at").full is False
    # Nothing pending: nothing to do.
    assert indicators_recompute_pending()["settled"] == 0


@pytest.mark.django_db
def test_every_input_write_leaves_its_marks(current):
    """Each kind of write names the places it reaches and the first date it affects (the earliest of the
    stored and the new version: a moved or re-dated record changes both)."""
    n = current
    a1, a2, b1 = n["township_a1"].code, n["township_a2"].code, n["township_b1"].code
    today = timezone.localdate()

    def marks_of(write):
        PendingChange.objects.all().delete()
        write()
        return pending()

    assert marks_of(lambda: station_update(station=n["station_a1"], has_rules=False)) == {(a1, None)}
    assert marks_of(
        lambda: station_change_status(station=n["station_a2"], status=StationStatus.SUSPENDED, effective_on=today)
    ) == {(a2, today)}
    assert marks_of(lambda: CatalogueItem.objects.create(station=n["station_b1"], field="livelihood", title="x")) == {
        (b1, None)
    }
    village = n["village_a11"]
    assert marks_of(lambda: RoomFactory(place=village)) == {(village.code, None)}

    w1 = n["w1"]  # registered in A1, certified
    w1.place = n["township_a2"]
    assert marks_of(w1.save) == {(a1, None), (a2, None)}

    w2 = n["w2"]  # registered at county A, stationed at A2
    q = marks_of(lambda: n.update(q=QualificationFactory(worker=w2, obtained_on=D(2022, 3, 1))))
    assert q == {(A, D(2022, 3, 1)), (a2, D(2022, 3, 1))}
    n["q"].obtained_on = D(2023, 1, 1)
    assert marks_of(n["q"].save) == {(A, D(2022, 3, 1)), (a2, D(2022, 3, 1))}
    assert marks_of(n["q"].delete) == {(A, D(2023, 1, 1)), (a2, D(2023, 1, 1))}

    assert marks_of(lambda: SpecialisationFactory(worker=n["w3"], since=D(2021, 2, 1))) == {(b1, D(2021, 2, 1))}
    assignment = Assignment.objects.get(worker=w2)
    assignment.station = n["station_b1"]
    assignment.start_on = D(2021, 1, 1)
    # The old version from its start at A2, the new one from its start at B1.
    assert marks_of(assignment.save) == {(a2, D(2020, 1, 1)), (b1, D(2021, 1, 1))}
    assert marks_of(lambda: OrganisationFactory(county=n["county_b"], incubated_year=2024)) == {(B, D(2024, 1, 1))}

    record = marks_of(lambda: n.update(r=ServiceRecordFactory(station=n["station_b1"], served_on=D(2022, 5, 10))))
    assert record == {(b1, D(2022, 5, 10))}
    recipient = RecipientFactory(village=n["village_b11"])
    assert marks_of(lambda: n["r"].recipients.add(recipient)) == {(b1, D(2022, 5, 10))}
    assert marks_of(recipient.service_records.clear) == {(b1, D(2022, 5, 10))}

    from network.services import rule_setting_update

    assert marks_of(lambda: rule_setting_update(key="TGT-COV.target_2021", value=75)) == {("", None)}
    assert marks_of(
        lambda: Place.objects.create(
            code="450222105000", name="新镇", level=PlaceLevel.TOWNSHIP, kind=PlaceKind.TOWN, parent=n["county_a"]
        )
    ) == {("450222105000", None)}
    assert marks_of(
        lambda: indicator_inputs_changed_send(sender="test", place_codes=[b1, a1, b1], since=D(2024, 5, 1))
    ) == {(a1, D(2024, 5, 1)), (b1, D(2024, 5, 1))}


@pytest.mark.django_db
def test_api_and_admin_writes_leave_their_marks(client, personas, current):
    """The API and the admin save through the same models: their writes are marked like the pages'."""
    from django.contrib.auth import get_user_model

    from workforce.identifiers import make_credit_code

    PendingChange.objects.all().delete()
    client.force_login(personas["officer_b"])
    body = {"name": "鹿寨新社工", "credit_code": make_credit_code("450223", 9), "county": B, "incubated_year": 2022}
    response = client.post("/api/workforce/organisations/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert pending() == {(B, D(2022, 1, 1))}

    PendingChange.objects.all().delete()
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "Root-pass-2026!")
    client.force_login(admin)
    item = CatalogueItem.objects.filter(station=current["station_a2"]).get()
    response = client.post(
        f"/admin/stations/catalogueitem/{item.pk}/change/",
        {"station": item.station_id, "field": item.field, "title": item.title, "description": "", "published": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert pending() == {(current["township_a2"].code, None)}


@pytest.mark.django_db
def test_one_transaction_leaves_one_mark_per_place_with_its_earliest_date(current):
    """A page save that writes a station and its status history leaves one pending change per place."""
    from django.db import transaction

    a1 = current["township_a1"].code
    with transaction.atomic():
        station_change_status(
            station=current["station_a1"], status=StationStatus.SUSPENDED, effective_on=timezone.localdate()
        )
        QualificationFactory(worker=current["w1"], obtained_on=D(2021, 2, 1))
    assert pending() == {(a1, D(2021, 2, 1))}


@pytest.mark.django_db
def test_a_station_status_saved_alone_is_left_to_its_history_entry(current):
    station = current["station_b1"]
    station.save(update_fields=["status"])
    assert not pending()


@pytest.mark.django_db
def test_imports_mark_the_places_they_wrote(current, personas):
    """The bulk paths (station and room imports, the roster import, the division import) send the
    bulk-write signal with the places they wrote."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    from network.imports import import_run
    from network.services import division_import
    from stations.imports import RoomImport, StationImport
    from workforce import roster

    def upload(spec, sheet_key, rows, name="x.xlsx"):
        """A workbook in the spec's own layout (its template) holding the rows."""
        buf = io.BytesIO()
        spec.template(buf, rows={sheet_key: rows})
        return SimpleUploadedFile(name, buf.getvalue())

    n = current
    a1 = n["township_a1"]
    PendingChange.objects.all().delete()
    spec = StationImport(personas["officer_a"])
    row = [f"{a1.code} {a1.name}", "运营", "2022-03-01", *["是"] * 6, "否", "否", "", "院内", "", ""]
    outcome = import_run(spec, upload(spec, "stations", [row]), commit=True)
    assert outcome.ok, [e.as_text() for e in outcome.errors]
    assert pending() == {(a1.code, None)}
    PendingChange.objects.all().delete()
    outcome = import_run(StationImport(personas["officer_a"]), upload(spec, "stations", [row]), commit=True)
    assert outcome.ok and outcome.unchanged == 1 and not pending()  # nothing written, nothing marked

    PendingChange.objects.all().delete()
    village = n["village_a12"]
    spec = RoomImport(personas["officer_a"])
    outcome = import_run(
        spec, upload(spec, "rooms", [[f"{village.code} {village.name}", "在用", "", "", ""]]), commit=True
    )
    assert outcome.ok, [e.as_text() for e in outcome.errors]
    assert pending() == {(village.code, None)}

    PendingChange.objects.all().delete()
    from workforce.identifiers import make_id_number

    new_id = make_id_number("450222", D(1995, 3, 8), 7, True)
    a2 = n["township_a2"]
    wb = Workbook()
    wb.active.title = "填写说明"
    for name, headers, rows in (
        ("社工", roster.WORKER_HEADERS, [["陈新", new_id, "", "", "", "", f"{a2.code} {a2.name}", ""]]),
        ("资格证书", roster.QUALIFICATION_HEADERS, [[new_id, "助理社会工作师", "IMP-1", "2022-06-25", "", ""]]),
        ("驻站", roster.ASSIGNMENT_HEADERS, [[new_id, f"{a1.code} {a1.name}", "驻站社工", "", "2023-01-01", ""]]),
    ):
        ws = wb.create_sheet(name)
        ws.append(headers)
        for r in rows:
            ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    result = roster.roster_import(user=personas["city_admin"], upload=SimpleUploadedFile("r.xlsx", buf.getvalue()))
    assert result.ok, result.errors
    assert pending() == {(a1.code, None), (a2.code, None)}  # registered at A2, stationed at A1

    PendingChange.objects.all().delete()
    csv = "code,name,level,kind,parent_code\n450222106000,六号镇,township,town,450222000000\n"
    result = division_import(upload=SimpleUploadedFile("d.csv", csv.encode()), record_history=False)
    assert result.ok and result.created == 1, result.errors
    assert pending() == {("450222106000", None)}


@pytest.mark.django_db
def test_a_rule_setting_change_recomputes_everything(current):
    from network.services import rule_setting_update

    rule_setting_update(key="TGT-COV.target_2021", value=75)
    result = indicators_recompute_pending()
    assert result["full"] is True and not pending()
    assert value("TGT-COV", CITY, "2021").target == 75


@pytest.mark.django_db
def test_stored_periods_of_another_day_call_for_a_full_run(indicator_network):
    """Values computed for other periods (a new month began since the last full run) are recomputed
    everywhere, so no place keeps last month's rows while another has this month's."""
    indicators_recompute(today=D(2022, 6, 15))
    QualificationFactory(worker=indicator_network["w3"], obtained_on=D(2022, 1, 1))
    result = indicators_recompute_pending()
    assert result["full"] is True and not pending()
    assert not IndicatorValue.objects.filter(period="2022-06").exists()
    assert IndicatorValue.objects.filter(period=f"{timezone.localdate():%Y-%m}").exists()


# ---------------------------------------------------------------- parity with a full recompute


def _second_city():
    """A second city with one county, two townships and their stations: its values must stay as they are
    when only the first city's inputs change."""
    city = Place.objects.create(code="450300000000", name="桂林市", level=PlaceLevel.CITY, kind=PlaceKind.CITY)
    county = Place.objects.create(
        code="450321000000", name="阳朔县", level=PlaceLevel.COUNTY, kind=PlaceKind.COUNTY, parent=city
    )
    for t in (1, 2):
        township = Place.objects.create(
            code=f"45032110{t}000", name=f"阳朔{t}镇", level=PlaceLevel.TOWNSHIP, kind=PlaceKind.TOWN, parent=county
        )
        StationFactory(place=township)
        w = WorkerFactory(place=township)
        QualificationFactory(worker=w, obtained_on=D(2020 + t, 3, 1))
    return city


def _random_day(rng, first=D(2019, 1, 1), last=None):
    last = last or timezone.localdate()
    return first + datetime.timedelta(days=rng.randrange((last - first).days + 1))


def _random_edit(rng, n, *, away: bool = False) -> str:
    """One random write to an indicator's input, through the services or the ORM (the model signals)."""
    from workforce.services import specialisation_categories_ensure

    today = timezone.localdate()
    stations = list(Station.objects.filter(place__code__startswith="4502"))
    first = "" if away else "4502"  # the records edited: the first city's, or (away) any
    workers = list(Worker.objects.filter(place__code__startswith=first))
    quals = Qualification.objects.filter(worker__place__code__startswith=first)
    kind = rng.choice(
        [
            "status",
            "status",
            "qualify",
            "revoke",
            "assign",
            "end",
            "specialise",
            "move",
            "organisation",
            "service",
            "haves",
            "catalogue",
            "unqualify",
        ]
    )
    if kind == "status":
        station = rng.choice(stations)
        last = station.status_changes.order_by("-effective_on", "-id").first()
        status = rng.choice(sorted(ALLOWED_TRANSITIONS[last.status if last else None]))
        station_change_status(
            station=station, status=status, effective_on=_random_day(rng, last.effective_on if last else None)
        )
    elif kind == "qualify":
        got = _random_day(rng)
        revoked = _random_day(rng, got) if rng.random() < 0.3 else None
        QualificationFactory(
            worker=rng.choice(workers), grade=rng.choice([1, 2, 3]), obtained_on=got, revoked_on=revoked
        )
    elif kind == "revoke" and quals.exists():
        q = rng.choice(list(quals))
        q.revoked_on = _random_day(rng, q.obtained_on) if q.revoked_on is None else None
        q.save()
    elif kind == "unqualify" and quals.exists():
        rng.choice(list(quals)).delete()
    elif kind == "assign":
        start = _random_day(rng)
        AssignmentFactory(worker=rng.choice(workers), station=rng.choice(stations), start_on=start)
    elif kind == "end" and Assignment.objects.filter(end_on__isnull=True).exists():
        a = rng.choice(list(Assignment.objects.filter(end_on__isnull=True)))
        a.end_on = _random_day(rng, a.start_on)
        a.save()
    elif kind == "specialise":
        specialisation_categories_ensure()
        from workforce.choices import PLAN_SPECIALISATIONS

        SpecialisationFactory(
            worker=rng.choice(workers), category_id=rng.choice(sorted(PLAN_SPECIALISATIONS)), since=_random_day(rng)
        )
    elif kind == "move":  # within the first city, or (away) to anywhere, the other city too
        w = rng.choice(workers)
        places = Place.objects.filter(level__in=["county", "township"])
        w.place = rng.choice(list(places if away else places.filter(code__startswith="4502")))
        w.save()
    elif kind == "organisation":
        if rng.random() < 0.5 and Organisation.objects.exists():
            o = rng.choice(list(Organisation.objects.all()))
            o.incubated_year = rng.choice([None, 2021, 2022, 2023, today.year])
            o.save()
        else:
            OrganisationFactory(county=rng.choice([n["county_a"], n["county_b"]]), incubated_year=2022)
    elif kind == "service":
        station = rng.choice(stations)
        record = ServiceRecordFactory(
            station=station, served_on=_random_day(rng, D(2020, 1, 1)), kind=rng.choice(["home_visit", "group"])
        )
        village = Place.objects.filter(parent=station.place, level="village").first()
        if village is not None:
            record.recipients.add(RecipientFactory(village=village, target_groups=[rng.choice(["dibao", "orphan"])]))
    elif kind == "haves":
        station = rng.choice(stations)
        station_update(station=station, has_workflow=not station.has_workflow)
    elif kind == "catalogue":
        station = rng.choice(stations)
        item = CatalogueItem.objects.filter(station=station).first()
        if item is None:
            CatalogueItem.objects.create(station=station, field="livelihood", title="入户走访")
        else:
            # Published from a date, or a draft again (``published`` is read from the dates).
            item.published_on = None if item.published_on else datetime.date(2021, 6, 1)
            item.save()
    return kind


@pytest.mark.django_db
@pytest.mark.parametrize(("seed", "away"), [(1, False), (2, False), (3, True), (4, True)])
def test_incremental_runs_store_what_a_full_recompute_stores(indicator_network, seed, away):
    """Random edits, each batch settled by the incremental run, then every stored row compared with a
    fresh full recompute (values emptied first). Without moves to the other city its rows are never
    written; with them (``away``) both cities are recomputed."""
    rng = random.Random(seed)
    _second_city()
    indicators_recompute()
    other = {k: v for k, v in stored().items() if k[1].startswith("4503")}
    other_changed_at = dict(
        IndicatorValue.objects.filter(place__code__startswith="4503").values_list("id", "changed_at")
    )
    kinds = []
    for _round in range(4):
        for _ in range(rng.randint(1, 5)):
            kinds.append(_random_edit(rng, indicator_network, away=away))
        result = indicators_recompute_pending()
        assert result["full"] is False, kinds
        assert not pending()
        incremental = stored()
        if not away:
            assert all(place.startswith("4502") for place in result["places"])
            assert {k: v for k, v in incremental.items() if k[1].startswith("4503")} == other
        IndicatorValue.objects.all().delete()
        indicators_recompute()
        full = stored()
        assert incremental.keys() == full.keys(), kinds
        wrong = {k: (incremental[k], full[k]) for k in full if incremental[k] != full[k]}
        assert not wrong, (kinds, list(wrong.items())[:5])
        other_changed_at = dict(
            IndicatorValue.objects.filter(place__code__startswith="4503").values_list("id", "changed_at")
        )
    assert other_changed_at


@pytest.mark.django_db
def test_incremental_run_leaves_other_cities_untouched(indicator_network):
    """Only the reached places are written: the second city's rows keep their id and changed_at."""
    _second_city()
    indicators_recompute()
    before = dict(IndicatorValue.objects.filter(place__code__startswith="4503").values_list("id", "changed_at"))
    station_change_status(
        station=indicator_network["station_a1"], status=StationStatus.SUSPENDED, effective_on=timezone.localdate()
    )
    QualificationFactory(worker=indicator_network["w3"], obtained_on=D(2021, 7, 1))
    result = indicators_recompute_pending()
    assert result["full"] is False and "450300000000" not in result["places"]
    assert dict(IndicatorValue.objects.filter(place__code__startswith="4503").values_list("id", "changed_at")) == before


# ---------------------------------------------------------------- failures


@pytest.mark.django_db(transaction=True)
def test_a_failed_run_leaves_values_and_marks_and_a_later_run_applies_the_change(indicator_network):
    """A real failure: another session holds a lock on the value table, the run times out waiting for it.
    Nothing is written, the change stays pending; once the lock is gone the next run applies it."""
    import psycopg2

    indicators_recompute()
    today = timezone.localdate()
    station_change_status(station=indicator_network["station_a1"], status=StationStatus.SUSPENDED, effective_on=today)
    before = stored()
    marks = pending()
    db = connection.settings_dict
    other = psycopg2.connect(
        dbname=db["NAME"], user=db["USER"], host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432
    )
    try:
        with other.cursor() as cursor:
            cursor.execute("LOCK TABLE reporting_indicatorvalue IN SHARE MODE")  # readers go on, writers wait
        from django.db import OperationalError

        with pytest.raises(OperationalError, match="lock timeout"):
            indicators_recompute_pending(lock_timeout_ms=200)
        assert stored() == before and pending() == marks
        assert value("TGT-COV", A).numerator == 4
    finally:
        other.rollback()
        other.close()
    result = indicators_recompute_pending(lock_timeout_ms=200)
    assert result["full"] is False and not pending()
    assert value("TGT-COV", A).numerator == 3


@pytest.mark.django_db(transaction=True)
def test_the_task_does_not_wait_for_a_run_already_going(indicator_network):
    """While another run holds the recompute lock (the nightly run), the task leaves the changes pending and
    comes back later instead of holding a worker; the next try settles them."""
    import psycopg2

    from reporting.services import LOCK_ID
    from reporting.tasks import recompute_pending

    indicators_recompute()
    QualificationFactory(worker=indicator_network["w3"], obtained_on=D(2021, 2, 1))
    db = connection.settings_dict
    other = psycopg2.connect(
        dbname=db["NAME"], user=db["USER"], host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432
    )
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK_ID])
        assert recompute_pending.apply().get()["busy"] is True
        assert pending() == {(indicator_network["township_b1"].code, D(2021, 2, 1))}
    finally:
        other.close()
    assert recompute_pending.apply().get()["settled"] == 1 and not pending()


def test_the_task_retries_on_transient_errors():
    from django.db import OperationalError

    from reporting.tasks import recompute_pending

    assert OperationalError in recompute_pending.autoretry_for and recompute_pending.max_retries >= 5


@pytest.mark.django_db(transaction=True)
def test_without_a_worker_the_recompute_runs_on_commit_in_process(indicator_network):
    """The embedded default (tasks eager, in-process): the edit's commit starts the recompute of its change
    in a thread of the process (the page does not wait for it), one run per transaction however many writes
    it made."""
    from django.core.cache import cache
    from django.db import transaction

    from liuzhou_social.celery import app
    from reporting.tasks import SOON_KEY

    indicators_recompute()
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    cache.delete(SOON_KEY)
    runs = Computation.objects.count()
    try:
        with transaction.atomic():
            station_change_status(
                station=indicator_network["station_a1"],
                status=StationStatus.SUSPENDED,
                effective_on=timezone.localdate(),
            )
            QualificationFactory(worker=indicator_network["w6"], obtained_on=D(2022, 2, 1))
            assert pending()
        if services._in_process_run is not None:  # the thread the commit started, without a worker
            services._in_process_run.join(60)
    finally:
        app.conf.task_always_eager = eager
    assert not pending()
    assert value("TGT-COV", A).numerator == 3
    assert Computation.objects.count() == runs + 1 and Computation.objects.latest("finished_at").full is False


# ---------------------------------------------------------------- the dashboard says how fresh it is


@pytest.mark.django_db
def test_dashboard_says_when_it_was_computed_and_what_is_pending(client, personas, current):
    """The county dashboard counts the changes under the county still waiting for their recompute (read from
    the dirty store) and shows the time of the last run that recomputed the county."""
    client.force_login(personas["officer_a"])
    url = f"/reporting/place/{A}/"
    page = client.get(url).content.decode()
    assert "已包含全部更改" in page and "待重新计算" not in page
    full_run = Computation.objects.latest("finished_at").finished_at

    QualificationFactory(worker=current["w1"], obtained_on=D(2021, 2, 1))  # township A1
    QualificationFactory(worker=current["w3"], obtained_on=D(2021, 2, 1))  # township B1: not county A's
    page = client.get(url).content.decode()
    assert "有 1 项更改待重新计算" in page
    from django.test import Client

    city = Client()
    city.force_login(personas["city_admin"])
    assert "有 2 项更改待重新计算" in city.get(f"/reporting/place/{CITY}/").content.decode()

    indicators_recompute_pending()
    run = Computation.objects.latest("finished_at")
    assert run.full is False and run.finished_at > full_run
    page = client.get(url).content.decode()
    assert "已包含全部更改" in page
    assert f"计算于 {timezone.localtime(run.finished_at):%Y-%m-%d %H:%M:%S}" in page
    # A run that recomputed other places only does not move this county's time.
    QualificationFactory(worker=current["w3"], obtained_on=D(2021, 3, 1))
    indicators_recompute_pending()
    assert f"计算于 {timezone.localtime(run.finished_at):%Y-%m-%d %H:%M:%S}" in client.get(url).content.decode()


@pytest.mark.django_db
def test_every_table_an_indicator_reads_is_an_input_whose_writes_are_marked():
    """A table read by an indicator's query or by the run's preparation belongs to a model whose writes
    leave pending changes (``reporting.signals.INPUTS``), or is derived from such models. An indicator
    reading a new model fails here until the model is added there."""
    import re

    from django.apps import apps

    from reporting.catalogue import INDICATORS
    from reporting.services import prepare_sql, reporting_periods
    from reporting.signals import INPUTS

    derived = {
        "workforce.CertifiedSpan": "kept from workforce.Qualification and workforce.Worker",
        "workforce.CertifiedGradeSpan": "kept from workforce.Qualification and workforce.Worker",
        "reporting.IndicatorValue": "the stored values themselves",
    }
    tables = {m._meta.db_table: m._meta.label for m in apps.get_models(include_auto_created=True)}
    sql = " ".join([*prepare_sql(reporting_periods(D(2024, 3, 1))), *(i.query()[0] for i in INDICATORS)])
    read = {tables[t] for t in re.findall(r"\b([a-z]+_[a-z_]+)\b", sql) if t in tables}
    assert {"stations.Station", "workforce.CertifiedSpan", "workforce.Specialisation"} <= read  # the scan finds tables
    through = apps.get_model("stations.ServiceRecord").recipients.through._meta.label
    unmarked = read - set(INPUTS) - set(derived) - {through}
    assert not unmarked, f"indicators read {sorted(unmarked)}: add them to reporting.signals.INPUTS"

"""Synthetic networks for the reporting benchmark, loaded with COPY on the real division trees.

Scales (RULES.md "For scale"; the issue's benchmark): Liuzhou (2,500 workers), Guangxi (30,000),
national (1,000,000). Stations on most townships with dated histories, workers with qualifications
(some with two certificates, some revoked), specialisations, stationed assignments, organisations.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import gzip
import io
import random
from pathlib import Path

from django.db import connection

DIVISIONS = Path(__file__).resolve().parent.parent / "network" / "data" / "divisions"
SCALES = {
    "liuzhou": {"file": "liuzhou.csv", "workers": 2_500, "records": 12_500},
    "guangxi": {"file": "guangxi.csv.gz", "workers": 30_000, "records": 150_000},
    "national": {"file": "china.csv.gz", "workers": 1_000_000, "records": 5_000_000},
}
TABLES = [
    "reporting_indicatorvalue",
    "reporting_pendingchange",
    "workforce_certifiedspan",
    "workforce_certifiedgradespan",
    "stations_servicerecord_recipients",
    "stations_servicerecord_workers",
    "stations_servicerecord",
    "stations_recipient",
    "workforce_assignment",
    "workforce_specialisation",
    "workforce_qualification",
    "workforce_worker",
    "workforce_organisation",
    "stations_catalogueitem",
    "stations_sixhaveschange",
    "stations_stationstatuschange",
    "stations_station",
    "network_placeuserobjectpermission",
    "authtoken_token",
    "network_place",
]
CATEGORIES = [
    ("minors_protection", "未成年人保护"),
    ("social_assistance", "社会救助"),
    ("elderly_services", "养老服务"),
    ("judicial_protection", "司法保护"),
]


def _copy(cursor, table: str, columns: list[str], rows) -> int:
    buf = io.StringIO()
    writer = csv.writer(buf)
    n = 0
    for row in rows:
        writer.writerow(["\\N" if v is None else v for v in row])
        n += 1
    buf.seek(0)
    cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')", buf)
    return n


def _day(rng, start: int, end: int) -> datetime.date:
    return datetime.date(start, 1, 1) + datetime.timedelta(days=rng.randrange((end - start + 1) * 365))


@contextlib.contextmanager
def _secondary_indexes_dropped(cur, tables: list[str]):
    """Bulk loads run without the tables' plain indexes, which are rebuilt once at the end (constraint
    indexes stay: the loads rely on them)."""
    cur.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
        "AND indexname NOT IN (SELECT conname FROM pg_constraint)",
        [tables],
    )
    indexes = cur.fetchall()
    for name, _definition in indexes:
        cur.execute(f'DROP INDEX "{name}"')
    try:
        yield
    finally:  # a failed load must not leave the next build a table without its indexes
        for _name, definition in indexes:
            cur.execute(definition)


def _recipient_groups_sql(groups: str, r: str) -> str:
    """The target groups of recipient ``r`` as the builder gives them (one, or two for 3 in 10)."""
    return (
        f"CASE WHEN ({r}) %% 10 < 3 THEN ARRAY[({groups})[1 + ({r}) %% 10], ({groups})[1 + ({r}) / 10 %% 10]] "
        f"ELSE ARRAY[({groups})[1 + ({r}) %% 10]] END"
    )


def _record_groups_sql(groups: str, first: str, second: str) -> str:
    """A record's target groups as recorded (SRV-1): those of its first recipient, and of its second for
    one record in five (``g`` the record id), once each, sorted."""
    both = (
        f"{_recipient_groups_sql(groups, first)} || CASE WHEN g %% 5 = 0 THEN {_recipient_groups_sql(groups, second)} "
        f"ELSE ARRAY[]::text[] END"
    )
    return f"(SELECT jsonb_agg(DISTINCT v ORDER BY v) FROM unnest({both}) v)"


def _services(cur, n_records: int) -> dict:
    """Recipients (one per 2.5 records, in villages, one or two target groups) and service records
    spread over the stations, methods and the days of 2020–2026, each serving one or two recipients.
    Generated inside PostgreSQL (generate_series): millions of rows in seconds."""
    from stations.choices import ServiceKind, TargetGroup

    groups = "ARRAY[" + ", ".join(f"'{g}'" for g in TargetGroup.values) + "]"
    kinds = "ARRAY[" + ", ".join(f"'{k}'" for k in ServiceKind.values) + "]"
    n_recipients = max(1, n_records * 2 // 5)
    cur.execute(
        "CREATE TEMP TABLE bench_villages AS SELECT row_number() OVER (ORDER BY code) - 1 AS i, code "
        "FROM network_place WHERE level = 'village'"
    )
    cur.execute(
        "CREATE TEMP TABLE bench_stations AS SELECT row_number() OVER (ORDER BY id) - 1 AS i, id FROM stations_station"
    )
    # No ID numbers: the column holds Fernet tokens (liuzhou_social.fields), which SQL cannot make; the indicators
    # never read it.
    cur.execute(
        f"""
        INSERT INTO stations_recipient (id, name, gender, id_number, phone, village_id, target_groups,
                                        household_notes, registered_on)
        SELECT g, '服务对象' || g, '', '', '', v.code,
               to_jsonb({_recipient_groups_sql(groups, "g")}),
               '', DATE '2020-01-01' + CAST(g %% 2000 AS int)
        FROM generate_series(CAST(1 AS bigint), %s) g
        JOIN bench_villages v ON v.i = (g * 7919) %% (SELECT count(*) FROM bench_villages)""",
        [n_recipients],
    )
    first, second = f"1 + (g * 31) %% {n_recipients}", f"1 + (g * 37 + 1) %% {n_recipients}"
    cur.execute(
        f"""
        INSERT INTO stations_servicerecord (id, station_id, kind, served_on, duration_hours, participant_count,
                                            volunteer_count, volunteer_names, charity_resources, summary,
                                            target_groups)
        SELECT g, s.id, ({kinds})[1 + g %% 4], DATE '2020-01-01' + CAST((g * 104729) %% 2520 AS int), 1.5, 1, 0,
               '', '', '', {_record_groups_sql(groups, first, second)}
        FROM generate_series(CAST(1 AS bigint), %s) g
        JOIN bench_stations s ON s.i = (g * 7907) %% (SELECT count(*) FROM bench_stations)""",
        [n_records],
    )
    cur.execute(
        """
        INSERT INTO stations_servicerecord_recipients (servicerecord_id, recipient_id)
        SELECT g, 1 + (g * 31) %% %s FROM generate_series(CAST(1 AS bigint), %s) g
        UNION ALL
        SELECT g, 1 + (g * 37 + 1) %% %s FROM generate_series(CAST(1 AS bigint), %s) g WHERE g %% 5 = 0
        ON CONFLICT DO NOTHING""",
        [n_recipients, n_records, n_recipients, n_records],
    )
    links = cur.rowcount
    for table in ("stations_recipient", "stations_servicerecord"):
        cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    cur.execute("DROP TABLE bench_villages, bench_stations")
    return {"recipients": n_recipients, "service_records": n_records, "record_recipients": links}


def build(scale: str, *, seed: int = 2026, out=print) -> dict:
    from workforce.services import certified_spans_refresh

    cfg = SCALES[scale]
    rng = random.Random(seed)
    path = DIVISIONS / cfg["file"]
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        seen: set[str] = set()
        places = [p for p in csv.DictReader(f) if not (p["code"] in seen or seen.add(p["code"]))]
    counts = {}
    with connection.cursor() as cur:
        cur.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")
        counts["places"] = _copy(
            cur,
            "network_place",
            ["code", "name", "level", "kind", "is_functional_zone", "parent_id"],
            ((p["code"], p["name"], p["level"], p["kind"], "f", p["parent_code"] or None) for p in places),
        )
        townships = [p["code"] for p in places if p["level"] == "township"]
        counties = [p["code"] for p in places if p["level"] == "county"]
        # Stations on ~95 % of townships, established 2018–2023, operating some weeks later; a few suspended.
        stations, changes = [], []
        for t in townships:
            if rng.random() > 0.95:
                continue
            sid = len(stations) + 1
            stations.append((sid, t))
            est = _day(rng, 2018, 2023)
            changes.append((sid, "established", est))
            changes.append((sid, "operating", est + datetime.timedelta(days=rng.randint(10, 120))))
            if rng.random() < 0.03:
                changes.append((sid, "suspended", _day(rng, 2024, 2025)))
        now = "2026-01-01 00:00:00+00"
        counts["stations"] = _copy(
            cur,
            "stations_station",
            [
                "id",
                "status",
                "has_venue",
                "has_equipment",
                "has_personnel",
                "has_service_functions",
                "has_workflow",
                "has_rules",
                "independent_office",
                "shared_venues",
                "is_demonstration",
                "address",
                "phone",
                "notes",
                "place_id",
            ],
            (
                (
                    sid,
                    "operating",
                    "t",
                    "t",
                    "t",
                    "t",
                    "t" if rng.random() < 0.8 else "f",
                    "t",
                    "t",
                    "[]",
                    "f",
                    "",
                    "",
                    "",
                    t,
                )
                for sid, t in stations
            ),
        )
        counts["status_changes"] = _copy(
            cur,
            "stations_stationstatuschange",
            ["status", "effective_on", "note", "recorded_at", "station_id"],
            ((s, d, "", now, sid) for sid, s, d in changes),
        )
        first_status = {}
        for sid, _s, d in changes:
            first_status[sid] = min(d, first_status.get(sid, d))
        _copy(
            cur,
            "stations_catalogueitem",
            ["field", "title", "description", "published_on", "station_id"],
            (("livelihood", "入户走访", "", first_status[sid], sid) for sid, _t in stations if rng.random() < 0.85),
        )
        # NET-3: each station's six haves dated from its first status (the stations' flags as copied above).
        cur.execute(
            """INSERT INTO stations_sixhaveschange (station_id, effective_on, has_venue, has_equipment,
                   has_personnel, has_service_functions, has_workflow, has_rules, note, recorded_at)
               SELECT s.id, (SELECT min(c.effective_on) FROM stations_stationstatuschange c WHERE c.station_id = s.id),
                      s.has_venue, s.has_equipment, s.has_personnel, s.has_service_functions, s.has_workflow,
                      s.has_rules, '', now()
               FROM stations_station s"""
        )
        cur.execute(
            "INSERT INTO workforce_specialisationcategory (code, name, in_plan) VALUES "
            + ", ".join(f"('{c}', '{n}', true)" for c, n in CATEGORIES)
            + " ON CONFLICT DO NOTHING"
        )
        counts["organisations"] = _copy(
            cur,
            "workforce_organisation",
            [
                "name",
                "credit_code",
                "scope_includes_social_work",
                "service_fields",
                "incubation_base",
                "incubated_year",
                "contact_phone",
                "county_id",
            ],
            (
                (
                    f"社工机构{c}{i}",
                    f"B{c}{i:05d}"[:18],
                    "t",
                    "[]",
                    "",
                    rng.choice([None, 2019, 2021, 2022, 2023, 2024]),
                    "",
                    c,
                )
                for c in counties
                for i in range(rng.randint(1, 6))
            ),
        )
        n_workers = cfg["workers"]
        worker_places = [
            rng.choice(townships) if rng.random() < 0.85 else rng.choice(counties) for _ in range(n_workers)
        ]
        counts["workers"] = _copy(
            cur,
            "workforce_worker",
            ["id", "name", "gender", "birth_date", "id_number", "phone", "education", "place_id"],
            ((i + 1, f"社工{i}", "female", "1990-01-01", "", "", "", worker_places[i]) for i in range(n_workers)),
        )

        def quals():
            for w in range(1, n_workers + 1):
                r = rng.random()
                if r < 0.25:
                    continue
                got = _day(rng, 2015, 2025)
                yield (1, f"A{w}", got, _day(rng, 2021, 2025) if rng.random() < 0.03 else None, "", "", w)
                if r > 0.85:
                    yield (2, f"S{w}", got + datetime.timedelta(days=rng.randint(200, 1500)), None, "", "", w)

        counts["qualifications"] = _copy(
            cur,
            "workforce_qualification",
            ["grade", "certificate_no", "obtained_on", "revoked_on", "evidence", "revocation_reason", "worker_id"],
            quals(),
        )
        counts["specialisations"] = _copy(
            cur,
            "workforce_specialisation",
            ["since", "until", "category_id", "worker_id"],
            (
                (_day(rng, 2018, 2024), None, rng.choice(CATEGORIES)[0], w)
                for w in range(1, n_workers + 1)
                if rng.random() < 0.45
            ),
        )

        def assignments():
            w = 0
            for sid, _t in stations:
                for _ in range(rng.choice([1, 2, 2, 3])):
                    w = w % n_workers + 1
                    start = _day(rng, 2019, 2025)
                    yield (
                        "stationed",
                        start,
                        start + datetime.timedelta(days=900) if rng.random() < 0.2 else None,
                        sid,
                        w,
                    )

        counts["assignments"] = _copy(
            cur, "workforce_assignment", ["role", "start_on", "end_on", "station_id", "worker_id"], assignments()
        )
        with _secondary_indexes_dropped(
            cur, ["stations_recipient", "stations_servicerecord", "stations_servicerecord_recipients"]
        ):
            counts.update(_services(cur, cfg["records"]))
        certified_spans_refresh()  # what every import of certificates ends with
        for table in ("stations_station", "workforce_worker"):
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        cur.execute("ANALYZE")
    out(", ".join(f"{k}: {v:,}" for k, v in counts.items()))
    return counts


# --- edit to dashboard: a real worker settles the pending change of a saved edit --------------------------------


@contextlib.contextmanager
def celery_worker(log_path: Path):
    """A Celery worker (solo pool, like the tests') on this process's database and Redis, stopped afterwards."""
    import os
    import subprocess
    import sys

    from django.conf import settings

    db = connection.settings_dict
    env = dict(os.environ)
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    env["DATABASE_URL"] = f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{host}/{db['NAME']}"
    env["REDIS_URL"] = settings.REDIS_URL
    log = log_path.open("w")
    proc = subprocess.Popen(
        [
            *(sys.executable, "-m", "celery", "-A", "liuzhou_social", "worker", "--pool=solo", "-l", "info"),
            *("--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"bench-{os.getpid()}@%h"),
        ],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def edit_to_dashboard(*, user, edits: int, seed: int = 7, timeout: float = 120.0, out=print) -> list[dict]:
    """Suspend (then reopen) operating stations through the service, as the status page does, and time from
    the commit until the stored county coverage of the current month shows the change (what the county's
    dashboard reads). A worker must be running. Returns one row per edit: seconds to the new value, and the
    run's own duration (the rest is the debounce and the queue)."""
    import time

    from django.db import transaction
    from django.utils import timezone

    from reporting.models import Computation, IndicatorValue
    from stations.choices import StationStatus
    from stations.models import Station
    from stations.services import station_change_status

    today = timezone.localdate()
    month = f"{today:%Y-%m}"
    rng = random.Random(seed)
    # Stations of townships below a county-level unit; each is suspended, then reopened by the next edit.
    ids = list(
        Station.objects.filter(status=StationStatus.OPERATING)
        .exclude(place__code__regex=r"^\d{4}00")
        .values_list("pk", flat=True)[:5000]
    )
    rows = []
    pk = None
    for n in range(edits):
        pk = ids[rng.randrange(len(ids))] if n % 2 == 0 else pk
        station = Station.objects.get(pk=pk)
        county = station.place_id[:6].ljust(12, "0")
        stored = IndicatorValue.objects.filter(indicator="TGT-COV", place_id=county, period=month)
        before = stored.values_list("numerator", flat=True).get()
        status = StationStatus.SUSPENDED if station.status == StationStatus.OPERATING else StationStatus.OPERATING
        with transaction.atomic():
            station_change_status(station=station, status=status, effective_on=today, user=user)
        saved = time.perf_counter()
        deadline = saved + timeout
        while stored.values_list("numerator", flat=True).get() == before:
            if time.perf_counter() > deadline:
                raise RuntimeError(f"the county value did not change within {timeout:.0f} s")
            time.sleep(0.05)
        seconds = time.perf_counter() - saved
        run = Computation.objects.filter(full=False).latest("finished_at")
        rows.append({"seconds": seconds, "run": (run.finished_at - run.started_at).total_seconds(), "county": county})
        out(
            f"edit {n + 1}: {station.place_id} {status}, county {county} coverage changed after {seconds:.2f} s "
            f"(run {rows[-1]['run']:.2f} s)"
        )
    return rows

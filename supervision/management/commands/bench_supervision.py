"""Benchmark supervision (SUP-1) at national scale: 39,000 stations supervised for 36 months (about 1.4 million
supervision logs), about 6,500 supervisors covering six stations each.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_sup_bench .venv/bin/python manage.py migrate
    DATABASE_URL=... .venv/bin/python manage.py bench_supervision [--stations 39000] [--months 36]

On an empty bench database it builds its own network (provinces, cities, counties, 14 townships each, a station in
every township with its status history); on a database ``bench_reporting`` filled it uses the stations there. It
times (1) the county heat-map page (the whole request through the portal, as a city administrator), over many
counties, and (2) what the SUP-1 indicators add to an indicator recompute (the same recompute with and without
them, every place and period). Runs only on a database whose name ends in ``_bench`` (it empties the supervision
tables).
"""

from __future__ import annotations

import csv
import datetime
import io
import random
import statistics
import time

from dateutil.relativedelta import relativedelta
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.utils import timezone

from liuzhou_social.validators import id_number_check_char

CODES = ["SUP-1-MONTHS", "SUP-1-LOAD"]
STATIONS_PER_COUNTY = 14
STATIONS_PER_SUPERVISOR = 6


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


class Command(BaseCommand):
    help = "Build national-scale supervision logs on a bench database and time the heat map and the SUP-1 indicators."

    def add_arguments(self, parser):
        parser.add_argument("--stations", type=int, default=39_000, help="stations to build when the database has none")
        parser.add_argument("--months", type=int, default=36)
        parser.add_argument("--counties", type=int, default=40, help="county heat maps timed")
        parser.add_argument("--skip-build", action="store_true")

    def handle(self, *args, stations, months, counties, skip_build, **options):
        if not str(connection.settings_dict["NAME"]).endswith("_bench"):
            raise CommandError("run on a database whose name ends in _bench (its supervision tables are emptied)")
        today = timezone.localdate()
        if not skip_build:
            t = time.perf_counter()
            counts = self.build(stations=stations, months=months, today=today)
            self.stdout.write(", ".join(f"{k}: {v:,}" for k, v in counts.items()))
            self.stdout.write(f"build: {time.perf_counter() - t:.1f} s")
        self.time_heat_map(counties, today)
        self.time_indicators()

    # ------------------------------------------------------------------------------------------------ data

    def _network(self, n_stations: int) -> None:
        """Provinces, cities, counties and townships with a station each (dated history), when there are none."""
        from network.choices import PlaceKind, PlaceLevel
        from network.models import Place
        from stations.choices import StationStatus
        from stations.models import Station, StationStatusChange

        places, stations = [], []
        n_counties = -(-n_stations // STATIONS_PER_COUNTY)
        made = 0
        for c in range(n_counties):
            prov, city, county = 11 + c // 400, 1 + (c // 20) % 20, 1 + c % 20
            p_code, c_code = f"{prov:02d}0000000000", f"{prov:02d}{city:02d}00000000"
            k_code = f"{prov:02d}{city:02d}{county:02d}000000"
            if c % 400 == 0:
                places.append(Place(code=p_code, name=f"省{prov}", level=PlaceLevel.PROVINCE, kind=PlaceKind.PROVINCE))
            if c % 20 == 0:
                places.append(
                    Place(
                        code=c_code,
                        name=f"市{prov}{city}",
                        level=PlaceLevel.CITY,
                        kind=PlaceKind.CITY,
                        parent_id=p_code,
                    )
                )
            places.append(
                Place(
                    code=k_code,
                    name=f"县{prov}{city}{county}",
                    level=PlaceLevel.COUNTY,
                    kind=PlaceKind.COUNTY,
                    parent_id=c_code,
                )
            )
            for t in range(STATIONS_PER_COUNTY):
                if made >= n_stations:
                    break
                code = f"{k_code[:6]}{100 + t:03d}000"
                places.append(
                    Place(
                        code=code, name=f"镇{c}-{t}", level=PlaceLevel.TOWNSHIP, kind=PlaceKind.TOWN, parent_id=k_code
                    )
                )
                stations.append(Station(place_id=code, status=StationStatus.OPERATING))
                made += 1
        Place.objects.bulk_create(places, batch_size=5000)
        Station.objects.bulk_create(stations, batch_size=5000)
        rng = random.Random(3)
        history = []
        for s in Station.objects.values_list("pk", flat=True):
            opened = datetime.date(2020, 1, 1) + datetime.timedelta(days=rng.randint(0, 700))
            history.append(StationStatusChange(station_id=s, status=StationStatus.ESTABLISHED, effective_on=opened))
            history.append(
                StationStatusChange(
                    station_id=s, status=StationStatus.OPERATING, effective_on=opened + datetime.timedelta(days=60)
                )
            )
        StationStatusChange.objects.bulk_create(history, batch_size=5000)

    def build(self, *, stations: int, months: int, today: datetime.date) -> dict:
        from stations.models import Station
        from workforce.identifiers import make_credit_code, make_id_number

        if not Station.objects.exists():
            self._network(stations)
        rng = random.Random(2026)
        counts = {}
        first = today.replace(day=1) - relativedelta(months=months)
        with connection.cursor() as cur:
            cur.execute(
                "TRUNCATE supervision_supervisionlog_workers_present, supervision_supervisionlog, "
                "supervision_historicalsupervisionlog CASCADE"
            )
            cur.execute("DELETE FROM workforce_assignment WHERE role = 'supervisor'")
            cur.execute(
                "SELECT s.id, s.place_id, p.parent_id FROM stations_station s "
                "JOIN network_place p ON p.code = s.place_id ORDER BY s.place_id"
            )
            rows = cur.fetchall()
            counts["stations"] = len(rows)
            by_county: dict[str, list] = {}
            for sid, township, county in rows:
                by_county.setdefault(county, []).append((sid, township))
            # One provider per county, its supervisors registered at the township of their first station.
            cur.execute("SELECT COALESCE(max(id), 0) FROM workforce_organisation")
            org_id = cur.fetchone()[0]
            cur.execute("SELECT COALESCE(max(id), 0) FROM workforce_worker")
            worker_id = cur.fetchone()[0]
            orgs, workers, assignments, plan = [], [], [], []  # plan: (station id, supervisor id, org id)
            for n, (county, group) in enumerate(sorted(by_county.items())):
                org_id += 1
                orgs.append((org_id, f"督导机构{n}", make_credit_code(county, 800000 + n), county))
                for i in range(0, len(group), STATIONS_PER_SUPERVISOR):
                    chunk = group[i : i + STATIONS_PER_SUPERVISOR]
                    worker_id += 1
                    birth = datetime.date(1970 + worker_id % 20, 1 + worker_id % 12, 1 + worker_id % 28)
                    workers.append(
                        (
                            worker_id,
                            f"督导{worker_id}",
                            "female",
                            birth,
                            make_id_number(chunk[0][1], birth, 400 + worker_id % 97, False) + "",
                            org_id,
                            chunk[0][1],
                        )
                    )
                    for sid, _t in chunk:
                        assignments.append((sid, worker_id, org_id))
                        plan.append((sid, worker_id, org_id))
            counts["organisations"] = _copy(
                cur,
                "workforce_organisation",
                [
                    "id",
                    "name",
                    "credit_code",
                    "county_id",
                    "scope_includes_social_work",
                    "service_fields",
                    "incubation_base",
                    "contact_phone",
                ],
                ((i, name, code, county, "t", "[]", "", "") for i, name, code, county in orgs),
            )
            # ID numbers must be unique: make them so by the worker id in the sequence digits where they collide.
            seen, fixed = set(), []
            for w in workers:
                idn = w[4]
                k = 0
                while idn in seen:
                    k += 1
                    body = f"{idn[:14]}{(int(idn[14:17]) + 2 * k) % 1000:03d}"
                    idn = body + id_number_check_char(body)
                seen.add(idn)
                fixed.append((*w[:4], idn, *w[5:]))
            cur.execute("SELECT id_number FROM workforce_worker WHERE id_number = ANY(%s)", [list(seen)])
            taken = {r[0] for r in cur.fetchall()}
            fixed = [w for w in fixed if w[4] not in taken]
            kept = {w[0] for w in fixed}
            counts["supervisors"] = _copy(
                cur,
                "workforce_worker",
                [
                    "id",
                    "name",
                    "gender",
                    "birth_date",
                    "id_number",
                    "organisation_id",
                    "place_id",
                    "phone",
                    "education",
                ],
                ((*w, "", "") for w in fixed),
            )
            QUAL = "workforce_qualification"
            cur.execute(f"SELECT COALESCE(max(id), 0) FROM {QUAL}")
            qid = cur.fetchone()[0]
            _copy(
                cur,
                QUAL,
                ["worker_id", "grade", "certificate_no", "obtained_on", "evidence", "revocation_reason"],
                ((w[0], 2, f"BENCH-SUP-{qid + w[0]}", datetime.date(2018, 1, 1), "", "") for w in fixed),
            )
            counts["supervisor assignments"] = _copy(
                cur,
                "workforce_assignment",
                ["role", "start_on", "station_id", "worker_id", "organisation_id"],
                (("supervisor", first, s, w, o) for s, w, o in assignments if w in kept),
            )
            methods = ["casework", "group", "community", "case_conference", "document_review", "training"]

            def logs():
                for sid, wid, oid in plan:
                    if wid not in kept:
                        continue
                    for m in range(months):
                        month = first + relativedelta(months=m)
                        r = rng.random()
                        if r < 0.06:
                            continue  # a month without supervision
                        day = month + datetime.timedelta(days=rng.randint(0, 25))
                        short = r > 0.92
                        yield (
                            sid,
                            wid,
                            oid,
                            day,
                            1 if short else 2,
                            "09:00",
                            "17:00",
                            8 if short else 16,
                            methods[m % 6],
                            "督导",
                            "",
                            "confirmed" if r < 0.97 else "recorded",
                        )

            counts["supervision logs"] = _copy(
                cur,
                "supervision_supervisionlog",
                [
                    "station_id",
                    "supervisor_id",
                    "organisation_id",
                    "held_on",
                    "days",
                    "start_time",
                    "end_time",
                    "hours",
                    "method",
                    "content",
                    "follow_up",
                    "status",
                ],
                logs(),
            )
            for table in (
                "workforce_organisation",
                "workforce_worker",
                "workforce_qualification",
                "workforce_assignment",
            ):
                cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
            cur.execute("ANALYZE")
        return counts

    # ------------------------------------------------------------------------------------------------ timing

    def time_heat_map(self, n: int, today: datetime.date) -> None:
        from network.models import User

        user = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
            "bench_superuser", password="bench-Password-2026"
        )
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        with connection.cursor() as cur:
            cur.execute(
                "SELECT p.parent_id, count(*) FROM stations_station s JOIN network_place p ON p.code = s.place_id "
                "GROUP BY 1 ORDER BY 1"
            )
            rows = cur.fetchall()
        sample = random.Random(5).sample(rows, min(n, len(rows)))
        year = (today.replace(day=1) - relativedelta(months=1)).year
        client.get(f"/supervision/heat-map/?county={sample[0][0]}&year={year}")  # warm
        timings = []
        for county, _count in sample:
            t = time.perf_counter()
            response = client.get(f"/supervision/heat-map/?county={county}&year={year}")
            timings.append(time.perf_counter() - t)
            assert response.status_code == 200, response.status_code
        timings.sort()
        self.stdout.write(
            f"heat-map page of a county ({len(sample)} counties, {min(c for _k, c in sample)}–"
            f"{max(c for _k, c in sample)} stations, {year}): median {statistics.median(timings) * 1000:.0f} ms, "
            f"p95 {timings[int(0.95 * (len(timings) - 1))] * 1000:.0f} ms, max {timings[-1] * 1000:.0f} ms"
        )

    def time_indicators(self) -> None:
        """What the SUP-1 indicators add to a recompute: the same recompute with and without them (best of two)."""
        from reporting.services import indicators_recompute

        base = ["TGT-COV"]
        indicators_recompute(codes=[*base, *CODES])  # first run: the values stored
        timings: dict[str, list[float]] = {"without": [], "with": []}
        for label, codes in (
            ("without", base),
            ("with", [*base, *CODES]),
            ("without", base),
            ("with", [*base, *CODES]),
        ):
            t = time.perf_counter()
            indicators_recompute(codes=codes)
            timings[label].append(time.perf_counter() - t)
        without, with_ = min(timings["without"]), min(timings["with"])
        self.stdout.write(
            f"recompute (every place and period) with the SUP-1 indicators {with_:.1f} s, without {without:.1f} s: "
            f"they add {with_ - without:.1f} s"
        )

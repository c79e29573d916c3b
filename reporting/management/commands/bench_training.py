"""Benchmark the training indicators (SUP-2) at national scale: about 10 million attendance rows of the stationed
workers of every station in the national division tree, and what the two SUP-2 indicators add to the full
recompute.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_training_bench REDIS_URL=redis://127.0.0.1:6379/12 \\
        .venv/bin/python manage.py bench_training --attendance 10000000

On a database where ``bench_reporting --scale national`` has loaded its network, ``--keep-network`` reuses its
stations, workers and stationed assignments; otherwise the command loads the national division tree, a station on
~95 % of townships and one to three stationed workers each (the shapes ``reporting.bench`` uses). Attendance is
generated in SQL: for each stationed assignment and year from 2021, rows on distinct days of the time stationed, at
the year's national online course. It then times the recompute of the two SUP-2 indicators alone and of one
indicator of the network (TGT-COV) alone: both prepare the same shared tables (periods, places, stations), so the
difference is what the training indicators add to a full recompute. Runs only on a database whose name ends in
``_bench`` (it empties the tables it loads).
"""

from __future__ import annotations

import datetime
import random
import statistics
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

CODES = ["SUP-2-MET", "SUP-2-AVG"]
BASELINE = ["TGT-COV"]


class Command(BaseCommand):
    help = "Load ~10 million training attendance rows and time what the SUP-2 indicators add to the recompute."

    def add_arguments(self, parser):
        parser.add_argument("--attendance", type=int, default=10_000_000, help="attendance rows to generate")
        parser.add_argument("--keep-network", action="store_true", help="reuse the stations and assignments loaded")
        parser.add_argument("--skip-build", action="store_true", help="reuse everything already loaded")
        parser.add_argument("--repeat", type=int, default=3, help="timed runs of each recompute")

    def handle(self, *args, attendance, keep_network, skip_build, repeat, **options):
        name = connection.settings_dict["NAME"]
        if not str(name).endswith("_bench"):
            raise CommandError("run on a database whose name ends in _bench (its tables are emptied)")
        from reporting.services import indicators_recompute

        call_command("migrate", verbosity=0)
        if not skip_build:
            if not keep_network:
                t = time.perf_counter()
                self._network()
                self.stdout.write(f"network: {time.perf_counter() - t:.1f} s")
            t = time.perf_counter()
            n = self._attendance(attendance)
            self.stdout.write(f"attendance: {n:,} rows in {time.perf_counter() - t:.1f} s")
        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM supervision_attendance")
            rows = cur.fetchone()[0]
            cur.execute("SELECT count(*) FROM workforce_assignment WHERE role = 'stationed'")
            assignments = cur.fetchone()[0]
            cur.execute("SELECT count(*) FROM stations_station")
            stations = cur.fetchone()[0]
        self.stdout.write(f"{stations:,} stations, {assignments:,} stationed assignments, {rows:,} attendance rows")
        indicators_recompute(codes=CODES)  # the first run writes every row; the timed ones are the nightly case
        indicators_recompute(codes=BASELINE)
        times = {"training": [], "baseline": []}
        for _ in range(repeat):
            for key, codes in (("training", CODES), ("baseline", BASELINE)):
                t = time.perf_counter()
                result = indicators_recompute(codes=codes)
                times[key].append(time.perf_counter() - t)
                if key == "training":
                    values = result["rows"]
        training, baseline = statistics.median(times["training"]), statistics.median(times["baseline"])
        self.stdout.write(
            f"recompute of {', '.join(CODES)}: median {training:.1f} s ({values:,} values); "
            f"of {', '.join(BASELINE)} alone: median {baseline:.1f} s; "
            f"the training indicators add {training - baseline:.1f} s to the full recompute"
        )

    def _network(self) -> None:
        """The national division tree, stations and stationed workers, as ``reporting.bench`` shapes them."""
        import csv
        import gzip

        from reporting.bench import DIVISIONS, TABLES, _copy, _day

        rng = random.Random(2026)
        with gzip.open(DIVISIONS / "china.csv.gz", "rt", encoding="utf-8") as f:
            seen: set[str] = set()
            places = [p for p in csv.DictReader(f) if not (p["code"] in seen or seen.add(p["code"]))]
        with connection.cursor() as cur:
            cur.execute(
                f"TRUNCATE {', '.join(['supervision_attendance', 'supervision_course', *TABLES])} "
                "RESTART IDENTITY CASCADE"
            )
            _copy(
                cur,
                "network_place",
                ["code", "name", "level", "kind", "is_functional_zone", "parent_id"],
                ((p["code"], p["name"], p["level"], p["kind"], "f", p["parent_code"] or None) for p in places),
            )
            townships = [p["code"] for p in places if p["level"] == "township"]
            stations = [(i + 1, t) for i, t in enumerate(t for t in townships if rng.random() < 0.95)]
            flags = ["operating", *["t"] * 7, "[]", "f", "", "", ""]
            _copy(
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
                ((sid, *flags, t) for sid, t in stations),
            )
            _copy(
                cur,
                "stations_stationstatuschange",
                ["status", "effective_on", "note", "recorded_at", "station_id"],
                (("operating", _day(rng, 2018, 2022), "", "2026-01-01 00:00:00+00", sid) for sid, _t in stations),
            )
            workers, assignments = [], []
            for sid, t in stations:
                for _ in range(rng.choice([1, 2, 2, 3])):
                    w = len(workers) + 1
                    workers.append((w, f"社工{w}", "female", "1990-01-01", f"{w:018d}", "", "", t))
                    start = _day(rng, 2019, 2025)
                    end = start + datetime.timedelta(days=900) if rng.random() < 0.2 else None
                    assignments.append(("stationed", start, end, sid, w))
            _copy(
                cur,
                "workforce_worker",
                ["id", "name", "gender", "birth_date", "id_number", "phone", "education", "place_id"],
                workers,
            )
            _copy(cur, "workforce_assignment", ["role", "start_on", "end_on", "station_id", "worker_id"], assignments)
            for table in ("stations_station", "workforce_worker"):
                cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")

    def _attendance(self, target: int) -> int:
        """One national online course a year from 2021; each stationed assignment's rows of a year on distinct days
        of its time stationed that year (up to yesterday), as many as make about ``target`` rows in all."""
        today = timezone.localdate()
        last = today - datetime.timedelta(days=1)
        with connection.cursor() as cur:
            cur.execute("TRUNCATE supervision_attendance, supervision_course RESTART IDENTITY CASCADE")
            cur.execute("SELECT code FROM network_place WHERE level = 'city' ORDER BY code LIMIT 1")
            city = cur.fetchone()[0]
            years = list(range(2021, today.year + 1))
            for y in years:
                cur.execute(
                    """INSERT INTO supervision_course (title, kind, mode, organiser_level, place_id, start_on, end_on,
                           hours, venue)
                       VALUES (%s, 'basic_competence', 'online', 'national_online', %s, %s, %s, 2000, '')""",
                    [f"{y}年全国社会工作信息系统网络培训", city, datetime.date(y, 1, 1), datetime.date(y, 12, 31)],
                )
            spans = """
                SELECT a.worker_id, c.id AS course_id,
                       greatest(a.start_on, c.start_on) AS s,
                       least(COALESCE(a.end_on, %(last)s), c.end_on, %(last)s) AS e
                FROM workforce_assignment a JOIN supervision_course c
                     ON a.start_on <= c.end_on AND (a.end_on IS NULL OR a.end_on >= c.start_on)
                WHERE a.role = 'stationed' AND a.start_on <= %(last)s"""
            cur.execute(f"SELECT count(*) FROM ({spans}) x WHERE e >= s", {"last": last})
            worker_years = cur.fetchone()[0] or 1
            per_year = max(1, -(-target // worker_years))
            cur.execute(
                f"""INSERT INTO supervision_attendance (course_id, worker_id, attended_on, hours, source, note)
                    SELECT x.course_id, x.worker_id,
                           x.s + CASE WHEN x.e - x.s + 1 <= %(n)s THEN i ELSE (i * (x.e - x.s + 1)) / %(n)s END,
                           1 + ((x.worker_id + i) %% 8), 'import', ''
                    FROM ({spans}) x CROSS JOIN generate_series(0, %(n)s - 1) AS i
                    WHERE x.e >= x.s AND i <= x.e - x.s""",
                {"last": last, "n": per_year},
            )
            cur.execute("ANALYZE supervision_attendance")
            cur.execute("SELECT count(*) FROM supervision_attendance")
            return cur.fetchone()[0]

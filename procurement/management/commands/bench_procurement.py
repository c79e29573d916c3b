"""Benchmark procurement at national scale: 40,000 contracts and 120,000 stationed workers' monthly pay lines a month
for a year (1,440,000), on the stations and workers ``bench_reporting --scale national`` builds.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_procurement_bench REDIS_URL=redis://127.0.0.1:6379/15 \\
        .venv/bin/python manage.py bench_reporting --scale national --edits 0
    DATABASE_URL=... .venv/bin/python manage.py bench_procurement

It times (1) the PRC-3 pay-floor check of a whole county-month (``selectors.county_month_pay_check``: every line
with its grade, minimum wage, floor and finding), over many counties, and (2) the national indicator pass of the
procurement indicators (``reporting.services.indicators_recompute`` restricted to them) — what they add to the full
recompute. Runs only on a database whose name ends in ``_bench`` (it empties the procurement tables).
"""

from __future__ import annotations

import csv
import datetime
import io
import random
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

CODES = ["PRC-5-CLAUSES", "PRC-COVER", "PRC-2-CONTRACT-STAFF", "PRC-3-PAY", "PRC-3-FEE", "FUND-1", "PRC-4-ONTIME"]
TABLES = [
    "procurement_payline",
    "procurement_contractassignment",
    "procurement_contract_stations",
    "procurement_evaluation",
    "procurement_evaluationteam",
    "procurement_contract",
    "procurement_award",
    "procurement_bidteammember",
    "procurement_bid",
    "procurement_project_stations",
    "procurement_project",
    "procurement_countyfund",
    "procurement_minimumwage",
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


class Command(BaseCommand):
    help = "Add national-scale contracts and pay lines to a bench database and time the pay check and indicators."

    def add_arguments(self, parser):
        parser.add_argument("--contracts", type=int, default=40_000)
        parser.add_argument("--workers", type=int, default=120_000, help="stationed workers paid each month")
        parser.add_argument("--counties", type=int, default=40, help="county-months timed")
        parser.add_argument("--skip-build", action="store_true")
        parser.add_argument(
            "--compare-full",
            action="store_true",
            help="also time the full recompute with and without the procurement indicators (nightly runs)",
        )

    def handle(self, *args, contracts, workers, counties, skip_build, compare_full, **options):
        if not str(connection.settings_dict["NAME"]).endswith("_bench"):
            raise CommandError("run on a database whose name ends in _bench (its procurement tables are emptied)")
        today = timezone.localdate()
        if not skip_build:
            t = time.perf_counter()
            counts = self.build(contracts=contracts, workers=workers, today=today)
            self.stdout.write(", ".join(f"{k}: {v:,}" for k, v in counts.items()))
            self.stdout.write(f"build: {time.perf_counter() - t:.1f} s")
        self.time_pay_check(counties, today)
        self.time_indicators()
        if compare_full:
            self.time_full()

    # ------------------------------------------------------------------------------------------------ build

    def build(self, *, contracts: int, workers: int, today: datetime.date) -> dict:
        rng = random.Random(2026)
        counts = {}
        start, end = datetime.date(today.year - 1, 1, 1), datetime.date(today.year + 1, 12, 31)
        months = [(today.replace(day=1) - datetime.timedelta(days=31 * k)).replace(day=1) for k in range(12)]
        with connection.cursor() as cur:
            cur.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")
            cur.execute("DELETE FROM workforce_assignment WHERE organisation_id IS NOT NULL")
            _copy(
                cur,
                "procurement_minimumwage",
                ["year", "monthly", "is_demo_value", "note"],
                ((y, 2100, "t", "") for y in range(today.year - 5, today.year + 3)),
            )
            cur.execute("SELECT id, place_id FROM stations_station ORDER BY id")
            stations = cur.fetchall()
            if not stations:
                raise CommandError("no stations: run bench_reporting --scale national first")
            cur.execute("SELECT county_id, min(id) FROM workforce_organisation GROUP BY 1")
            provider_of = dict(cur.fetchall())
            cur.execute("SELECT max(id) FROM workforce_worker")
            n_workers = cur.fetchone()[0]
            covered = [(sid, place) for sid, place in stations if place[:6] + "000000" in provider_of]
            chosen = (covered * (contracts // len(covered) + 1))[:contracts]  # every station once, some twice
            plan = [
                (i, sid, place[:6] + "000000", provider_of[place[:6] + "000000"])
                for i, (sid, place) in enumerate(chosen, start=1)
            ]
            counts["projects"] = _copy(
                cur,
                "procurement_project",
                [
                    "id",
                    "number",
                    "name",
                    "county_id",
                    "purchaser_kind",
                    "purchaser",
                    "service_start",
                    "service_end",
                    "budget_year",
                    "fund_assistance",
                    "fund_lottery",
                    "fund_elderly",
                    "fund_community",
                    "fund_department",
                    "formal_procurement",
                    "procurement_method",
                    "description",
                    "status",
                    "created_at",
                ],
                (
                    (
                        i,
                        f"B-{i:06d}",
                        f"项目{i}",
                        county,
                        "civil_affairs",
                        "民政局",
                        start,
                        end,
                        today.year,
                        rng.choice([0, 20000, 40000]),
                        0,
                        0,
                        0,
                        300000,
                        "f",
                        "",
                        "",
                        "awarded",
                        timezone.now(),
                    )
                    for i, _sid, county, _p in plan
                ),
            )
            counts["contracts"] = _copy(
                cur,
                "procurement_contract",
                [
                    "id",
                    "number",
                    "project_id",
                    "provider_id",
                    "start_on",
                    "end_on",
                    "value",
                    "management_fee",
                    "supervision_budget",
                    "planned_workers_per_station",
                    "clause_staffing",
                    "clause_content",
                    "clause_objectives",
                    "clause_funds",
                    "clause_supervision",
                    "clause_evaluation",
                ],
                (
                    (
                        i,
                        f"B-{i:06d}-C001",
                        i,
                        provider,
                        start,
                        end,
                        300000,
                        rng.choice([15000, 24000, 36000]),
                        12000,
                        2,
                        "t",
                        "t",
                        "t",
                        "t" if rng.random() < 0.9 else "f",
                        "t",
                        "t",
                    )
                    for i, _sid, _county, provider in plan
                ),
            )
            _copy(
                cur, "procurement_contract_stations", ["contract_id", "station_id"], ((i, s) for i, s, _c, _p in plan)
            )
            per_contract = max(1, workers // max(1, len(plan)))
            extra = workers - per_contract * len(plan)
            links = []  # (assignment id, contract id, worker id, station id)
            cur.execute("SELECT COALESCE(max(id), 0) FROM workforce_assignment")
            next_id = cur.fetchone()[0] + 1
            w = 0
            for k, (i, sid, _county, _provider) in enumerate(plan):
                for _ in range(per_contract + (1 if k < extra else 0)):
                    w = w % n_workers + 1
                    links.append((next_id, i, w, sid))
                    next_id += 1
            provider_by_contract = {i: p for i, _s, _c, p in plan}
            counts["assignments"] = _copy(
                cur,
                "workforce_assignment",
                ["id", "role", "start_on", "end_on", "station_id", "worker_id", "organisation_id"],
                ((a, "stationed", start, None, sid, wid, provider_by_contract[c]) for a, c, wid, sid in links),
            )
            cur.execute(
                "SELECT setval(pg_get_serial_sequence('workforce_assignment', 'id'), "
                "(SELECT max(id) FROM workforce_assignment))"
            )
            _copy(
                cur,
                "procurement_contractassignment",
                ["assignment_id", "contract_id"],
                ((a, c) for a, c, _w, _s in links),
            )

            def lines():
                for _a, c, wid, sid in links:
                    for m in months:
                        yield c, wid, sid, m, rng.choice([3150, 3360, 4300, 4900, 5200]), ""

            counts["pay lines"] = _copy(
                cur,
                "procurement_payline",
                ["contract_id", "worker_id", "station_id", "month", "amount", "note"],
                lines(),
            )
            counties = sorted({c for _i, _s, c, _p in plan})
            _copy(
                cur,
                "procurement_countyfund",
                ["county_id", "year", "assistance_funds", "note"],
                ((c, y, 3000000, "") for c in counties for y in (today.year - 1, today.year)),
            )
            for table in ("procurement_project", "procurement_contract"):
                cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
            cur.execute("ANALYZE")
        return counts

    # ------------------------------------------------------------------------------------------------ timing

    def time_pay_check(self, n: int, today: datetime.date) -> None:
        from procurement.selectors import county_month_pay_check

        with connection.cursor() as cur:
            cur.execute(
                "SELECT left(s.place_id, 6) || '000000', count(*) FROM procurement_payline p "
                "JOIN stations_station s ON s.id = p.station_id WHERE p.month = %s GROUP BY 1 ORDER BY 1",
                [today.replace(day=1)],
            )
            rows = cur.fetchall()
        rng = random.Random(5)
        sample = rng.sample(rows, min(n, len(rows)))
        timings, sizes, findings = [], [], 0
        for county, _count in sample:
            t = time.perf_counter()
            checks = county_month_pay_check(county_code=county, month=today.replace(day=1))
            timings.append(time.perf_counter() - t)
            sizes.append(len(checks))
            findings += sum(1 for c in checks if not c.ok)
        timings.sort()
        self.stdout.write(
            f"pay-floor check of a county-month ({len(sample)} counties, {min(sizes)}–{max(sizes)} lines, "
            f"{findings} findings): median {statistics.median(timings) * 1000:.0f} ms, "
            f"p95 {timings[int(0.95 * (len(timings) - 1))] * 1000:.0f} ms, max {timings[-1] * 1000:.0f} ms"
        )
        biggest = max(rows, key=lambda r: r[1])
        t = time.perf_counter()
        checks = county_month_pay_check(county_code=biggest[0], month=today.replace(day=1))
        self.stdout.write(
            f"largest county-month {biggest[0]} ({len(checks)} lines): {(time.perf_counter() - t) * 1000:.0f} ms"
        )

    def time_indicators(self) -> None:
        from reporting.services import indicators_recompute

        for label in ("first run", "nightly run"):
            marks = []
            t = time.perf_counter()
            result = indicators_recompute(
                codes=CODES, progress=lambda pct, code: marks.append((code, time.perf_counter()))
            )
            total = time.perf_counter() - t
            # Each indicator's statements: the time from the previous indicator's end (the first one also pays for the
            # shared temporary tables, which a full recompute builds for the other indicators anyway).
            steps, last = [], None
            for code, at in marks:
                if last is not None:
                    steps.append((code, at - last))
                last = at
            first = marks[0][0] if marks else ""
            own = sum(d for _c, d in steps)
            self.stdout.write(
                f"procurement indicators, national pass ({label}): {total:.1f} s in all, {result['rows']:,} values, "
                f"{result['changed']:,} written; after the first ({first}, with the shared tables): "
                + ", ".join(f"{c} {d:.1f} s" for c, d in steps)
                + f" — {own:.1f} s"
            )

    def time_full(self) -> None:
        """What the procurement indicators add to the full recompute: nightly runs with and without them."""
        from reporting.catalogue import INDICATORS
        from reporting.services import indicators_recompute

        others = [i.code for i in INDICATORS if i.code not in CODES]
        indicators_recompute()  # the stored values current, so both timed runs are nightly runs
        timings = {}
        for label, codes in (("without", others), ("with", None), ("without", others), ("with", None)):
            t = time.perf_counter()
            indicators_recompute(codes=codes)
            timings.setdefault(label, []).append(time.perf_counter() - t)
        with_, without = min(timings["with"]), min(timings["without"])
        self.stdout.write(
            f"full recompute, nightly, best of two: {with_:.1f} s with the procurement indicators, {without:.1f} s "
            f"without: they add {with_ - without:.1f} s"
        )

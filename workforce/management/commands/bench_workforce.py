"""Benchmark of the workforce registry (issue targets, recorded in the README).

1. Roster import: a generated roster of N worker rows (plus qualification rows) is imported through
   ``roster_import`` and timed against openpyxl alone reading the same workbook (target: within 3×).
2. Certified counts: M workers with qualifications are loaded with COPY, then
   ``certified_counts_by_county`` is timed for the year ends 2020–2023 (target: under 2 s on PostgreSQL).

It empties the workforce tables first, so it refuses to run on a database whose name lacks "bench".
"""

from __future__ import annotations

import datetime
import io
import random
import statistics
import tempfile
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from network.choices import PlaceLevel
from network.models import Place, User

from ... import roster, selectors, services
from ...identifiers import make_id_number
from ...models import Assignment, CertifiedSpan, Qualification, Specialisation, Worker

YEAR_ENDS = [datetime.date(y, 12, 31) for y in (2020, 2021, 2022, 2023)]
GRADE_LABELS = ["助理社会工作师", "社会工作师", "高级社会工作师"]


def _bench_user():
    user = User.objects.filter(is_superuser=True).first()
    if user is None:
        user = User.objects.create_superuser("bench_admin", password=None)
    return user


def _townships() -> list[str]:
    codes = list(
        Place.objects.filter(level=PlaceLevel.TOWNSHIP, code__startswith="4502").values_list("code", flat=True)
    )
    if not codes:
        raise CommandError("No Liuzhou townships: run `manage.py load_demo` (or import the division list) first.")
    return codes


class Command(BaseCommand):
    help = "Time the roster import against openpyxl and the certified counts on a million workers."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=100_000, help="worker rows in the roster")
        parser.add_argument("--workers", type=int, default=1_000_000, help="workers for the count benchmark")
        parser.add_argument("--skip-import", action="store_true")
        parser.add_argument("--skip-counts", action="store_true")
        parser.add_argument("--repeat", type=int, default=5)

    def handle(self, *args, rows, workers, skip_import, skip_counts, repeat, **options):
        name = connection.settings_dict["NAME"]
        if "bench" not in name:
            raise CommandError(f"refusing to empty the workforce tables of {name!r}: use a *_bench database")
        rng = random.Random(2021)
        townships = _townships()
        if not skip_import:
            self._empty()
            self.bench_import(rng, townships, rows)
        if not skip_counts:
            self._empty()
            self.bench_counts(rng, townships, workers, repeat)

    def _empty(self):
        tables = [m._meta.db_table for m in (CertifiedSpan, Assignment, Specialisation, Qualification, Worker)]
        tables += [m.history.model._meta.db_table for m in (Assignment, Specialisation, Qualification, Worker)]
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")

    # --- 1. roster import ---------------------------------------------------------------------------------------

    def bench_import(self, rng, townships, rows):
        from openpyxl import Workbook, load_workbook

        wb = Workbook(write_only=True)
        ws_w, ws_q = wb.create_sheet(roster.WORKERS), wb.create_sheet(roster.QUALIFICATIONS)
        ws_w.append(roster.WORKER_HEADERS)
        ws_q.append(roster.QUALIFICATION_HEADERS)
        qual_rows = 0
        for i in range(rows):
            birth = datetime.date(1965, 1, 1) + datetime.timedelta(days=i // 500)
            male = rng.random() < 0.4
            place = rng.choice(townships)
            id_number = make_id_number(place[:6], birth, i % 500, male)
            ws_w.append(
                [f"社工{i}", id_number, "男" if male else "女", birth.isoformat(), f"138{i:08d}", "本科", place, ""]
            )
            if rng.random() < 0.4:
                obtained = (
                    birth.replace(year=max(birth.year + 22, 2012))
                    if birth.month != 2 or birth.day != 29
                    else (datetime.date(max(birth.year + 22, 2012), 3, 1))
                )
                ws_q.append([id_number, rng.choice(GRADE_LABELS[:2]), f"B{i:09d}", obtained.isoformat(), "", ""])
                qual_rows += 1
        wb.create_sheet(roster.ASSIGNMENTS).append(roster.ASSIGNMENT_HEADERS)
        buf = tempfile.NamedTemporaryFile(suffix=".xlsx")
        wb.save(buf.name)
        data = open(buf.name, "rb").read()
        self.stdout.write(f"roster: {rows} worker rows + {qual_rows} qualification rows, {len(data) / 1e6:.1f} MB")

        t0 = time.perf_counter()
        wb2 = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        cells = 0
        for sheet in wb2.worksheets:
            for row in sheet.iter_rows(values_only=True):
                cells += len(row)
        wb2.close()
        t_read = time.perf_counter() - t0
        self.stdout.write(f"openpyxl read alone: {t_read:.2f} s ({cells} cells)")

        upload = io.BytesIO(data)
        upload.name = "roster.xlsx"
        user = _bench_user()
        t0 = time.perf_counter()
        result = roster.roster_import(user=user, upload=upload, commit=True)
        t_import = time.perf_counter() - t0
        if not result.ok:
            raise CommandError("; ".join(e.as_text() for e in result.errors[:5]))
        self.stdout.write(
            f"roster_import (validate + write {result.created} records): {t_import:.2f} s "
            f"= {t_import / t_read:.2f}× openpyxl read (target ≤ 3×)"
        )

    # --- 2. certified counts ------------------------------------------------------------------------------------

    def bench_counts(self, rng, townships, workers, repeat):
        t0 = time.perf_counter()
        worker_buf, qual_buf = io.StringIO(), io.StringIO()
        quals = 0
        for i in range(workers):
            birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=i // 500)
            male = i % 3 == 0
            place = townships[i % len(townships)] if i % 10 else townships[i % len(townships)][:6] + "000000"
            worker_buf.write(
                # no ID number: the column holds Fernet tokens, which COPY cannot make; the counts never read it
                f"社工{i}\t{'male' if male else 'female'}\t{birth}\t\t\tbachelor\t{place}\n"
            )
            r = rng.random()
            if r < 0.55:  # ~55 % certified at some point, most in 2015-2023
                obtained = datetime.date(rng.randint(2012, 2023), rng.randint(1, 12), rng.randint(1, 28))
                revoked = ""
                if rng.random() < 0.03:
                    revoked = str(obtained + datetime.timedelta(days=rng.randint(200, 2000)))
                qual_buf.write(f"{i + 1}\t1\tA{i:09d}\t{obtained}\t{revoked or chr(92) + 'N'}\t\t\t\\N\n")
                quals += 1
                if rng.random() < 0.2:
                    upgraded = obtained + datetime.timedelta(days=rng.randint(300, 1500))
                    qual_buf.write(f"{i + 1}\t2\tS{i:09d}\t{upgraded}\t\\N\t\t\t\\N\n")
                    quals += 1
        worker_buf.seek(0)
        qual_buf.seek(0)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.copy_expert(
                f"COPY {Worker._meta.db_table} (name, gender, birth_date, id_number, phone, education, "
                f"place_id) FROM STDIN",
                worker_buf,
            )
            cursor.copy_expert(
                f"COPY {Qualification._meta.db_table} (worker_id, grade, certificate_no, obtained_on, "
                f"revoked_on, evidence, revocation_reason, registered_on) FROM STDIN",
                qual_buf,
            )
        self.stdout.write(f"loaded {workers} workers and {quals} qualifications in {time.perf_counter() - t0:.1f} s")
        t0 = time.perf_counter()
        services.certified_spans_refresh()
        self.stdout.write(f"derived certified periods for all workers in {time.perf_counter() - t0:.1f} s")
        with connection.cursor() as cursor:
            for model in (Worker, Qualification, CertifiedSpan):
                cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")

        timings = []
        result = None
        for _ in range(repeat):
            t0 = time.perf_counter()
            result = selectors.certified_counts_by_county(YEAR_ENDS)
            timings.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        reference = selectors.certified_counts_from_qualifications(YEAR_ENDS)
        t_reference = time.perf_counter() - t0
        if reference != result:
            raise CommandError("certified periods disagree with the certificates")
        counties = sorted({c for c, _d in result})
        for d in YEAR_ENDS:
            self.stdout.write(
                f"  {d}: {sum(result.get((c, d), 0) for c in counties)} certified in {len(counties)} counties"
            )
        self.stdout.write(
            f"certified_counts_by_county(4 year ends): best {min(timings):.3f} s, median "
            f"{statistics.median(timings):.3f} s over {repeat} runs (target < 2 s)"
        )
        self.stdout.write(f"same counts grouped straight from the certificates: {t_reference:.3f} s (identical)")

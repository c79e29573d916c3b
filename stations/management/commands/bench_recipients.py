"""Benchmark of the recipient Excel round-trip against the configured database.

Generates a recipient workbook (default 50,000 rows) in a temporary directory and times
  1. openpyxl alone reading it (read-only mode, every cell) — the baseline,
  2. the portal's import of the same file (all checks, then set-based inserts with history), target ≤ 3×;
and for the export (default 100,000 rows)
  3. openpyxl's write-only mode writing the rows, already in memory — the baseline,
  4. the portal's export of the same rows from the database (scope, masking, formula-safe cells), target ≤ 1.5×.
Everything runs inside one transaction that is rolled back, so the database is left as it was.
"""

from __future__ import annotations

import datetime
import tempfile
import time
from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand
from django.db import transaction
from openpyxl import Workbook, load_workbook

from liuzhou_social.exports import write_xlsx
from liuzhou_social.validators import id_number_check_char
from network.choices import PlaceKind, PlaceLevel, Role
from network.imports import import_run
from network.models import Place, User
from stations.choices import StationStatus, TargetGroup
from stations.imports import RecipientImport
from stations.models import Recipient, Station, StationStatusChange
from stations.selectors import recipient_export_rows

COUNTY = "459901000000"  # outside the real division tree; rolled back afterwards
TOWNSHIP = "459901101000"
VILLAGES = 20


class _Rollback(Exception):
    pass


def _id_number(i: int) -> str:
    birth = datetime.date(1940, 1, 1) + datetime.timedelta(days=i // 900)
    first17 = f"459901{birth:%Y%m%d}{i % 900 + 100:03d}"
    return first17 + id_number_check_char(first17)


class Command(BaseCommand):
    help = "Times the recipient workbook import and export against bare openpyxl (targets 3× and 1.5×)."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=50_000, help="rows of the imported workbook")
        parser.add_argument("--export-rows", type=int, default=100_000, help="rows exported")
        parser.add_argument(
            "--repeat",
            type=int,
            default=1,
            help="time the two export measurements this many times each and keep the best",
        )

    def handle(self, *args, rows: int, export_rows: int, repeat: int, **options):
        self.repeat = max(1, repeat)
        results = []
        try:
            with transaction.atomic():
                self._run(rows, export_rows, results)
                raise _Rollback
        except _Rollback:
            pass
        self.stdout.write("")
        self.stdout.write(f"{'step':<46}{'rows':>9}{'seconds':>10}{'ratio':>8}{'target':>8}  ok")
        for step, n, seconds, ratio, target in results:
            ok = "" if target is None else ("yes" if ratio <= target else "NO")
            self.stdout.write(
                f"{step:<46}{n:>9}{seconds:>10.2f}{'' if ratio is None else f'{ratio:.2f}×':>8}"
                f"{'' if target is None else f'≤{target}×':>8}  {ok}"
            )

    def _tree(self):
        county = Place.objects.create(code=COUNTY, name="基准县", level=PlaceLevel.COUNTY, kind=PlaceKind.COUNTY)
        township = Place.objects.create(
            code=TOWNSHIP, name="基准镇", level=PlaceLevel.TOWNSHIP, kind=PlaceKind.TOWN, parent=county
        )
        villages = Place.objects.bulk_create(
            [
                Place(
                    code=f"459901101{200 + v:03d}",
                    name=f"基准{v}村",
                    level=PlaceLevel.VILLAGE,
                    kind=PlaceKind.VILLAGE,
                    parent=township,
                )
                for v in range(1, VILLAGES + 1)
            ]
        )
        station = Station.objects.create(place=township, status=StationStatus.OPERATING)
        StationStatusChange.objects.create(
            station=station, status=StationStatus.OPERATING, effective_on=datetime.date(2015, 1, 1)
        )
        return villages

    def _run(self, rows, export_rows, results):
        villages = self._tree()
        user = User(username="bench", role=Role.CITY_ADMIN, is_superuser=True)
        spec = RecipientImport(user)
        groups = [str(label) for _v, label in TargetGroup.choices]
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "recipients.xlsx"
            wb = Workbook(write_only=True)
            sheet = spec.sheets[0]
            ws = wb.create_sheet(sheet.name())
            ws.append([c.title() for c in sheet.columns])
            for i in range(rows):
                v = villages[i % VILLAGES]
                ws.append(
                    [
                        f"对象{i}",
                        _id_number(i),
                        "女" if i % 2 else "男",
                        f"139{i:08d}",
                        f"{v.code} {v.name}",
                        "、".join({groups[i % 10], groups[(i * 7) % 10]}),
                        datetime.date(2020 + i % 4, 1 + i % 12, 1),
                        "独居" if i % 3 == 0 else "",
                    ]
                )
            wb.save(path)
            self.stdout.write(f"workbook: {rows} rows, {path.stat().st_size / 1048576:.1f} MB")

            start = time.perf_counter()
            book = load_workbook(path, read_only=True, data_only=True)
            cells = sum(len(r) for r in book.worksheets[0].iter_rows(values_only=True))
            book.close()
            bare_read = time.perf_counter() - start
            results.append(("openpyxl read-only read (baseline)", rows, bare_read, None, None))

            start = time.perf_counter()
            with open(path, "rb") as handle:
                outcome = import_run(spec, File(handle, name="recipients.xlsx"), commit=True)
            imported = time.perf_counter() - start
            if not outcome.ok:
                raise RuntimeError(f"benchmark workbook rejected: {outcome.errors[:3]}")
            assert outcome.created == rows and cells
            results.append(("portal import: check all, then insert", rows, imported, imported / bare_read, 3))

        extra = export_rows - rows
        if extra > 0:
            Recipient.objects.bulk_create(
                [
                    Recipient(
                        name=f"导出{i}",
                        id_number=_id_number(rows + i),
                        village=villages[i % VILLAGES],
                        target_groups=["dibao"],
                        registered_on=datetime.date(2021, 1, 1),
                        phone="=1+1",
                    )
                    for i in range(extra)
                ],
                batch_size=5000,
            )
        qs = Recipient.objects.restrict(user).filter(village__parent_id=TOWNSHIP)
        headers, row_iter = recipient_export_rows(qs=qs, user=user)
        materialised = list(row_iter)
        bare_times, export_times = [], []
        with tempfile.TemporaryDirectory() as tmp:
            for _round in range(self.repeat):
                start = time.perf_counter()
                wb = Workbook(write_only=True)
                ws = wb.create_sheet("Sheet1")
                ws.append(headers)
                for row in materialised:
                    ws.append(row)
                wb.save(Path(tmp) / "bare.xlsx")
                bare_times.append(time.perf_counter() - start)

                start = time.perf_counter()
                headers, row_iter = recipient_export_rows(qs=qs, user=user)
                with open(Path(tmp) / "export.xlsx", "wb") as out:
                    write_xlsx(out, [("Sheet1", headers, row_iter)])
                export_times.append(time.perf_counter() - start)
            bare_write, exported = min(bare_times), min(export_times)
            results.append(("openpyxl write-only write (baseline)", len(materialised), bare_write, None, None))
            results.append(
                ("portal export: query, mask, safe cells, write", export_rows, exported, exported / bare_write, 1.5)
            )

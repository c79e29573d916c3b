"""Benchmark the reporting at one scale: full recompute, edit to dashboard, city dashboard and API page times.

Runs only on a database whose name ends in ``_bench`` (it empties the tables), e.g.:

    STATIC_MANIFEST=false DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_reporting_bench \\
        REDIS_URL=redis://127.0.0.1:6379/6 .venv/bin/python manage.py bench_reporting --scale guangxi

The edit-to-dashboard figure needs ``REDIS_URL``: the command starts a Celery worker of its own.
"""

import statistics
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


class Command(BaseCommand):
    help = "Build a synthetic network at a scale and time the recompute, the city dashboard and the API."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["liuzhou", "guangxi", "national"], required=True)
        parser.add_argument("--requests", type=int, default=30, help="requests timed per page")
        parser.add_argument("--skip-build", action="store_true", help="reuse the data already loaded")
        parser.add_argument("--edits", type=int, default=6, help="edits timed from save to the new stored value")
        parser.add_argument(
            "--empty-values",
            action="store_true",
            help="with --skip-build: empty the stored values, so the first run writes every row",
        )

    def handle(self, *args, scale, requests, skip_build, empty_values, edits, **options):
        name = connection.settings_dict["NAME"]
        if not str(name).endswith("_bench"):
            raise CommandError("run on a database whose name ends in _bench (its tables are emptied)")
        from network.choices import Role
        from network.models import Place
        from network.services import user_create
        from reporting import bench
        from reporting.services import indicators_recompute

        call_command("migrate", verbosity=0)
        if not skip_build:
            t = time.perf_counter()
            bench.build(scale, out=self.stdout.write)
            self.stdout.write(f"build: {time.perf_counter() - t:.1f} s")
        elif empty_values:
            with connection.cursor() as cursor:
                cursor.execute("TRUNCATE reporting_indicatorvalue, reporting_computation")

        timings = []
        for _ in range(2):  # the first run may write every row; the second is the nightly case
            t = time.perf_counter()
            result = indicators_recompute()
            timings.append(time.perf_counter() - t)
            self.stdout.write(
                f"full recompute: {timings[-1]:.1f} s, {result['rows']:,} values, {result['changed']:,} written"
            )

        settings.ALLOWED_HOSTS = [*list(settings.ALLOWED_HOSTS), "testserver"]
        from django.contrib.auth import get_user_model

        get_user_model().objects.filter(username="bench_admin").delete()
        user = user_create(
            username="bench_admin",
            password="Bench-pass-2026!",
            role=Role.CITY_ADMIN,
            places=[Place.objects.get(code="450200000000")],
        )
        edit_rows = self._edits(user, edits) if edits else []
        client = Client()
        client.force_login(user)
        month = result["periods"][-1]
        pages = {
            "city dashboard": "/reporting/place/450200000000/",
            "API page": f"/api/reporting/values/?level=township&period={month}&page=3&page_size=50",
        }
        rows = [
            ("scale", scale),
            ("full recompute, first / again (s)", f"{timings[0]:.2f} / {timings[1]:.2f}"),
            ("values stored", f"{result['rows']:,}"),
        ]
        if edit_rows:
            seconds = sorted(r["seconds"] for r in edit_rows)
            runs = sorted(r["run"] for r in edit_rows)
            rows.append(
                (
                    "edit to dashboard median / max (s)",
                    f"{statistics.median(seconds):.2f} / {seconds[-1]:.2f} (run {statistics.median(runs):.2f})",
                )
            )
        for label, url in pages.items():
            client.get(url)
            times, queries = [], set()
            for _ in range(requests):
                with CaptureQueriesContext(connection) as ctx:
                    t = time.perf_counter()
                    response = client.get(url)
                    times.append((time.perf_counter() - t) * 1000)
                assert response.status_code == 200, (url, response.status_code)
                queries.add(len(ctx.captured_queries))
            times.sort()
            p95 = times[max(0, int(len(times) * 0.95) - 1)]
            rows.append((f"{label} median / p95 (ms)", f"{statistics.median(times):.1f} / {p95:.1f}"))
            rows.append((f"{label} queries per request", ", ".join(map(str, sorted(queries)))))
        for k, v in rows:
            self.stdout.write(f"{k:40} {v}")

    def _edits(self, user, edits: int) -> list[dict]:
        """Edit-to-dashboard with a worker of the command's own (skipped without REDIS_URL: no worker)."""
        import tempfile
        from pathlib import Path

        from django.core.cache import cache

        from liuzhou_social.celery import app
        from reporting import bench
        from reporting.tasks import SOON_KEY

        if not settings.REDIS_URL:
            self.stdout.write("edit to dashboard: skipped (set REDIS_URL: the edits are settled by a worker)")
            return []
        app.control.purge()
        cache.delete(SOON_KEY)
        log = Path(tempfile.gettempdir()) / "bench_reporting_worker.log"
        with bench.celery_worker(log):
            deadline = time.monotonic() + 60
            while not app.control.ping(timeout=0.5):
                if time.monotonic() > deadline:
                    raise CommandError(f"the worker did not start (see {log})")
            return bench.edit_to_dashboard(user=user, edits=edits, out=self.stdout.write)

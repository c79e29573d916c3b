"""The recompute: every catalogue indicator, for every place and period, as set-based SQL upserts.

One statement per indicator writes all its rows (every township, county and city, every period);
no Python loop runs over places or records. Recomputing is idempotent: rows are upserted on
(indicator, place, period) and rows the run did not produce are removed afterwards.
"""

from __future__ import annotations

import datetime
import re
import threading
from dataclasses import dataclass
from typing import Callable

from django.db import connection, transaction
from django.utils import timezone

from stations.choices import TargetGroup

from . import dialect
from .catalogue import BASELINE_YEAR, INDICATORS, Indicator
from .choices import IndicatorKind, PeriodKind
from .models import Computation
from .status import on_track_ratio, status_sql


@dataclass(frozen=True)
class Period:
    period: str
    kind: str
    as_of: datetime.date
    year: int
    closed: bool


def reporting_periods(today: datetime.date | None = None) -> list[Period]:
    """Each 31 Dec from 2020 to last year (closed), and the current month up to today (open)."""
    today = today or timezone.localdate()
    periods = [Period(str(y), PeriodKind.YEAR, datetime.date(y, 12, 31), y, True)
               for y in range(BASELINE_YEAR, today.year)]
    periods.append(Period(f"{today:%Y-%m}", PeriodKind.MONTH, today, today.year, False))
    return periods


FAR = dialect.FAR_FUTURE
TEMP_TABLES = ("rpt_periods", "rpt_places", "rpt_stations", "rpt_station_status", "rpt_stationed", "rpt_station_staff",
               "rpt_cert_counts", "rpt_spec_counts", "rpt_srv", "rpt_srv_county", "rpt_rows")
# One table per statement: SQLite drops one table at a time.
CLEANUP_SQL = [f"DROP TABLE IF EXISTS {table}" for table in TEMP_TABLES]


def _period_index(col: str, periods: list[Period]) -> str:
    """SQL for the number of periods dated before ``col``: an interval [start, end) covers exactly
    the periods with index(start) <= index < index(end)."""
    whens = " ".join(f"WHEN {col} <= '{p.as_of.isoformat()}' THEN {i}" for i, p in enumerate(periods))
    return f"CASE {whens} ELSE {len(periods)} END"


def _period_of_day(col: str, periods: list[Period]) -> str:
    """SQL for the index of the period whose year-to-date holds the day ``col`` (NULL if none): the
    closed years and the current year to today follow each other, so a day is in at most one."""
    whens = " ".join(f"WHEN {col} <= '{p.as_of.isoformat()}' THEN {i}" for i, p in enumerate(periods))
    return f"CASE WHEN {col} < '{periods[0].year}-01-01' THEN NULL {whens} END"


def prepare_sql(periods: list[Period]) -> list[str]:
    """Temporary tables shared by the indicator queries of one run (see ``reporting.queries``).

    Places are keyed by their division code as an integer (``k``) and periods by their index
    (``idx``): joins and roll-ups compare numbers, not text. Certified people are counted from the
    merged certification spans the workforce app keeps (``workforce.CertifiedSpan``) without expanding
    every person over every date: each span adds one at the first period it covers and removes one at
    the first period after it.
    """
    start, end = _period_index("start_on", periods), _period_index("end_on", periods)
    served = _period_of_day("r.served_on", periods)
    iv_start = dialect.greatest("c.start_on", "sp.since")
    iv_end = dialect.least(f"COALESCE(c.end_on, {FAR})", f"COALESCE({dialect.plus_days('sp.until', 1)}, {FAR})")
    in_periods = f"r.served_on >= '{periods[0].year}-01-01' AND r.served_on <= '{periods[-1].as_of.isoformat()}'"
    return [
        *CLEANUP_SQL,
        "CREATE TEMP TABLE rpt_periods (period text PRIMARY KEY, kind text, as_of date, year int, closed bool, "
        "idx int, year_start date)",
        """CREATE TEMP TABLE rpt_places AS SELECT CAST(code AS bigint) AS k, code, level FROM network_place
           WHERE level IN ('city', 'county', 'township')""",
        "CREATE TEMP TABLE rpt_stations AS SELECT id AS station_id, CAST(place_id AS bigint) AS k FROM stations_station",
        # The status in force on each date: the latest history entry effective on or before it.
        """CREATE TEMP TABLE rpt_station_status AS
           SELECT s.station_id, s.k, per.idx, per.as_of,
                  (SELECT c.status FROM stations_stationstatuschange c
                    WHERE c.station_id = s.station_id AND c.effective_on <= per.as_of
                    ORDER BY c.effective_on DESC, c.id DESC LIMIT 1) AS status
           FROM rpt_stations s CROSS JOIN rpt_periods per""",
        """CREATE TEMP TABLE rpt_stationed AS
           SELECT a.station_id, a.worker_id, a.start_on, per.idx, per.as_of
           FROM workforce_assignment a JOIN rpt_periods per
             ON a.start_on <= per.as_of AND (a.end_on IS NULL OR a.end_on >= per.as_of)
           WHERE a.role = 'stationed'""",
        """CREATE TEMP TABLE rpt_station_staff AS
           SELECT station_id, idx, count(DISTINCT worker_id) AS n FROM rpt_stationed GROUP BY 1, 2""",
        # TGT-CERT: people certified on each date, per place of registration.
        f"""CREATE TEMP TABLE rpt_cert_counts AS
           WITH ev AS (SELECT place_code, {start} AS i, 1 AS d FROM workforce_certifiedspan
                       UNION ALL
                       SELECT place_code, {end}, -1 FROM workforce_certifiedspan WHERE end_on IS NOT NULL),
           agg AS (SELECT CAST(place_code AS bigint) AS k, i, sum(d) AS d FROM ev GROUP BY 1, 2)
           SELECT a.k, per.idx, sum(a.d) AS n FROM agg a JOIN rpt_periods per ON a.i <= per.idx
           GROUP BY 1, 2 HAVING sum(a.d) <> 0""",
        # TGT-SPEC: the part of each certified span during which the person holds the specialisation
        # (``until`` inclusive).
        f"""CREATE TEMP TABLE rpt_spec_counts AS
           WITH iv AS (SELECT c.place_code, sp.category_id, {iv_start} AS start_on, {iv_end} AS end_on
                       FROM workforce_certifiedspan c JOIN workforce_specialisation sp ON sp.worker_id = c.worker_id),
           ev AS (SELECT place_code, category_id, {start} AS i, 1 AS d FROM iv WHERE start_on < end_on
                  UNION ALL
                  SELECT place_code, category_id, {end}, -1 FROM iv WHERE start_on < end_on AND end_on <> {FAR}),
           agg AS (SELECT CAST(place_code AS bigint) AS k, category_id, i, sum(d) AS d FROM ev GROUP BY 1, 2, 3)
           SELECT a.k, per.idx, a.category_id, sum(a.d) AS n
           FROM agg a JOIN rpt_periods per ON a.i <= per.idx GROUP BY 1, 2, 3 HAVING sum(a.d) <> 0""",
        # SRV: service records per township, period and method, with how many of them served each target
        # group as recorded with the record (SRV-1) — one pass over the records, aggregated per station first.
        f"""CREATE TEMP TABLE rpt_srv AS
           SELECT s.k, a.idx, a.kind, CAST(sum(a.n) AS bigint) AS n,
                  {", ".join(f"CAST(sum(a.g_{g}) AS bigint) AS g_{g}" for g in TargetGroup.values)}
           FROM (SELECT r.station_id, {served} AS idx, r.kind, count(*) AS n,
                        {", ".join(f"count(*) FILTER (WHERE {dialect.json_list_has('r.target_groups', g)}) AS g_{g}"
                                   for g in TargetGroup.values)}
                 FROM stations_servicerecord r WHERE {in_periods} GROUP BY 1, 2, 3) a
           JOIN rpt_stations s ON s.station_id = a.station_id
           GROUP BY 1, 2, 3""",
        # The breakdowns are kept for counties and the city: read them from a county-level copy.
        f"""CREATE TEMP TABLE rpt_srv_county AS
           SELECT k / 1000000 * 1000000 AS k, idx, kind, CAST(sum(n) AS bigint) AS n,
                  {", ".join(f"CAST(sum(g_{g}) AS bigint) AS g_{g}" for g in TargetGroup.values)}
           FROM rpt_srv GROUP BY 1, 2, 3""",
        """CREATE TEMP TABLE rpt_rows (place_code varchar(12), level varchar(10), period varchar(7),
                                       kind varchar(5), as_of date, num numeric, den numeric, value numeric,
                                       target numeric, status varchar(10), value_id bigint, changed int)""",
        "CREATE INDEX rpt_places_k ON rpt_places (k)",
        "CREATE INDEX rpt_stations_id ON rpt_stations (station_id)",
        "CREATE INDEX rpt_station_status_k ON rpt_station_status (k, idx)",
        "CREATE INDEX rpt_stationed_worker ON rpt_stationed (worker_id, idx)",
        *[f"ANALYZE {table}" for table in TEMP_TABLES if table != "rpt_rows"],
    ]


# The recompute is a few large statements: no JIT (it costs more than it saves here), room to hash,
# and no waiting for the WAL flush (a lost run is simply run again).
SESSION_SQL = ["SET jit = off", "SET work_mem = '128MB'", "SET synchronous_commit = off"]
SESSION_RESET_SQL = ["RESET jit", "RESET work_mem", "RESET synchronous_commit"]

# level -> (the place key a fact below rolls up to, condition that the fact lies below a place of that
# level); ``k`` is the 12-digit division code as an integer. The keys of different levels never coincide
# (a township's digits 7–9, a county's 5–6 are not zero; a city's are), so the levels join on ``k`` alone.
_ROLLUP = {
    "township": ("k / 1000 * 1000", "k / 1000 <> k / 1000000 * 1000"),
    "county": ("k / 1000000 * 1000000", "k / 1000000 <> k / 100000000 * 100"),
    "city": ("k / 100000000 * 100000000", "1 = 1"),
}


def _table_of(sql: str) -> str:
    """The temporary table a preparation statement creates, indexes, analyses or drops."""
    on = re.search(r" ON (rpt_\w+)", sql)
    return on.group(1) if on else re.search(r"rpt_\w+", sql).group(0)


def _tables_needed(indicators: list[Indicator], statements: list[str]) -> set[str]:
    """The temporary tables the indicators' queries read, with those they are built from."""
    made = {_table_of(sql): sql for sql in statements if sql.startswith("CREATE TEMP TABLE")}
    needed = {"rpt_periods", "rpt_places", "rpt_rows"}
    for ind in indicators:
        needed |= set(re.findall(r"rpt_\w+", ind.query()[0]))
    pending = list(needed)
    while pending:
        for table in set(re.findall(r"rpt_\w+", made.get(pending.pop(), ""))) - needed:
            needed.add(table)
            pending.append(table)
    return needed


def _prepare(cursor, periods: list[Period], indicators: list[Indicator]) -> None:
    """Build the temporary tables the given indicators need (all of them for a whole run)."""
    statements = prepare_sql(periods)
    needed = _tables_needed(indicators, statements)
    filled = len(CLEANUP_SQL) + 1  # the drops and the periods table come first
    for sql in statements[:filled]:
        cursor.execute(sql)
    cursor.executemany("INSERT INTO rpt_periods VALUES (%s, %s, %s, %s, %s, %s, %s)",
                       [(p.period, p.kind, p.as_of, p.year, p.closed, i, datetime.date(p.year, 1, 1))
                        for i, p in enumerate(periods)])
    for sql in statements[filled:]:
        if _table_of(sql) in needed:
            cursor.execute(sql)


def _rows_sql(ind: Indicator) -> tuple[str, list]:
    """The ``rows`` CTE body: place_code, level, period, kind, as_of, year, closed, num, den, value."""
    sql, params = ind.query()
    if ind.kind == IndicatorKind.DERIVED:
        return sql, params
    branches = []
    for level in ind.levels:
        key, cond = _ROLLUP[level]
        branches.append(f"SELECT {key} AS k, idx, sum(num) AS num, sum(den) AS den "
                        f"FROM facts WHERE {cond} GROUP BY 1, 2")
    if ind.kind == IndicatorKind.SHARE:
        den = "COALESCE(a.den, 0)"
        value = "CASE WHEN COALESCE(a.den, 0) > 0 THEN round(100.0 * COALESCE(a.num, 0) / a.den, 4) END"
    else:
        den, value = "CAST(NULL AS numeric)", "COALESCE(a.num, 0)"
    levels = ", ".join(f"'{lv}'" for lv in ind.levels)
    return f"""
        SELECT p.code AS place_code, p.level, per.period, per.kind, per.as_of, per.year, per.closed,
               COALESCE(a.num, 0) AS num, {den} AS den, {value} AS value
        FROM rpt_places p CROSS JOIN rpt_periods per
        LEFT JOIN (WITH facts AS ({sql}) {' UNION ALL '.join(branches)}) a ON a.k = p.k AND a.idx = per.idx
        WHERE p.level IN ({levels})""", params


def indicator_rows_sql(ind: Indicator, periods: list[Period]) -> tuple[str, list]:
    """The statement filling ``rpt_rows`` with every row of the indicator (value, target, status)."""
    rows_sql, params = _rows_sql(ind)
    targets = [(p.period, ind.target(p.year)) for p in periods]
    targets = [(period, t) for period, t in targets if t is not None]
    if targets:
        values = " UNION ALL ".join("SELECT %s AS period, CAST(%s AS numeric) AS t" for _ in targets)
        target_join = f"LEFT JOIN ({values}) t ON t.period = r.period"
        params += [x for pair in targets for x in pair]
        scale = {
            "": "t.t",
            "baseline": "t.t * NULLIF(max(r.num) FILTER (WHERE r.period = '2020') OVER (PARTITION BY r.place_code), 0)",
            "counties": "t.t * CASE WHEN r.level = 'city' THEN COALESCE(nc.n, 0) ELSE 1 END",
        }[ind.target_scale]
        if ind.target_scale == "counties":
            target_join += (f" LEFT JOIN (SELECT {dialect.prefix_code('code', 4)} AS c, count(*) AS n FROM network_place"
                            " WHERE level = 'county' GROUP BY 1) nc ON nc.c = r.place_code")
        target = f"round({scale}, 4)"
    else:
        target_join, target = "", "CAST(NULL AS numeric)"
    status = status_sql("value", "target", "closed", higher_is_better=ind.higher_is_better, ratio=on_track_ratio())
    # Each row is matched with its stored row here, once: the writes then touch only rows that are new
    # (no stored row) or whose figures changed.
    sql = f"""
        INSERT INTO rpt_rows (place_code, level, period, kind, as_of, num, den, value, target, status, value_id,
                              changed)
        WITH r AS ({rows_sql}),
        tg AS (SELECT r.*, {target} AS target FROM r {target_join}),
        st AS (SELECT tg.*, {status} AS status FROM tg)
        SELECT st.place_code, st.level, st.period, st.kind, st.as_of, st.num, st.den, st.value, st.target, st.status,
               v.id, CASE WHEN v.id IS NOT NULL
                           AND (v.level, v.as_of, v.numerator, v.denominator, v.value, v.target, v.status)
                               IS DISTINCT FROM (st.level, st.as_of, st.num, st.den, st.value, st.target, st.status)
                          THEN 1 ELSE 0 END
        FROM st LEFT JOIN reporting_indicatorvalue v
             ON v.indicator = %s AND v.place_id = st.place_code AND v.period = st.period"""
    return sql, [*params, ind.code]


# Writing the staged rows: only rows whose figures changed are rewritten (a nightly run mostly
# confirms past years), new rows are inserted (an upsert, safe against a concurrent writer), and rows
# the run no longer produces are removed.
WRITE_SQL = [
    """UPDATE reporting_indicatorvalue AS v SET level = r.level, period_kind = r.kind, as_of = r.as_of,
              numerator = r.num, denominator = r.den, value = r.value, target = r.target, status = r.status,
              changed_at = %(at)s
       FROM rpt_rows r
       WHERE r.changed = 1 AND v.id = r.value_id""",
    """INSERT INTO reporting_indicatorvalue (indicator, place_id, level, period, period_kind, as_of, numerator,
                                             denominator, value, target, status, changed_at)
       SELECT %(code)s, r.place_code, r.level, r.period, r.kind, r.as_of, r.num, r.den, r.value, r.target,
              r.status, %(at)s
       FROM rpt_rows r
       WHERE r.value_id IS NULL
       ON CONFLICT (indicator, place_id, period) DO UPDATE SET
           level = EXCLUDED.level, period_kind = EXCLUDED.period_kind, as_of = EXCLUDED.as_of,
           numerator = EXCLUDED.numerator, denominator = EXCLUDED.denominator, value = EXCLUDED.value,
           target = EXCLUDED.target, status = EXCLUDED.status, changed_at = EXCLUDED.changed_at""",
]
# Every staged row now has its stored row, so stored rows beyond the staged count are ones the run no
# longer produces (a place or period gone): only then is the anti-join run.
STORED_COUNT_SQL = "SELECT count(*) FROM reporting_indicatorvalue WHERE indicator = %(code)s"
DELETE_SQL = """DELETE FROM reporting_indicatorvalue AS v WHERE v.indicator = %(code)s
       AND NOT EXISTS (SELECT 1 FROM rpt_rows r WHERE r.place_code = v.place_id AND r.period = v.period)"""
LOCK_ID = 4502_0005  # advisory lock: one recompute at a time


# On PostgreSQL a whole run works in two sessions at once, each preparing only the tables its
# indicators read: the stations and certification lane, and the services, specialisations and
# organisations lane (about equal halves of the work; derived indicators stay in the lane of the
# values they read).
SECOND_LANE_GROUPS = {"services", "specialisation", "organisations"}


def _lanes(selected: list[Indicator]) -> list[list[Indicator]]:
    lanes = [[i for i in selected if i.group not in SECOND_LANE_GROUPS],
             [i for i in selected if i.group in SECOND_LANE_GROUPS]]
    return [lane for lane in lanes if lane]


def _run_lane(indicators: list[Indicator], periods: list[Period], computed_at, done) -> tuple[dict, dict]:
    """Prepare, compute and write the indicators in this thread's own database session."""
    counts: dict[str, int] = {}
    changed: dict[str, int] = {}
    postgres = dialect.postgres()
    with connection.cursor() as cursor:
        for sql in SESSION_SQL if postgres else []:
            cursor.execute(sql)
        try:
            with transaction.atomic():
                _prepare(cursor, periods, indicators)
            unanalysed = 0  # rows written since the value table's statistics were last taken
            for ind in indicators:
                sql, params = indicator_rows_sql(ind, periods)
                if ind.kind == IndicatorKind.DERIVED and unanalysed and postgres:
                    # Derived indicators read stored values: plan them on statistics that know those rows.
                    cursor.execute("ANALYZE reporting_indicatorvalue")
                    unanalysed = 0
                with transaction.atomic():
                    cursor.execute(dialect.empty_table("rpt_rows"))
                    cursor.execute(sql, params)
                    counts[ind.code] = cursor.rowcount
                    cursor.execute("ANALYZE rpt_rows")
                    changed[ind.code] = 0
                    args = {"code": ind.code, "at": computed_at}
                    for write in WRITE_SQL:
                        cursor.execute(write, args)
                        changed[ind.code] += cursor.rowcount
                    cursor.execute(STORED_COUNT_SQL, args)
                    if cursor.fetchone()[0] > counts[ind.code]:
                        cursor.execute(DELETE_SQL, args)
                        changed[ind.code] += cursor.rowcount
                unanalysed += changed[ind.code]
                done(ind.code)
        finally:
            for sql in CLEANUP_SQL:
                cursor.execute(sql)
            for sql in SESSION_RESET_SQL if postgres else []:
                cursor.execute(sql)
    return counts, changed


def _run_lane_in_thread(indicators, periods, computed_at, done, outcome: dict) -> None:
    try:
        outcome["result"] = _run_lane(indicators, periods, computed_at, done)
    except BaseException as exc:  # noqa: BLE001 - re-raised by the caller after the join
        outcome["error"] = exc
    finally:
        connection.close()  # the thread's own connection


def indicators_recompute(*, today: datetime.date | None = None, codes: list[str] | None = None,
                         progress: Callable[[int, str], None] | None = None) -> dict:
    """Recompute every indicator (or the given codes) for every place and period; returns row counts.

    Each indicator is its own transaction, so a page watching the job sees progress; the temporary
    tables live for the session and are dropped at the end. The second lane runs in its own session
    only on PostgreSQL and outside a transaction (inside one, another session would not see its data).
    """
    periods = reporting_periods(today)
    selected = [i for i in INDICATORS if codes is None or i.code in codes]
    postgres = dialect.postgres()
    lanes = _lanes(selected)
    if not postgres or connection.in_atomic_block or len(lanes) < 2:
        lanes = [selected]
    finished: list[str] = []
    lock = threading.Lock()

    def done(code: str) -> None:
        with lock:
            finished.append(code)
            share = int(100 * len(finished) / (len(selected) + 1))
        if progress:
            progress(share, code)

    counts: dict[str, int] = {}
    changed: dict[str, int] = {}
    with connection.cursor() as cursor:
        if postgres:
            cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK_ID])
        computed_at = timezone.now()
        try:
            outcomes = [{} for _lane in lanes[1:]]
            threads = [threading.Thread(target=_run_lane_in_thread, args=(lane, periods, computed_at, done, out))
                       for lane, out in zip(lanes[1:], outcomes)]
            for thread in threads:
                thread.start()
            try:
                lane_counts, lane_changed = _run_lane(lanes[0], periods, computed_at, done)
            finally:
                for thread in threads:
                    thread.join()
            counts.update(lane_counts)
            changed.update(lane_changed)
            for out in outcomes:
                if "error" in out:
                    raise out["error"]
                counts.update(out["result"][0])
                changed.update(out["result"][1])
            if codes is None:
                with transaction.atomic():
                    codes_in, params = dialect.in_list(i.code for i in INDICATORS)
                    cursor.execute(f"DELETE FROM reporting_indicatorvalue WHERE indicator NOT IN {codes_in}", params)
            if postgres:
                cursor.execute("ANALYZE reporting_indicatorvalue")
            with transaction.atomic():
                Computation.objects.create(started_at=computed_at, finished_at=timezone.now(),
                                           rows=sum(counts.values()), indicators=[i.code for i in selected])
        finally:
            if postgres:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_ID])
    return {"rows": sum(counts.values()), "changed": sum(changed.values()), "indicators": counts,
            "computed_at": computed_at.isoformat(),
            "periods": [p.period for p in periods]}


def indicators_recompute_job(*, job_id: str | None = None) -> dict:
    """The recompute as a job: progress and outcome stored on ``network.models.Job`` when given."""
    from network.jobs import job_finish, job_progress

    if job_id is None:
        return indicators_recompute()
    job_progress(job_id, 1, "")
    try:
        result = indicators_recompute(progress=lambda pct, code: job_progress(job_id, pct, code))
    except Exception as exc:  # noqa: BLE001 - the job records the failure, the task re-raises
        job_finish(job_id, failed=True, message=str(exc)[:500])
        raise
    job_finish(job_id, result={"rows": result["rows"], "computed_at": result["computed_at"]})
    return result


def indicators_recompute_start(*, user):
    """A city administrator starts a full recompute; the page follows the returned job."""
    from network.jobs import job_start

    from .tasks import recompute_indicators

    return job_start(kind="reporting.recompute", user=user, task=recompute_indicators)


def indicators_recompute_soon(*, delay_seconds: int = 60) -> bool:
    """Queue one recompute shortly after an import or an edit batch (debounced: one per delay window).

    Call it from the importing service; it enqueues on commit. Returns whether a run was queued."""
    from django.core.cache import cache

    from .tasks import SOON_KEY, recompute_indicators

    if not cache.add(SOON_KEY, 1, timeout=delay_seconds * 5):
        return False
    transaction.on_commit(lambda: recompute_indicators.apply_async(countdown=delay_seconds))
    return True

"""The recompute: every catalogue indicator, for every place and period, as set-based SQL upserts.

One statement per indicator writes all its rows (every township, county and city, every period);
no Python loop runs over places or records. Recomputing is idempotent: rows are upserted on
(indicator, place, period) and rows the run did not produce are removed afterwards.
"""

from __future__ import annotations

import datetime
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from stations.choices import TargetGroup

from .catalogue import BASELINE_YEAR, INDICATORS, Indicator
from .choices import IndicatorKind, PeriodKind
from .models import Computation, PendingChange
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
    periods = [
        Period(str(y), PeriodKind.YEAR, datetime.date(y, 12, 31), y, True) for y in range(BASELINE_YEAR, today.year)
    ]
    periods.append(Period(f"{today:%Y-%m}", PeriodKind.MONTH, today, today.year, False))
    return periods


FAR = "'infinity'::date"  # the open end of a span (revoked_on / until blank)
TEMP_TABLES = (
    "rpt_periods",
    "rpt_places",
    "rpt_stations",
    "rpt_station_status",
    "rpt_stationed",
    "rpt_station_staff",
    "rpt_cert_counts",
    "rpt_spec_counts",
    "rpt_srv",
    "rpt_srv_county",
    "rpt_rows",
    "rpt_out",
    "rpt_workers",
    "rpt_training",
)
# One table per statement.
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


def _under(column: str, cities: list[str] | None) -> str:
    """SQL: the text division code in ``column`` lies under one of the cities (4-digit prefixes); empty
    for a whole run. Digit strings of equal length compare the same in every collation, so a range
    serves any index on the column."""
    if cities is None:
        return ""
    ranges = " OR ".join(f"{column} BETWEEN '{c}00000000' AND '{c}99999999'" for c in cities)
    return f" AND ({ranges})"


def prepare_sql(periods: list[Period], cities: list[str] | None = None) -> list[str]:
    """Temporary tables shared by the indicator queries of one run (see ``reporting.queries``).

    Places are keyed by their division code as an integer (``k``) and periods by their index
    (``idx``): joins and roll-ups compare numbers, not text. Certified people are counted from the
    merged certification spans the workforce app keeps (``workforce.CertifiedSpan``) without expanding
    every person over every date: each span adds one at the first period it covers and removes one at
    the first period after it. ``periods`` may be the later part of the reporting periods (an
    incremental run): the first period then counts everything that started before it.

    ``cities`` (4-digit prefixes) restricts every table to the facts under those cities: what an
    incremental run needs to recompute their townships, counties and the cities themselves, since a
    city's value is the sum of the facts below it and nothing outside it.
    """
    start, end = _period_index("start_on", periods), _period_index("end_on", periods)
    served = _period_of_day("r.served_on", periods)
    iv_start = "greatest(c.start_on, sp.since)"
    iv_end = f"least(COALESCE(c.end_on, {FAR}), COALESCE(sp.until + 1, {FAR}))"
    in_periods = f"r.served_on >= '{periods[0].year}-01-01' AND r.served_on <= '{periods[-1].as_of.isoformat()}'"
    in_stations = "" if cities is None else " AND {col} IN (SELECT station_id FROM rpt_stations)"

    # A span carries its worker's place (``workforce`` keeps the two equal): the workers under the cities,
    # found through the index on their place, lead to their spans through the index on the worker.
    def spans_under(alias: str = "") -> str:
        if cities is None:
            return ""
        return f"{_under(f'{alias}place_code', cities)} AND {alias}worker_id IN (SELECT id FROM rpt_workers)"

    workers = (
        []
        if cities is None
        else [
            f"CREATE TEMP TABLE rpt_workers AS SELECT id FROM workforce_worker WHERE TRUE{_under('place_id', cities)}"
        ]
    )

    return [
        *CLEANUP_SQL,
        "CREATE TEMP TABLE rpt_periods (period text PRIMARY KEY, kind text, as_of date, year int, closed bool, "
        "idx int, year_start date)",
        f"""CREATE TEMP TABLE rpt_places AS SELECT CAST(code AS bigint) AS k, code, level FROM network_place
           WHERE level IN ('city', 'county', 'township'){_under("code", cities)}""",
        "CREATE TEMP TABLE rpt_stations AS SELECT id AS station_id, CAST(place_id AS bigint) AS k "
        f"FROM stations_station WHERE TRUE{_under('place_id', cities)}",
        # The status in force on each date: the latest history entry effective on or before it.
        """CREATE TEMP TABLE rpt_station_status AS
           SELECT s.station_id, s.k, per.idx, per.as_of,
                  (SELECT c.status FROM stations_stationstatuschange c
                    WHERE c.station_id = s.station_id AND c.effective_on <= per.as_of
                    ORDER BY c.effective_on DESC, c.id DESC LIMIT 1) AS status
           FROM rpt_stations s CROSS JOIN rpt_periods per""",
        f"""CREATE TEMP TABLE rpt_stationed AS
           SELECT a.station_id, a.worker_id, a.start_on, per.idx, per.as_of
           FROM workforce_assignment a JOIN rpt_periods per
             ON a.start_on <= per.as_of AND (a.end_on IS NULL OR a.end_on >= per.as_of)
           WHERE a.role = 'stationed'{in_stations.format(col="a.station_id")}""",
        *workers,
        """CREATE TEMP TABLE rpt_station_staff AS
           SELECT station_id, idx, count(DISTINCT worker_id) AS n FROM rpt_stationed GROUP BY 1, 2""",
        # TGT-CERT: people certified on each date, per place of registration.
        f"""CREATE TEMP TABLE rpt_cert_counts AS
           WITH ev AS (SELECT place_code, {start} AS i, 1 AS d FROM workforce_certifiedspan
                       WHERE TRUE{spans_under()}
                       UNION ALL
                       SELECT place_code, {end}, -1 FROM workforce_certifiedspan
                       WHERE end_on IS NOT NULL{spans_under()}),
           agg AS (SELECT CAST(place_code AS bigint) AS k, i, sum(d) AS d FROM ev GROUP BY 1, 2)
           SELECT a.k, per.idx, sum(a.d) AS n FROM agg a JOIN rpt_periods per ON a.i <= per.idx
           GROUP BY 1, 2 HAVING sum(a.d) <> 0""",
        # TGT-SPEC: the part of each certified span during which the person holds the specialisation
        # (``until`` inclusive).
        f"""CREATE TEMP TABLE rpt_spec_counts AS
           WITH iv AS (SELECT c.place_code, sp.category_id, {iv_start} AS start_on, {iv_end} AS end_on
                       FROM workforce_certifiedspan c JOIN workforce_specialisation sp ON sp.worker_id = c.worker_id
                       WHERE TRUE{spans_under("c.")}),
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
                        {
            ", ".join(
                f'''count(*) FILTER (WHERE r.target_groups @> '["{g}"]'::jsonb) AS g_{g}''' for g in TargetGroup.values
            )
        }
                 FROM stations_servicerecord r WHERE {in_periods}{in_stations.format(col="r.station_id")}
                 GROUP BY 1, 2, 3) a
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
        # SUP-2: each stationed worker's standing per period, at the township of their station (both training
        # indicators read it; ``supervision.rules_training.sup2_worker_year_sql``).
        f"CREATE TEMP TABLE rpt_training AS SELECT s.k, w.* FROM ({_training_sql()}) w "
        "JOIN rpt_stations s ON s.station_id = w.station_id",
        *[f"ANALYZE {table}" for table in TEMP_TABLES if table != "rpt_rows"],
    ]


def _training_sql() -> str:
    """The SUP-2 rule's SQL form for the workers ever stationed at the run's stations, its one number inlined."""
    from supervision.rules_training import sup2_worker_year_sql

    sql, params = sup2_worker_year_sql(
        workers="SELECT worker_id FROM workforce_assignment WHERE station_id IN (SELECT station_id FROM rpt_stations)"
    )
    return sql.replace("%s", f"CAST('{params[0]:f}' AS numeric)")


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


def _prepare(cursor, periods: list[Period], indicators: list[Indicator], cities: list[str] | None = None) -> None:
    """Build the temporary tables the given indicators need (all of them for a whole run)."""
    statements = prepare_sql(periods, cities)
    needed = _tables_needed(indicators, statements)
    filled = len(CLEANUP_SQL) + 1  # the drops and the periods table come first
    for sql in statements[:filled]:
        cursor.execute(sql)
    cursor.executemany(
        "INSERT INTO rpt_periods VALUES (%s, %s, %s, %s, %s, %s, %s)",
        [(p.period, p.kind, p.as_of, p.year, p.closed, i, datetime.date(p.year, 1, 1)) for i, p in enumerate(periods)],
    )
    for sql in statements[filled:]:
        if _table_of(sql) in needed:
            cursor.execute(sql)
            if cities is not None and sql.startswith("CREATE TEMP TABLE"):
                # A small run: the next statements are planned on what this table really holds (an index
                # lookup per station or worker, not a pass over every record).
                cursor.execute(f"ANALYZE {_table_of(sql)}")


def _rows_sql(ind: Indicator, places: str = "rpt_places") -> tuple[str, list]:
    """The ``rows`` CTE body: place_code, level, period, kind, as_of, year, closed, num, den, value, for
    the places of the table ``places`` (every place, or those an incremental run recomputes)."""
    sql, params = ind.query()
    if ind.kind == IndicatorKind.DERIVED:
        if places != "rpt_places":  # derived rows read the stored values of every place: keep the run's
            sql = f"SELECT d.* FROM ({sql}) d WHERE d.place_code IN (SELECT code FROM {places})"
        return sql, params
    branches = []
    for level in ind.levels:
        key, cond = _ROLLUP[level]
        branches.append(
            f"SELECT {key} AS k, idx, sum(num) AS num, sum(den) AS den FROM facts WHERE {cond} GROUP BY 1, 2"
        )
    if ind.kind == IndicatorKind.SHARE:
        den = "COALESCE(a.den, 0)"
        value = "CASE WHEN COALESCE(a.den, 0) > 0 THEN round(100.0 * COALESCE(a.num, 0) / a.den, 4) END"
    elif ind.kind == IndicatorKind.AVERAGE:
        den = "COALESCE(a.den, 0)"
        value = "CASE WHEN COALESCE(a.den, 0) > 0 THEN round(1.0 * COALESCE(a.num, 0) / a.den, 4) END"
    else:
        den, value = "CAST(NULL AS numeric)", "COALESCE(a.num, 0)"
    levels = ", ".join(f"'{lv}'" for lv in ind.levels)
    return (
        f"""
        SELECT p.code AS place_code, p.level, per.period, per.kind, per.as_of, per.year, per.closed,
               COALESCE(a.num, 0) AS num, {den} AS den, {value} AS value
        FROM {places} p CROSS JOIN rpt_periods per
        LEFT JOIN (WITH facts AS ({sql}) {" UNION ALL ".join(branches)}) a ON a.k = p.k AND a.idx = per.idx
        WHERE p.level IN ({levels})""",
        params,
    )


def indicator_rows_sql(ind: Indicator, periods: list[Period], places: str = "rpt_places") -> tuple[str, list]:
    """The statement filling ``rpt_rows`` with every row of the indicator (value, target, status) for
    the run's places and periods."""
    rows_sql, params = _rows_sql(ind, places)
    targets = [(p.period, ind.target(p.year)) for p in periods]
    targets = [(period, t) for period, t in targets if t is not None]
    if targets:
        values = " UNION ALL ".join("SELECT %s AS period, CAST(%s AS numeric) AS t" for _ in targets)
        target_join = f"LEFT JOIN ({values}) t ON t.period = r.period"
        params += [x for pair in targets for x in pair]
        baseline = str(BASELINE_YEAR)
        scale = {
            "": "t.t",
            "baseline": f"t.t * NULLIF(max(r.num) FILTER (WHERE r.period = '{baseline}') "
            "OVER (PARTITION BY r.place_code), 0)",
            "counties": "t.t * CASE WHEN r.level = 'city' THEN COALESCE(nc.n, 0) ELSE 1 END",
        }[ind.target_scale]
        if ind.target_scale == "baseline" and periods[0].period != baseline:
            # A run of later periods only (incremental): the baseline year was not changed, read it as stored.
            scale = "t.t * NULLIF(b.numerator, 0)"
            target_join += (
                " LEFT JOIN reporting_indicatorvalue b ON b.indicator = %s AND b.place_id = r.place_code"
                f" AND b.period = '{baseline}'"
            )
            params.append(ind.code)
        if ind.target_scale == "counties":
            target_join += (
                " LEFT JOIN (SELECT rpad(left(code, 4), 12, '0') AS c, count(*) AS n FROM network_place"
                " WHERE level = 'county' GROUP BY 1) nc ON nc.c = r.place_code"
            )
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
    lanes = [
        [i for i in selected if i.group not in SECOND_LANE_GROUPS],
        [i for i in selected if i.group in SECOND_LANE_GROUPS],
    ]
    return [lane for lane in lanes if lane]


def _run_lane(indicators: list[Indicator], periods: list[Period], computed_at, done) -> tuple[dict, dict]:
    """Prepare, compute and write the indicators in this thread's own database session."""
    counts: dict[str, int] = {}
    changed: dict[str, int] = {}
    with connection.cursor() as cursor:
        for sql in SESSION_SQL:
            cursor.execute(sql)
        try:
            with transaction.atomic():
                _prepare(cursor, periods, indicators)
            unanalysed = 0  # rows written since the value table's statistics were last taken
            for ind in indicators:
                sql, params = indicator_rows_sql(ind, periods)
                if ind.kind == IndicatorKind.DERIVED and unanalysed:
                    # Derived indicators read stored values: plan them on statistics that know those rows.
                    cursor.execute("ANALYZE reporting_indicatorvalue")
                    unanalysed = 0
                with transaction.atomic():
                    cursor.execute("TRUNCATE rpt_rows")
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
            for sql in SESSION_RESET_SQL:
                cursor.execute(sql)
    return counts, changed


def _run_lane_in_thread(indicators, periods, computed_at, done, outcome: dict) -> None:
    try:
        outcome["result"] = _run_lane(indicators, periods, computed_at, done)
    except BaseException as exc:
        outcome["error"] = exc
    finally:
        connection.close()  # the thread's own connection


def indicators_recompute(
    *,
    today: datetime.date | None = None,
    codes: list[str] | None = None,
    progress: Callable[[int, str], None] | None = None,
) -> dict:
    """Recompute every indicator (or the given codes) for every place and period; returns row counts.

    Each indicator is its own transaction, so a page watching the job sees progress; the temporary
    tables live for the session and are dropped at the end. The second lane runs in its own session
    only on PostgreSQL and outside a transaction (inside one, another session would not see its data).
    A run of every indicator also settles the changes pending when it started (their marks are removed
    with its last write); a change recorded while it runs is left for a run after it.
    """
    periods = reporting_periods(today)
    selected = [i for i in INDICATORS if codes is None or i.code in codes]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK_ID])
        try:
            mark_ids = list(PendingChange.objects.values_list("id", flat=True)) if codes is None else []
            return _full_run(cursor, periods, selected, progress=progress, mark_ids=mark_ids)
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_ID])


def _full_run(cursor, periods: list[Period], selected: list[Indicator], *, progress, mark_ids: list[int]) -> dict:
    """Every place and period of the selected indicators (the caller holds the advisory lock)."""
    lanes = _lanes(selected)
    if connection.in_atomic_block or len(lanes) < 2:
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
    computed_at = timezone.now()
    outcomes = [{} for _lane in lanes[1:]]
    threads = [
        threading.Thread(target=_run_lane_in_thread, args=(lane, periods, computed_at, done, out))
        for lane, out in zip(lanes[1:], outcomes, strict=False)
    ]
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
    whole = len(selected) == len(INDICATORS)
    if whole:
        with transaction.atomic():
            cursor.execute(
                "DELETE FROM reporting_indicatorvalue WHERE NOT (indicator = ANY(%s))",
                [[i.code for i in INDICATORS]],
            )
    cursor.execute("ANALYZE reporting_indicatorvalue")
    with transaction.atomic():
        PendingChange.objects.filter(pk__in=mark_ids).delete()
        Computation.objects.create(
            started_at=computed_at,
            finished_at=timezone.now(),
            rows=sum(counts.values()),
            indicators=[i.code for i in selected],
            full=whole,
            periods=[p.period for p in periods],
        )
        if whole:  # the incremental runs of last week are history
            Computation.objects.filter(full=False, finished_at__lt=computed_at - datetime.timedelta(days=7)).delete()
    return {
        "rows": sum(counts.values()),
        "changed": sum(changed.values()),
        "indicators": counts,
        "computed_at": computed_at.isoformat(),
        "periods": [p.period for p in periods],
        "full": True,
        "settled": len(mark_ids),
    }


# ---------------------------------------------------------------- incremental runs (after edits)

# An incremental run that waits longer than this for a lock fails (and is retried by its task), rather
# than holding the advisory lock and the marks behind a stuck writer.
DEFAULT_LOCK_TIMEOUT_MS = 5000

# Deleting what an incremental run no longer produces, among its own places and periods only (a place
# that left the township, county or city level).
DELETE_REACHED_SQL = """DELETE FROM reporting_indicatorvalue AS v WHERE v.indicator = %(code)s
       AND v.place_id = ANY(%(places)s) AND v.period = ANY(%(periods)s)
       AND NOT EXISTS (SELECT 1 FROM rpt_rows r WHERE r.place_code = v.place_id AND r.period = v.period)"""

CODE_RE = re.compile(r"^\d{12}$")


def places_reached(code: str) -> list[str]:
    """The stored places a change under ``code`` reaches: its township, its county-level unit and its city
    (those of them the code lies in), as 12-digit codes derived from the digits (the roll-up's rule)."""
    if not CODE_RE.match(code or ""):
        return []
    reached = [code[:4].ljust(12, "0")]
    if code[4:6] != "00":
        reached.append(code[:6].ljust(12, "0"))
    if code[6:9] != "000":
        reached.append(code[:9].ljust(12, "0"))
    return reached


def _stored_periods_current(periods: list[Period]) -> bool:
    """Whether the last full run stored today's periods for every indicator (else a full run is due: a new
    month or year, or a new catalogue entry, changes rows of every place)."""
    last = Computation.objects.filter(full=True).order_by("-finished_at").values_list("periods", "indicators").first()
    return bool(last) and last[0] == [p.period for p in periods] and set(last[1]) >= {i.code for i in INDICATORS}


def _incremental_run(cursor, periods: list[Period], marks: list[tuple], lock_timeout_ms: int) -> dict:
    """Recompute the periods from the earliest change on, for the townships, county-level units and cities
    the marks reach, in one transaction that also removes the marks (the caller holds the advisory lock).

    Everything happens in one transaction: a failure leaves every stored value and every mark as it was.
    """
    dates = [since for _id, _code, since in marks]
    since = None if any(d is None for d in dates) else min(dates)
    run_periods = [p for p in periods if since is None or p.as_of >= since] or periods[-1:]
    reached = sorted({r for _id, code, _since in marks for r in places_reached(code)})
    cities = sorted({code[:4] for code in reached})
    computed_at = timezone.now()
    counts: dict[str, int] = {}
    changed: dict[str, int] = {}
    try:
        with transaction.atomic():
            for name, value in (
                ("jit", "off"),
                ("work_mem", "128MB"),
                ("synchronous_commit", "off"),
                ("lock_timeout", f"{int(lock_timeout_ms)}ms"),
                # Small statements that reach few rows through indexes: no worker processes, and index
                # lookups priced as on the SSDs the portal runs on rather than as on spinning disks.
                ("max_parallel_workers_per_gather", "0"),
                ("random_page_cost", "1.1"),
            ):
                cursor.execute("SELECT set_config(%s, %s, true)", [name, value])
            _prepare(cursor, run_periods, INDICATORS, cities)
            cursor.execute("CREATE TEMP TABLE rpt_out AS SELECT * FROM rpt_places WHERE code = ANY(%s)", [reached])
            cursor.execute("ANALYZE rpt_out")
            args = {"at": computed_at, "places": reached, "periods": [p.period for p in run_periods]}
            for ind in INDICATORS:
                sql, params = indicator_rows_sql(ind, run_periods, places="rpt_out")
                cursor.execute("DELETE FROM rpt_rows")  # a few hundred rows: cheaper than a new file
                cursor.execute(sql, params)
                counts[ind.code] = cursor.rowcount
                cursor.execute("ANALYZE rpt_rows")
                args["code"] = ind.code
                changed[ind.code] = 0
                for write in [*WRITE_SQL, DELETE_REACHED_SQL]:
                    cursor.execute(write, args)
                    changed[ind.code] += cursor.rowcount
            PendingChange.objects.filter(pk__in=[m[0] for m in marks]).delete()
            Computation.objects.create(
                started_at=computed_at,
                finished_at=timezone.now(),
                rows=sum(counts.values()),
                indicators=[i.code for i in INDICATORS],
                full=False,
                periods=args["periods"],
                places=reached,
            )
    finally:
        for sql in CLEANUP_SQL:
            cursor.execute(sql)
    return {
        "rows": sum(counts.values()),
        "changed": sum(changed.values()),
        "indicators": counts,
        "computed_at": computed_at.isoformat(),
        "periods": args["periods"],
        "places": reached,
        "full": False,
        "settled": len(marks),
    }


def indicators_recompute_pending(
    *, today: datetime.date | None = None, lock_timeout_ms: int | None = None, wait: bool = True
) -> dict:
    """Settle the pending changes: recompute what they reach (an incremental run), or everything when a
    change reaches every place (a rule setting) or the stored periods are not today's.

    The result equals a full recompute (``tests/reporting/test_incremental.py``). The marks are read after
    the advisory lock is taken, so a change recorded while another run was going is settled here; a
    change recorded while this run goes is left for the next one (its commit queued one). Nothing pending:
    one query. With ``wait=False`` (the task) a run already going is not waited for: the result says
    ``busy`` and the caller comes back later, instead of holding a worker while the nightly run goes."""
    idle = {"rows": 0, "changed": 0, "full": False, "settled": 0}
    if not PendingChange.objects.exists():
        return idle
    periods = reporting_periods(today)
    with connection.cursor() as cursor:
        if wait:
            cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK_ID])
        else:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_ID])
            if not cursor.fetchone()[0]:
                return idle | {"busy": True}
        try:
            marks = list(PendingChange.objects.order_by("id").values_list("id", "place_code", "since"))
            if not marks:
                return idle
            if any(not code for _id, code, _since in marks) or not _stored_periods_current(periods):
                return _full_run(cursor, periods, INDICATORS, progress=None, mark_ids=[m[0] for m in marks])
            if lock_timeout_ms is None:
                lock_timeout_ms = getattr(settings, "RECOMPUTE_LOCK_TIMEOUT_MS", DEFAULT_LOCK_TIMEOUT_MS)
            return _incremental_run(cursor, periods, marks, lock_timeout_ms)
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_ID])


def indicators_recompute_job(*, job_id: str | None = None) -> dict:
    """The recompute as a job: progress and outcome stored on ``network.models.Job`` when given."""
    from network.jobs import job_finish, job_progress

    if job_id is None:
        return indicators_recompute()
    job_progress(job_id, 1, "")
    try:
        result = indicators_recompute(progress=lambda pct, code: job_progress(job_id, pct, code))
    except Exception as exc:
        job_finish(job_id, failed=True, message=str(exc)[:500])
        raise
    job_finish(job_id, result={"rows": result["rows"], "computed_at": result["computed_at"]})
    return result


def indicators_recompute_start(*, user):
    """A city administrator starts a full recompute; the page follows the returned job."""
    from network.jobs import job_start

    from .tasks import recompute_indicators

    return job_start(kind="reporting.recompute", user=user, task=recompute_indicators)


# ---------------------------------------------------------------- recording changes (the dirty store)

# How long the first change of a burst waits before its recompute starts, so that the edits of one
# sitting (or one import) are settled by one run.
DEBOUNCE_SECONDS = 2


def _merge_marks(marks: Iterable[tuple[str, datetime.date | None]]) -> dict[str, datetime.date | None]:
    """One mark per place with the earliest date (None, every period, wins)."""
    merged: dict[str, datetime.date | None] = {}
    for code, since in marks:
        code = code or ""
        if code in merged:
            old = merged[code]
            merged[code] = None if old is None or since is None else min(old, since)
        else:
            merged[code] = since
    return merged


def pending_changes_record(marks: Iterable[tuple[str, datetime.date | None]]) -> int:
    """Record that inputs under these places changed from these dates on (``""``: every place; ``None``:
    every period), in the writing transaction, and queue their recompute on commit.

    Called by the model signals and the bulk-write signal (``reporting.signals``) for every write to an
    indicator's input. One row per transaction and place, with the earliest date."""
    merged = _merge_marks(marks)
    if not merged:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO reporting_pendingchange (place_code, since, txid, recorded_at)
               SELECT m.code, m.since, txid_current(), now()
               FROM unnest(CAST(%s AS varchar[]), CAST(%s AS date[])) AS m(code, since)
               ON CONFLICT (txid, place_code) DO UPDATE SET since = CASE
                   WHEN reporting_pendingchange.since IS NULL OR EXCLUDED.since IS NULL THEN NULL
                   ELSE least(reporting_pendingchange.since, EXCLUDED.since) END""",
            [list(merged), list(merged.values())],
        )
    if not any(getattr(f, "__name__", "") == "indicators_recompute_soon" for _s, f, _r in connection.run_on_commit):
        transaction.on_commit(indicators_recompute_soon, robust=True)
    return len(merged)


def indicators_recompute_soon() -> bool:
    """Queue one recompute of the pending changes shortly (debounced: one queued run at a time).

    Runs on commit of the writing transaction. With a worker the run starts ``DEBOUNCE_SECONDS`` later;
    without one (the embedded default: tasks run in-process) it starts at once in a thread of this
    process, so the page that saved the edit answers without waiting for it. Returns whether a run was
    queued. The run clears the key when it starts, so a change committed during a run queues the next."""
    from django.core.cache import cache

    from .tasks import SOON_KEY, recompute_pending

    if not cache.add(SOON_KEY, 1, timeout=60):
        return False
    try:
        if recompute_pending.app.conf.task_always_eager:
            global _in_process_run
            _in_process_run = threading.Thread(target=_settle_in_process, name="recompute-pending", daemon=True)
            _in_process_run.start()
        else:
            recompute_pending.apply_async(countdown=DEBOUNCE_SECONDS)
    except Exception:
        cache.delete(SOON_KEY)  # the next change (or the minute's sweep) tries again; the marks stay
        raise
    return True


_in_process_run: threading.Thread | None = None


def _settle_in_process() -> None:
    """The task's work in this process: clear the key, wait for a run already going, retry a few times on a
    transient error; on failure the marks stay for the next edit's run."""
    import logging
    import time

    from django.core.cache import cache

    from .tasks import SOON_KEY, TRANSIENT

    cache.delete(SOON_KEY)
    try:
        for attempt in range(4):
            try:
                indicators_recompute_pending()
                return
            except TRANSIENT:
                if attempt == 3:
                    raise
                connection.close()
                time.sleep(2**attempt)
    except Exception:
        logging.getLogger(__name__).exception("recompute of pending changes failed")
    finally:
        connection.close()  # the thread's own connection

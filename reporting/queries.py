"""One set-based SQL query per indicator (RULES.md TGT, PRC-2, SRV).

Each function returns ``(sql, params)``. "Facts" queries yield ``k, idx, num, den`` at the finest
place that carries the fact (a township, or a county for workers registered there): ``k`` is the
place's 12-digit division code as an integer, ``idx`` the period's index. The recompute rolls facts
up to townships, counties and cities by integer division of ``k``, so a city value is exactly the sum
of its counties. "Rows" queries (derived indicators) yield finished rows.

They read the temporary tables the recompute prepares once per run (``reporting.services``):

- ``rpt_periods(period, kind, as_of, year, closed, idx, year_start)``: each 31 Dec from 2020 and the
  current month (``year_start``: 1 Jan of its year);
- ``rpt_places(k, code, level)``: the cities, county-level units and townships; ``rpt_stations(station_id,
  k)``: each station's township;
- ``rpt_station_status(station_id, k, idx, as_of, status)``: each station's status on the date, from
  its dated history (the latest entry effective on or before the date);
- ``rpt_stationed(station_id, worker_id, start_on, idx, as_of)``: stationed assignments running on the
  date (``start_on`` ≤ date ≤ ``end_on``, end open when blank); ``rpt_station_staff(station_id, idx,
  n)``: the distinct workers stationed at each station on the date;
- ``rpt_cert_counts(k, idx, n)``: people certified on the date, per place of registration, from the
  merged certification spans (``workforce_certifiedspan``: a person counts once whatever the number
  of certificates or grades); ``rpt_spec_counts(k, idx, category_id, n)``: those of them holding each
  specialisation;
- ``rpt_srv(k, idx, kind, n, g_<group>…)``: service records in the period's year up to its date, per
  township and method, and how many of them served each target group (``ServiceRecord.target_groups``,
  the groups as recorded with the record); ``rpt_srv_county``: the same per county-level unit, for the
  breakdowns, which are kept for counties and the city.
"""

from __future__ import annotations

from network.rule_settings import rule_int
from stations.choices import COUNTED_STATUSES, TargetGroup
from stations.rules import tgt_std_sql
from workforce.rules import prc2_overdue_sql, tgt_org_sql

COUNTED = "(" + ", ".join(f"'{s.value}'" for s in COUNTED_STATUSES) + ")"


def coverage():
    """TGT-COV: each township counts 1 in the denominator and 1 in the numerator when its station is
    established or operating on the date (a station established on 31 Dec counts for that year)."""
    return (
        f"""
        SELECT t.k, per.idx, CASE WHEN ss.status IN {COUNTED} THEN 1 ELSE 0 END AS num, 1 AS den
        FROM rpt_places t CROSS JOIN rpt_periods per
        LEFT JOIN rpt_station_status ss ON ss.k = t.k AND ss.idx = per.idx
        WHERE t.level = 'township'""",
        [],
    )


def standardised():
    """TGT-STD: counted stations that meet the standard on the date — every item of the standard check
    passes on it (``stations.rules.tgt_std_sql``: the six haves from their dated history, a catalogue entry
    published on the date, the stationed workers on the date, and any item another app contributes) —
    over counted stations."""
    met = tgt_std_sql(station="ss.station_id", on="ss.as_of")
    return (
        f"""
        SELECT ss.k, ss.idx, CASE WHEN {met} THEN 1 ELSE 0 END AS num, 1 AS den
        FROM rpt_station_status ss
        WHERE ss.status IN {COUNTED}""",
        [],
    )


def certified():
    """TGT-CERT: people holding a qualification on the date, once each, where they are registered."""
    return "SELECT k, idx, n AS num, CAST(NULL AS numeric) AS den FROM rpt_cert_counts", []


def certified_by_grade(grade: int):
    """TGT-CERT by grade: people whose highest grade held on the date is ``grade`` (a person once), where
    they are registered — those holding a certificate of at least this grade on the date minus those holding
    one of at least the next grade, both from the merged periods the workforce app keeps
    (``workforce.CertifiedSpan`` for grade 1 and above, ``workforce.CertifiedGradeSpan`` for 2 and 3). Each
    period adds one at the first date it covers and removes one at the first date after it."""
    from workforce.choices import Grade
    from workforce.services import GRADE_SPAN_GRADES

    top = max(Grade.values)
    if grade not in Grade.values:
        raise ValueError(grade)

    def source(g: int, sign: int) -> str:
        if g == min(Grade.values):
            return f"SELECT place_code, start_on, end_on, {sign} AS sign FROM workforce_certifiedspan"
        assert g in GRADE_SPAN_GRADES
        return (
            f"SELECT place_code, start_on, end_on, {sign} AS sign FROM workforce_certifiedgradespan WHERE grade = {g}"
        )

    spans = source(grade, 1) + ("" if grade == top else " UNION ALL " + source(grade + 1, -1))

    def query():
        return (
            f"""
            WITH spans AS ({spans}),
            ev AS (SELECT place_code, (SELECT count(*) FROM rpt_periods p WHERE p.as_of < s.start_on) AS i,
                          sign AS d FROM spans s
                   UNION ALL
                   SELECT place_code, (SELECT count(*) FROM rpt_periods p WHERE p.as_of < s.end_on), -sign
                   FROM spans s WHERE s.end_on IS NOT NULL),
            agg AS (SELECT CAST(place_code AS bigint) AS k, i, sum(d) AS d FROM ev GROUP BY 1, 2)
            SELECT a.k, per.idx, sum(a.d) AS num, CAST(NULL AS numeric) AS den
            FROM agg a JOIN rpt_periods per ON a.i <= per.idx
            GROUP BY 1, 2 HAVING sum(a.d) <> 0""",
            [],
        )

    query.__doc__ = certified_by_grade.__doc__
    return query


def _from_certified(select: str, where: str = "") -> str:
    return f"""
        SELECT c.place_id AS place_code, c.level, per.period, per.kind, per.as_of, per.year, per.closed,
               {select}
        FROM rpt_periods per JOIN reporting_indicatorvalue c ON c.indicator = 'TGT-CERT' AND c.period = per.period
        LEFT JOIN reporting_indicatorvalue prev ON prev.indicator = 'TGT-CERT' AND prev.place_id = c.place_id
             AND prev.period = CAST(per.year - 1 AS text)
        LEFT JOIN reporting_indicatorvalue base ON base.indicator = 'TGT-CERT' AND base.place_id = c.place_id
             AND base.period = '2020'
        WHERE c.level IN ('city', 'county') {where}"""


def certified_growth():
    """TGT-CERT year-on-year growth: certified now over certified at the previous 31 Dec, minus 1."""
    return _from_certified("""c.numerator AS num, prev.numerator AS den,
        CASE WHEN prev.numerator > 0 THEN round(100.0 * c.numerator / prev.numerator - 100, 4) END AS value"""), []


def certified_ratio():
    """TGT-CERT ratio to the 2020 baseline (the plan asks for at least 2 by 2023)."""
    return _from_certified("""c.numerator AS num, base.numerator AS den,
        CASE WHEN base.numerator > 0 THEN round(1.0 * c.numerator / base.numerator, 4) END AS value"""), []


def certified_growth_needed():
    """TGT-CERT growth still needed each remaining year to reach the 2023 multiple of 2020:
    (multiple × baseline ÷ now)^(1 ÷ years left) − 1. In 2020 this is 2^(1/3) − 1 ≈ 26 %, more than the
    25 % path — the two goals of the plan disagree slightly (1.25³ ≈ 1.95)."""
    from network.rule_settings import rule_value

    multiple = f"{rule_value('TGT-CERT.multiple_2023'):f}"
    return _from_certified(
        f"""c.numerator AS num, base.numerator AS den,
        CASE WHEN c.numerator > 0 AND base.numerator > 0
             THEN round(100.0 * (power(1.0 * {multiple} * base.numerator / c.numerator,
                                       1.0 / (2023 - per.year)) - 1), 4)
        END AS value""",
        "AND per.year < 2023",
    ), []


def every_township():
    """TGT-EVERY: townships with at least one certified worker on the date — registered in the township
    or stationed at its station."""
    return (
        """
        WITH tw AS (
            SELECT k / 1000 * 1000 AS k, idx FROM rpt_cert_counts WHERE k / 1000 <> k / 1000000 * 1000 AND n > 0
            UNION
            SELECT s.k, st.idx FROM rpt_stationed st
            JOIN workforce_certifiedspan c ON c.worker_id = st.worker_id AND c.start_on <= st.as_of
                 AND (c.end_on IS NULL OR c.end_on > st.as_of)
            JOIN rpt_stations s ON s.station_id = st.station_id)
        SELECT t.k, per.idx, CASE WHEN tw.k IS NULL THEN 0 ELSE 1 END AS num, 1 AS den
        FROM rpt_places t CROSS JOIN rpt_periods per
        LEFT JOIN tw ON tw.k = t.k AND tw.idx = per.idx
        WHERE t.level = 'township'""",
        [],
    )


def specialisation(category: str):
    """TGT-SPEC: certified workers holding the specialisation on the date, over all certified workers."""

    def query():
        return (
            """
            SELECT cc.k, cc.idx, COALESCE(sc.n, 0) AS num, cc.n AS den
            FROM rpt_cert_counts cc LEFT JOIN rpt_spec_counts sc ON sc.k = cc.k
                 AND sc.idx = cc.idx AND sc.category_id = %s""",
            [category],
        )

    query.__doc__ = specialisation.__doc__
    return query


def organisations():
    """TGT-ORG: service organisations that count for the period's year, per county
    (``workforce.rules.tgt_org_sql``: business scope includes social work, incubated 2021 … the year, at most
    2023)."""
    return (
        f"""SELECT CAST(o.county_id AS bigint) AS k, per.idx, count(*) AS num, CAST(NULL AS numeric) AS den
              FROM workforce_organisation o JOIN rpt_periods per ON {tgt_org_sql(org="o", year="per.year")}
              GROUP BY 1, 2""",
        [],
    )


def county_plans_in_force():
    """PLAN-1: each county-level unit counts 1 in the denominator and 1 in the numerator when it has a filed plan
    in force on the date (``supervision.rules_plans.plan1_in_force_sql``: a version filed on or before the date, of
    a plan whose period has not ended before the date's year)."""
    from supervision.rules_plans import plan1_in_force_sql

    in_force = plan1_in_force_sql(county="pl.code", on="per.as_of")
    return (
        f"""
        SELECT pl.k, per.idx, CASE WHEN {in_force} THEN 1 ELSE 0 END AS num, 1 AS den
        FROM rpt_places pl CROSS JOIN rpt_periods per
        WHERE pl.level = 'county'""",
        [],
    )


def staffed_stations():
    """PRC-2: counted stations with at least the required number of stationed workers on the date."""
    return (
        f"""
        SELECT ss.k, ss.idx, CASE WHEN COALESCE(st.n, 0) >= %s THEN 1 ELSE 0 END AS num, 1 AS den
        FROM rpt_station_status ss
        LEFT JOIN rpt_station_staff st ON st.station_id = ss.station_id AND st.idx = ss.idx
        WHERE ss.status IN {COUNTED}""",
        [rule_int("PRC-2.workers_per_station")],
    )


def overdue_qualifications():
    """PRC-2: workers stationed on the date who are overdue on it (``workforce.rules.prc2_overdue_sql``: the
    clock runs from their first day stationed at any station; overdue after the deadline until they hold a
    valid qualification), counted at the station where they are stationed on the date."""
    overdue, params = prc2_overdue_sql(worker="st.worker_id", on="st.as_of")
    return (
        f"""
        SELECT s.k, st.idx, count(DISTINCT st.worker_id) AS num, CAST(NULL AS numeric) AS den
        FROM rpt_stationed st JOIN rpt_stations s ON s.station_id = st.station_id
        WHERE {overdue}
        GROUP BY 1, 2""",
        params,
    )


def services_total():
    """SRV: service records of the stations in the period's year up to the date (1 Jan … 31 Dec for a
    closed year, 1 Jan … today for the current month), counted where the station is."""
    return "SELECT k, idx, n AS num, CAST(NULL AS numeric) AS den FROM rpt_srv", []


def services_by_method(kind: str):
    """SRV-3: service records of the method (home visit, casework, group, community) in the year to the date."""

    def query():
        return "SELECT k, idx, n AS num, CAST(NULL AS numeric) AS den FROM rpt_srv_county WHERE kind = %s", [kind]

    query.__doc__ = services_by_method.__doc__
    return query


def services_by_group(group: str):
    """SRV-1: service records in the year to the date that served at least one recipient of the target
    group as recorded with the record (a record serving several groups counts once in each)."""

    if group not in TargetGroup.values:  # it names a column
        raise ValueError(group)

    def query():
        return f"SELECT k, idx, g_{group} AS num, CAST(NULL AS numeric) AS den FROM rpt_srv_county", []

    query.__doc__ = services_by_group.__doc__
    return query


# --- Procurement and funds (PRC-2, PRC-3, PRC-4, PRC-5, FUND-1): the rules' SQL forms from procurement.rules ----
#
# Contracts count in the county-level unit of their project; stations and pay lines at the township of the
# station. Joining ``rpt_places`` / ``rpt_stations`` keeps an incremental run to the cities it recomputes.


def _contracts_in_force(where: str = "") -> str:
    return f"""
        FROM procurement_contract c JOIN procurement_project pr ON pr.id = c.project_id
        JOIN rpt_places pl ON pl.code = pr.county_id
        JOIN rpt_periods per ON c.start_on <= per.as_of AND c.end_on >= per.as_of {where}"""


def contract_clauses():
    """PRC-5: contracts in force on the date that state all six clauses, over contracts in force."""
    from procurement.rules import prc5_clauses_sql

    return (
        f"""SELECT CAST(pr.county_id AS bigint) AS k, per.idx,
                   count(*) FILTER (WHERE {prc5_clauses_sql("c")}) AS num, count(*) AS den
            {_contracts_in_force()} GROUP BY 1, 2""",
        [],
    )


def contract_fee():
    """PRC-3: contracts in force on the date whose management fee is within its cap, over contracts in force."""
    from procurement.rules import prc3_fee_within_sql

    within, params = prc3_fee_within_sql("c")
    return (
        f"""SELECT CAST(pr.county_id AS bigint) AS k, per.idx, count(*) FILTER (WHERE {within}) AS num,
                   count(*) AS den
            {_contracts_in_force()} GROUP BY 1, 2""",
        params,
    )


def stations_contracted():
    """Counted stations covered on the date by a service contract in force, over counted stations."""
    return (
        f"""
        SELECT ss.k, ss.idx, CASE WHEN EXISTS (
                   SELECT 1 FROM procurement_contract_stations cs JOIN procurement_contract c ON c.id = cs.contract_id
                   WHERE cs.station_id = ss.station_id AND c.start_on <= ss.as_of AND c.end_on >= ss.as_of)
               THEN 1 ELSE 0 END AS num, 1 AS den
        FROM rpt_station_status ss WHERE ss.status IN {COUNTED}""",
        [],
    )


def stations_staffed_under_contract():
    """PRC-2: stations covered by a contract in force on the date with at least the required number of stationed
    workers whose assignments (running on the date) are employed under a contract in force, over those stations."""
    return (
        """
        WITH cov AS (SELECT DISTINCT cs.station_id, per.idx
                     FROM procurement_contract_stations cs JOIN procurement_contract c ON c.id = cs.contract_id
                     JOIN rpt_periods per ON c.start_on <= per.as_of AND c.end_on >= per.as_of),
        staff AS (SELECT a.station_id, per.idx, count(DISTINCT a.worker_id) AS n
                  FROM procurement_contractassignment ca JOIN workforce_assignment a ON a.id = ca.assignment_id
                  JOIN procurement_contract c2 ON c2.id = ca.contract_id
                  JOIN rpt_periods per ON a.start_on <= per.as_of AND (a.end_on IS NULL OR a.end_on >= per.as_of)
                       AND c2.start_on <= per.as_of AND c2.end_on >= per.as_of
                  GROUP BY 1, 2)
        SELECT s.k, cov.idx, CASE WHEN COALESCE(staff.n, 0) >= %s THEN 1 ELSE 0 END AS num, 1 AS den
        FROM cov JOIN rpt_stations s ON s.station_id = cov.station_id
        LEFT JOIN staff ON staff.station_id = cov.station_id AND staff.idx = cov.idx""",
        [rule_int("PRC-2.workers_per_station")],
    )


def pay_floor():
    """PRC-3: stationed workers' pay lines of the months from 1 January of the period's year up to its date that
    meet their floor (``procurement.rules``: the city minimum wage of the year × the floor of the grade held on
    the first day of the month), over those pay lines; counted where the station is. The grade is looked up only
    for lines between the lowest and the highest floor: above the highest a line meets any grade's floor, below
    the lowest none."""
    from procurement.rules import prc3_floors_sql, prc3_line_grades_sql, prc3_meets_floor_sql

    floors, params = prc3_floors_sql("monthly")
    meets = prc3_meets_floor_sql(amount="pl.amount", grade="COALESCE(g.grade, 0)")
    return (
        f"""
        WITH w AS (SELECT year, {floors} FROM procurement_minimumwage),
        pl AS MATERIALIZED (
            SELECT p.id, p.worker_id, p.month, p.amount, s.k, per.idx, w.f0, w.f1, w.f2, w.fmin, w.fmax
            FROM procurement_payline p JOIN rpt_stations s ON s.station_id = p.station_id
            -- a month lies in one period at most: its year's (a hash join on the year, not a range join)
            JOIN rpt_periods per ON per.year = CAST(EXTRACT(YEAR FROM p.month) AS integer) AND p.month <= per.as_of
            LEFT JOIN w ON w.year = per.year),
        mid AS (SELECT id, worker_id, month FROM pl WHERE amount < fmax AND amount >= fmin),
        g AS ({prc3_line_grades_sql("mid")})
        SELECT pl.k, pl.idx, count(*) FILTER (WHERE {meets}) AS num, count(*) AS den
        FROM pl LEFT JOIN g ON g.id = pl.id
        GROUP BY 1, 2""",
        params,
    )


def assistance_fund_share():
    """FUND-1: social-assistance funds budgeted for purchased services in the period's year (projects by budget
    year) over the county's social-assistance special funds of that year, where those are recorded."""
    return (
        """
        SELECT CAST(f.county_id AS bigint) AS k, per.idx, COALESCE(u.used, 0) AS num, f.assistance_funds AS den
        FROM procurement_countyfund f JOIN rpt_places pl ON pl.code = f.county_id
        JOIN rpt_periods per ON per.year = f.year
        LEFT JOIN (SELECT county_id, budget_year, sum(fund_assistance) AS used FROM procurement_project
                   GROUP BY 1, 2) u ON u.county_id = f.county_id AND u.budget_year = f.year""",
        [],
    )


def final_evaluations_on_time():
    """PRC-4: contracts whose final evaluation was due (one month before the end) by the date and was done by
    then, over contracts whose final evaluation was due by the date."""
    from procurement.rules import prc4_final_on_time_sql

    on_time = prc4_final_on_time_sql(end_on="c.end_on", done_on="e.evaluated_on")
    return (
        f"""
        SELECT CAST(pr.county_id AS bigint) AS k, per.idx, count(*) FILTER (WHERE {on_time}) AS num,
               count(*) AS den
        FROM procurement_contract c JOIN procurement_project pr ON pr.id = c.project_id
        JOIN rpt_places pl ON pl.code = pr.county_id
        JOIN rpt_periods per ON (c.end_on - interval '1 month')::date <= per.as_of
        LEFT JOIN procurement_evaluation e ON e.contract_id = c.id AND e.kind = 'final'
        GROUP BY 1, 2""",
        [],
    )


# --- Training (SUP-2): the rule's SQL form from supervision.rules_training ---------------------------------------
#
# A stationed worker counts at the township of the station of their last assignment in the period's window
# (1 January to the date); only workers ever stationed at the run's stations are reckoned (an incremental run).


def training_met():
    """SUP-2: workers stationed in the year to the date whose training hours attended from 1 January to the date
    reach the hours required (the annual hours pro rata to the days stationed), over those workers
    (``rpt_training``: the rule's SQL form, ``supervision.rules_training.sup2_worker_year_sql``)."""
    return "SELECT k, idx, CASE WHEN hours >= required THEN 1 ELSE 0 END AS num, 1 AS den FROM rpt_training", []


def training_average():
    """SUP-2: the training hours attended from 1 January to the date by the workers stationed in the year to the
    date, over those workers."""
    return "SELECT k, idx, hours AS num, 1 AS den FROM rpt_training", []

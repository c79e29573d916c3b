"""The city's periodic report as an .xlsx workbook: a summary sheet and one sheet per indicator group,
a row per county (or per township for a county's version) and the total row, from stored values."""

from __future__ import annotations

import tempfile

from django.core.files import File
from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from liuzhou_social.tabular import safe_cell
from network.models import Place

from .catalogue import GROUPS, INDICATORS
from .selectors import report_rows

STATUS_ZH = {"met": "达标", "on_track": "进展正常", "at_risk": "有风险", "missed": "未达标", "": ""}
GROUP_ZH = {
    "network": "站点建设",
    "workforce": "持证社工",
    "specialisation": "专业领域",
    "organisations": "社会工作服务机构",
    "procurement": "驻站社工",
    "services": "服务开展",
    "contracts": "购买服务与资金",
    "supervision": "督导",
    "training": "培训",
    "plans": "县区实施方案",
}
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def _number_format(ind) -> str:
    if ind.unit == "%":
        return '0.0"%"'
    if ind.unit == "×":
        return '0.00"×"'
    if ind.kind == "average":
        return "#,##0.0"
    return "#,##0"


def _sheet(wb, title, heading, headers, rows, formats, widths):
    ws = wb.create_sheet(title=title[:31])
    ws["A1"] = heading
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([])
    ws.append(headers)
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in rows:
        ws.append([safe_cell(v) if isinstance(v, str) else v for v in row])
        r = ws.max_row
        for col, fmt in formats.items():
            ws.cell(row=r, column=col).number_format = fmt
    ws.freeze_panes = "B4"
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    return ws


def report_workbook_write(*, place: Place, period: str, target, progress=None) -> None:
    places, values = report_rows(place=place, period=period)
    wb = Workbook()
    wb.remove(wb.active)
    # Summary: the place's own value per indicator.
    own = values.get(place.code, {})
    summary_rows = []
    for ind in INDICATORS:
        v = own.get(ind.code)
        if v is None:
            continue
        summary_rows.append(
            [ind.code, ind.name_zh, ind.rule, str(ind.unit), v.value, v.target, STATUS_ZH.get(v.status, "")]
        )
    from .selectors import computed_at_by_indicator

    computed = max(computed_at_by_indicator().values(), default=None)
    heading = f"{place.name}社会工作服务网络指标报告（{period}）"
    if computed:
        heading += f"  计算时间：{timezone.localtime(computed):%Y-%m-%d %H:%M}"
    _sheet(
        wb,
        "汇总",
        heading,
        ["指标代码", "指标", "规则", "单位", "数值", "目标", "状态"],
        summary_rows,
        {5: "0.00", 6: "0.00"},
        [18, 34, 12, 8, 12, 12, 10],
    )
    groups = list(GROUPS)
    for n, group in enumerate(groups, start=1):
        inds = [i for i in INDICATORS if i.group == group and place.level in i.levels]
        if not inds:
            continue
        headers = ["地区", "代码"] + [f"{i.name_zh}（{i.unit!s}）" for i in inds] + [f"{i.name_zh}状态" for i in inds]
        rows, formats = [], {}
        for p in places:
            vals = values.get(p.code, {})
            label = f"{p.name}（合计）" if p.code == place.code else p.name
            rows.append(
                [label, p.code]
                + [getattr(vals.get(i.code), "value", None) for i in inds]
                + [STATUS_ZH.get(getattr(vals.get(i.code), "status", ""), "") for i in inds]
            )
        for k, ind in enumerate(inds, start=3):
            formats[k] = _number_format(ind)
        _sheet(
            wb,
            GROUP_ZH[group],
            f"{place.name} · {GROUP_ZH[group]}（{period}）",
            headers,
            rows,
            formats,
            [22, 14] + [16] * (2 * len(inds)),
        )
        if progress:
            progress(int(100 * n / (len(groups) + 1)))
    wb.save(target)


def report_workbook_job(*, job_id: str) -> dict:
    from network.jobs import job_finish, job_progress
    from network.models import Job

    job = Job.objects.get(pk=job_id)
    place = Place.objects.get(code=job.params["place"])
    period = job.params["period"]
    job_progress(job_id, 5, "")
    try:
        with tempfile.TemporaryFile(suffix=".xlsx") as tmp:
            with translation.override("zh-hans"):  # the workbook's titles are Chinese
                report_workbook_write(
                    place=place, period=period, target=tmp, progress=lambda pct: job_progress(job_id, pct, "")
                )
            tmp.seek(0)
            job.output.save(f"report-{place.code}-{period}.xlsx", File(tmp), save=True)
    except Exception as exc:
        job_finish(job_id, failed=True, message=str(exc)[:500])
        raise
    job_finish(job_id, result={"place": place.code, "period": period})
    return {"place": place.code, "period": period}


def report_workbook_start(*, user, place: Place, period: str):
    from network.jobs import job_start

    from .tasks import build_report_workbook

    return job_start(
        kind="reporting.workbook", user=user, task=build_report_workbook, params={"place": place.code, "period": period}
    )

"""The quarterly roster a county sends: workers, qualifications and station assignments in one workbook.

``roster_template`` writes the blank workbook (Chinese headers, drop-down lists, an instructions sheet);
``roster_import`` validates every row of every sheet first and writes all or nothing in one transaction;
``roster_export`` writes what a user may see in the same layout, so a roster can go round trip.

The rules are those of ``services`` (GB 11643 ID numbers, TGT-CERT dates, unique certificate numbers,
PRC-2 assignments, organisations of the user's county), applied in bulk: the whole file is checked against
a few preloaded lookups instead of one query per row.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from liuzhou_social.tabular import ImportResult, RowError, TableFormatError, cell_text, detect_kind
from liuzhou_social.validators import (id_number_birth_date, normalise_id_number, validate_credit_code,
                                       validate_id_number, validate_phone)
from network.choices import PlaceLevel
from network.masking import mask_id_number, mask_phone, sees_personal_data
from network.models import Place
from network.scope import CHANGE, VIEW, scope_prefixes

from .choices import AssignmentRole, Education, Gender, Grade
from .models import Assignment, Organisation, Qualification, Worker
from .services import ADULT_YEARS, certified_spans_refresh, gender_from_id_number

# Sheet names and headers as the county sees them (Chinese, the language of the roster).
WORKERS, QUALIFICATIONS, ASSIGNMENTS, INSTRUCTIONS, LISTS = "社工", "资格证书", "驻站", "填写说明", "选项"
WORKER_HEADERS = ["姓名", "身份证号", "性别", "出生日期", "手机号", "学历", "所在地区代码", "工作单位统一社会信用代码"]
QUALIFICATION_HEADERS = ["身份证号", "证书等级", "证书编号", "取得日期", "全国社工信息系统登记日期", "撤销日期"]
ASSIGNMENT_HEADERS = ["身份证号", "服务站所在乡镇代码", "岗位", "承接机构统一社会信用代码", "开始日期", "结束日期"]
SHEETS = {WORKERS: WORKER_HEADERS, QUALIFICATIONS: QUALIFICATION_HEADERS, ASSIGNMENTS: ASSIGNMENT_HEADERS}
BATCH = 5000

INSTRUCTIONS_TEXT = [
    "柳州市社会工作人才花名册（每季度报送）",
    "1. 本工作簿有三张表：“社工”“资格证书”“驻站”。请勿修改表头；空行将被忽略。",
    "2. 身份证号为18位，须通过 GB 11643 校验；出生日期、性别可留空，将按身份证号自动填写。",
    "3. 一人一档：身份证号已登记的社工将被更新，不会重复登记。",
    "4. 资格证书：证书等级为助理社会工作师、社会工作师或高级社会工作师；证书编号全市唯一；"
    "取得日期不得早于年满18周岁之日，也不得晚于今天。",
    "5. 全国社会工作专业人才信息系统登记有效期3年，期满前3个月内须重新登记。",
    "6. 驻站（PRC-2）：同一时间只能在一个服务站驻站；承接机构须为本县（区）登记、经营范围含社会工作的机构。",
    "7. 日期格式：2023-03-31。地区代码、乡镇代码为12位统计用区划代码，可从“选项”表的下拉列表中选择。",
    "8. 任何一行有误时整份花名册都不会写入，并逐行列出错误（表、行、列、值、原因）。",
]


def _labels(choices) -> dict[str, str]:
    """Accepted spellings of each choice: the stored value, the English label and the Chinese label."""
    out = {}
    for value, label in choices:
        out[str(value).lower()] = value
        with translation.override("en"):
            out[str(label).lower()] = value
        with translation.override("zh-hans"):
            out[str(label)] = value
    return out


def _zh(label) -> str:
    with translation.override("zh-hans"):
        return str(label)


def parse_date(value) -> datetime.date | None:
    """A date cell: a real date, or text 2023-03-31, 2023/3/31, 2023.3.31 or 20230331."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    if len(text) == 8 and text.isdigit():
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    for sep in ("/", "."):
        text = text.replace(sep, "-")
    try:
        y, m, d = (int(p) for p in text.split("-"))
        return datetime.date(y, m, d)
    except (ValueError, TypeError):
        raise ValueError(text) from None


@dataclass
class RosterResult(ImportResult):
    """Counts per sheet: {sheet: {"created": n, "updated": n, "unchanged": n}}."""

    sheets: dict = field(default_factory=lambda: {s: {"created": 0, "updated": 0, "unchanged": 0} for s in SHEETS})

    def count(self, sheet, what, n=1):
        self.sheets[sheet][what] += n
        setattr(self, what, getattr(self, what) + n)


def check_workbook(upload) -> None:
    """A quick check at upload time (no rows are read): an xlsx workbook with the workers sheet."""
    from openpyxl import load_workbook

    if detect_kind(upload) != "xlsx":
        raise TableFormatError(_("The roster must be an .xlsx workbook made from the template."))
    try:
        wb = load_workbook(upload, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a corrupt file
        raise TableFormatError(_("The file is not a valid xlsx workbook (it may be corrupt).")) from exc
    try:
        if WORKERS not in wb.sheetnames:
            raise TableFormatError(_("The workbook has no sheet named “%(sheet)s”.") % {"sheet": WORKERS})
    finally:
        wb.close()
    upload.seek(0)


def _read_sheets(upload) -> dict[str, tuple[list[str], list]]:
    """Every roster sheet as (headers, rows); the workbook is streamed once, sheet by sheet."""
    from openpyxl import load_workbook

    if detect_kind(upload) != "xlsx":
        raise TableFormatError(_("The roster must be an .xlsx workbook made from the template."))
    try:
        wb = load_workbook(upload, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a corrupt file
        raise TableFormatError(_("The file is not a valid xlsx workbook (it may be corrupt).")) from exc
    try:
        out = {}
        if WORKERS not in wb.sheetnames:
            raise TableFormatError(_("The workbook has no sheet named “%(sheet)s”.") % {"sheet": WORKERS})
        for name in SHEETS:
            if name not in wb.sheetnames:
                out[name] = (SHEETS[name], [])
                continue
            rows = wb[name].iter_rows(values_only=True)
            headers = [cell_text(h) for h in next(rows, ())]
            body = []
            for number, row in enumerate(rows, start=2):
                if row and any(v is not None and v != "" for v in row):
                    body.append((number, row))
            out[name] = (headers, body)
        return out
    finally:
        wb.close()


class _Checker:
    """Collects errors with sheet, row, column, value and reason."""

    def __init__(self, result: RosterResult):
        self.result = result

    def __call__(self, sheet, row, column, value, message):
        if isinstance(value, (datetime.date, datetime.datetime)):
            value = value.isoformat()[:10]
        self.result.errors.append(RowError(row, column, "" if value is None else value, message, sheet=sheet))


def roster_import(*, user, upload, commit: bool = True, today: datetime.date | None = None) -> RosterResult:
    """Check the whole roster, then (if ``commit`` and no row is wrong) write it in one transaction.

    One person, one record: a known ID number updates that worker; certificates are matched by number and
    assignments by (worker, station, role, start). Nothing is written if any row of any sheet is wrong.
    """
    today = today or datetime.date.today()
    result = RosterResult()
    err = _Checker(result)
    sheets = _read_sheets(upload)
    for name, expected in SHEETS.items():
        headers = sheets[name][0]
        missing = [h for h in expected if h not in headers]
        if missing and sheets[name][1]:
            err(name, 1, "、".join(missing), "", _("missing column(s); the template's columns are: %(h)s") % {
                "h": "、".join(expected)})
    if result.errors:
        return result

    change_prefixes = scope_prefixes(user, CHANGE)
    if not change_prefixes:
        err(WORKERS, 1, "", "", _("Your role may only read; it cannot import a roster."))
        return result

    def in_change_scope(code: str) -> bool:
        return any(code.startswith(p) for p in change_prefixes)

    places = set(Place.objects.restrict(user, CHANGE).filter(
        level__in=[PlaceLevel.COUNTY, PlaceLevel.TOWNSHIP]).values_list("code", flat=True))
    all_orgs = {code: (pk, social) for pk, code, social in Organisation.objects.values_list(
        "pk", "credit_code", "scope_includes_social_work")}
    visible_orgs = set(Organisation.objects.restrict(user, VIEW).values_list("credit_code", flat=True))
    genders, educations, grades, roles = (_labels(c.choices) for c in (Gender, Education, Grade, AssignmentRole))

    def col(headers, row, name):
        i = headers.index(name) if name in headers else None
        return None if i is None or i >= len(row) else row[i]

    def organisation_ref(sheet, number, column, raw, provider=False):
        code = cell_text(raw).upper()
        if not code:
            return None, True
        try:
            validate_credit_code(code)
        except Exception as exc:  # noqa: BLE001
            err(sheet, number, column, code, " ".join(getattr(exc, "messages", [str(exc)])))
            return None, False
        if code not in all_orgs:
            err(sheet, number, column, code, _("No service organisation with this credit code is registered; "
                                               "register the organisation first."))
            return None, False
        if code not in visible_orgs:
            err(sheet, number, column, code, _("This organisation is registered outside your county; choose one "
                                               "of your county's organisations."))
            return None, False
        if provider and not all_orgs[code][1]:
            err(sheet, number, column, code, _("PRC-2: the provider's registered business scope must include "
                                               "social work."))
            return None, False
        return all_orgs[code][0], True

    def date_cell(sheet, number, column, raw, required=False):
        try:
            value = parse_date(raw)
        except ValueError:
            err(sheet, number, column, raw, _("not a date; write it as 2023-03-31"))
            return None, False
        if value is None and required:
            err(sheet, number, column, "", _("required"))
            return None, False
        if value and value > today:
            err(sheet, number, column, value, _("The date lies in the future."))
            return None, False
        return value, True

    # --- Workers --------------------------------------------------------------------------------------------
    headers, rows = sheets[WORKERS]
    file_workers: dict[str, dict] = {}
    for number, row in rows:
        raw_id = cell_text(col(headers, row, "身份证号"))
        id_number = normalise_id_number(raw_id)
        ok = True
        try:
            validate_id_number(id_number)
        except Exception as exc:  # noqa: BLE001
            err(WORKERS, number, "身份证号", raw_id, " ".join(exc.messages))
            continue
        if id_number in file_workers:
            err(WORKERS, number, "身份证号", id_number, _("the ID number appears twice in the sheet (first at row "
                                                        "%(row)s); one person, one record") % {
                "row": file_workers[id_number]["row"]})
            continue
        birth = id_number_birth_date(id_number)
        name = cell_text(col(headers, row, "姓名"))
        if not name or len(name) > 50:
            err(WORKERS, number, "姓名", name, _("the name is required (at most 50 characters)"))
            ok = False
        gender_text = cell_text(col(headers, row, "性别"))
        gender = gender_from_id_number(id_number)
        if gender_text and genders.get(gender_text.lower(), genders.get(gender_text)) != gender:
            err(WORKERS, number, "性别", gender_text, _("The gender differs from the one the ID number encodes "
                                                      "(GB 11643)."))
            ok = False
        birth_cell, good = date_cell(WORKERS, number, "出生日期", col(headers, row, "出生日期"))
        ok &= good
        if birth_cell and birth_cell != birth:
            err(WORKERS, number, "出生日期", birth_cell, _("The birth date differs from the one inside the ID "
                                                         "number (%(d)s).") % {"d": birth})
            ok = False
        phone = cell_text(col(headers, row, "手机号"))
        if phone:
            try:
                validate_phone(phone)
            except Exception as exc:  # noqa: BLE001
                err(WORKERS, number, "手机号", phone, " ".join(exc.messages))
                ok = False
        education_text = cell_text(col(headers, row, "学历"))
        education = ""
        if education_text:
            education = educations.get(education_text.lower(), educations.get(education_text))
            if education is None:
                err(WORKERS, number, "学历", education_text, _("choose one of the drop-down values"))
                ok = False
        place = cell_text(col(headers, row, "所在地区代码"))[:12]
        if place not in places:
            err(WORKERS, number, "所在地区代码", place, _("not a county or township code inside the places you may "
                                                      "change"))
            ok = False
        org_id, good = organisation_ref(WORKERS, number, "工作单位统一社会信用代码",
                                        col(headers, row, "工作单位统一社会信用代码"))
        ok &= good
        file_workers[id_number] = {"row": number, "ok": ok, "data": {
            "name": name, "gender": gender, "birth_date": birth, "id_number": id_number, "phone": phone,
            "education": education or "", "organisation_id": org_id, "place_id": place}}

    def existing_by(model, field_name, keys, fields):
        found = {}
        keys = list(keys)
        for i in range(0, len(keys), BATCH):
            for obj in model.objects.filter(**{f"{field_name}__in": keys[i:i + BATCH]}).only(*fields):
                found[getattr(obj, field_name)] = obj
        return found

    headers_q, rows_q = sheets[QUALIFICATIONS]
    headers_a, rows_a = sheets[ASSIGNMENTS]
    referenced = set(file_workers)
    for headers_x, rows_x in ((headers_q, rows_q), (headers_a, rows_a)):
        for _number, row in rows_x:
            referenced.add(normalise_id_number(cell_text(col(headers_x, row, "身份证号"))))
    existing_workers = existing_by(Worker, "id_number", referenced, ["id", "id_number", "place_id", *[
        f for f in ("name", "gender", "birth_date", "phone", "education", "organisation_id")]])
    for id_number, entry in file_workers.items():
        known = existing_workers.get(id_number)
        if known is not None and not in_change_scope(known.place_id):
            err(WORKERS, entry["row"], "身份证号", id_number, _("This person is already registered by another county "
                                                             "or township; ask them to update the record."))
            entry["ok"] = False

    def worker_ref(sheet, number, raw):
        id_number = normalise_id_number(cell_text(raw))
        if id_number in file_workers:
            entry = file_workers[id_number]
            return id_number, entry["data"]["birth_date"], entry["ok"]
        known = existing_workers.get(id_number)
        if known is None:
            err(sheet, number, "身份证号", id_number, _("this person is neither in the “社工” sheet nor registered"))
            return None, None, False
        if not in_change_scope(known.place_id):
            err(sheet, number, "身份证号", id_number, _("This person is already registered by another county or "
                                                     "township; ask them to update the record."))
            return None, None, False
        return id_number, known.birth_date, True

    # --- Qualifications ---------------------------------------------------------------------------------------
    file_certs: dict[str, dict] = {}
    for number, row in rows_q:
        id_number, birth, ok = worker_ref(QUALIFICATIONS, number, col(headers_q, row, "身份证号"))
        grade_text = cell_text(col(headers_q, row, "证书等级"))
        grade = grades.get(grade_text.lower(), grades.get(grade_text))
        if grade is None:
            err(QUALIFICATIONS, number, "证书等级", grade_text, _("choose 助理社会工作师, 社会工作师 or 高级社会工作师"))
            ok = False
        cert = cell_text(col(headers_q, row, "证书编号")).upper()
        if not cert or len(cert) > 40:
            err(QUALIFICATIONS, number, "证书编号", cert, _("the certificate number is required (at most 40 "
                                                         "characters)"))
            ok = False
        elif cert in file_certs:
            err(QUALIFICATIONS, number, "证书编号", cert, _("This certificate number is already recorded.") + " " + _(
                "(first at row %(row)s)") % {"row": file_certs[cert]["row"]})
            ok = False
        obtained, good = date_cell(QUALIFICATIONS, number, "取得日期", col(headers_q, row, "取得日期"), True)
        ok &= good
        if obtained and birth and obtained < birth + relativedelta(years=ADULT_YEARS):
            err(QUALIFICATIONS, number, "取得日期", obtained, _("The date obtained is before the worker turned 18 "
                                                             "(%(d)s).") % {"d": birth + relativedelta(years=ADULT_YEARS)})
            ok = False
        registered, good = date_cell(QUALIFICATIONS, number, "全国社工信息系统登记日期",
                                     col(headers_q, row, "全国社工信息系统登记日期"))
        ok &= good
        revoked, good = date_cell(QUALIFICATIONS, number, "撤销日期", col(headers_q, row, "撤销日期"))
        ok &= good
        for column, value in (("全国社工信息系统登记日期", registered), ("撤销日期", revoked)):
            if value and obtained and value < obtained:
                err(QUALIFICATIONS, number, column, value, _("The date is before the certificate was obtained."))
                ok = False
        if cert and cert not in file_certs:
            file_certs[cert] = {"row": number, "ok": ok, "id_number": id_number, "data": {
                "grade": grade, "certificate_no": cert, "obtained_on": obtained, "registered_on": registered,
                "revoked_on": revoked}}
    existing_certs = existing_by(Qualification, "certificate_no", file_certs, [
        "id", "certificate_no", "worker_id", "grade", "obtained_on", "registered_on", "revoked_on"])
    worker_pk_by_id = {k: w.pk for k, w in existing_workers.items()}
    for cert, entry in file_certs.items():
        known = existing_certs.get(cert)
        if known is not None and known.worker_id != worker_pk_by_id.get(entry["id_number"], -1):
            err(QUALIFICATIONS, entry["row"], "证书编号", cert, _("This certificate number is already recorded.") + " "
                + _("It belongs to another person."))
            entry["ok"] = False

    # --- Assignments (PRC-2) -------------------------------------------------------------------------------------
    from stations.models import Station

    stations = dict(Station.objects.restrict(user, CHANGE).values_list("place_id", "pk"))
    station_names = dict(Station.objects.values_list("pk", "place__name"))
    file_assignments: list[dict] = []
    for number, row in rows_a:
        id_number, _birth, ok = worker_ref(ASSIGNMENTS, number, col(headers_a, row, "身份证号"))
        township = cell_text(col(headers_a, row, "服务站所在乡镇代码"))[:12]
        station_id = stations.get(township)
        if station_id is None:
            err(ASSIGNMENTS, number, "服务站所在乡镇代码", township, _("no station of a township you may change has "
                                                                 "this code"))
            ok = False
        role_text = cell_text(col(headers_a, row, "岗位")) or _zh(AssignmentRole.STATIONED.label)
        role = roles.get(role_text.lower(), roles.get(role_text))
        if role is None:
            err(ASSIGNMENTS, number, "岗位", role_text, _("choose one of the drop-down values"))
            ok = False
        org_id, good = organisation_ref(ASSIGNMENTS, number, "承接机构统一社会信用代码",
                                        col(headers_a, row, "承接机构统一社会信用代码"), provider=True)
        ok &= good
        start, good = date_cell(ASSIGNMENTS, number, "开始日期", col(headers_a, row, "开始日期"), True)
        ok &= good
        try:
            end = parse_date(col(headers_a, row, "结束日期"))
        except ValueError:
            err(ASSIGNMENTS, number, "结束日期", col(headers_a, row, "结束日期"), _("not a date; write it as 2023-03-31"))
            end, ok = None, False
        if start and end and end < start:
            err(ASSIGNMENTS, number, "结束日期", end, _("The end date is before the start date."))
            ok = False
        file_assignments.append({"row": number, "ok": ok, "id_number": id_number, "station_id": station_id,
                                 "role": role, "organisation_id": org_id, "start_on": start, "end_on": end})

    # Overlaps (PRC-2: one station at a time), against the database and inside the file.
    known_pks = [worker_pk_by_id[a["id_number"]] for a in file_assignments if a["id_number"] in worker_pk_by_id]
    existing_assignments: dict[int, list[Assignment]] = defaultdict(list)
    for i in range(0, len(known_pks), BATCH):
        for a in Assignment.objects.filter(worker_id__in=known_pks[i:i + BATCH]):
            existing_assignments[a.worker_id].append(a)
    by_person: dict[str, list[dict]] = defaultdict(list)
    for a in file_assignments:
        if not a["ok"]:
            continue
        pk = worker_pk_by_id.get(a["id_number"])
        a["existing"] = next((x for x in existing_assignments.get(pk, []) if x.station_id == a["station_id"]
                              and x.role == a["role"] and x.start_on == a["start_on"]), None)
        others = [{"station_id": x.station_id, "role": x.role, "start_on": x.start_on, "end_on": x.end_on,
                   "where": _("already recorded")} for x in existing_assignments.get(pk, [])
                  if a["existing"] is None or x.pk != a["existing"].pk]
        others += [{**b, "where": _("row %(row)s") % {"row": b["row"]}} for b in by_person[a["id_number"]]]
        for other in others:
            if (other["end_on"] is None or other["end_on"] >= a["start_on"]) and (
                    a["end_on"] is None or other["start_on"] <= a["end_on"]) and (
                    other["station_id"] != a["station_id"] or other["role"] == a["role"]):
                err(ASSIGNMENTS, a["row"], "开始日期", a["start_on"], _(
                    "PRC-2: the worker is already assigned to %(station)s from %(start)s%(end)s; the periods "
                    "overlap.") % {"station": station_names.get(other["station_id"], ""), "start": other["start_on"],
                                   "end": _(" to %(d)s") % {"d": other["end_on"]} if other["end_on"] else ""}
                    + f" ({other['where']})")
                a["ok"] = False
                break
        by_person[a["id_number"]].append(a)

    result.errors.sort(key=lambda e: (list(SHEETS).index(e.sheet) if e.sheet in SHEETS else 9, e.row))
    if result.errors:
        return result
    _plan_and_write(user, result, file_workers, existing_workers, file_certs, existing_certs, file_assignments,
                    commit)
    return result


def _plan_and_write(user, result, file_workers, existing_workers, file_certs, existing_certs, file_assignments,
                    commit):
    new_workers, changed_workers = [], []
    fields = ["name", "gender", "birth_date", "phone", "education", "organisation_id", "place_id"]
    for id_number, entry in file_workers.items():
        data = entry["data"]
        known = existing_workers.get(id_number)
        if known is None:
            new_workers.append(Worker(**data))
            result.count(WORKERS, "created")
        elif any(getattr(known, f) != data[f] for f in fields):
            for f in fields:
                setattr(known, f, data[f])
            changed_workers.append(known)
            result.count(WORKERS, "updated")
        else:
            result.count(WORKERS, "unchanged")
    new_certs, changed_certs = [], []
    q_fields = ["grade", "obtained_on", "registered_on", "revoked_on"]
    for cert, entry in file_certs.items():
        known = existing_certs.get(cert)
        if known is None:
            new_certs.append((entry["id_number"], Qualification(**entry["data"])))
            result.count(QUALIFICATIONS, "created")
        elif any(getattr(known, f) != entry["data"][f] for f in q_fields):
            for f in q_fields:
                setattr(known, f, entry["data"][f])
            changed_certs.append(known)
            result.count(QUALIFICATIONS, "updated")
        else:
            result.count(QUALIFICATIONS, "unchanged")
    new_assignments, changed_assignments = [], []
    for a in file_assignments:
        known = a.get("existing")
        if known is None:
            new_assignments.append((a["id_number"], Assignment(
                station_id=a["station_id"], role=a["role"], organisation_id=a["organisation_id"],
                start_on=a["start_on"], end_on=a["end_on"])))
            result.count(ASSIGNMENTS, "created")
        elif known.end_on != a["end_on"] or known.organisation_id != a["organisation_id"]:
            known.end_on, known.organisation_id = a["end_on"], a["organisation_id"]
            changed_assignments.append(known)
            result.count(ASSIGNMENTS, "updated")
        else:
            result.count(ASSIGNMENTS, "unchanged")
    if not commit:
        return
    with transaction.atomic():
        created = bulk_create_with_history(new_workers, Worker, batch_size=BATCH, default_user=user)
        pk_by_id = {k: w.pk for k, w in existing_workers.items()}
        pk_by_id.update({w.id_number: w.pk for w in created})
        if changed_workers:
            bulk_update_with_history(changed_workers, Worker, ["name", "gender", "birth_date", "phone", "education",
                                                               "organisation_id", "place_id"],
                                     batch_size=BATCH, default_user=user)
        for id_number, q in new_certs:
            q.worker_id = pk_by_id[id_number]
        bulk_create_with_history([q for _k, q in new_certs], Qualification, batch_size=BATCH, default_user=user)
        if changed_certs:
            bulk_update_with_history(changed_certs, Qualification, ["grade", "obtained_on", "registered_on",
                                                                    "revoked_on"], batch_size=BATCH,
                                     default_user=user)
        for id_number, a in new_assignments:
            a.worker_id = pk_by_id[id_number]
        bulk_create_with_history([a for _k, a in new_assignments], Assignment, batch_size=BATCH, default_user=user)
        if changed_assignments:
            bulk_update_with_history(changed_assignments, Assignment, ["end_on", "organisation_id"],
                                     batch_size=BATCH, default_user=user)
        touched = {pk_by_id[k] for k, _q in new_certs} | {q.worker_id for q in changed_certs}
        touched |= {w.pk for w in changed_workers}
        if touched:
            certified_spans_refresh(worker_ids=sorted(touched))


# --- Template and export -----------------------------------------------------------------------------------------


def _add_list(ws_lists, column: int, title: str, values: list[str]) -> str:
    ws_lists.cell(row=1, column=column, value=title)
    for i, v in enumerate(values, start=2):
        ws_lists.cell(row=i, column=column, value=v)
    letter = ws_lists.cell(row=1, column=column).column_letter
    return f"'{LISTS}'!${letter}$2:${letter}${max(len(values) + 1, 2)}"


def _validation(ws, formula: str, column_letter: str, rows: int = 5000):
    dv = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=True,
                        errorTitle="输入有误", error="请从下拉列表中选择")
    ws.add_data_validation(dv)
    dv.add(f"{column_letter}2:{column_letter}{rows + 1}")


def roster_workbook(*, user, rows: dict[str, list[list]] | None = None) -> Workbook:
    """The roster workbook: three data sheets with Chinese headers and drop-downs, instructions, option lists."""
    from openpyxl.styles import Font

    from stations.models import Station

    wb = Workbook()
    ws_info = wb.active
    ws_info.title = INSTRUCTIONS
    for i, line in enumerate(INSTRUCTIONS_TEXT, start=1):
        ws_info.cell(row=i, column=1, value=line).font = Font(bold=(i == 1))
    ws_info.column_dimensions["A"].width = 110
    data_sheets = {}
    for name, headers in SHEETS.items():
        ws = wb.create_sheet(name)
        ws.append(headers)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for i in range(1, len(headers) + 1):
            ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = 22
        ws.freeze_panes = "A2"
        for row in (rows or {}).get(name, []):
            ws.append(row)
        data_sheets[name] = ws
    ws_lists = wb.create_sheet(LISTS)
    places = [f"{c} {n}" for c, n in Place.objects.restrict(user, CHANGE if scope_prefixes(user, CHANGE) else VIEW)
              .filter(level__in=[PlaceLevel.COUNTY, PlaceLevel.TOWNSHIP]).values_list("code", "name")]
    station_places = [f"{c} {n}" for c, n in Station.objects.restrict(user, VIEW).values_list(
        "place_id", "place__name")]
    with translation.override("zh-hans"):
        genders = _add_list(ws_lists, 1, "性别", [str(label) for _v, label in Gender.choices])
        educations = _add_list(ws_lists, 2, "学历", [str(label) for _v, label in Education.choices])
        grades = _add_list(ws_lists, 3, "证书等级", [str(label) for _v, label in Grade.choices])
        roles = _add_list(ws_lists, 4, "岗位", [str(label) for _v, label in AssignmentRole.choices])
    place_list = _add_list(ws_lists, 5, "地区代码", places)
    station_list = _add_list(ws_lists, 6, "服务站所在乡镇", station_places)
    _validation(data_sheets[WORKERS], genders, "C")
    _validation(data_sheets[WORKERS], educations, "F")
    _validation(data_sheets[WORKERS], place_list, "G")
    _validation(data_sheets[QUALIFICATIONS], grades, "B")
    _validation(data_sheets[ASSIGNMENTS], station_list, "B")
    _validation(data_sheets[ASSIGNMENTS], roles, "C")
    for ws, letters in ((data_sheets[WORKERS], "BGH"), (data_sheets[QUALIFICATIONS], "AC"),
                        (data_sheets[ASSIGNMENTS], "ABD")):
        for letter in letters:  # identifiers stay text: Excel would round an 18-digit number
            for r in range(2, 5002):
                ws[f"{letter}{r}"].number_format = "@"
    ws_lists.sheet_state = "hidden"
    return wb


def roster_export_rows(*, user, workers) -> dict[str, list[list]]:
    """The roster sheets for the given (already scoped) workers; personal data masked for roles that do not
    need it."""
    full = sees_personal_data(user)

    def ident(v):
        return v if full else mask_id_number(v)

    workers = list(workers.select_related("organisation"))
    ids = [w.pk for w in workers]
    by_pk = {w.pk: w for w in workers}
    with translation.override("zh-hans"):
        out = {WORKERS: [[w.name, ident(w.id_number), str(w.get_gender_display()), w.birth_date,
                          w.phone if full else mask_phone(w.phone), str(w.get_education_display() or ""),
                          w.place_id, w.organisation.credit_code if w.organisation else ""] for w in workers],
               QUALIFICATIONS: [], ASSIGNMENTS: []}
        for i in range(0, len(ids), BATCH):
            for q in Qualification.objects.filter(worker_id__in=ids[i:i + BATCH]).order_by("worker_id", "obtained_on"):
                out[QUALIFICATIONS].append([ident(by_pk[q.worker_id].id_number), str(q.get_grade_display()),
                                            q.certificate_no, q.obtained_on, q.registered_on, q.revoked_on])
            for a in Assignment.objects.filter(worker_id__in=ids[i:i + BATCH]).select_related(
                    "station", "organisation").order_by("worker_id", "start_on"):
                out[ASSIGNMENTS].append([ident(by_pk[a.worker_id].id_number), a.station.place_id,
                                         str(a.get_role_display()),
                                         a.organisation.credit_code if a.organisation else "", a.start_on, a.end_on])
    return out


# --- The import as a background job (CONVENTIONS 7) -----------------------------------------------------------

ROSTER_JOB_KIND = "workforce.roster"


def _job_result(result: RosterResult, *, committed: bool) -> dict:
    return {"committed": committed, "created": result.created, "updated": result.updated,
            "unchanged": result.unchanged, "sheets": result.sheets,
            "errors": [{"sheet": e.sheet, "row": e.row, "column": e.column,
                        "value": "" if e.value is None else str(e.value), "message": str(e.message)}
                       for e in result.errors]}


def roster_job_run(*, job_id) -> dict:
    """Check (``params["commit"]`` false) or import (true) the roster kept on the job; store every error or the
    counts on the job. Idempotent: a finished import is left alone."""
    from network.choices import JobStatus
    from network.jobs import job_finish, job_progress
    from network.models import Job

    job = Job.objects.select_related("created_by").get(pk=job_id)
    commit = bool(job.params.get("commit"))
    if job.status == JobStatus.DONE and job.result.get("committed"):
        return job.result
    job_progress(job.pk, 10, _("Importing every row") if commit else _("Checking every row"))
    try:
        with job.upload.open("rb") as handle:
            handle.name = job.upload.name
            result = roster_import(user=job.created_by, upload=handle, commit=commit)
    except TableFormatError as exc:
        job_finish(job.pk, message=str(exc), failed=True)
        return {}
    out = _job_result(result, committed=commit and result.ok)
    if not result.ok:
        job_finish(job.pk, result=out, message=_("Nothing was imported."), failed=True)
    else:
        job_finish(job.pk, result=out)
    return out


def roster_job_confirm(*, job) -> bool:
    """Queue the import of a checked, valid roster (after the transaction commits). False if there is nothing
    to confirm (not checked yet, errors found, or already imported)."""
    from network.choices import JobStatus
    from network.models import Job

    from .tasks import roster_import_job

    if job.status != JobStatus.DONE or job.params.get("commit") or job.result.get("errors"):
        return False
    Job.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED, progress=0, finished_at=None,
                                         params=job.params | {"commit": True})
    transaction.on_commit(lambda: roster_import_job.delay(str(job.pk)))
    return True

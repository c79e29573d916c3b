"""The pay-line workbook (PRC-3), the part counties keep in spreadsheets, on the one import engine.

Each row: contract number, the worker's ID number (and name, checked against it), month, monthly pay. A row is
checked by the same service as the form (``services.payline_check``): the worker stationed under that contract in
the month, the month within its term, the minimum wage of its year recorded, the pay not negative. A line below its
floor is imported (it is a finding, shown on the contract page); every other wrong row refuses the whole file.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from liuzhou_social.validators import normalise_id_number
from network.imports import Column, ImportSpec, Sheet, register
from workforce.models import Worker

from . import services
from .models import MinimumWage, PayLine

_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?(?:\s*[-/.]\s*\d{1,2}\s*日?)?$")


def parse_month(raw) -> datetime.date | None:
    """2026-11, 2026/11, 2026年11月, 2026-11-01 or a date cell → the first day of the month."""
    if isinstance(raw, datetime.datetime):
        raw = raw.date()
    if isinstance(raw, datetime.date):
        return raw.replace(day=1)
    match = _MONTH.match(str(raw or "").strip())
    if not match:
        return None
    try:
        return datetime.date(int(match.group(1)), int(match.group(2)), 1)
    except ValueError:
        return None


@register
class PayLineImport(ImportSpec):
    kind = "procurement.paylines"
    title = gettext_lazy("Import pay lines")
    upload_url_name = "procurement:payline_import"
    template_url_name = "procurement:payline_template"
    list_url_name = "procurement:payline_list"
    list_label = gettext_lazy("Open the pay lines")
    nav_template = "procurement/_nav.html"
    sheets = [
        Sheet(
            "paylines",
            gettext_lazy("Pay lines"),
            [
                Column("contract", gettext_lazy("Contract number"), True, max_length=40, width=22),
                Column(
                    "id_number",
                    gettext_lazy("ID number"),
                    True,
                    as_text=True,
                    width=22,
                    hint=gettext_lazy("The stationed worker's resident ID number (18 characters)"),
                ),
                Column(
                    "name",
                    pgettext_lazy("person", "Name"),
                    max_length=50,
                    hint=gettext_lazy("Checked against the ID number"),
                ),
                Column("month", gettext_lazy("Month"), True, as_text=True, hint=gettext_lazy("e.g. 2026-11")),
                Column(
                    "amount", gettext_lazy("Monthly pay (yuan)"), True, hint=gettext_lazy("Gross pay, e.g. 3620.00")
                ),
                Column("note", gettext_lazy("Note"), max_length=200, width=30),
            ],
            unique=("contract", "id_number", "month"),
        )
    ]

    def instruction_lines(self):
        return [
            _(
                "PRC-3: each line is checked against the city minimum wage of the month's year × the floor of the "
                "worker's grade on the first day of the month; a line below its floor is imported and shown as a "
                "finding on the contract page until it is corrected."
            ),
            _("Only workers stationed under the contract in that month can be paid under it."),
        ]

    def prepare(self):
        from .selectors import contracts_staffed_by

        self.contracts = {c.number: c for c in contracts_staffed_by(self.user).select_related("provider")}
        self.wages = dict(MinimumWage.objects.values_list("year", "monthly"))
        self.workers: dict[str, Worker | None] = {}

    def _worker(self, id_number: str) -> Worker | None:
        if id_number not in self.workers:
            self.workers[id_number] = Worker.objects.restrict(self.user).filter(id_number=id_number).first()
        return self.workers[id_number]

    def check_paylines(self, row):
        contract = self.contracts.get(row["contract"].strip())
        if contract is None:
            row.error("contract", _("unknown contract number, or a contract whose pay you may not record"))
        id_number = normalise_id_number(row["id_number"])
        worker = self._worker(id_number)
        if worker is None:
            row.error("id_number", _("no worker with this ID number in your places"))
        elif row["name"] and row["name"].strip() != worker.name:
            row.error("name", _("the name differs from the worker registered with this ID number"))
        month = parse_month(row["month"])
        if month is None:
            row.error("month", _("not a month; write it as 2026-11"))
        try:
            amount = Decimal(str(row["amount"]).replace(",", "").replace("，", "").strip())
            if not amount.is_finite():
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            row.error("amount", _("not an amount in yuan"))
            amount = None
        if row.failed:
            return None
        errors, _station = services.payline_check(
            contract=contract, worker=worker, month=month, amount=amount, wages=self.wages
        )
        row.errors_of("amount", errors, {"month": "month", "worker": "id_number", "amount": "amount"})
        if row.failed:
            return None
        return {"contract": contract, "worker": worker, "month": month, "amount": amount, "note": row["note"]}

    def plan(self, outcome):
        rows = outcome.rows["paylines"]
        existing = {
            (p.contract_id, p.worker_id, p.month): p
            for p in PayLine.objects.filter(
                contract__in={r["contract"].pk for r in rows}, worker__in={r["worker"].pk for r in rows}
            )
        }
        self.todo = []
        for r in rows:
            line = existing.get((r["contract"].pk, r["worker"].pk, r["month"]))
            if line is None:
                outcome.count("paylines", "created")
            elif line.amount == r["amount"] and line.note == r["note"]:
                outcome.count("paylines", "unchanged")
                continue
            else:
                outcome.count("paylines", "updated")
            self.todo.append((r, line))

    def write(self, outcome):
        for r, line in self.todo:
            try:
                services.payline_save(
                    user=self.recorded_by,
                    data={k: r[k] for k in ("contract", "worker", "month", "amount", "note")},
                    line=line,
                )
            except ValidationError as exc:  # checked above; a concurrent change is refused whole
                raise ValidationError(
                    _("Row %(row)s: %(m)s") % {"row": r["_row"], "m": "; ".join(exc.messages)}
                ) from exc

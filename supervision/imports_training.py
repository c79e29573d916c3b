"""The training sign-in sheet (SUP-2), the counties' way of recording attendance, on the one import engine.

Each row: the course (its title as the portal knows it), the day attended, the worker's ID number (and name,
checked against it), the hours attended. A row is checked by the same service as the form
(``services_training.attendance_check``): the course known in the importer's places with that day among its
dates, the worker known in the places the importer may change, the day not in the future, and at most 24 hours
of training on one day for one person — across the rows already recorded and the other rows of the file. Any
wrong row refuses the whole file, each error named by its row and column; a row already recorded (same course,
worker and day) is updated when its hours differ.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal, InvalidOperation

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from liuzhou_social.validators import normalise_id_number
from network.changes import indicator_inputs_changed_send
from network.imports import Column, ImportSpec, Sheet, register
from network.scope import CHANGE
from stations.imports import history_insert_select
from workforce.choices import AssignmentRole
from workforce.models import Assignment, Worker

from . import services_training as services
from .choices_training import AttendanceSource
from .models import Attendance, Course
from .rules_training import sup2_annual_hours

BATCH = 2000


def parse_hours(raw) -> Decimal | None:
    try:
        value = Decimal(str(raw).replace("，", ".").replace("小时", "").replace("h", "").strip())
    except (InvalidOperation, ValueError):
        return None
    if not value.is_finite() or value != value.quantize(Decimal("0.1")):
        return None
    return value


@register
class AttendanceImport(ImportSpec):
    kind = "supervision.attendance"
    title = gettext_lazy("Import training sign-in sheets")
    upload_url_name = "supervision:attendance_import"
    template_url_name = "supervision:attendance_template"
    list_url_name = "supervision:attendance_list"
    list_label = gettext_lazy("Open the training attendance")
    nav_template = "supervision/training/_nav.html"
    sheets = [
        Sheet(
            "attendance",
            gettext_lazy("Sign-in sheet"),
            [
                Column(
                    "course",
                    gettext_lazy("Course"),
                    True,
                    max_length=200,
                    width=30,
                    hint=gettext_lazy("The course title as recorded in the portal"),
                ),
                Column("attended_on", gettext_lazy("Date attended"), True, kind="date", hint="2023-05-18"),
                Column(
                    "id_number",
                    gettext_lazy("ID number"),
                    True,
                    as_text=True,
                    width=22,
                    hint=gettext_lazy("The worker's resident ID number (18 characters)"),
                ),
                Column(
                    "name",
                    pgettext_lazy("person", "Name"),
                    max_length=50,
                    hint=gettext_lazy("Checked against the ID number"),
                ),
                Column("hours", gettext_lazy("Hours attended"), True, hint=gettext_lazy("e.g. 3.5")),
                Column("note", gettext_lazy("Note"), max_length=200, width=30),
            ],
            unique=("course", "attended_on", "id_number"),
        )
    ]

    def instruction_lines(self):
        return [
            _(
                "SUP-2: each stationed social worker receives at least %(h)s hours of training a year; the hours "
                "attended count for the year of the day attended."
            )
            % {"h": f"{sup2_annual_hours():g}"},
            _("The course must be recorded in the portal first; the date attended must be one of its days."),
            _("At most 24 hours of training in one day for one person, across every course."),
            _("Any wrong row refuses the whole file; nothing is imported until every row is correct."),
        ]

    def prepare(self):
        self.courses: dict[str, list[Course]] = defaultdict(list)
        for c in Course.objects.restrict(self.user).order_by("start_on", "id"):
            self.courses[c.title.strip()].append(c)
        self.workers: dict[str, Worker | None] = {}
        self.pending: dict[tuple[int, datetime.date], Decimal] = defaultdict(Decimal)

    def _worker(self, id_number: str) -> Worker | None:
        if id_number not in self.workers:
            self.workers[id_number] = Worker.objects.restrict(self.user, CHANGE).filter(id_number=id_number).first()
        return self.workers[id_number]

    def _course(self, row, title: str, day: datetime.date | None) -> Course | None:
        candidates = self.courses.get(title.strip(), [])
        if not candidates:
            row.error("course", _("unknown course: no course with this title in your places"))
            return None
        if day is None:
            return None
        on_day = [c for c in candidates if c.start_on <= day <= c.end_on]
        if len(on_day) > 1:
            row.error("course", _("several courses with this title run on that day; give them distinct titles"))
            return None
        return on_day[0] if on_day else candidates[-1]  # the service names the course's dates

    def check_attendance(self, row):
        day = row["attended_on"]
        course = self._course(row, row["course"], day)
        worker = self._worker(normalise_id_number(row["id_number"]))
        if worker is None:
            row.error("id_number", _("unknown worker: no worker with this ID number in the places you may change"))
        elif row["name"] and row["name"].strip() != worker.name:
            row.error("name", _("the name differs from the worker registered with this ID number"))
        hours = parse_hours(row["hours"])
        if hours is None:
            row.error("hours", _("not a number of hours; write it as 3.5"))
        if row.failed:
            return None
        existing = Attendance.objects.filter(course=course, worker=worker, attended_on=day).first()
        errors = services.attendance_check(
            course=course,
            worker=worker,
            attended_on=day,
            hours=hours,
            exclude=existing.pk if existing else None,
            pending=self.pending,
        )
        row.errors_of("hours", errors, {"course": "course", "worker": "id_number", "attended_on": "attended_on"})
        if row.failed:
            return None
        self.pending[(worker.pk, day)] += hours
        return {"course": course, "worker": worker, "attended_on": day, "hours": hours, "note": row["note"] or ""}

    def plan(self, outcome):
        rows = outcome.rows["attendance"]
        keys = Q(pk__in=[])
        for worker_id in {r["worker"].pk for r in rows}:
            keys |= Q(
                worker_id=worker_id, attended_on__in={r["attended_on"] for r in rows if r["worker"].pk == worker_id}
            )
        existing = {(a.course_id, a.worker_id, a.attended_on): a for a in Attendance.objects.filter(keys)}
        self.new, self.changed = [], []
        for r in rows:
            a = existing.get((r["course"].pk, r["worker"].pk, r["attended_on"]))
            if a is None:
                outcome.count("attendance", "created")
                self.new.append(
                    Attendance(
                        course=r["course"],
                        worker=r["worker"],
                        attended_on=r["attended_on"],
                        hours=r["hours"],
                        note=r["note"],
                        source=AttendanceSource.IMPORT,
                    )
                )
            elif a.hours == r["hours"] and a.note == r["note"]:
                outcome.count("attendance", "unchanged")
            else:
                outcome.count("attendance", "updated")
                a.hours, a.note = r["hours"], r["note"]
                self.changed.append(a)

    def write(self, outcome):
        created = Attendance.objects.bulk_create(self.new, batch_size=BATCH)
        history_insert_select(Attendance, [a.pk for a in created], self.recorded_by, "+")
        if self.changed:
            Attendance.objects.bulk_update(self.changed, ["hours", "note"], batch_size=BATCH)
            history_insert_select(Attendance, [a.pk for a in self.changed], self.recorded_by, "~")
        written = [*created, *self.changed]
        if not written:
            return
        # SUP-2: the figures follow the import — the townships of the stations the workers are stationed at,
        # and their places of registration, from the earliest day written.
        workers = {a.worker_id for a in written}
        places = set(
            Assignment.objects.filter(worker_id__in=workers, role=AssignmentRole.STATIONED).values_list(
                "station__place_id", flat=True
            )
        ) | {a.worker.place_id for a in written}
        indicator_inputs_changed_send(
            sender="supervision.AttendanceImport", place_codes=places, since=min(a.attended_on for a in written)
        )

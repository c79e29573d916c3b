"""Stations, rooms and recipients as import specs on the one engine (``network.imports``).

Each workbook has one data sheet whose headers are the Chinese column labels (the English labels are
accepted as well). Every row is checked by the functions the forms call (``services``: SRV-1 target
groups, registration dates, villages; NET-3 status steps and shared venues; NET-4 rooms; the GB 11643 and
phone validators of the models), against lookups prefetched once — a fixed number of queries, never one per
row. Nothing is written unless every row is correct; then all rows are written with set-based inserts in one
transaction.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from liuzhou_social.validators import normalise_id_number, validate_id_number, validate_phone
from network.changes import indicator_inputs_changed_send
from network.choices import PersonalDataAction, PlaceLevel
from network.imports import Column, ImportSpec, Sheet, register
from network.models import Place
from network.personal_data import personal_data_event_record
from network.scope import CHANGE, VIEW

from . import services
from .choices import Gender, RoomStatus, SharedVenue, StationStatus, TargetGroup
from .models import Recipient, Room, Station, StationStatusChange

BATCH = 2000
OPTIONS_LIMIT = 5000


def place_code_of(value: str) -> str:
    """“450222101201 某某村” or “450222101201” → the 12-digit code."""
    return value.split()[0] if value else ""


def place_options(places) -> list[str]:
    return [f"{c} {n}" for c, n in places.values_list("code", "name")[:OPTIONS_LIMIT]]


def history_insert_select(model, pks: list, user, history_type: str) -> None:
    """Write the history rows (EVAL-1: every change attributable) of freshly saved rows with one
    ``INSERT … SELECT`` per batch, instead of building a history object per row in Python."""
    if not pks:
        return
    history = model.history.model
    qn = connection.ops.quote_name
    columns = [f.column for f in model._meta.concrete_fields]
    target = ", ".join(
        qn(c) for c in [*columns, "history_date", "history_change_reason", "history_type", "history_user_id"]
    )
    source = ", ".join(qn(c) for c in columns)
    pk_column = qn(model._meta.pk.column)
    sql = (
        f"INSERT INTO {qn(history._meta.db_table)} ({target}) SELECT {source}, %s, NULL, %s, %s "
        f"FROM {qn(model._meta.db_table)} WHERE {pk_column} = ANY(%s)"
    )
    now = timezone.now()
    user_id = getattr(user, "pk", None)
    with connection.cursor() as cursor:
        for start in range(0, len(pks), 10000):
            cursor.execute(sql, [now, history_type, user_id, list(pks[start : start + 10000])])


class StationsAppImport(ImportSpec):
    """What the three station-app imports share: their pages and who may import."""

    slug = ""
    upload_url_name = "stations:import_upload"
    template_url_name = "stations:import_template"

    @classmethod
    def url(cls, which):
        from django.urls import reverse

        if which in ("upload", "template"):
            return reverse(getattr(cls, f"{which}_url_name"), args=[cls.slug])
        return super().url(which)


# ---------------------------------------------------------------- recipients


@register
class RecipientImport(StationsAppImport):
    """Service recipients (SRV-1) of the villages the user may change; a known ID number updates the person."""

    kind = "stations.import.recipients"
    slug = "recipients"
    title = gettext_lazy("Import recipients")
    list_url_name = "stations:recipient_list"
    list_label = gettext_lazy("Open the recipients")
    sheets = [
        Sheet(
            "recipients",
            gettext_lazy("Recipients"),
            [
                Column(
                    "name",
                    pgettext_lazy("person", "Name"),
                    True,
                    hint=gettext_lazy("Full name"),
                    width=12,
                    max_length=50,
                ),
                Column(
                    "id_number",
                    gettext_lazy("ID number"),
                    True,
                    hint=gettext_lazy("18-character resident ID number (GB 11643); write it as text"),
                    width=22,
                    as_text=True,
                ),
                Column(
                    "gender",
                    gettext_lazy("Gender"),
                    kind="choice",
                    choices=lambda: Gender.choices,
                    invalid=gettext_lazy("choose 男 or 女"),
                    width=8,
                ),
                Column(
                    "phone",
                    gettext_lazy("Phone"),
                    hint=gettext_lazy("11-digit mobile or landline with area code"),
                    max_length=20,
                ),
                Column(
                    "village",
                    gettext_lazy("Village / community"),
                    True,
                    hint=gettext_lazy("Choose from the list: division code and name"),
                    width=34,
                    options=lambda spec: place_options(spec.villages()),
                ),
                Column(
                    "target_groups",
                    gettext_lazy("Target groups"),
                    True,
                    kind="choices",
                    choices=lambda: TargetGroup.choices,
                    invalid=gettext_lazy("SRV-1: not one of the ten target groups"),
                    hint=gettext_lazy("SRV-1: one or more of the ten target groups, separated by 、"),
                    width=30,
                ),
                Column(
                    "registered_on",
                    gettext_lazy("Registered on"),
                    True,
                    kind="date",
                    hint=gettext_lazy("Date, e.g. 2024-03-01"),
                ),
                Column("household_notes", gettext_lazy("Household notes"), width=40, max_length=2000, multiline=True),
            ],
            unique=("id_number",),
        )
    ]
    instructions = [
        gettext_lazy("SRV-1: a person may belong to several target groups; separate them with 、."),
        gettext_lazy("A row whose ID number is already registered in your places updates that person."),
        gettext_lazy("The registration date may not lie in the future nor before the station was established."),
    ]
    FIELDS = ["name", "gender", "phone", "village_id", "target_groups", "registered_on", "household_notes"]

    def villages(self):
        return Place.objects.restrict(self.user, CHANGE).filter(level=PlaceLevel.VILLAGE)

    def prepare(self):
        self.township_of = dict(self.villages().values_list("code", "parent_id"))
        self.established = services.stations_established_on(place_ids=set(self.township_of.values()))
        self.today = timezone.localdate()

    def check_recipients(self, row):
        """The rules of the recipient form, in its words (``services`` and the model's validators)."""
        id_number = normalise_id_number(row["id_number"])
        row.check("id_number", validate_id_number, id_number)
        if row["phone"]:
            row.check("phone", validate_phone, row["phone"])
        groups = row.check("target_groups", services.recipient_validate_target_groups, row["target_groups"])
        village = place_code_of(row["village"])
        township = self.township_of.get(village)
        if row["registered_on"]:
            row.check(
                "registered_on",
                services.recipient_registered_on_check,
                registered_on=row["registered_on"],
                established_on=self.established.get(township),
                today=self.today,
            )
        return {
            "name": row["name"],
            "id_number": id_number,
            "gender": row["gender"] or "",
            "phone": row["phone"],
            "village_id": village,
            "in_scope": township is not None,
            "target_groups": groups,
            "registered_on": row["registered_on"],
            "household_notes": row["household_notes"],
        }

    def check_file(self, outcome):
        """A village outside the user's places is refused as the form refuses it; an ID number registered
        outside them is refused, inside it the row updates the person."""
        rows = outcome.rows["recipients"]
        outside = {r["village_id"] for r in rows if not r["in_scope"]}
        if outside:
            places = Place.objects.in_bulk(list(outside))
            for r in rows:
                if r["in_scope"]:
                    continue
                place = places.get(r["village_id"])
                if place is None:
                    outcome.add_error(
                        "recipients",
                        r["_row"],
                        "village",
                        r["village_id"],
                        _("unknown village or community: choose one from the template's list"),
                    )
                    continue
                try:
                    services.recipient_village_check(village=place, changeable=False)
                except ValidationError as exc:
                    for message in exc.messages:
                        outcome.add_error("recipients", r["_row"], "village", r["village_id"], message)
        self.existing: dict[str, tuple[int, str]] = {}
        ids = [r["id_number"] for r in rows]
        for start in range(0, len(ids), 5000):
            for pk, number, village in Recipient.objects.filter(id_number__in=ids[start : start + 5000]).values_list(
                "pk", "id_number", "village_id"
            ):
                self.existing[number] = (pk, village)
        if not self.existing:
            return
        mine = set(
            Recipient.objects.restrict(self.user, CHANGE)
            .filter(pk__in=[pk for pk, _v in self.existing.values()])
            .values_list("pk", flat=True)
        )
        outside = {pk for pk, _v in self.existing.values()} - mine
        seen = set(Recipient.objects.restrict(self.user, VIEW).filter(pk__in=outside).values_list("pk", flat=True))
        refused = []
        for r in rows:
            found = self.existing.get(r["id_number"])
            if found and found[0] not in mine:
                if found[0] in seen:
                    message = _("this person is already registered by another station; ask the county officer")
                else:  # outside the user's places: say nothing about that person (network.personal_data)
                    message = _("This ID number cannot be used here. The county or city civil-affairs office can help.")
                    refused.append(found[0])
                outcome.add_error("recipients", r["_row"], "id_number", r["id_number"], message)
        if refused:
            personal_data_event_record(
                user=self.user,
                action=PersonalDataAction.REFUSED_ID,
                subject=str(Recipient._meta.verbose_name_plural),
                object_ids=refused,
            )

    def plan(self, outcome):
        rows = outcome.rows["recipients"]
        current = (
            Recipient.objects.in_bulk(
                [self.existing[r["id_number"]][0] for r in rows if r["id_number"] in self.existing]
            )
            if self.existing
            else {}
        )
        self.new, self.changed = [], []
        for r in rows:
            values = {k: r[k] for k in self.FIELDS}
            found = self.existing.get(r["id_number"])
            if found is None:
                self.new.append(Recipient(id_number=r["id_number"], **values))
                continue
            obj = current[found[0]]
            if all(getattr(obj, k) == v for k, v in values.items()):
                outcome.count("recipients", "unchanged")
                continue
            for k, v in values.items():
                setattr(obj, k, v)
            self.changed.append(obj)
        outcome.count("recipients", "created", len(self.new))
        outcome.count("recipients", "updated", len(self.changed))

    def write(self, outcome):
        user = self.recorded_by
        created = Recipient.objects.bulk_create(self.new, batch_size=BATCH)
        history_insert_select(Recipient, [r.pk for r in created], user, "+")
        if self.changed:
            Recipient.objects.bulk_update(self.changed, self.FIELDS, batch_size=BATCH)
            history_insert_select(Recipient, [r.pk for r in self.changed], user, "~")

    def display(self, sheet, column, values):
        from network.masking import mask_id_number, mask_phone, sees_personal_data

        if column.key in ("id_number", "phone") and not sees_personal_data(self.user):
            value = values.get(column.key) or ""
            return mask_id_number(value.upper()) if column.key == "id_number" else mask_phone(value)
        return super().display(sheet, column, values)


# ---------------------------------------------------------------- stations


def _yes_no(key, label, width=8):
    return Column(key, label, kind="bool", default=False, width=width)


@register
class StationImport(StationsAppImport):
    """Stations (NET-3) of the townships the user may change. A row for a township that has a station updates
    its fields and, when its status differs, appends that status to its dated history on the row's date,
    checked by the same NET-3 step rule as the status page; a new station starts as the NET-3 life cycle
    allows."""

    kind = "stations.import.stations"

    @classmethod
    def may_import(cls, user) -> bool:
        from network.roles import may_keep_stations

        return may_keep_stations(user)

    slug = "stations"
    title = gettext_lazy("Import stations")
    list_url_name = "stations:station_list"
    list_label = gettext_lazy("Open the stations")
    BOOL_FIELDS = [
        "has_venue",
        "has_equipment",
        "has_personnel",
        "has_service_functions",
        "has_workflow",
        "has_rules",
        "independent_office",
        "is_demonstration",
    ]
    sheets = [
        Sheet(
            "stations",
            gettext_lazy("Stations"),
            [
                Column(
                    "township",
                    gettext_lazy("Township / street"),
                    True,
                    hint=gettext_lazy("Choose from the list: division code and name"),
                    width=30,
                    options=lambda spec: place_options(spec.townships()),
                ),
                Column(
                    "status",
                    gettext_lazy("Status"),
                    True,
                    kind="choice",
                    choices=lambda: StationStatus.choices,
                    invalid=gettext_lazy("not a station status"),
                    hint=gettext_lazy("For a new station: its status on the date below"),
                ),
                Column(
                    "status_on",
                    gettext_lazy("Status effective on"),
                    True,
                    kind="date",
                    hint=gettext_lazy("Date, e.g. 2021-06-01"),
                ),
                _yes_no("has_venue", gettext_lazy("Venue")),
                _yes_no("has_equipment", gettext_lazy("Equipment")),
                _yes_no("has_personnel", gettext_lazy("Personnel")),
                _yes_no("has_service_functions", gettext_lazy("Service functions"), 10),
                _yes_no("has_workflow", gettext_lazy("Workflow")),
                _yes_no("has_rules", gettext_lazy("Rules and regulations"), 10),
                _yes_no("independent_office", gettext_lazy("Independent office"), 10),
                _yes_no("is_demonstration", gettext_lazy("Demonstration station"), 10),
                Column(
                    "shared_venues",
                    gettext_lazy("Shared venues"),
                    kind="choices",
                    choices=lambda: SharedVenue.choices,
                    invalid=gettext_lazy("NET-3: not one of the venues a station may share rooms with"),
                    hint=gettext_lazy("NET-3: venues the casework and group rooms are shared with, separated by 、"),
                    width=30,
                ),
                Column("address", gettext_lazy("Address"), width=30, max_length=200),
                Column("phone", gettext_lazy("Phone"), max_length=20),
                Column("notes", gettext_lazy("Notes"), width=30, max_length=2000, multiline=True),
            ],
            unique=("township",),
        )
    ]
    instructions = [
        gettext_lazy("NET-3: one station per township or street; the sign text is derived (NET-3a)."),
        gettext_lazy(
            "A row for a township that already has a station updates its fields; a status "
            "different from its current one is added to its dated history on the row's date, "
            "following the NET-3 life cycle."
        ),
    ]
    FIELDS = [*BOOL_FIELDS, "shared_venues", "address", "phone", "notes"]

    def townships(self):
        return Place.objects.restrict(self.user, CHANGE).filter(level=PlaceLevel.TOWNSHIP)

    def prepare(self):
        self.township_codes = set(self.townships().values_list("code", flat=True))
        self.existing = {
            s.place_id: s for s in Station.objects.filter(place__in=self.townships()).select_related("place")
        }
        self.latest: dict[int, StationStatusChange] = {}
        for change in (
            StationStatusChange.objects.filter(station__in=list(self.existing.values()))
            .order_by("station_id", "-effective_on", "-id")
            .distinct("station_id")
        ):
            self.latest[change.station_id] = change

    def check_stations(self, row):
        code = place_code_of(row["township"])
        if code not in self.township_codes:
            row.error("township", _("unknown township, or outside the places you may change"))
        station = self.existing.get(code)
        last = self.latest.get(station.pk) if station else None
        step = last is None or row["status"] != last.status
        if step:  # a new station's first status, or a different one appended on the row's date
            problem = services.station_status_step_problem(
                previous=last.status if last else None,
                previous_on=last.effective_on if last else None,
                status=row["status"],
                effective_on=row["status_on"],
            )
            if problem:
                row.error("status" if problem[0] == "status" else "status_on", problem[1])
        venues = row.check("shared_venues", services.station_validate_shared_venues, row["shared_venues"])
        if row["phone"]:
            row.check("phone", validate_phone, row["phone"])
        data = {k: row[k] for k in ("status", "status_on", *self.BOOL_FIELDS, "address", "phone", "notes")}
        return data | {"township": code, "shared_venues": venues, "status_step": step}

    def plan(self, outcome):
        self.new, self.changed, self.history = [], [], []
        for r in outcome.rows["stations"]:
            values = {k: r[k] for k in self.FIELDS}
            station = self.existing.get(r["township"])
            if station is None:
                self.new.append((Station(place_id=r["township"], status=r["status"], **values), r))
                outcome.count("stations", "created")
                continue
            if r["status_step"]:
                self.history.append((station, r))
                values["status"] = r["status"]
            if all(getattr(station, k) == v for k, v in values.items()):
                outcome.count("stations", "unchanged")
                continue
            for k, v in values.items():
                setattr(station, k, v)
            self.changed.append(station)
            outcome.count("stations", "updated")

    def write(self, outcome):
        user = self.recorded_by
        created = bulk_create_with_history([s for s, _r in self.new], Station, batch_size=BATCH, default_user=user)
        changes = [(station, r) for station, (_s, r) in zip(created, self.new, strict=True)] + self.history
        StationStatusChange.objects.bulk_create(
            [
                StationStatusChange(
                    station=station,
                    status=r["status"],
                    effective_on=r["status_on"],
                    note=_("Imported"),
                    recorded_by=user,
                )
                for station, r in changes
            ],
            batch_size=BATCH,
        )
        if self.changed:
            bulk_update_with_history(
                self.changed, Station, [*self.FIELDS, "status"], batch_size=BATCH, default_user=user
            )
        # NET-3/TGT-STD: six haves that differ from their latest dated entry are added to the history.
        services.six_haves_history_append(
            stations=[*(station for station, _r in changes), *self.changed], user=user, note=_("Imported")
        )
        # The figures follow the import: the townships of the stations written (reporting's pending changes).
        written = [*self.changed, *(station for station, _r in changes)]
        indicator_inputs_changed_send(sender="stations.StationImport", place_codes=[s.place_id for s in written])


# ---------------------------------------------------------------- rooms


@register
class RoomImport(StationsAppImport):
    """Village/community rooms (NET-4) in the villages the user may change."""

    kind = "stations.import.rooms"
    slug = "rooms"
    title = gettext_lazy("Import rooms")
    list_url_name = "stations:room_list"
    list_label = gettext_lazy("Open the rooms")
    sheets = [
        Sheet(
            "rooms",
            gettext_lazy("Rooms"),
            [
                Column(
                    "village",
                    gettext_lazy("Village / community"),
                    True,
                    hint=gettext_lazy("Choose from the list: division code and name"),
                    width=34,
                    options=lambda spec: place_options(spec.villages()),
                ),
                Column(
                    "status",
                    gettext_lazy("Status"),
                    True,
                    kind="choice",
                    choices=lambda: RoomStatus.choices,
                    invalid=gettext_lazy("not a room status"),
                ),
                Column(
                    "established_on",
                    gettext_lazy("Established on"),
                    kind="date",
                    hint=gettext_lazy("Date, e.g. 2021-06-01"),
                ),
                Column(
                    "in_party_mass_centre",
                    gettext_lazy("Inside the party-mass service centre"),
                    kind="bool",
                    default=True,
                    hint=gettext_lazy("NET-4: no separate space"),
                    width=12,
                ),
                Column(
                    "staffing_note",
                    gettext_lazy("Staffing"),
                    hint=gettext_lazy("NET-4: existing village personnel"),
                    width=30,
                    max_length=200,
                ),
            ],
            unique=("village",),
        )
    ]
    instructions = [gettext_lazy("NET-4: rooms exist where conditions allow, one per village or community.")]
    FIELDS = ["status", "established_on", "in_party_mass_centre", "staffing_note"]

    def villages(self):
        return Place.objects.restrict(self.user, CHANGE).filter(level=PlaceLevel.VILLAGE)

    def prepare(self):
        self.village_codes = set(self.villages().values_list("code", flat=True))

    def check_rooms(self, row):
        code = place_code_of(row["village"])
        if code not in self.village_codes:
            row.error("village", _("unknown village, or outside the places you may change"))
        row.check("established_on", services.room_validate_established_on, row["established_on"])
        return {"village": code, **{k: row[k] for k in self.FIELDS}}

    def plan(self, outcome):
        rows = outcome.rows["rooms"]
        existing = Room.objects.in_bulk([r["village"] for r in rows], field_name="place_id")
        self.new, self.changed = [], []
        for r in rows:
            values = {k: r[k] for k in self.FIELDS}
            room = existing.get(r["village"])
            if room is None:
                self.new.append(Room(place_id=r["village"], **values))
                outcome.count("rooms", "created")
            elif all(getattr(room, k) == v for k, v in values.items()):
                outcome.count("rooms", "unchanged")
            else:
                for k, v in values.items():
                    setattr(room, k, v)
                self.changed.append(room)
                outcome.count("rooms", "updated")

    def write(self, outcome):
        user = self.recorded_by
        bulk_create_with_history(self.new, Room, batch_size=BATCH, default_user=user)
        if self.changed:
            bulk_update_with_history(self.changed, Room, self.FIELDS, batch_size=BATCH, default_user=user)
        indicator_inputs_changed_send(
            sender="stations.RoomImport", place_codes=[r.place_id for r in [*self.new, *self.changed]]
        )


SPECS = {spec.slug: spec for spec in (StationImport, RoomImport, RecipientImport)}

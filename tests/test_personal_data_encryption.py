"""PIPL Art. 51: ID numbers are stored encrypted (keys from the environment, rotatable) and found, and kept
unique, by a keyed hash. The checks read the database itself: the raw columns of the records and of their
history, and every row of every table of the portal cast to text."""

import importlib
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from liuzhou_social.crypto import InvalidToken, decrypt, generate_key, keyed_hash, parse_encryption_keys, parse_hash_key
from liuzhou_social.embedded_db import personal_data_keys
from network.choices import PersonalDataAction
from network.models import Job, PersonalDataEvent
from stations.models import Recipient
from tests.factories import RecipientFactory, WorkerFactory, valid_id_number
from tests.permkit import client_for
from workforce.models import Worker

from .stations.conftest import recipient_headers, recipient_sheet, workbook_upload

BASE = Path(__file__).resolve().parent.parent
KEY_A, KEY_B, HASH_2 = generate_key(), generate_key(), generate_key()

TABLES = {
    "stations_recipient": "stations_historicalrecipient",
    "workforce_worker": "workforce_historicalworker",
}


def raw_rows(table: str, pk_column: str, pk) -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id_number, id_number_hash FROM {table} WHERE {pk_column} = %s", [pk])
        return cursor.fetchall()


def tables_holding(text: str) -> dict[str, int]:
    """Every table of the database whose rows, cast to text (every column), contain ``text``."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
            "AND table_type = 'BASE TABLE' ORDER BY table_name"
        )
        names = [r[0] for r in cursor.fetchall()]
        found = {}
        for name in names:
            cursor.execute(f'SELECT count(*) FROM "{name}" AS t WHERE t::text LIKE %s', [f"%{text}%"])
            if count := cursor.fetchone()[0]:
                found[name] = count
    return found


@pytest.mark.django_db
def test_the_plaintext_is_nowhere_in_the_database(client, personas, network):
    """A recipient and a worker written through the pages (create, then change: history rows too), an import
    job's preview and errors, a search by the whole number and an export with its reason leave the ID numbers
    nowhere in clear — only Fernet tokens that the keys open and keyed hashes."""
    recipient_id, worker_id = valid_id_number(7101, birth="19610203"), valid_id_number(7202, birth="19880405")
    officer = client_for(client, personas, "officer_a")
    response = officer.post(
        reverse("stations:recipient_create"),
        {
            "village": network["village_a11"].code,
            "name": "蓝某",
            "gender": "female",
            "id_number": recipient_id,
            "target_groups": ["dibao"],
            "registered_on": "2022-03-01",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    recipient = Recipient.objects.get(id_number=recipient_id)
    recipient.name = "蓝某某"
    recipient.save()  # a second history row
    worker = WorkerFactory(place=network["township_a1"], id_number=worker_id)
    worker.phone = "13900001111"
    worker.save()
    # The import engine keeps its preview and errors on the job: the number of a wrong row, and of a good one.
    elsewhere = RecipientFactory(village=network["village_b11"], id_number=valid_id_number(7404, birth="19500607"))
    village = f"{network['village_a11'].code} {network['village_a11'].name}"
    rows = [
        ["新某", valid_id_number(7303), "女", "", village, "低保对象", "2023-04-01", ""],
        ["错某", elsewhere.id_number, "女", "", village, "低保对象", "2023-04-01", ""],
    ]
    upload = workbook_upload(recipient_headers(), rows, sheet=recipient_sheet())
    officer.post(reverse("stations:import_upload", args=["recipients"]), {"file": upload})
    job = Job.objects.get(kind__contains="recipient")
    assert [e["value"] for e in job.result["errors"]] == [
        elsewhere.id_number[:6] + "********" + elsewhere.id_number[-4:]
    ]
    # A search by the whole number and an export with a reason naming it are recorded without it.
    assert "蓝某某" in officer.get(reverse("stations:recipient_list"), {"q": recipient_id}).content.decode()
    officer.get(reverse("workforce:worker_list"), {"export": "xlsx", "q": worker_id, "reason": f"核对 {worker_id}"})
    assert PersonalDataEvent.objects.filter(action=PersonalDataAction.EXPORT, path__contains=worker_id[:6]).exists()

    for (table, history), pk, number in (
        (("stations_recipient", "stations_historicalrecipient"), recipient.pk, recipient_id),
        (("workforce_worker", "workforce_historicalworker"), worker.pk, worker_id),
    ):
        rows = raw_rows(table, "id", pk) + raw_rows(history, "id", pk)
        assert len(rows) >= 3  # the record and at least two history rows
        for token, digest in rows:
            assert token.startswith("gAAAAA") and number not in token and decrypt(token) == number
            assert digest == keyed_hash(number) and number not in digest
        assert len({token for token, _ in rows}) == len(rows)  # a fresh IV each time: no equal tokens
    for number in (recipient_id, worker_id, elsewhere.id_number, valid_id_number(7303), recipient_id[6:]):
        assert tables_holding(number) == {}, number
    assert tables_holding("蓝某某")  # the check itself finds what is stored in clear


@pytest.mark.django_db
def test_the_same_id_number_twice_is_refused_by_the_keyed_hash(client, personas, network):
    first = RecipientFactory(village=network["village_a11"], name="甲某")
    response = client_for(client, personas, "officer_a").post(
        reverse("stations:recipient_create"),
        {
            "village": network["village_a12"].code,
            "name": "乙某",
            "gender": "female",
            "id_number": first.id_number.lower(),  # the same person, typed with a lower-case x or not
            "target_groups": ["dibao"],
            "registered_on": "2022-03-01",
        },
    )
    assert "该身份证号码已登记" in " ".join(response.context["form"].errors["id_number"])
    assert Recipient.objects.count() == 1
    twin = Recipient(name="丙某", id_number=first.id_number, village=first.village, registered_on=first.registered_on)
    with pytest.raises(IntegrityError, match="id_number_hash"), transaction.atomic():  # the database refuses it too
        Recipient.objects.bulk_create([twin])
    worker = WorkerFactory(place=network["township_a1"])
    with pytest.raises(IntegrityError, match="id_number_hash"), transaction.atomic():
        WorkerFactory(place=network["township_a2"], id_number=worker.id_number)
    with translation.override("zh-hans"):
        assert str(Worker._meta.get_field("id_number_hash").error_messages["unique"]) == "该身份证号的社工已登记。"


@pytest.mark.django_db
def test_whole_value_lookups_only(network):
    person = RecipientFactory(village=network["village_a11"])
    number = person.id_number
    assert list(Recipient.objects.filter(id_number=number)) == [person]
    assert list(Recipient.objects.filter(id_number__in=[number, "x"])) == [person]
    assert not Recipient.objects.filter(id_number=number[:17]).exists()
    assert Recipient.objects.exclude(id_number=number).count() == 0
    assert list(Recipient.history.filter(id_number=number).values_list("id", flat=True)) == [person.pk]
    assert Recipient.objects.filter(village__recipients__id_number=number).exists()  # through a join
    for lookup in ("icontains", "contains", "startswith", "endswith", "gt", "regex"):
        with pytest.raises(FieldError):
            Recipient.objects.filter(**{f"id_number__{lookup}": number[:6]}).exists()


@pytest.mark.django_db
def test_rotation_to_a_new_key_then_without_the_old_one(network):
    """Encrypt with key A, put key B first and rotate, remove A: every value still reads and is found by the
    hash; a second run rewrites nothing; a new hash key takes effect through the same command."""
    with override_settings(PERSONAL_DATA_KEYS=(KEY_A,)):
        people = [RecipientFactory(village=network["village_a11"]) for _ in range(3)]
        people[0].name = "改名"
        people[0].save()
        worker = WorkerFactory(place=network["township_a1"])
        before = raw_rows("stations_recipient", "id", people[0].pk)[0][0]
    rows = stored_values()
    assert rows >= 3 + 4 + 1 + 1  # the records, their history rows (one has two), the worker and its history
    with override_settings(PERSONAL_DATA_KEYS=(KEY_B,)), pytest.raises(InvalidToken):  # without A nothing opens
        Recipient.objects.get(pk=people[0].pk)
    with override_settings(PERSONAL_DATA_KEYS=(KEY_B, KEY_A)):
        assert Recipient.objects.get(pk=people[0].pk).id_number == people[0].id_number
        out = _rotate()
        assert f"{rows} values rewritten" in out, out
        assert "0 values rewritten" in _rotate()  # idempotent
    after = raw_rows("stations_recipient", "id", people[0].pk)[0][0]
    assert after != before
    with override_settings(PERSONAL_DATA_KEYS=(KEY_B,)):  # the old key removed
        for p in people:
            assert Recipient.objects.get(id_number=p.id_number).pk == p.pk
        assert Worker.objects.get(id_number=worker.id_number).pk == worker.pk
        assert {h.id_number for h in Recipient.history.all()} == {p.id_number for p in people}
        with override_settings(PERSONAL_DATA_HASH_KEY=HASH_2):  # a new hash key: lookups need the command
            assert not Recipient.objects.filter(id_number=people[1].id_number).exists()
            assert f"{rows} values rewritten" in _rotate()
            assert Recipient.objects.get(id_number=people[1].id_number).pk == people[1].pk


def stored_values() -> int:
    with connection.cursor() as cursor:
        total = 0
        for table, history in TABLES.items():
            for name in (table, history):
                cursor.execute(f"SELECT count(*) FROM {name} WHERE id_number <> ''")
                total += cursor.fetchone()[0]
    return total


def _rotate() -> str:
    from io import StringIO

    out = StringIO()
    call_command("personal_data_rotate", "--batch", "2", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_data_migration_encrypts_rows_kept_in_clear(network):
    """Rows of an earlier release (plaintext, no hash) are encrypted and hashed by the migration's function,
    and running it again changes nothing."""
    number = valid_id_number(8801)
    place = network["village_a11"].code
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO stations_recipient (name, gender, id_number, phone, village_id, target_groups, "
            "household_notes, registered_on) VALUES ('旧某', '', %s, '', %s, '[]', '', '2021-01-01') RETURNING id",
            [number, place],
        )
        pk = cursor.fetchone()[0]
    migration = importlib.import_module("stations.migrations.0008_id_number_encrypt_rows")
    from django.apps import apps

    migration.encrypt_rows(apps, None)
    token, digest = raw_rows("stations_recipient", "id", pk)[0]
    assert token.startswith("gAAAAA") and decrypt(token) == number and digest == keyed_hash(number)
    migration.encrypt_rows(apps, None)
    assert raw_rows("stations_recipient", "id", pk)[0] == (token, digest)
    assert Recipient.objects.get(id_number=number).name == "旧某"
    migration.decrypt_rows(apps, None)  # the downgrade restores the plaintext
    assert raw_rows("stations_recipient", "id", pk)[0] == (number, None)


def test_keys_are_read_loudly():
    assert parse_encryption_keys(f"{KEY_A}, {KEY_B}") == (KEY_A, KEY_B)
    for bad in (None, "", "short", f"{KEY_A},{KEY_A}", f"{KEY_A},", "x" * 44):
        with pytest.raises(ValueError):
            parse_encryption_keys(bad)
    assert parse_hash_key(HASH_2, (KEY_A,)) == HASH_2
    for bad in (None, " ", "0123", KEY_A):
        with pytest.raises(ValueError):
            parse_hash_key(bad, (KEY_A,))


@pytest.mark.parametrize(
    "env,message",
    [
        ({"PERSONAL_DATA_KEYS": ""}, "PERSONAL_DATA_KEYS is not set"),
        ({"PERSONAL_DATA_KEYS": "not-a-key"}, "is not a key"),
        ({"PERSONAL_DATA_HASH_KEY": "dGVzdC1vbmx5LXBlcnNvbmFsLWRhdGEta2V5LTAwMDE="}, "must differ"),
    ],
    ids=["missing", "malformed", "same-as-encryption"],
)
def test_the_portal_refuses_to_start_with_bad_keys(env, message):
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE,
        env=os.environ | {"PERSONAL_DATA_KEYS": "dGVzdC1vbmx5LXBlcnNvbmFsLWRhdGEta2V5LTAwMDE="} | env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "ImproperlyConfigured" in result.stderr and message in result.stderr


def test_the_embedded_database_keeps_its_generated_keys_beside_its_data(tmp_path):
    datadir = tmp_path / ".pgdata"
    first = personal_data_keys(datadir)
    assert personal_data_keys(datadir) == first  # kept: a second start opens the same data
    keys = parse_encryption_keys(first["PERSONAL_DATA_KEYS"])
    assert parse_hash_key(first["PERSONAL_DATA_HASH_KEY"], keys)
    kept = tmp_path / ".pgdata.keys"
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600 and list(tmp_path.iterdir()) == [kept]
    assert personal_data_keys(tmp_path / "other") != first


@pytest.mark.django_db
def test_an_encrypted_field_is_not_compared_with_a_column(network):
    from django.db.models import F

    with pytest.raises(FieldError):
        Recipient.objects.filter(id_number=F("name")).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["recipient", "worker"])
def test_the_admin_finds_an_id_number_by_the_whole_value_only(admin_client, network, kind):
    if kind == "recipient":
        person = RecipientFactory(village=network["village_a11"], name="覃某某")
        url = reverse("admin:stations_recipient_changelist")
    else:
        person = WorkerFactory(place=network["township_a1"], name="覃某某")
        url = reverse("admin:workforce_worker_changelist")
    assert "覃某某" in admin_client.get(url, {"q": person.id_number}).content.decode()
    assert "覃某某" not in admin_client.get(url, {"q": person.id_number[:14]}).content.decode()
    assert "覃某某" in admin_client.get(url, {"q": "覃某"}).content.decode()
    history = admin_client.get(reverse(f"admin:{person._meta.app_label}_{kind}_history", args=[person.pk]))
    assert history.status_code == 200

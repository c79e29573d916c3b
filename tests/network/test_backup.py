"""backup_db / restore_db: a backup restores into a fresh database, and the portal serves it."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from stations.models import Station

# The restored database is signed into as the city administrator.
pytestmark = pytest.mark.usefixtures("every_persona")

BASE = Path(__file__).resolve().parents[2]

SERVE = """
import django
django.setup()
from django.test import Client
from network.models import User
client = Client()
client.force_login(User.objects.get(username="city_admin"))
response = client.get("/stations/", HTTP_HOST="127.0.0.1")
print(response.status_code)
print(response.content.decode())
"""


def _admin_connection():
    db = connection.settings_dict
    conn = psycopg2.connect(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"], dbname="postgres")
    conn.autocommit = True
    return conn


@pytest.fixture
def fresh_database():
    name = f"liuzhou_restore_{uuid.uuid4().hex[:8]}"
    conn = _admin_connection()
    with conn.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    db = connection.settings_dict
    yield name, f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.close()


@pytest.mark.django_db(transaction=True)
def test_backup_restores_into_a_fresh_database_that_the_portal_serves(personas, network, tmp_path, fresh_database):
    _name, url = fresh_database
    dump = tmp_path / "portal.dump"
    call_command("backup_db", str(dump))
    assert dump.stat().st_size > 0
    call_command("restore_db", str(dump), database_url=url)

    env = os.environ | {"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "liuzhou_social.settings"}
    env.pop("PYTEST_XDIST_WORKER", None)
    served = subprocess.run([sys.executable, "-c", SERVE], cwd=BASE, env=env, capture_output=True, text=True)
    assert served.returncode == 0, served.stderr
    status, page = served.stdout.split("\n", 1)
    assert status == "200"
    for station in Station.objects.select_related("place"):
        assert station.place.name in page

    # A second restore into the now filled database is refused: a restore never merges.
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore_db", str(dump), database_url=url)

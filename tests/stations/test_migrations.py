"""Migration stations.0005: the dated history of the standard's items is backfilled from the current data."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("stations", "0004_service_record_links_history")]
AFTER = [("stations", "0005_standard_history")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_six_haves_and_catalogue_dates_come_from_the_first_status_entry():
    from django.db.migrations.loader import MigrationLoader

    # Back to every app's latest: migrating stations backwards also unapplied the apps that depend on it.
    latest = list(MigrationLoader(connection).graph.leaf_nodes())
    _migrate(BEFORE)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO network_place (code, name, level, kind, is_functional_zone, parent_id) VALUES "
                "('450200000000', '柳州市', 'city', 'city', false, NULL), "
                "('450222000000', '柳城县', 'county', 'county', false, '450200000000'), "
                "('450222101000', '大埔镇', 'township', 'town', false, '450222000000'), "
                "('450222102000', '龙头镇', 'township', 'town', false, '450222000000')"
            )
            ids = []
            for code, flags in (("450222101000", "true"), ("450222102000", "false")):
                cursor.execute(
                    "INSERT INTO stations_station (place_id, status, has_venue, has_equipment, has_personnel, "
                    "has_service_functions, has_workflow, has_rules, independent_office, shared_venues, "
                    "is_demonstration, address, phone, notes, standardised_on) VALUES "
                    f"(%s, 'operating', true, true, true, true, true, {flags}, false, '[]', false, '', '', '', NULL) "
                    "RETURNING id",
                    [code],
                )
                ids.append(cursor.fetchone()[0])
            for station_id, on in ((ids[0], "2019-04-01"), (ids[0], "2020-01-10"), (ids[1], "2021-07-01")):
                cursor.execute(
                    "INSERT INTO stations_stationstatuschange (station_id, status, effective_on, note, recorded_at) "
                    "VALUES (%s, 'operating', %s, '', now())",
                    [station_id, on],
                )
            cursor.execute(
                "INSERT INTO stations_catalogueitem (station_id, field, title, description, published) VALUES "
                "(%s, 'livelihood', '走访', '', true), (%s, 'livelihood', '草稿', '', false)",
                [ids[0], ids[0]],
            )
        _migrate(AFTER)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT station_id, effective_on, has_rules FROM stations_sixhaveschange ORDER BY station_id"
            )
            assert cursor.fetchall() == [
                (ids[0], datetime.date(2019, 4, 1), True),
                (ids[1], datetime.date(2021, 7, 1), False),
            ]
            cursor.execute("SELECT title, published_on FROM stations_catalogueitem ORDER BY title")
            assert dict(cursor.fetchall()) == {"走访": datetime.date(2019, 4, 1), "草稿": None}
    finally:
        _migrate(latest)

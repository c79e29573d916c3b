"""Restore a backup made by ``backup_db`` into an empty database (a fresh one, or after a loss)."""

import os
import subprocess

import dj_database_url
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from network.pgtools import libpq_env, pg_tool, server_major


class Command(BaseCommand):
    help = (
        "Restore FILE (from backup_db) into the database of --database-url (default: the portal's own). "
        "The target must exist and be empty: a restore never merges into live data."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--database-url", help="postgres://user@host:port/name of the empty target database")

    def handle(self, *args, file, database_url=None, **options):
        if not os.path.exists(file):
            raise CommandError(f"no such backup file: {file}")
        target = dj_database_url.parse(database_url) if database_url else connection.settings_dict
        env = os.environ | libpq_env(target)
        psql = pg_tool("psql", server_major())
        tables = subprocess.run(
            [psql, "-XAtc", "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"],
            env=env,
            capture_output=True,
            text=True,
        )
        if tables.returncode:
            raise CommandError(f"cannot reach the target database: {tables.stderr.strip()}")
        if int(tables.stdout.strip() or 0):
            raise CommandError(f"the target database {target['NAME']} is not empty; restore into an empty one")
        tool = pg_tool("pg_restore", server_major())
        done = subprocess.run(
            [tool, "--no-owner", "--exit-on-error", "--single-transaction", "--dbname", target["NAME"], file],
            env=env,
            capture_output=True,
        )
        if done.returncode:
            raise CommandError(f"pg_restore failed: {done.stderr.decode(errors='replace').strip()}")
        self.stdout.write(f"restored {file} into {target['NAME']}")

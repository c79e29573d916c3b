"""Back up the portal's database to one file (pg_dump, custom format: compressed, restorable by table)."""

import os
import subprocess

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from network.pgtools import libpq_env, pg_tool, server_major


class Command(BaseCommand):
    help = "Back up the portal's PostgreSQL database into FILE (pg_dump custom format)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the backup file to write, e.g. /var/backups/portal-2026-12-01.dump")

    def handle(self, *args, file, **options):
        tool = pg_tool("pg_dump", server_major())
        env = os.environ | libpq_env(connection.settings_dict)
        done = subprocess.run([tool, "--format=custom", "--no-owner", "--file", file], env=env, capture_output=True)
        if done.returncode:
            raise CommandError(f"pg_dump failed: {done.stderr.decode(errors='replace').strip()}")
        self.stdout.write(f"backed up {connection.settings_dict['NAME']} to {file} ({os.path.getsize(file)} bytes)")

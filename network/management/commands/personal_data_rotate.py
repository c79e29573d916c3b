"""Re-encrypt every stored ID number with the newest personal-data key (PIPL Art. 51; liuzhou_social/crypto.py).

Rotation: put the new key first in PERSONAL_DATA_KEYS (keeping the old ones after it), restart the portal and
its worker, run this command, then remove the old keys and restart again. It walks every table with an encrypted
column — the records and their history — in batches of ``--batch`` rows, one transaction each, and rewrites only
the rows not yet under the newest key or whose keyed hash was made with another PERSONAL_DATA_HASH_KEY: it can be
interrupted and run again, and a second run rewrites nothing.
"""

from django.core.management.base import BaseCommand, CommandError

from liuzhou_social.crypto import InvalidToken
from liuzhou_social.encrypted_rows import BATCH, encrypted_columns, rewrite_column, rotate


class Command(BaseCommand):
    help = "Re-encrypt every stored ID number with the first key of PERSONAL_DATA_KEYS and refresh the keyed hashes."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=BATCH, help=f"rows per transaction (default {BATCH})")

    def handle(self, *args, batch=BATCH, **options):
        if batch < 1:
            raise CommandError("--batch must be at least 1")
        total = 0
        for table, pk, column, hash_column in encrypted_columns():
            try:
                count = rewrite_column(table, pk, column, hash_column, rotate, batch=batch)
            except InvalidToken:
                raise CommandError(
                    f"{table}.{column} holds a value none of the keys in PERSONAL_DATA_KEYS opens: "
                    "put back the key it was encrypted with (after the new one) and run the command again"
                ) from None
            total += count
            self.stdout.write(f"{table}.{column}: {count} rewritten")
        self.stdout.write(self.style.SUCCESS(f"{total} values rewritten with the newest key"))

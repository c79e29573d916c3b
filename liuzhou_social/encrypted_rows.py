"""Rewriting encrypted columns in place, in batches: the data migrations that encrypt the plaintext of
earlier releases, and key rotation (``manage.py personal_data_rotate``).

Each batch reads its rows ``FOR UPDATE`` and writes them back in the same transaction, so a row the portal
changes meanwhile is either rewritten after that change or not at all; the transform decides per row, so
a second run (or a run after an interrupted one) rewrites nothing it already rewrote.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from django.db import connection, transaction
from psycopg2 import sql
from psycopg2.extras import execute_values

from .crypto import decrypt, encrypt, is_current, keyed_hash, reencrypt

BATCH = 2000
FERNET_PREFIX = "gAAAAA"  # every Fernet token starts so (version byte 0x80 + a 64-bit timestamp)


def encrypted_columns(apps=None, app_label: str | None = None) -> Iterator[tuple[str, str, str, str | None]]:
    """(table, primary key column, encrypted column, hash column) of every model with an encrypted field,
    simple-history's historical models included; ``apps`` may be a migration's app registry."""
    from django.apps import apps as global_apps

    from .fields import EncryptedCharField, KeyedHashField

    registry = apps or global_apps
    models = registry.get_app_config(app_label).get_models() if app_label else registry.get_models()
    for model in models:
        fields = model._meta.concrete_fields
        for f in fields:
            if isinstance(f, EncryptedCharField):
                hashed = next((h.column for h in fields if isinstance(h, KeyedHashField) and h.source == f.name), None)
                yield model._meta.db_table, model._meta.pk.column, f.column, hashed


def rewrite_column(
    table: str,
    pk: str,
    column: str,
    hash_column: str | None,
    transform: Callable[[str], tuple[str, str]],
    *,
    batch: int = BATCH,
) -> int:
    """Calls ``transform(stored)`` → ``(value, hash)`` on every non-empty value of ``table.column`` (integer
    primary key ``pk``) and writes back the rows where either differs from what is stored, a batch per
    transaction (inside a migration, the migration's one transaction). Returns the number of rows rewritten."""
    ident = sql.Identifier
    names = {"t": ident(table), "pk": ident(pk), "col": ident(column), "h": ident(hash_column or column)}
    select = sql.SQL(
        "SELECT {pk}, {col}, {h} FROM {t} WHERE {pk} > %s AND {col} IS NOT NULL AND {col} <> '' "
        "ORDER BY {pk} LIMIT %s FOR UPDATE"
    ).format(**names)
    update = sql.SQL(
        "UPDATE {t} AS t SET {col} = v.c" + (", {h} = v.h" if hash_column else "") + " "
        "FROM (VALUES %s) AS v(k, c, h) WHERE t.{pk} = v.k"
    ).format(**names)
    last, rewritten = 0, 0
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(select, [last, batch])
            rows = cursor.fetchall()
            if not rows:
                return rewritten
            last = rows[-1][0]
            changes = []
            for key, stored, stored_hash in rows:
                value, digest = transform(stored)
                if value != stored or (hash_column and digest != stored_hash):
                    changes.append((key, value, digest))
            if changes:
                execute_values(cursor.cursor, update, changes, page_size=batch)
                rewritten += len(changes)


def encrypt_plaintext(stored: str) -> tuple[str, str]:
    """From plaintext (the data migrations): encrypt a value that is not a token yet, hash it."""
    plain = decrypt(stored) if stored.startswith(FERNET_PREFIX) else stored
    return (stored if plain is not stored else encrypt(plain)), keyed_hash(plain)


def decrypt_to_plaintext(stored: str) -> tuple[str, None]:
    """The reverse migration (a downgrade): the plaintext back."""
    return (decrypt(stored) if stored.startswith(FERNET_PREFIX) else stored), None


def rotate(stored: str) -> tuple[str, str]:
    """Key rotation: a token not made with the newest key is re-encrypted with it, and the hash is computed
    again (so a new hash key takes effect too). A row already current is left as it is."""
    token = stored if is_current(stored) else reencrypt(stored)
    return token, keyed_hash(decrypt(token))

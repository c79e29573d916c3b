"""Encrypts the ID numbers stored in clear by earlier releases (the recipient table and its history) with the
first key of PERSONAL_DATA_KEYS and fills their keyed hashes; the reverse restores the plaintext."""

from django.db import migrations

from liuzhou_social.encrypted_rows import decrypt_to_plaintext, encrypt_plaintext, encrypted_columns, rewrite_column


def encrypt_rows(apps, schema_editor):
    for table, pk, column, hash_column in encrypted_columns(apps, "stations"):
        rewrite_column(table, pk, column, hash_column, encrypt_plaintext)


def decrypt_rows(apps, schema_editor):
    for table, pk, column, hash_column in encrypted_columns(apps, "stations"):
        rewrite_column(table, pk, column, hash_column, decrypt_to_plaintext)


class Migration(migrations.Migration):
    dependencies = [("stations", "0007_id_number_encrypted")]

    operations = [migrations.RunPython(encrypt_rows, decrypt_rows)]

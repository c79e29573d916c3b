"""The keyed hash of the ID number, filled by 0008, carries the one-person-one-record constraint."""

import liuzhou_social.fields
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("stations", "0008_id_number_encrypt_rows"),
    ]

    operations = [
        migrations.AlterField(
            model_name="recipient",
            name="id_number_hash",
            field=liuzhou_social.fields.KeyedHashField(
                blank=True,
                editable=False,
                error_messages={"unique": "A recipient with this ID number is already registered."},
                help_text="Keyed hash of the ID number: one person, one record, found by the whole number only",
                max_length=64,
                null=True,
                source="id_number",
                unique=True,
                verbose_name="ID number key",
            ),
        ),
    ]

"""PIPL Art. 51: the ID number column becomes a token column (text), with a keyed hash beside it; 0008 encrypts
the rows and fills the hashes, 0009 makes the hash unique."""

import liuzhou_social.fields
import liuzhou_social.validators
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("workforce", "0006_certified_grade_spans"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalworker",
            name="id_number_hash",
            field=liuzhou_social.fields.KeyedHashField(
                blank=True,
                db_index=True,
                editable=False,
                error_messages={"unique": "A worker with this ID number is already registered."},
                help_text="Keyed hash of the ID number: one person, one record, found by the whole number only",
                max_length=64,
                null=True,
                source="id_number",
                verbose_name="ID number key",
            ),
        ),
        migrations.AddField(
            model_name="worker",
            name="id_number_hash",
            field=liuzhou_social.fields.KeyedHashField(
                blank=True,
                editable=False,
                error_messages={"unique": "A worker with this ID number is already registered."},
                help_text="Keyed hash of the ID number: one person, one record, found by the whole number only",
                max_length=64,
                null=True,
                source="id_number",
                verbose_name="ID number key",
            ),
        ),
        migrations.AlterField(
            model_name="historicalworker",
            name="id_number",
            field=liuzhou_social.fields.EncryptedCharField(
                max_length=18, validators=[liuzhou_social.validators.validate_id_number], verbose_name="ID number"
            ),
        ),
        migrations.AlterField(
            model_name="worker",
            name="id_number",
            field=liuzhou_social.fields.EncryptedCharField(
                max_length=18, validators=[liuzhou_social.validators.validate_id_number], verbose_name="ID number"
            ),
        ),
    ]

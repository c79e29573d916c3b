# The app's first migration: each area (supervision, training, plans) adds its own after it.
from django.db import migrations


class Migration(migrations.Migration):
    initial = True
    dependencies: list = []
    operations: list = []

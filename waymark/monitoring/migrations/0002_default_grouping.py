"""Load the default analysis grouping (the 16 NHS categories) and its first code mapping."""

from django.db import migrations

from waymark.monitoring.codes import load_default_grouping


def load(apps, schema_editor):
    load_default_grouping(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_reference_data"),
        ("monitoring", "0001_initial"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

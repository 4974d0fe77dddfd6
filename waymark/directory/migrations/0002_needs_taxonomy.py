"""Load Waymark's needs taxonomy from waymark.directory.reference_data (upsert by code; reversing removes it)."""

from django.db import migrations

from waymark.directory import reference_data


def install_needs_taxonomy(apps, schema_editor):
    reference_data.load_needs_taxonomy(
        apps.get_model("directory", "Taxonomy"), apps.get_model("directory", "TaxonomyTerm")
    )


def remove_needs_taxonomy(apps, schema_editor):
    reference_data.unload_needs_taxonomy(
        apps.get_model("directory", "Taxonomy"), apps.get_model("directory", "TaxonomyTerm")
    )


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(install_needs_taxonomy, remove_needs_taxonomy)]

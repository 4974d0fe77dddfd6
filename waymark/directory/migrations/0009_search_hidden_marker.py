"""Mark in the search index every service the public may not see (``zhid``): public searches on SQLite now
leave those out instead of requiring ``zpub`` (see ``directory.search_index``). Indexes written before this
have ``zpub`` on exactly the public services, so the services without it get ``zhid``; no service is read."""

from django.db import migrations

FTS_TABLE = "directory_service_fts"


def mark_hidden_services(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            f"UPDATE {FTS_TABLE} SET body = body || ' zhid'"
            f" WHERE rowid NOT IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH 'zpub')"
        )
    elif schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "UPDATE directory_service SET search_vector = search_vector || 'zhid'::tsvector"
            " WHERE search_vector IS NOT NULL AND NOT search_vector @@ 'zpub'::tsquery"
        )


def unmark_hidden_services(apps, schema_editor):
    """Leave the markers: searches before this never ask for ``zhid``."""


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0008_location_postcode_index"),
    ]

    operations = [
        migrations.RunPython(mark_hidden_services, unmark_hidden_services),
    ]

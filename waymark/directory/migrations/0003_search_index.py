"""The search index, one per engine, and the public point of each location that distance search uses.

SQLite: an FTS5 table ``directory_service_fts`` (rowid = Service.id) holding each service's normalised
words (title: its names; body: the rest and its facet markers). PostgreSQL: a ``search_vector`` tsvector
column on directory_service with a GIN index. ``directory.search_index`` writes both; ``manage.py
rebuild_search_index`` refills them.
"""

from django.db import migrations, models

FTS_TABLE = "directory_service_fts"


def create_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE directory_service ADD COLUMN search_vector tsvector")
        schema_editor.execute(
            "CREATE INDEX directory_service_search_vector_idx ON directory_service USING gin (search_vector)"
        )
    elif schema_editor.connection.vendor == "sqlite":
        # The words are ASCII letters and digits already; the tokenizer options only restate that.
        # Prefix indexes on 1 to 3 characters keep short words typed into the box fast.
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
            "title, body, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3')"
        )
    else:
        raise NotImplementedError(
            f"Directory search supports SQLite and PostgreSQL, not {schema_editor.connection.vendor}."
        )


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS directory_service_search_vector_idx")
        schema_editor.execute("ALTER TABLE directory_service DROP COLUMN IF EXISTS search_vector")
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_reference_data"),
        ("directory", "0002_needs_taxonomy"),
    ]

    operations = [
        migrations.AddField(
            model_name="location",
            name="public_latitude",
            field=models.FloatField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="location",
            name="public_longitude",
            field=models.FloatField(blank=True, editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="location",
            index=models.Index(fields=["public_latitude", "public_longitude"], name="location_public_point_idx"),
        ),
        migrations.AddIndex(
            model_name="service",
            index=models.Index(fields=["name"], name="service_name_idx"),
        ),
        migrations.AddIndex(
            model_name="schedule",
            index=models.Index(fields=["weekday", "opens_at", "closes_at"], name="schedule_open_at_idx"),
        ),
        migrations.RunPython(create_search_index, drop_search_index),
    ]

"""On SQLite, a table of every word the search index holds, so a word typed is looked for as the whole words it
begins rather than as a prefix (see ``directory.search_index``); filled from the index as it stands."""

from django.db import migrations

FTS_TABLE = "directory_service_fts"
TERMS_TABLE = "directory_service_fts_terms"
# The markers: "z" followed by anything but "z", "0" or "1", which typed words never are.
NOT_A_MARKER = "(term NOT GLOB 'z*' OR term GLOB 'z[z01]*')"


def create_terms(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(f"CREATE TABLE {TERMS_TABLE} (term TEXT PRIMARY KEY) WITHOUT ROWID")
    schema_editor.execute(f"CREATE VIRTUAL TABLE temp.{TERMS_TABLE}_vocabulary USING fts5vocab(main, {FTS_TABLE}, row)")
    schema_editor.execute(
        f"INSERT INTO {TERMS_TABLE} (term) SELECT term FROM temp.{TERMS_TABLE}_vocabulary WHERE {NOT_A_MARKER}"
    )
    schema_editor.execute(f"DROP TABLE temp.{TERMS_TABLE}_vocabulary")


def drop_terms(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {TERMS_TABLE}")


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0011_search_opening_hours"),
    ]

    operations = [
        migrations.RunPython(create_terms, drop_terms),
    ]

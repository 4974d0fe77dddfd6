"""The import's background tasks moved with ``monitoring/imports.py`` into the ``imports`` package: point the
jobs, schedules and queued tasks recorded before the move at the new paths, so they still run and can be run again."""

from django.db import migrations

from waymark.core.migration_operations import move_task_paths

MOVED = {
    "waymark.monitoring.imports.run_import_task": "waymark.monitoring.imports.jobs.run_import_task",
    "waymark.monitoring.import_jobs.discard_stopped_uploads_task": (
        "waymark.monitoring.imports.jobs.discard_stopped_uploads_task"
    ),
}


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0008_export_log"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
        ("monitoring", "0003_history_on_every_domain_record"),
    ]

    operations = [move_task_paths(MOVED)]

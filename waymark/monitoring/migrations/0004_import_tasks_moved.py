"""The import's background tasks moved with ``monitoring/imports.py`` into the ``imports`` package: point the
jobs, schedules and queued tasks recorded before the move at the new paths, so they still run and can be run again."""

from django.db import migrations

MOVED = {
    "waymark.monitoring.imports.run_import_task": "waymark.monitoring.imports.jobs.run_import_task",
    "waymark.monitoring.import_jobs.discard_stopped_uploads_task": (
        "waymark.monitoring.imports.jobs.discard_stopped_uploads_task"
    ),
}


def repoint(apps, moves):
    models = [apps.get_model("core", name) for name in ("Job", "ScheduledJob")]
    for model in [*models, apps.get_model("django_tasks_database", "DBTaskResult")]:
        for old, new in moves.items():
            model.objects.filter(task_path=old).update(task_path=new)


def forwards(apps, schema_editor):
    repoint(apps, MOVED)


def backwards(apps, schema_editor):
    repoint(apps, {new: old for old, new in MOVED.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0008_export_log"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
        ("monitoring", "0003_history_on_every_domain_record"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

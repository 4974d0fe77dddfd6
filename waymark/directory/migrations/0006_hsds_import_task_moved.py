"""The HSDS import job's task moved into the ``hsds`` package: point stored jobs and queued tasks at it.

A job started before the move keeps "Run again" (which imports the stored task path), and a task still
in the queue is found by the worker.
"""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

OLD_PATH = "waymark.directory.hsds.import_uploaded_file"
NEW_PATH = "waymark.directory.hsds.tasks.import_uploaded_file"


def _move(apps: Apps, old: str, new: str) -> None:
    for app_label, model_name in (("core", "Job"), ("django_tasks_database", "DBTaskResult")):
        model = apps.get_model(app_label, model_name)
        model.objects.filter(task_path=old).update(task_path=new)


def forwards(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _move(apps, OLD_PATH, NEW_PATH)


def backwards(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _move(apps, NEW_PATH, OLD_PATH)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0005_history_on_every_domain_record"),
        ("core", "0008_export_log"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

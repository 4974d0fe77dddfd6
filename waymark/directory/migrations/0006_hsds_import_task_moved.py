"""The HSDS import job's task moved into the ``hsds`` package: point stored jobs and queued tasks at it.

A job started before the move keeps "Run again" (which imports the stored task path), and a task still
in the queue is found by the worker.
"""

from django.db import migrations

from waymark.core.migration_operations import move_task_paths

OLD_PATH = "waymark.directory.hsds.import_uploaded_file"
NEW_PATH = "waymark.directory.hsds.tasks.import_uploaded_file"
MOVE = move_task_paths({OLD_PATH: NEW_PATH})
forwards, backwards = MOVE.code, MOVE.reverse_code


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0005_history_on_every_domain_record"),
        ("core", "0008_export_log"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [MOVE]

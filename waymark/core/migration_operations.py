"""Operations the apps' data migrations share."""

from django.db import migrations

# Where a task's dotted path is stored: the jobs people started, the periodic schedule, the worker's queue.
TASK_PATH_MODELS = (("core", "Job"), ("core", "ScheduledJob"), ("django_tasks_database", "DBTaskResult"))


def move_task_paths(moves: dict[str, str]) -> migrations.RunPython:
    """For a background task moved to another module (``{old path: new path}``): point the stored jobs,
    schedules and queued tasks at its new path, so "Run again" and the worker still find it; reversible.

    A migration using it depends on ``core`` and ``django_tasks_database`` migrations that made those tables.
    """

    def repoint(apps, mapping: dict[str, str]) -> None:
        for app_label, model_name in TASK_PATH_MODELS:
            model = apps.get_model(app_label, model_name)
            for old, new in mapping.items():
                model.objects.filter(task_path=old).update(task_path=new)

    return migrations.RunPython(
        lambda apps, schema_editor: repoint(apps, moves),
        lambda apps, schema_editor: repoint(apps, {new: old for old, new in moves.items()}),
    )

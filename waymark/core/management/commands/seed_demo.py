"""Load Riverside, the fictional demo borough, with every app's demo data."""

import logging

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from waymark.core import demo
from waymark.core.choices import JobStatus
from waymark.core.jobs import run_job_now, start_job
from waymark.core.models import Organisation


class _StdoutHandler(logging.Handler):
    """Prints the demo's progress messages as the command's own output."""

    def __init__(self, command: BaseCommand) -> None:
        super().__init__(logging.INFO)
        self.command = command

    def emit(self, record: logging.LogRecord) -> None:
        self.command.stdout.write(record.getMessage())


class Command(BaseCommand):
    help = (
        "Load the synthetic demo borough Riverside: areas, postcodes, a census-style population file, "
        "organisations and each app's demo data. The same seed always gives the same borough."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument("--size", choices=list(demo.SIZES), default="full", help="How much data (default full).")
        parser.add_argument(
            "--background", action="store_true", help="Queue the job for the task worker instead of running it here."
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing if the database already has any organisation."
        )

    def handle(self, *args: object, **options: object) -> None:
        seed, size = options["seed"], options["size"]
        if options["if_empty"]:
            count = Organisation.objects.count()
            if count:
                self.stdout.write(
                    f"Skipped the demo borough: the database already has {count:,} organisation"
                    f"{'s' if count != 1 else ''}."
                )
                return
        if demo.demo_borough_exists():
            raise CommandError("The demo borough is already loaded. Start from an empty database to load it again.")
        label = f"Load the demo borough (seed {seed}, {size})"
        if options["background"]:
            job = start_job(demo.seed_demo_task, name="seed_demo", label=label, actor=None, seed=seed, size=size)
            self.stdout.write(
                f"Loading the demo borough in the background. Sign in as an administrator to follow it at "
                f"{settings.SITE_URL}{job.get_absolute_url()}"
            )
            for line in demo.announcements(None):
                self.stdout.write(line)
            return

        handler = _StdoutHandler(self)
        demo.logger.addHandler(handler)
        saved = demo.logger.propagate, demo.logger.level
        demo.logger.propagate, demo.logger.level = False, logging.INFO
        try:
            job = run_job_now(demo.seed_demo_task, name="seed_demo", label=label, actor=None, seed=seed, size=size)
        finally:
            demo.logger.removeHandler(handler)
            demo.logger.propagate, demo.logger.level = saved
        if job.status != JobStatus.SUCCEEDED:
            raise CommandError(f"The demo borough was not loaded: {job.message}")
        core = job.result.get("core", {})
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded Riverside: {core.get('organisations', 0)} organisations, {core.get('areas', 0)} areas, "
                f"{core.get('postcodes', 0)} postcodes, population file {core.get('population_csv')}."
            )
        )
        for line in demo.announcements(job.result):
            self.stdout.write(line)

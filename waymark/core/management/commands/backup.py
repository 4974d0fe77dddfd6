"""Take a backup of the database and the uploaded files while Waymark runs."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from waymark.core.backup import BackupError, take_backup


class Command(BaseCommand):
    help = (
        "Write one archive (.tar.gz) of the database (SQLite's online backup, or pg_dump for PostgreSQL) and "
        "the uploaded files, with a manifest of the time, engine, migrations and files. Safe while the site runs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "destination",
            nargs="?",
            help="The archive to write (default: backups/waymark-<time>.tar.gz in the site's var folder).",
        )

    def handle(self, *args: object, **options: object) -> None:
        stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
        default = Path(settings.VAR_DIR) / "backups" / f"waymark-{stamp}.tar.gz"
        destination = Path(str(options["destination"])) if options["destination"] else default
        try:
            manifest = take_backup(destination=destination)
        except (BackupError, OSError) as error:
            raise CommandError(f"No backup was written. {error}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up the {manifest.engine} database and {len(manifest.files)} uploaded files to {destination}."
            )
        )

"""Put a backup made by ``manage.py backup`` back, replacing the database and the uploaded files."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from waymark.core.backup import BackupError, check_restorable, read_manifest, restore_backup


class Command(BaseCommand):
    help = (
        "Restore an archive made by `manage.py backup`: the database and the uploaded files are replaced by the "
        "archive's. Refuses an archive from another database engine or with a newer schema. Stop the web "
        "server, the task worker and the scheduler first, and run `migrate` afterwards."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="The .tar.gz archive written by `manage.py backup`.")
        parser.add_argument(
            "--no-input",
            "--noinput",
            "--yes",
            action="store_false",
            dest="interactive",
            help="Overwrite the database and the uploaded files without asking.",
        )

    def handle(self, *args: object, **options: object) -> None:
        archive = Path(str(options["archive"]))
        try:
            manifest = read_manifest(archive)
            check_restorable(manifest)
        except BackupError as error:
            raise CommandError(f"Nothing was restored. {error}") from error
        if options["interactive"]:
            answer = input(
                f"This replaces the whole {manifest.engine} database and every uploaded file with the backup "
                f"taken at {manifest.taken_at}. Type 'yes' to go on: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing was restored.")
        try:
            restore_backup(archive_path=archive)
        except (BackupError, OSError) as error:
            raise CommandError(f"The restore did not finish. {error}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the database and {len(manifest.files)} uploaded files from {manifest.taken_at}. "
                "Run `manage.py migrate` if this version of Waymark has newer migrations."
            )
        )

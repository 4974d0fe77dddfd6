"""Load postcodes from an ONS Postcode Directory CSV file."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from waymark.core.postcodes import PostcodeFileError, load_postcodes


class Command(BaseCommand):
    help = (
        "Load or update postcodes from an ONS Postcode Directory (ONSPD) or NSPL CSV file. "
        "All or nothing: a bad row stops the load and nothing is saved."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The CSV file, for example ONSPD_NOV_2025_UK_E1.csv.")
        parser.add_argument(
            "--skip-unknown-areas",
            action="store_true",
            help="Skip (and count) postcodes whose LSOA or ward is not held here, instead of stopping.",
        )

    def handle(self, *args: object, **options: object) -> None:
        try:
            result = load_postcodes(str(options["path"]), skip_unknown_areas=bool(options["skip_unknown_areas"]))
        except OSError as exc:
            raise CommandError(f"Cannot read {options['path']}: {exc.strerror or exc}") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"Nothing was loaded. {options['path']} is not a UTF-8 CSV file.") from exc
        except PostcodeFileError as exc:
            raise CommandError(f"Nothing was loaded. {exc}") from exc
        self.stdout.write(self.style.SUCCESS(str(result)))

"""``manage.py import_national_mha FILE --year 2023-24``: load England's published Mental Health Act annual
statistics (the CSV or XLSX table) as the national benchmark, through the same service as the upload page.

Every problem is printed by row and column, and nothing is loaded if there is one (exit status 1).
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from waymark.monitoring.services.national import NationalFileInvalid, import_national_mha


class Command(BaseCommand):
    help = "Load England's published Mental Health Act annual statistics by ethnicity for one year."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The published table, CSV or XLSX.")
        parser.add_argument("--year", required=True, help='The financial year, e.g. "2023-24".')

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        try:
            release = import_national_mha(actor=None, source=path, year=options["year"])
        except NationalFileInvalid as invalid:
            for error in invalid.errors:
                row = f"row {error['row']}" if error["row"] else "file"
                self.stderr.write(f"{row}, {error['field']}: {error['message']} ({error['value']})")
            raise CommandError(str(invalid)) from invalid
        figures = release.figures.count()
        self.stdout.write(f"Loaded {figures} figures for England, {release.year}, from {release.file_name}.")

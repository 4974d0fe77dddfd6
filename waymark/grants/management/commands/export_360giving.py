"""``manage.py export_360giving FILE [--programme ID] [--format json|xlsx]``: the package the open-data page
offers, written to a file, for publishers who script their monthly upload to 360Giving.

It says how many grants it wrote and how many awards it held back (a group with no identifier yet), and prints
every schema problem and quality finding; a package that breaks the schema is not written (exit status 1), while
quality findings are warnings for the publisher to look at.
"""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from waymark.grants import open_data
from waymark.grants.models import Programme
from waymark.grants.quality import check_grants


class Command(BaseCommand):
    help = "Write the published awards as a 360Giving package (JSON or XLSX), validated and checked."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Where to write the package.")
        parser.add_argument("--programme", help="A programme's id, UUID or short code: only its awards.")
        parser.add_argument("--format", choices=["json", "xlsx"], help="By default the file's extension decides.")

    def handle(self, *args: Any, **options: Any) -> None:
        programme = self._programme(options["programme"]) if options["programme"] else None
        path = Path(options["file"])
        file_format = options["format"] or ("xlsx" if path.suffix.lower() == ".xlsx" else "json")
        package = open_data.build_package(programme=programme)
        problems = open_data.validate_package(package) if package["grants"] else []
        for problem in problems:
            self.stderr.write(f"schema: {problem}")
        if problems:
            raise CommandError(f"The package breaks the 360Giving schema in {len(problems)} places: not written.")
        for finding in check_grants(package["grants"]):
            self.stderr.write(f"quality: {finding.grant_id} {finding.field}: {finding.message}")
        if file_format == "xlsx":
            path.write_bytes(open_data.xlsx_bytes(programme=programme, grants=package["grants"]))
        else:
            with path.open("w", encoding="utf-8") as stream:
                open_data.write_json(stream, programme=programme, grants=package["grants"])
        held_back = open_data.held_back_count(programme=programme)
        self.stdout.write(f"Wrote {len(package['grants'])} grants to {path} ({file_format}).")
        if held_back:
            self.stdout.write(f"Held back {held_back} awards whose group has no identifier yet.")

    def _programme(self, value: str) -> Programme:
        rows = Programme.objects.filter(published=True)
        found = rows.filter(code=value).first()
        if found is None and value.isdigit():
            found = rows.filter(pk=int(value)).first()
        if found is None:
            try:
                found = rows.filter(uuid=value).first()
            except ValidationError:  # not a UUID
                found = None
        if found is None:
            raise CommandError(f"No published programme '{value}' (give its id, UUID or short code).")
        return found

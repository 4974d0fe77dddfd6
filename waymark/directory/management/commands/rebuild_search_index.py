"""``manage.py rebuild_search_index``: recompute every service's search text and location's public point."""

from typing import Any

from django.core.management.base import BaseCommand

from waymark.directory.services import rebuild_search_index


class Command(BaseCommand):
    help = "Rebuild the directory's search index, e.g. after loading postcodes or a bulk import."

    def handle(self, *args: Any, **options: Any) -> None:
        count = rebuild_search_index()
        self.stdout.write(f"Indexed {count:,} services.")

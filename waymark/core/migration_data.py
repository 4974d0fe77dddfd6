"""The rows the data migrations load (code sets, languages, sectors, the needs taxonomy, the default analysis
grouping, the plan templates), loaded again into a database a test with real transactions has emptied, and
the schema the migrations add beyond the models, for a test database built from the models."""

import importlib

from django.apps import apps
from django.db import transaction

# (migration module, the function in it that loads the rows)
MIGRATION_DATA = [
    ("waymark.core.migrations.0002_reference_data", "install_reference_data"),
    ("waymark.directory.migrations.0002_needs_taxonomy", "install_needs_taxonomy"),
    ("waymark.monitoring.migrations.0002_default_grouping", "load"),
    ("waymark.plans.migrations.0002_templates", "install_templates"),
]

# (migration module, the function in it that changes the schema beyond what the models declare), for test
# databases built from the models without the migrations (conftest.py).
MIGRATION_SCHEMA = [
    ("waymark.directory.migrations.0003_search_index", "create_search_index"),
    ("waymark.directory.migrations.0012_search_terms", "create_terms"),
]


def ensure_migration_data() -> None:
    """Load the rows, as the migrations do, unless they are there (a flushed database has none of them)."""
    from waymark.core.models import Sector

    if Sector.objects.exists():
        return
    with transaction.atomic():  # one commit, not one per row
        for module, function in MIGRATION_DATA:
            getattr(importlib.import_module(module), function)(apps, None)

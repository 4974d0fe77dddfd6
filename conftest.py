"""Test settings shared by the whole suite."""

import importlib
import os

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

hypothesis_settings.register_profile(
    "ci", deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.register_profile("dev", deadline=None)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") == "true" else "dev")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, request):
    """The test databases are built from the models (``--no-migrations`` in pyproject.toml): replaying every
    migration took over two minutes per worker and per database. What the migrations add beyond the models
    is added here as they add it: the directory's search index, and the rows the data migrations load,
    committed once beneath every test's own transaction and loaded again whenever a test with real
    transactions has emptied the database (Django sends ``post_migrate`` after each emptying).
    ``makemigrations --check`` in scripts/lint.sh keeps the migrations and the models the same, and
    ``make run`` applies them."""
    from django.apps import apps
    from django.db import connection
    from django.db.models.signals import post_migrate

    from waymark.core.migration_data import MIGRATION_SCHEMA, ensure_migration_data

    with django_db_blocker.unblock():
        if request.config.getoption("nomigrations"):
            with connection.schema_editor() as schema_editor:
                for module, function in MIGRATION_SCHEMA:
                    getattr(importlib.import_module(module), function)(apps, schema_editor)
        ensure_migration_data()
    post_migrate.connect(_reload_migration_data, sender=apps.get_app_config("core"), dispatch_uid="reload-data")


def _reload_migration_data(**kwargs) -> None:
    from waymark.core.migration_data import ensure_migration_data

    ensure_migration_data()
    _drop_search_entries_of_flushed_services()


@pytest.fixture(scope="session", autouse=True)
def _flush_by_deleting():
    """PostgreSQL empties the tables after each test with real transactions by DELETE rather than Django's
    TRUNCATE: truncating four hundred near-empty tables took seconds each time (every table gets new files),
    deleting their few rows takes milliseconds. The foreign keys are deferred to the commit, by which time
    every table is empty, so the order does not matter."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade:
            return truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return [f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};" for table in tables]

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = truncate


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Tasks run at once, mail stays in memory, static files come from the source folders, each test
    has a cache of its own (rate-limit counters would otherwise pile up across the tests of a worker), and
    directory feeds are read without pausing from test servers on 127.0.0.1 (the only network allowed)."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": str(tmp_path)}
    }
    settings.SECOND_FACTOR_REQUIRED = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DIRECTORY_FEED_REQUEST_DELAY = 0
    settings.DIRECTORY_FEED_ALLOWED_NETWORKS = ["127.0.0.1/32"]


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts and ends in English. A page in another language (the public feedback form in
    Bengali, say) leaves that language active on the thread after the request, where the test's own code,
    and the next test's, would otherwise go on in it; the site's middleware sets it afresh per request."""
    from django.conf import settings as django_settings
    from django.utils import translation

    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


def _drop_search_entries_of_flushed_services() -> None:
    """Django empties only its own tables after a test with real transactions, so SQLite's full-text index
    (a virtual table no model owns) would keep the entries of services that no longer exist, and a later
    search on the same worker would find ids with no service behind them."""
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM directory_service_fts WHERE rowid NOT IN (SELECT id FROM directory_service)")


# --- People with roles, for the tests of the apps below accounts ------------------------------------------
# Core sits below accounts in the layers (pyproject.toml's import contracts), so its tests do not import
# accounts' factories: they ask for these fixtures, which the suite provides from above every layer.


@pytest.fixture
def make_persona():
    """``make_persona(role, organisation=None, **fields)``: a user holding ``role`` (see accounts' factories)."""
    from waymark.accounts.factories import make_persona

    return make_persona


@pytest.fixture
def verified_login():
    """``verified_login(client, user)``: signed in with the second factor passed."""
    from waymark.accounts.factories import verified_login

    return verified_login


@pytest.fixture
def user_factory():
    """Accounts' ``UserFactory``: a user with no role."""
    from waymark.accounts.factories import UserFactory

    return UserFactory

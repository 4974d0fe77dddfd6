"""Backup and restore: a round trip gives back every row of every table and every uploaded file; an archive
that cannot be taken back is refused before anything changes. Runs on SQLite and on PostgreSQL alike."""

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from waymark.accounts.factories import make_persona
from waymark.core.backup import MANIFEST
from waymark.core.factories import OrganisationFactory
from waymark.core.models import Organisation
from waymark.core.roles import Role
from waymark.directory.factories import ServiceFactory
from waymark.voice.factories import FeedbackItemFactory
from waymark.voice.factories_escalations import ResponseFactory

# Real transactions: SQLite's backup API and pg_restore work on committed data, outside a test transaction.
pytestmark = pytest.mark.django_db(transaction=True)


def table_rows() -> dict[str, list[str]]:
    """Every row of every table in the database, in a stable order."""
    dump = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 (introspected names)
            dump[table] = sorted(repr(row) for row in cursor.fetchall())
    return dump


def media_files(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in root.rglob("*") if path.is_file()}


@pytest.fixture(autouse=True)
def _migrated_database(transactional_db, settings):
    """The suite builds its databases from the models without the migrations (conftest.py); a backup records
    the migrations applied and a restore checks them against those on disk, so here both are as in a
    database that ``migrate`` built."""
    settings.MIGRATION_MODULES = {}
    recorder = MigrationRecorder(connection)
    recorder.ensure_schema()
    for app, name in MigrationLoader(connection, ignore_no_migrations=True).disk_migrations:
        recorder.record_applied(app, name)


@pytest.fixture
def site(settings):
    """A little of everything: organisations, people with roles, feedback answered, services, uploads."""
    make_persona(Role.STAFF)
    make_persona(Role.ANALYST, OrganisationFactory(name="Riverside Trust"))
    ResponseFactory(escalation__issue__title="No interpreter at the clinic")
    FeedbackItemFactory(text="The café evening was welcoming.")
    ServiceFactory(name="Talking Together")
    default_storage.save("imports/population.csv", ContentFile(b"code,count\n13,100000\n"))
    default_storage.save("documents/2026/terms of reference.pdf", ContentFile(b"%PDF-1.7 terms"))
    return Path(settings.MEDIA_ROOT)


def test_a_backup_restores_every_table_and_every_uploaded_file(site, tmp_path):
    rows_before, files_before = table_rows(), media_files(site)
    assert {model._meta.db_table for model in apps.get_models(include_auto_created=True)} <= set(rows_before)
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())

    # Life goes on: records change and are added, an upload is replaced, another removed, a third added.
    Organisation.objects.filter(name="Riverside Trust").update(name="Renamed after the backup")
    OrganisationFactory(name="Made after the backup")
    FeedbackItemFactory(text="Sent after the backup.")
    (site / "imports" / "population.csv").write_bytes(b"code,count\n13,1\n")
    (site / "documents" / "2026" / "terms of reference.pdf").unlink()
    (site / "after.txt").write_bytes(b"new")
    assert table_rows() != rows_before

    call_command("restore", str(archive), "--no-input", stdout=io.StringIO())

    assert table_rows() == rows_before
    assert media_files(site) == files_before


def test_the_manifest_lists_the_engine_the_schema_and_each_file_with_size_and_hash(site, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())

    manifest = _manifest(archive)
    assert manifest["engine"] == connection.vendor
    assert ["core", "0001_initial"] in manifest["migrations"]
    assert {entry["path"]: entry["size"] for entry in manifest["files"]} == {
        "documents/2026/terms of reference.pdf": 14,
        "imports/population.csv": 21,
    }
    assert all(len(entry["sha256"]) == 64 for entry in manifest["files"])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"engine": "postgresql" if connection.vendor == "sqlite" else "sqlite"}, "this site uses"),
        ({"migrations": [["core", "9999_from_a_newer_version"]]}, "newer than this version of Waymark"),
    ],
)
def test_an_archive_from_another_engine_or_a_newer_schema_is_refused_and_nothing_changes(
    site, tmp_path, change, message
):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    manifest = _manifest(archive)
    if "migrations" in change:
        change = {"migrations": manifest["migrations"] + change["migrations"]}
    _rewrite_manifest(archive, {**manifest, **change})
    OrganisationFactory(name="Made after the backup")
    rows, files = table_rows(), media_files(site)

    with pytest.raises(CommandError, match=message):
        call_command("restore", str(archive), "--no-input", stdout=io.StringIO())

    assert table_rows() == rows
    assert media_files(site) == files


def test_restore_asks_before_overwriting_and_stops_unless_told_yes(site, tmp_path, monkeypatch):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    OrganisationFactory(name="Made after the backup")
    questions = []
    monkeypatch.setattr("builtins.input", lambda question: questions.append(question) or "no")

    with pytest.raises(CommandError, match="Nothing was restored"):
        call_command("restore", str(archive), stdout=io.StringIO())

    assert "replaces the whole" in questions[0]
    assert Organisation.objects.filter(name="Made after the backup").exists()


def test_a_damaged_upload_in_the_archive_is_refused_before_anything_changes(site, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    _rewrite_member(archive, "media/imports/population.csv", b"code,count\n13,666666\n")
    OrganisationFactory(name="Made after the backup")

    with pytest.raises(CommandError, match="does not match its recorded hash"):
        call_command("restore", str(archive), "--no-input", stdout=io.StringIO())

    assert Organisation.objects.filter(name="Made after the backup").exists()


def _manifest(archive: Path) -> dict:
    with tarfile.open(archive, "r:gz") as tar:
        member = tar.extractfile(MANIFEST)
        assert member is not None
        return json.loads(member.read())


def _rewrite_member(archive: Path, name: str, data: bytes) -> None:
    """Write the archive again with one member's content replaced."""
    with tarfile.open(archive, "r:gz") as tar:
        members = [(member, tar.extractfile(member).read()) for member in tar.getmembers() if member.isfile()]
    with tarfile.open(archive, "w:gz") as tar:
        for member, content in members:
            content = data if member.name == name else content
            member.size = len(content)
            tar.addfile(member, io.BytesIO(content))


def _rewrite_manifest(archive: Path, manifest: dict) -> None:
    _rewrite_member(archive, MANIFEST, json.dumps(manifest).encode())

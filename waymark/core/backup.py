"""Backups of the database and the uploaded files (``MEDIA_ROOT``), taken while Waymark runs, and restores.

A backup is one gzipped tar archive holding ``manifest.json``, the database and the media files under
``media/``. The database is copied first, consistently: SQLite through its online backup API (a snapshot
of the live file, WAL included, without stopping writers), PostgreSQL through ``pg_dump`` (one snapshot
transaction). The media files follow, so every file a backed-up row names is in the archive (an upload is
stored before its row is committed); a file uploaded during the backup may come along without its row.

The manifest records when the backup was taken, the database engine, the migrations applied and every media
file with its size and SHA-256. A restore checks all of it before it changes anything: it refuses an archive
from another engine, one whose schema is newer than this version of Waymark knows (upgrade first), and one
whose files do not match their hashes. An older schema is restored as it was; run ``migrate`` afterwards.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
DATABASE_MEMBERS = {"sqlite": "database/waymark.sqlite3", "postgresql": "database/waymark.pgdump"}
FORMAT_VERSION = 1
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup cannot be taken or restored; the message says why, for the operator."""


@dataclass(frozen=True)
class Manifest:
    """What an archive holds: when and from which engine it was taken, the schema, and the media files."""

    taken_at: str
    engine: str
    migrations: list[list[str]]
    files: list[dict[str, Any]]
    format_version: int = FORMAT_VERSION

    @classmethod
    def from_json(cls, data: bytes) -> Manifest:
        fields = json.loads(data)
        return cls(**{name: fields[name] for name in cls.__dataclass_fields__ if name in fields})

    def to_json(self) -> bytes:
        return json.dumps(self.__dict__, indent=2).encode()


def engine() -> str:
    """The engine of the configured database, as a manifest names it."""
    if connection.vendor not in DATABASE_MEMBERS:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
    return connection.vendor


def applied_migrations() -> list[list[str]]:
    return sorted([app, name] for app, name in MigrationRecorder(connection).applied_migrations())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _media_files(root: Path) -> Iterator[Path]:
    if root.is_dir():
        yield from sorted(path for path in root.rglob("*") if path.is_file() and not path.is_symlink())


def _dump_sqlite(target: Path) -> None:
    """Copy the live database with SQLite's online backup API, through Django's own connection."""
    connection.ensure_connection()
    with sqlite3.connect(target) as copy:
        connection.connection.backup(copy)
    copy.close()


def _postgres_environment() -> dict[str, str]:
    """libpq's environment for the configured database, so no password is on a command line."""
    database = connection.settings_dict
    values = {
        "PGDATABASE": database["NAME"],
        "PGUSER": database.get("USER") or "",
        "PGPASSWORD": database.get("PASSWORD") or "",
        "PGHOST": database.get("HOST") or "",
        "PGPORT": str(database.get("PORT") or ""),
        "PGSSLMODE": database.get("OPTIONS", {}).get("sslmode", ""),
    }
    return {**os.environ, **{name: value for name, value in values.items() if value}}


def _run(command: list[str]) -> None:
    try:
        subprocess.run(command, env=_postgres_environment(), check=True, capture_output=True, text=True)  # noqa: S603
    except FileNotFoundError as error:
        raise BackupError(f"{command[0]} is not installed; it comes with PostgreSQL's client tools.") from error
    except subprocess.CalledProcessError as error:
        raise BackupError(f"{command[0]} failed: {error.stderr.strip()}") from error


def _dump_postgresql(target: Path) -> None:
    _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"])


def take_backup(*, destination: Path) -> Manifest:
    """Write a backup of the database and the media files to ``destination`` (a .tar.gz) and return its
    manifest. The archive is written beside the destination first and moved into place when complete."""
    kind = engine()
    media_root = Path(settings.MEDIA_ROOT)
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=destination.parent) as work:
        database_copy = Path(work) / "database"
        migrations = applied_migrations()
        (_dump_sqlite if kind == "sqlite" else _dump_postgresql)(database_copy)
        partial = Path(work) / destination.name
        files = []
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(database_copy, arcname=DATABASE_MEMBERS[kind])
            for path in _media_files(media_root):
                name = path.relative_to(media_root).as_posix()
                files.append({"path": name, "size": path.stat().st_size, "sha256": _sha256(path)})
                archive.add(path, arcname=MEDIA_PREFIX + name)
            manifest = Manifest(taken_at=timezone.now().isoformat(), engine=kind, migrations=migrations, files=files)
            data = manifest.to_json()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(datetime.datetime.now().timestamp())
            archive.addfile(info, io.BytesIO(data))
        partial.replace(destination)
    return manifest


def read_manifest(archive_path: Path) -> Manifest:
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            member = archive.extractfile(MANIFEST)
            if member is None:
                raise KeyError(MANIFEST)
            return Manifest.from_json(member.read())
    except (OSError, KeyError, tarfile.TarError, ValueError, TypeError) as error:
        raise BackupError(f"{archive_path} is not a Waymark backup ({error}).") from error


def check_restorable(manifest: Manifest) -> None:
    """Refuse an archive this installation cannot take back, before anything is changed."""
    if manifest.format_version > FORMAT_VERSION:
        raise BackupError("The backup was made by a newer version of Waymark. Upgrade Waymark, then restore.")
    here = engine()
    if manifest.engine != here:
        raise BackupError(
            f"The backup is of a {manifest.engine} database and this site uses {here}: restore it into a "
            f"{manifest.engine} database, or move the data with dumpdata and loaddata."
        )
    known = set(MigrationLoader(connection, ignore_no_migrations=True).disk_migrations)
    unknown = sorted(f"{app}.{name}" for app, name in manifest.migrations if (app, name) not in known)
    if unknown:
        raise BackupError(
            "The backup's schema is newer than this version of Waymark (it has migrations this version does "
            f"not know: {', '.join(unknown[:5])}{'…' if len(unknown) > 5 else ''}). Upgrade Waymark, then restore."
        )


def _extract(archive_path: Path, manifest: Manifest, work: Path) -> tuple[Path, Path]:
    """Unpack the database and the media files into ``work``, checking every file against the manifest."""
    wanted = {DATABASE_MEMBERS[manifest.engine]} | {MEDIA_PREFIX + entry["path"] for entry in manifest.files}
    with tarfile.open(archive_path, "r:gz") as archive:
        members = [member for member in archive.getmembers() if member.name in wanted and member.isfile()]
        missing = wanted - {member.name for member in members}
        if missing:
            raise BackupError(f"The backup is incomplete: {', '.join(sorted(missing)[:5])} missing.")
        archive.extractall(work, members=members, filter="data")
    media = work / MEDIA_PREFIX
    for entry in manifest.files:
        path = media / entry["path"]
        if path.stat().st_size != entry["size"] or _sha256(path) != entry["sha256"]:
            raise BackupError(f"The backup is damaged: {entry['path']} does not match its recorded hash.")
    return work / DATABASE_MEMBERS[manifest.engine], media


def _load_sqlite(database_copy: Path) -> None:
    """Copy the backed-up database over the live one with the online backup API, pages and all."""
    connection.ensure_connection()
    with sqlite3.connect(database_copy) as source:
        source.backup(connection.connection)
    source.close()


def _load_postgresql(database_copy: Path) -> None:
    connection.close()  # pg_restore drops the tables; an idle connection of ours must not hold locks on them
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            f"--dbname={connection.settings_dict['NAME']}",
            str(database_copy),
        ]
    )


def _replace_media(media: Path) -> None:
    """Make ``MEDIA_ROOT`` hold exactly the backed-up files (the folder itself stays: it may be a mount)."""
    media_root = Path(settings.MEDIA_ROOT)
    media_root.mkdir(parents=True, exist_ok=True)
    for child in media_root.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    if media.is_dir():
        shutil.copytree(media, media_root, dirs_exist_ok=True)


def restore_backup(*, archive_path: Path) -> Manifest:
    """Put the database and the media files back as the archive holds them, replacing what is there."""
    manifest = read_manifest(archive_path)
    check_restorable(manifest)
    with tempfile.TemporaryDirectory() as work:
        database_copy, media = _extract(archive_path, manifest, Path(work))
        (_load_sqlite if manifest.engine == "sqlite" else _load_postgresql)(database_copy)
        _replace_media(media)
    return manifest

"""Backup and restore of the whole portal: the database and every stored file (evidence, sealed applications,
documents prepared for signature, decision letters, generated reports), with a manifest of every file's SHA-256.

A backup is a folder:
    manifest.json     format, time, database engine, migrations applied, and for every file its name, size, SHA-256
    database.dump     PostgreSQL: `pg_dump --format=custom` (one consistent snapshot of every table)
    database.sqlite3  SQLite (`make run`): the sqlite3 online backup API
    files/<name>      every object of the evidence store, under its storage name

Consistency: the database is dumped first, then the files are copied. Stored files are named by their content's
hash and written before the row that names them commits, so every file the dump references already exists when
the dump starts; issued documents are never removed. The one race left is a draft's upload removed between the
dump and the copy (its bytes may be deleted when nothing references them): `restore` then reports it missing, as
`verify_evidence` would. Restore refuses a database or store that is not empty.
"""
from __future__ import annotations

import datetime as dt
import glob
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from ot24portal.filestore import storage

FORMAT = "ot24-backup/1"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or a restore that cannot go on; the message says why (in English: operators' tool)."""


@dataclass(frozen=True)
class Report:
    folder: Path
    files: int
    bytes: int
    database: str


def _sha256_of(fh) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    for chunk in iter(lambda: fh.read(CHUNK), b""):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _walk(store, folder: str = ""):
    """Every file name in a Django storage (file system or S3), depth first."""
    try:
        folders, files = store.listdir(folder)
    except FileNotFoundError:  # a new file-system store has no folder yet
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from _walk(store, f"{folder}/{sub}" if folder else sub)


def _skipped(name: str) -> bool:
    return name.startswith("tmp/") or name.rsplit("/", 1)[-1].startswith(".")


def pg_binary(name: str) -> str:
    """pg_dump / pg_restore: settings.OT24_PG_BIN, else the newest of Debian's /usr/lib/postgresql/*/bin (the
    client must not be older than the server), else PATH."""
    folder = getattr(settings, "OT24_PG_BIN", "") or ""
    candidates = [os.path.join(folder, name)] if folder else []
    candidates += sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                         key=lambda p: [int(x) for x in p.split("/")[4].split(".") if x.isdigit()], reverse=True)
    for candidate in candidates:
        if os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} not found: install PostgreSQL's client (postgresql-client) or set OT24_PG_BIN")
    return found


def _pg_args_env() -> tuple[list[str], dict]:
    db = connection.settings_dict
    args = [f"--dbname={db['NAME']}"]
    if db.get("HOST"):
        args.append(f"--host={db['HOST']}")
    if db.get("PORT"):
        args.append(f"--port={db['PORT']}")
    if db.get("USER"):
        args.append(f"--username={db['USER']}")
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    return args, env


def _migrations() -> list[list[str]]:
    return sorted([app, name] for app, name in MigrationRecorder.Migration.objects.values_list("app", "name"))


def backup(folder: Path) -> Report:
    """Write a backup into `folder`, which must not exist or be empty."""
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty")
    (folder / "files").mkdir(parents=True, exist_ok=True)
    vendor = connection.vendor
    if vendor == "postgresql":
        database_file = "database.dump"
        args, env = _pg_args_env()
        subprocess.run([pg_binary("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                        f"--file={folder / database_file}", *args], env=env, check=True, capture_output=True)
    elif vendor == "sqlite":
        database_file = "database.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(folder / database_file)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    else:
        raise BackupError(f"unsupported database engine {vendor}")
    with open(folder / database_file, "rb") as fh:
        database_sha, database_size = _sha256_of(fh)

    store = storage.backend()
    files, total = [], 0
    for name in _walk(store):
        if _skipped(name):
            continue
        target = folder / "files" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with store.open(name, "rb") as src, open(target, "wb") as out:
            shutil.copyfileobj(src, out, CHUNK)
        with open(target, "rb") as fh:
            sha, size = _sha256_of(fh)
        files.append({"name": name, "size": size, "sha256": sha})
        total += size
    manifest = {
        "format": FORMAT,
        "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "database": {"engine": vendor, "file": database_file, "sha256": database_sha, "size": database_size},
        "migrations": _migrations(),
        "files": files,
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1))
    return Report(folder=folder, files=len(files), bytes=total, database=database_file)


def read_manifest(folder: Path) -> dict:
    """The manifest, after checking every file of the backup against it (a damaged backup is refused before
    anything is restored)."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / "manifest.json").read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"no readable manifest.json in {folder}: {exc}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    database = manifest["database"]
    with open(folder / database["file"], "rb") as fh:
        if _sha256_of(fh)[0] != database["sha256"]:
            raise BackupError(f"{database['file']} does not match the manifest")
    for entry in manifest["files"]:
        path = folder / "files" / entry["name"]
        try:
            with open(path, "rb") as fh:
                sha, _size = _sha256_of(fh)
        except OSError:
            raise BackupError(f"file {entry['name']} is missing from the backup") from None
        if sha != entry["sha256"]:
            raise BackupError(f"file {entry['name']} does not match the manifest")
    return manifest


def _database_is_empty() -> bool:
    return not connection.introspection.table_names()


def restore(folder: Path) -> Report:
    """Bring a backup back into an empty database and an empty store, then check every restored file's hash."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    database = manifest["database"]
    vendor = connection.vendor
    if database["engine"] != vendor:
        raise BackupError(f"the backup holds a {database['engine']} database, this portal uses {vendor}")
    if not _database_is_empty():
        raise BackupError("the database is not empty: restore only into a new, empty database")
    store = storage.backend()
    if any(not _skipped(name) for name in _walk(store)):
        raise BackupError("the evidence store is not empty: restore only into a new, empty store")

    if vendor == "postgresql":
        args, env = _pg_args_env()
        subprocess.run([pg_binary("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
                        "--single-transaction", *args, str(folder / database["file"])],
                       env=env, check=True, capture_output=True)
    else:
        connection.ensure_connection()
        source = sqlite3.connect(folder / database["file"])
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    connection.close()  # the next query sees the restored tables

    total = 0
    for entry in manifest["files"]:
        with open(folder / "files" / entry["name"], "rb") as fh:
            saved = store.save(entry["name"], File(fh, name=entry["name"]))
        if saved != entry["name"]:
            raise BackupError(f"the store renamed {entry['name']} to {saved}")
        if not storage.matches_hash(entry["name"], entry["sha256"]):
            raise BackupError(f"file {entry['name']} does not match the manifest after restoring it")
        total += entry["size"]
    return Report(folder=folder, files=len(manifest["files"]), bytes=total, database=database["file"])

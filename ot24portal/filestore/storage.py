"""Private evidence storage: files are streamed to a local temporary file while their SHA-256 is computed,
checked, then saved under a name derived from the hash in the "evidence" storage (STORAGES setting):
a private folder on local disk by default, S3-compatible object storage through django-storages in
production when configured. Nothing here knows about permissions: only views that check them serve
these files."""
from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.utils.translation import gettext

from . import filechecks
from .filechecks import RejectedFile  # noqa: F401 - defined beside the checks; callers catch storage.RejectedFile

# What we accept, decided by the content's first bytes; the name's extension must agree.
ACCEPTED_TYPES = {
    "application/pdf": ((b"%PDF-",), (".pdf",)),
    "image/jpeg": ((b"\xff\xd8\xff",), (".jpg", ".jpeg")),
    "image/png": ((b"\x89PNG\r\n\x1a\n",), (".png",)),
    "application/pkcs7-mime": ((b"\x30\x80", b"\x30\x82", b"\x30\x83", b"\x30\x84"), (".p7m",)),
}


CHUNK_BYTES = 1024 * 1024  # read and hash uploads in 1 MB pieces

logger = logging.getLogger(__name__)


class StorageUnavailable(OSError):
    """The object store did not answer or refused the portal's own credentials (connection refused, timeout,
    5xx, a signature or permission error). Nothing was written: a write to S3 either creates the whole object
    or none. Views answer 503 with an Italian message (ot24portal.filestore.middleware); the database transaction
    around the write rolls back, so a draft is left as it was."""


@contextmanager
def _store_errors(action: str, storage_name: str = ""):
    """Turn the object store's client errors into StorageUnavailable (local disks raise OSError as before)."""
    try:
        yield
    except StorageUnavailable:
        raise
    except (BotoCoreError, ClientError) as exc:
        logger.error("evidence store unavailable (%s %s): %s", action, storage_name, exc)
        raise StorageUnavailable(f"{action} {storage_name}: {exc}") from exc



@dataclass(frozen=True)
class StoredFile:
    storage_name: str
    sha256: str
    size: int
    content_type: str


def backend():
    from django.core.files.storage import storages

    return storages["evidence"]


def root() -> Path:
    """The local folder of the default file-system storage (tests and local tools)."""
    path = Path(backend().location)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _tmp_dir() -> Path:
    path = Path(settings.PRIVATE_MEDIA_ROOT) / "tmp"
    path.mkdir(parents=True, exist_ok=True)
    return path


def detect_type(head: bytes, filename: str) -> str:
    ext = os.path.splitext(filename.lower())[1]
    for content_type, (magics, extensions) in ACCEPTED_TYPES.items():
        if any(head.startswith(m) for m in magics):
            if ext not in extensions:
                raise RejectedFile(
                    gettext("Il contenuto del file è di tipo %(type)s ma il nome termina con «%(ext)s»: rinominare "
                            "il file con l'estensione corretta.")
                    % {"type": extensions[0][1:].upper(), "ext": ext or gettext("nessuna estensione")}
                )
            return content_type
    raise RejectedFile(gettext("Tipo di file non ammesso: sono accettati PDF, JPEG, PNG e file firmati .p7m."))


# Every content check runs in a forked child under the CPU and memory budgets of
# settings.OT24_CHECK_CPU_SECONDS and OT24_CHECK_MEMORY_BYTES (ot24portal.filestore.filechecks): a crafted file
# is refused with an Italian message instead of holding a worker for seconds and hundreds of MB.


def check_pdf(path: str) -> None:
    """Refuse PDFs that INAIL could not read (encrypted, damaged, no pages) or that carry active content."""
    filechecks.prepare()
    filechecks.run_bounded(filechecks.pdf_structure, path, error_message=filechecks.PDF_DAMAGED())


def check_image(path: str) -> None:
    """Refuse images that cannot be read in full or have more than settings.OT24_MAX_IMAGE_PIXELS pixels."""
    filechecks.prepare()
    filechecks.run_bounded(filechecks.image_structure, path, error_message=filechecks.IMAGE_DAMAGED())


def check_p7m(path: str) -> None:
    """A .p7m must be a CAdES/PKCS#7 signed-data envelope."""
    filechecks.prepare()
    filechecks.run_bounded(filechecks.p7m_structure, path, error_message=filechecks.P7M_INVALID())


CONTENT_CHECKS = {"application/pdf": check_pdf, "image/jpeg": check_image, "image/png": check_image,
                  "application/pkcs7-mime": check_p7m}


class _OwnTemporaryFile(File):
    """Our temporary file, beside the store: the file-system storage moves it into place (a rename)
    instead of copying 100 MB again; other storages read it like any file."""

    def __init__(self, fh, path: str):
        super().__init__(fh)
        self._path = path

    def temporary_file_path(self) -> str:
        return self._path


def _too_big(max_bytes: int, message: str | None) -> RejectedFile:
    return RejectedFile(message or gettext("Il file supera il limite di %(mb)s MB.") % {"mb": max_bytes // (1024 * 1024)})


def save_upload(uploaded, filename: str, *, max_bytes: int | None = None, too_big: str | None = None) -> StoredFile:
    """An uploaded file. One that Django already wrote to a temporary file and hashed on arrival
    (ot24portal.filestore.uploads) is checked where it lies and moved into the store without another copy;
    anything else (small files kept in memory) goes through save_stream."""
    sha, path = getattr(uploaded, "sha256", None), None
    if sha and hasattr(uploaded, "temporary_file_path"):
        path = uploaded.temporary_file_path()
    if not path:
        return save_stream(uploaded.chunks(CHUNK_BYTES), filename, max_bytes=max_bytes, too_big=too_big)
    if max_bytes is None:
        max_bytes = settings.OT24_MAX_FILE_BYTES
    if uploaded.size > max_bytes:
        raise _too_big(max_bytes, too_big)
    if uploaded.size == 0:
        raise RejectedFile(gettext("Il file è vuoto."))
    with open(path, "rb") as fh:
        content_type = detect_type(fh.read(16), filename)
    with _Syncing(path):  # the disk writes the file while the check's child reads it
        CONTENT_CHECKS[content_type](path)
    return StoredFile(storage_name=_store_by_hash(sha, uploaded), sha256=sha, size=uploaded.size,
                      content_type=content_type)


# Documents the portal issues (the sealed application, the PDF prepared for a qualified signature, the
# signed application, the sealed decision letter) live under their own prefix, apart from uploads: nothing
# that removes an upload can reach them, even when someone uploads the same bytes as evidence.
ISSUED_PREFIX = "issued/"


def _store_by_hash(sha: str, content: File, *, issued: bool = False) -> str:
    """Save checked bytes under their hash, once per content (the file-system storage renames a
    temporary file into place). Returns the storage name."""
    storage_name = f"{ISSUED_PREFIX if issued else ''}{sha[:2]}/{sha}"
    store = backend()
    with _store_errors("save", storage_name):
        if not store.exists(storage_name):
            saved = store.save(storage_name, content)
            if saved != storage_name:
                store.delete(saved)
                raise OSError(f"storage renamed {storage_name} to {saved}")
            _settle(store, storage_name)
    return storage_name


# A stored file is made durable before anything records it: its data (fdatasync) and its name in the
# folder (fsync of the folder, after the rename). Its pages then leave the page cache (stored files are
# seldom read again): the next upload's writes reuse them. That is measured by `make bench` (upload): on
# this machine (a Firecracker VM, whose memory the host gives on first use) writing 100 MB into pages
# the page cache never held took 0.18-0.29 s, into pages given back before 0.025 s; a 100 MB upload went
# from 0.38 to 0.20 s with the fdatasync (about 0.03 s) included.


def _local_path(store, storage_name: str) -> str | None:
    """Where a stored file lies on this machine: Django's file-system storage (and its subclasses) only.
    None for storages whose files are elsewhere (S3 in production, the in-memory storage), whatever their
    path() answers: some answer a path under a location where nothing is written."""
    if not isinstance(store, FileSystemStorage):
        return None
    return store.path(storage_name)


def _settle(store, storage_name: str) -> None:
    """Data and name of a newly stored file on disk, its pages out of the cache. Local storage only
    (object storages keep their own promises)."""
    path = _local_path(store, storage_name)
    if path is None:
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fdatasync(fd)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)
    folder = os.open(os.path.dirname(path), os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


class _Syncing:
    """`with _Syncing(path):` writes the file's data to disk (fdatasync) in a thread while the block runs
    (the content check, in a child process): _settle then finds little or nothing left to write. Any
    failure here is left to _settle, which syncs again and raises."""

    def __init__(self, path: str):
        self._path = path
        self._fd = None
        self._thread = None

    def _sync(self) -> None:
        try:
            os.fdatasync(self._fd)
        except OSError:
            pass

    def __enter__(self):
        try:
            self._fd = os.open(self._path, os.O_RDONLY)
            self._thread = threading.Thread(target=self._sync, name="upload-fdatasync", daemon=True)
            self._thread.start()
        except (OSError, RuntimeError):  # no file or no thread to be had: _settle does it all
            self._thread = None
        return self

    def __exit__(self, *exc) -> None:
        if self._thread is not None:
            self._thread.join()
        if self._fd is not None:
            os.close(self._fd)


def save_stream(
    chunks, filename: str, *, max_bytes: int | None = None, too_big: str | None = None, untrusted: bool = True,
    issued: bool | None = None,
) -> StoredFile:
    """Write the chunks to a temporary file beside the store, hashing as they come; check type and size;
    move into place under the hash. On any refusal nothing is left on disk. Trusted documents (those the
    portal produced or verified itself) are issued documents: stored under ISSUED_PREFIX."""
    if issued is None:
        issued = not untrusted
    if max_bytes is None:
        max_bytes = settings.OT24_MAX_FILE_BYTES
    digest = hashlib.sha256()
    size = 0
    head = b""
    fd, tmp_path = tempfile.mkstemp(dir=_tmp_dir(), prefix="upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                size += len(chunk)
                if size > max_bytes:
                    raise _too_big(max_bytes, too_big)
                if len(head) < 16:
                    head += chunk[: 16 - len(head)]
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise RejectedFile(gettext("Il file è vuoto."))
        content_type = detect_type(head, filename)
        if untrusted:  # documents the portal itself produced (the signed PDF) skip the upload checks
            with _Syncing(tmp_path):
                CONTENT_CHECKS[content_type](tmp_path)
        sha = digest.hexdigest()
        with open(tmp_path, "rb") as fh:
            storage_name = _store_by_hash(sha, _OwnTemporaryFile(fh, tmp_path), issued=issued)
        return StoredFile(storage_name=storage_name, sha256=sha, size=size, content_type=content_type)
    finally:
        if os.path.exists(tmp_path):
            os.unlink(tmp_path)


def path_of(storage_name: str) -> Path:
    """Local path of a stored file (file-system storage only: tests and local tools)."""
    return Path(backend().path(storage_name))


def exists(storage_name: str) -> bool:
    if not storage_name:
        return False
    with _store_errors("exists", storage_name):
        return backend().exists(storage_name)


def open_stored(storage_name: str):
    with _store_errors("open", storage_name):
        return backend().open(storage_name, "rb")


def read_bytes(storage_name: str) -> bytes:
    with _store_errors("read", storage_name), open_stored(storage_name) as fh:
        return fh.read()


def matches_hash(storage_name: str, sha256: str) -> bool:
    """True when the stored bytes still have the hash recorded at upload (False when they are gone)."""
    if not exists(storage_name):
        return False
    digest = hashlib.sha256()
    with _store_errors("read", storage_name), open_stored(storage_name) as fh:
        for chunk in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest() == sha256


_REMEMBERED_MAX = 20_000
_remembered_intact: dict[tuple, None] = {}  # insertion-ordered: the oldest answers are dropped first


def _identity(storage_name: str) -> tuple | None:
    """What changes whenever a stored file's bytes change through the file system: inode, size,
    modification and change time (the change time cannot be set back by a program). None where the
    storage has no local files (object storage) or the file is gone."""
    path = _local_path(backend(), storage_name)
    if path is None:
        return None
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def matches_hash_remembered(storage_name: str, sha256: str) -> bool:
    """matches_hash for screens that list many files (the reviewer's): a successful check is kept in
    this process while the file's identity stays the same, so a view does not read every scan again.
    Failures are never kept. Downloads and `verify_evidence` (which also catches silent disk
    corruption) always read the file: they call matches_hash."""
    identity = _identity(storage_name)
    key = (storage_name, sha256, identity)
    if identity is not None and key in _remembered_intact:
        return True
    intact = matches_hash(storage_name, sha256)
    if intact and identity is not None and _identity(storage_name) == identity:
        _remembered_intact[key] = None
        if len(_remembered_intact) > _REMEMBERED_MAX:
            del _remembered_intact[next(iter(_remembered_intact))]
    return intact


def discard(storage_name: str) -> None:
    """Remove bytes just written by a write that failed before anything referenced them."""
    if exists(storage_name):
        with _store_errors("delete", storage_name):
            backend().delete(storage_name)


def is_issued(storage_name: str) -> bool:
    return storage_name.startswith(ISSUED_PREFIX)


def delete_if_unused(storage_name: str, still_used: bool) -> None:
    """Remove stored bytes nobody references any more (the caller counts every reference). Issued
    documents are never removed this way."""
    if not still_used and not is_issued(storage_name) and exists(storage_name):
        with _store_errors("delete", storage_name):
            backend().delete(storage_name)

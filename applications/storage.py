"""Private evidence storage on local disk: files are streamed in while their SHA-256 is computed and
stored under a name derived from the hash, outside any public folder. Nothing here knows about
permissions: only the download view serves these files, after checking them."""
from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

# What we accept, decided by the content's first bytes; the name's extension must agree.
ACCEPTED_TYPES = {
    "application/pdf": ((b"%PDF-",), (".pdf",)),
    "image/jpeg": ((b"\xff\xd8\xff",), (".jpg", ".jpeg")),
    "image/png": ((b"\x89PNG\r\n\x1a\n",), (".png",)),
    "application/pkcs7-mime": ((b"\x30\x80", b"\x30\x82", b"\x30\x83", b"\x30\x84"), (".p7m",)),
}


class RejectedFile(ValueError):
    """The upload is refused; the message says why, in Italian."""


@dataclass(frozen=True)
class StoredFile:
    storage_name: str
    sha256: str
    size: int
    content_type: str


def root() -> Path:
    path = Path(settings.PRIVATE_MEDIA_ROOT) / "evidence"
    path.mkdir(parents=True, exist_ok=True)
    return path


def detect_type(head: bytes, filename: str) -> str:
    ext = os.path.splitext(filename.lower())[1]
    for content_type, (magics, extensions) in ACCEPTED_TYPES.items():
        if any(head.startswith(m) for m in magics):
            if ext not in extensions:
                raise RejectedFile(
                    f"Il contenuto del file è di tipo {extensions[0][1:].upper()} ma il nome termina con "
                    f"«{ext or 'nessuna estensione'}»: rinominare il file con l'estensione corretta."
                )
            return content_type
    raise RejectedFile("Tipo di file non ammesso: sono accettati PDF, JPEG, PNG e file firmati .p7m.")


def check_pdf(path: str) -> None:
    """Refuse PDFs that INAIL could not read: encrypted, damaged or without pages."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            raise RejectedFile("Il PDF è protetto da password o cifrato: caricare una copia senza protezione.")
        if len(reader.pages) == 0:
            raise RejectedFile("Il PDF non contiene pagine.")
    except RejectedFile:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        raise RejectedFile("Il PDF è danneggiato o illeggibile: salvarlo di nuovo e ricaricarlo.") from exc


def save_stream(
    chunks, filename: str, *, max_bytes: int | None = None, too_big: str | None = None
) -> StoredFile:
    """Write the chunks to a temporary file beside the store, hashing as they come; check type and size;
    move into place under the hash. On any refusal nothing is left on disk."""
    if max_bytes is None:
        max_bytes = settings.OT24_MAX_FILE_BYTES
    digest = hashlib.sha256()
    size = 0
    head = b""
    directory = root()
    fd, tmp_path = tempfile.mkstemp(dir=directory, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                size += len(chunk)
                if size > max_bytes:
                    raise RejectedFile(too_big or f"Il file supera il limite di {max_bytes // (1024 * 1024)} MB.")
                if len(head) < 16:
                    head += chunk[: 16 - len(head)]
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise RejectedFile("Il file è vuoto.")
        content_type = detect_type(head, filename)
        if content_type == "application/pdf":
            check_pdf(tmp_path)
        sha = digest.hexdigest()
        storage_name = f"{sha[:2]}/{sha}"
        final = directory / storage_name
        final.parent.mkdir(exist_ok=True)
        os.replace(tmp_path, final)
        return StoredFile(storage_name=storage_name, sha256=sha, size=size, content_type=content_type)
    except BaseException:
        if os.path.exists(tmp_path):
            os.unlink(tmp_path)
        raise


def path_of(storage_name: str) -> Path:
    return root() / storage_name


def matches_hash(storage_name: str, sha256: str) -> bool:
    """True when the stored bytes still have the hash recorded at upload."""
    digest = hashlib.sha256()
    with open(path_of(storage_name), "rb") as fh:
        for chunk in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest() == sha256


def delete_if_unused(storage_name: str, still_used: bool) -> None:
    if not still_used:
        try:
            path_of(storage_name).unlink()
        except FileNotFoundError:
            pass

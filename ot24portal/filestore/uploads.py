"""Upload handlers: Django's own (small files in memory, larger ones in a temporary file on disk), with
two changes measured by `make bench` (upload):

- the request body is read in 1 MB pieces instead of 64 KB: under gunicorn each small read copied the
  server's read-ahead buffer again, which held a 100 MB upload to about 50 MB/s and 200 MB of memory;
- a file written to disk is hashed (SHA-256) while it arrives, so storage.save_upload can check it where
  it lies and move it into the store instead of reading and copying it again. FILE_UPLOAD_TEMP_DIR is
  beside the store, so the move is a rename. The pieces are hashed by one thread per upload while the
  worker writes each to disk and reads the next (hashlib and file writes release the GIL): the hash no
  longer adds to the upload's time;
- LimitUploadHandler, first of FILE_UPLOAD_HANDLERS, enforces settings.OT24_MAX_FILE_BYTES while the body
  is read: the chunk that would pass the limit never reaches the temporary file, which is deleted, and
  the rest of that file is skipped; a body larger than settings.OT24_MAX_REQUEST_BYTES is not read at
  all. Views show the reason in place of the form's "required" error (explain_refusals)."""
import hashlib
import itertools
import os
import queue
import threading

from django.conf import settings
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.core.files.uploadhandler import (FileUploadHandler, MemoryFileUploadHandler, SkipFile, StopUpload,
                                             TemporaryFileUploadHandler)
from django.utils.translation import gettext as _

from .filechecks import RejectedFile

CHUNK_BYTES = 1024 * 1024

# glibc's allocator serves blocks of 1 MB by mapping fresh memory (its threshold starts at 128 KB) and
# gives the top of the heap back beyond 128 KB free: gunicorn's body reader copies each piece of a large
# request through a few such buffers, so every megabyte of an upload became new memory zeroed by the
# kernel page by page (100 MB: about 0.15 s of CPU in page faults, more than hashing it). Blocks below
# 4 MB now come from the heap and up to 16 MB free stays there to be reused. The checks' children
# still hand all free memory back first (filechecks._release_free_heap: malloc_trim ignores these).
MALLOC_MMAP_THRESHOLD_BYTES = 4 * 1024 * 1024
MALLOC_TRIM_THRESHOLD_BYTES = 16 * 1024 * 1024
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # mallopt's parameters (malloc.h)


def tune_allocator() -> bool:
    """Set the allocator's thresholds for the served process (ot24portal.wsgi). True where it is glibc's
    and accepted them; elsewhere nothing changes."""
    import ctypes

    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    return bool(mallopt(_M_MMAP_THRESHOLD, MALLOC_MMAP_THRESHOLD_BYTES)
                and mallopt(_M_TRIM_THRESHOLD, MALLOC_TRIM_THRESHOLD_BYTES))


class MemoryUploadHandler(MemoryFileUploadHandler):
    chunk_size = CHUNK_BYTES


HASH_IN_THREAD_BYTES = 256 * 1024  # smaller pieces are hashed in place: handing them over costs more than it saves
HASH_THREAD_IDLE_SECONDS = 30.0  # a hashing thread nobody closed (an upload abandoned mid-way) ends by itself


class ThreadedSha256:
    """SHA-256 of pieces given in order, the large ones hashed by one thread per upload while the caller
    writes the piece to disk and reads the next (hashlib and file writes release the GIL). Pieces are
    hashed one at a time, in order: update() and hexdigest() first wait for the piece before, so the
    caller may fill that piece's buffer again. close() ends the thread (also ended by itself after
    HASH_THREAD_IDLE_SECONDS without work). A thread per piece (a 100 MB upload started 100) cost more
    than the handover."""

    def __init__(self):
        self._sha256 = hashlib.sha256()
        self._todo = queue.SimpleQueue()
        self._hashed = threading.Semaphore(0)
        self._pending = False
        self._thread = None
        self._lock = threading.Lock()  # a piece is handed over only to a thread that will take it
        self._error = None  # what the hash refused in the thread, raised by the next wait()

    def _hash_pieces(self) -> None:
        while True:
            try:
                piece = self._todo.get(timeout=HASH_THREAD_IDLE_SECONDS)
            except queue.Empty:
                with self._lock:
                    if not self._todo.empty():
                        continue
                    self._thread = None  # the next piece starts another thread
                    return
            if piece is None:
                return
            try:
                if self._error is None:
                    self._sha256.update(piece)
            except BaseException as exc:  # noqa: BLE001 - raised in the caller's thread by wait()
                self._error = exc
            finally:
                self._hashed.release()

    def _collect(self) -> None:
        if self._pending:
            self._hashed.acquire()
            self._pending = False

    def wait(self) -> None:
        """Return when the piece given before is in the hash."""
        self._collect()
        if self._error is not None:
            raise self._error

    def _hand_over(self, piece) -> bool:
        with self._lock:
            if self._thread is None:
                thread = threading.Thread(target=self._hash_pieces, name="upload-sha256", daemon=True)
                try:
                    thread.start()
                except RuntimeError:  # no thread to be had: hash in place
                    return False
                self._thread = thread
            self._pending = True
            self._todo.put(piece)
            return True

    def update(self, piece) -> None:
        self.wait()
        if len(piece) < HASH_IN_THREAD_BYTES or not self._hand_over(piece):
            self._sha256.update(piece)

    def hexdigest(self) -> str:
        self.wait()
        return self._sha256.hexdigest()

    def close(self) -> None:
        """Wait for the last piece and end the thread (an error of the hash is left to wait and hexdigest)."""
        self._collect()
        with self._lock:
            thread, self._thread = self._thread, None
            if thread is not None:
                self._todo.put(None)
        if thread is not None:
            thread.join()


class TemporaryUploadHandler(TemporaryFileUploadHandler):
    chunk_size = CHUNK_BYTES
    sha256 = None

    def new_file(self, *args, **kwargs):
        self._hashed()
        os.makedirs(settings.FILE_UPLOAD_TEMP_DIR, exist_ok=True)
        self.sha256 = ThreadedSha256()
        super().new_file(*args, **kwargs)

    def _hashed(self) -> None:
        """Wait until the last piece is in the hash and end the hashing thread."""
        if self.sha256 is not None:
            self.sha256.close()

    def receive_data_chunk(self, raw_data, start):
        self.sha256.update(raw_data)
        return super().receive_data_chunk(raw_data, start)

    def file_complete(self, file_size):
        self._hashed()
        uploaded = super().file_complete(file_size)
        uploaded.sha256 = self.sha256.hexdigest()  # of exactly the bytes written to the temporary file
        return uploaded

    def upload_interrupted(self):
        self._hashed()
        super().upload_interrupted()

    def upload_complete(self):
        self._hashed()  # a file dropped by LimitUploadHandler (SkipFile) never reaches file_complete
        return super().upload_complete()


class BodyTooLarge(RejectedFile):
    """A raw upload over its limit (the view answers 413)."""


def clean_file_name(name: str) -> str:
    """A file name sent by a client, kept to its last part without control characters (as Django's
    multipart parser keeps a form's file name; evidence.services drops folders again)."""
    name = "".join(ch for ch in name if ch.isprintable())
    name = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return name[-255:]


class _GunicornBody:
    """The request body read straight from gunicorn's connection into the caller's buffer (recv_into):
    gunicorn's own reader hands each piece on through two in-memory buffers, copying every byte four
    times more. Bytes gunicorn already read ahead come first; afterwards gunicorn counts the body as read.
    Only for a body of known length that nobody has started reading (_gunicorn_body decides)."""

    def __init__(self, reader, sock):
        self.sock = sock
        self.remaining = reader.length
        ahead = reader.unreader.take_buffered()
        if len(ahead) > self.remaining:  # the start of a next request: left to gunicorn
            reader.unreader.unread(ahead[self.remaining:])
            ahead = ahead[: self.remaining]
        self.ahead = memoryview(ahead)
        reader.length = 0

    def readinto(self, buffer) -> int:
        if not self.remaining:
            return 0
        if self.ahead:
            n = min(len(buffer), len(self.ahead))
            buffer[:n] = self.ahead[:n]
            self.ahead = self.ahead[n:]
        else:
            n = self.sock.recv_into(buffer, min(len(buffer), self.remaining))
            if not n:  # the client went away
                self.remaining = 0
                return 0
        self.remaining -= n
        return n


def _gunicorn_body(request) -> _GunicornBody | None:
    """The direct reader where the request came through gunicorn with a Content-Length body still unread
    (gunicorn's Body over a LengthReader, nothing taken from it by gunicorn or Django); None otherwise."""
    environ = getattr(request, "META", None)
    if not environ or getattr(request, "_read_started", True):
        return None
    body, sock = environ.get("wsgi.input"), environ.get("gunicorn.socket")
    reader = getattr(body, "reader", None)
    buffered = getattr(body, "buf", None)
    if (sock is None or type(reader).__name__ != "LengthReader" or not isinstance(getattr(reader, "length", None), int)
            or not hasattr(getattr(reader, "unreader", None), "take_buffered") or buffered is None or buffered.tell()):
        return None
    return _GunicornBody(reader, sock)


def _reader_into(stream):
    """readinto(buffer) -> bytes placed, 0 at the end, for a request (directly from gunicorn's connection
    where it can) or any file-like object."""
    direct = _gunicorn_body(stream)
    if direct is not None:
        return direct.readinto

    def readinto(buffer) -> int:
        data = stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    return readinto


def _fill(readinto, buffer: memoryview) -> int:
    """Read until the buffer is full or the body ends; the bytes placed."""
    filled = 0
    while filled < len(buffer):
        n = readinto(buffer[filled:])
        if not n:
            break
        filled += n
    return filled


def receive_body(stream, *, name: str, size: int | None, max_bytes: int, too_big: str | None = None):
    """A raw request body (one file's bytes) read from `stream` (a request, or any file-like object) in
    1 MB pieces straight into a temporary file in FILE_UPLOAD_TEMP_DIR (beside the store: moved in by a
    rename), hashed as it arrives. Two buffers take turns: one is hashed (in a thread) and written while
    the other fills. Returns Django's TemporaryUploadedFile with `sha256` set, as TemporaryUploadHandler
    makes for a form, so ot24portal.filestore.storage.save_upload checks it where it lies. The piece that takes it
    past max_bytes is never written: BodyTooLarge; a body shorter than `size` (the announced length) is
    refused. On any refusal the temporary file is removed. The caller closes the file (removing it
    unless it was moved)."""
    os.makedirs(settings.FILE_UPLOAD_TEMP_DIR, exist_ok=True)
    uploaded = TemporaryUploadedFile(clean_file_name(name) or "documento", "application/octet-stream", 0, None)
    sha256 = ThreadedSha256()
    readinto = _reader_into(stream)
    buffers = (memoryview(bytearray(CHUNK_BYTES)), memoryview(bytearray(CHUNK_BYTES)))
    received = 0
    try:
        for turn in itertools.count():
            # The other buffer's hash has ended: update() waits for it before hashing the next piece.
            buffer = buffers[turn % 2]
            got = _fill(readinto, buffer)
            if not got:
                break
            received += got
            if received > max_bytes:
                raise BodyTooLarge(too_big or _("Il file supera il limite di %(mb)d MB.") % {"mb": max_bytes // (1024 * 1024)})
            piece = buffer[:got]
            sha256.update(piece)
            uploaded.write(piece)
        if size is not None and received != size:
            raise RejectedFile(_("Caricamento interrotto prima della fine del file: riprovare."))
        uploaded.flush()
        uploaded.size = received
        uploaded.sha256 = sha256.hexdigest()
    except BaseException:
        uploaded.close()  # a NamedTemporaryFile: closing removes it
        raise
    finally:
        sha256.close()
    uploaded.seek(0)
    return uploaded


REFUSALS_ATTRIBUTE = "ot24_upload_refusals"


def _refuse(request, field_name: str) -> None:
    message = _("Il file supera il limite di %(mb)d MB.") % {"mb": settings.OT24_MAX_FILE_BYTES // (1024 * 1024)}
    refusals = getattr(request, REFUSALS_ATTRIBUTE, None)
    if refusals is None:
        refusals = {}
        setattr(request, REFUSALS_ATTRIBUTE, refusals)
    refusals[field_name] = message


class LimitUploadHandler(FileUploadHandler):
    """Passes each chunk on to the next handlers unless it would take the file past OT24_MAX_FILE_BYTES:
    then the file is skipped (the parser closes, so deletes, the temporary file and discards the rest of
    this file's bytes) and the request remembers why. A body over OT24_MAX_REQUEST_BYTES stops the upload
    at the first byte of a file without reading further."""

    # Django's parser reads the body in the smallest chunk_size of all handlers: without this, the
    # default 64 KB of FileUploadHandler undid the others' 1 MB.
    chunk_size = CHUNK_BYTES

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.max_bytes = settings.OT24_MAX_FILE_BYTES
        self.request_too_big = content_length > settings.OT24_MAX_REQUEST_BYTES
        return None  # the other handlers parse as usual

    def receive_data_chunk(self, raw_data, start):
        if self.request_too_big:
            _refuse(self.request, self.field_name)
            raise StopUpload(connection_reset=True)
        if start + len(raw_data) > self.max_bytes:
            _refuse(self.request, self.field_name)
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handlers make the file


def refusal(request, field_name: str) -> str | None:
    """Why the handler dropped this file field, if it did (for views without a form)."""
    return getattr(request, REFUSALS_ATTRIBUTE, {}).get(field_name)


def explain_refusals(request, form) -> None:
    """Show the handler's reason on each file field it dropped, instead of "this field is required"."""
    for field, message in getattr(request, REFUSALS_ATTRIBUTE, {}).items():
        if field in form.fields:
            form.errors[field] = form.error_class([message])

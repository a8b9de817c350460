"""The content checks of uploaded files, each run in a forked child process under hard limits.

A crafted file can make a parser work for a long time or allocate a lot (a 266 KB PDF whose object streams
decompress to 70 MB of whitespace each kept pypdf busy for 28 s of CPU and 400 MB; a 420 KB PNG of
12,000 x 12,000 pixels decodes to 432 MB). So every check runs in a child forked from the worker (the
parsers are already imported: forking costs a few milliseconds) with:

- a CPU-time budget (settings.OT24_CHECK_CPU_SECONDS): a profiling timer interrupts the check, and
  RLIMIT_CPU kills the child one second later if the interruption is never seen (C code);
- a memory budget (settings.OT24_CHECK_MEMORY_BYTES): RLIMIT_AS allows the child that much address space
  beyond what it inherited, so an allocation past it fails with MemoryError; and since the child could
  also reuse heap it inherited already mapped, it first hands the allocator's free memory back to the
  system and the parent kills it when its resident memory grows past the budget (checked every 5 ms);
- a wall-clock deadline in the parent, which kills a child that is stuck without using CPU.

A file that exceeds a limit is refused with an Italian message; the worker itself never parses the file,
so its memory does not grow and it keeps answering. Structural caps refuse the obvious cases before any
work: images over settings.OT24_MAX_IMAGE_PIXELS pixels, documents with more than MAX_PDF_OBJECTS objects.

The PDF check walks the whole object graph once, resolving indirect objects (so an indirect /S is seen),
following /Parent, name trees, annotations, AcroForm and additional actions, and refuses scripts, actions
that launch, submit, import or leave the document, embedded files, rich media, XFA forms and anything that
runs by itself (/AA anywhere, an /OpenAction other than a plain /GoTo to a destination in the document).
It also refuses a dictionary that repeats a key anywhere: pypdf keeps the first value, viewers the last."""
from __future__ import annotations

import contextlib
import json
import logging
import math
import os
import resource
import select
import signal
import time

from django.conf import settings
from django.utils.translation import gettext as _


class RejectedFile(ValueError):
    """The upload is refused; the message says why, in Italian."""


def _too_complex() -> str:
    return _("Il file è troppo complesso per essere controllato entro i limiti di tempo e di memoria: salvarlo di "
             "nuovo (ad esempio stampandolo in PDF o esportando l'immagine) e ricaricarlo.")


# --- running a check under limits --------------------------------------------------------------------


class _CpuBudgetExceeded(BaseException):
    """Raised in the child by the profiling timer; a BaseException so that no parser's `except Exception`
    swallows it."""


last_run: dict = {}  # the figures of the latest bounded check in this process (the benchmark reads them)


def _status_kb(field: str) -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field):
                return int(line.split()[1])
    return 0


def _release_free_heap() -> None:
    """Give the C allocator's free memory back to the system (glibc's malloc_trim), so that the child
    reusing it shows as resident-memory growth, which the parent watches (the address-space limit alone
    cannot see memory the child inherited already mapped)."""
    import ctypes

    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _on_cpu_budget(signum, frame):
    raise _CpuBudgetExceeded()


def _child(check, path, cpu_seconds: float, memory_bytes: int, out_fd: int) -> None:
    """Runs in the forked child: report the resident size it starts from (one JSON line), set the limits,
    run the check, report the outcome and what the check returned (a second JSON line) on out_fd."""
    outcome, message, result = "error", "", None
    rss_start = 0
    try:
        _release_free_heap()
        try:
            with open("/proc/self/clear_refs", "w") as fh:  # peak RSS := current RSS (Linux >= 4.0)
                fh.write("5")
        except OSError:
            pass
        rss_start = _status_kb("VmRSS:")
        os.write(out_fd, json.dumps({"rss_start_kb": rss_start}).encode() + b"\n")
        allowed = _status_kb("VmSize:") * 1024 + memory_bytes
        resource.setrlimit(resource.RLIMIT_AS, (allowed, allowed))
        hard_cpu = math.ceil(cpu_seconds) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (hard_cpu, hard_cpu))
        signal.signal(signal.SIGPROF, _on_cpu_budget)
        signal.setitimer(signal.ITIMER_PROF, cpu_seconds)
        try:
            result = check(path)
            outcome = "ok"
        except RejectedFile as exc:
            outcome, message = "rejected", str(exc)
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)
    except _CpuBudgetExceeded:
        outcome = "cpu"
    except MemoryError:
        outcome = "memory"
    except BaseException as exc:  # noqa: BLE001 - anything else a parser raises: an unreadable file
        outcome, message = "error", type(exc).__name__
    try:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        report = {"outcome": outcome, "message": message, "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
                  "peak_growth_mb": round((_status_kb("VmHWM:") - rss_start) / 1024, 1)}
        try:
            line = json.dumps({**report, "result": result}).encode()
        except (TypeError, ValueError):  # a result JSON cannot carry: the check's own mistake
            line = json.dumps({**report, "outcome": "error", "message": ""}).encode()
        os.write(out_fd, line + b"\n")
    finally:
        os._exit(0)


WATCH_SECONDS = 0.005  # how often the parent looks at the child's resident memory


def _resident_kb(pid: int, page_kb: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * page_kb
    except (OSError, IndexError, ValueError):
        return 0


def run_bounded(check, path, *, error_message: str):
    """Run check(path) in a forked child under the CPU and memory budgets. `path` is usually a file's
    path; it can be any value (bytes already in memory cost the child nothing: the fork shares them).
    Returns what the check returned (anything JSON can carry) when it passes; raises RejectedFile with
    the check's own message, with the "too complex" message when a limit was reached, or with
    error_message when the check failed in any other way."""
    cpu_seconds = float(settings.OT24_CHECK_CPU_SECONDS)
    memory_bytes = int(settings.OT24_CHECK_MEMORY_BYTES)
    deadline_s = cpu_seconds * 4 + 2  # generous: only a child that is stuck (not computing) gets near it
    started = time.perf_counter()
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child (measured through its report)
        os.close(read_fd)
        _child(check, path, cpu_seconds, memory_bytes, write_fd)
    os.close(write_fd)
    data, killed, rss_start_kb, watched_kb = b"", None, None, 0
    page_kb = os.sysconf("SC_PAGE_SIZE") // 1024
    try:
        end = time.monotonic() + deadline_s
        while True:
            remaining = end - time.monotonic()
            if remaining <= 0:
                killed = "deadline"
            elif rss_start_kb is not None:
                watched_kb = max(watched_kb, _resident_kb(pid, page_kb) - rss_start_kb)
                if watched_kb > memory_bytes // 1024:
                    killed = "memory"  # memory the child inherited mapped, reused: no address-space limit sees it
            if killed:
                os.kill(pid, signal.SIGKILL)
                break
            if select.select([read_fd], [], [], min(remaining, WATCH_SECONDS))[0]:
                piece = os.read(read_fd, 65536)
                if not piece:
                    break
                data += piece
                if rss_start_kb is None and b"\n" in data:
                    rss_start_kb = json.loads(data.split(b"\n", 1)[0]).get("rss_start_kb")
    finally:
        os.close(read_fd)
        try:
            _, status, usage = os.wait4(pid, 0)
        except ChildProcessError:  # reaped by someone else: the report (if any) still tells
            status, usage = 0, None
    try:
        lines = data.split(b"\n")
        report = json.loads(lines[1]) if len(lines) > 1 and lines[1] else {}
    except ValueError:
        report = {}
    outcome = report.get("outcome") or killed or "killed"
    last_run.clear()
    last_run.update(outcome=outcome, seconds=round(time.perf_counter() - started, 3),
                    cpu_s=report.get("cpu_s", round(usage.ru_utime + usage.ru_stime, 3) if usage else None),
                    peak_growth_mb=report.get("peak_growth_mb", round(watched_kb / 1024, 1)), signal=os.WTERMSIG(status) if os.WIFSIGNALED(status) else None)
    if outcome == "ok":
        return report.get("result")
    if outcome == "rejected":
        raise RejectedFile(report["message"])
    if outcome == "error":
        raise RejectedFile(error_message)
    raise RejectedFile(_too_complex())  # cpu, memory, deadline, killed (RLIMIT_CPU's SIGKILL, OOM)


def prepare() -> None:
    """Import the parsers in the parent, once, so that each forked child finds them loaded."""
    import asn1crypto.cms  # noqa: F401
    import ctypes  # noqa: F401 - _release_free_heap
    import pypdf  # noqa: F401
    from PIL import Image, JpegImagePlugin, PngImagePlugin  # noqa: F401

    Image.init()


def prepare_signatures() -> None:
    """prepare(), and import what reading and validating a PDF's signatures needs (pyHanko), so that the
    child spends its budget on the file, not on imports."""
    prepare()
    import pyhanko.pdf_utils.incremental_writer  # noqa: F401
    import pyhanko.pdf_utils.reader  # noqa: F401
    import pyhanko.sign.diff_analysis  # noqa: F401
    import pyhanko.sign.fields  # noqa: F401
    import pyhanko.sign.validation  # noqa: F401
    import pyhanko_certvalidator  # noqa: F401


# --- PDF ---------------------------------------------------------------------------------------------

MAX_PDF_OBJECTS = 100_000  # indirect objects walked; a 100 MB scan has a few hundred, a long report some thousands

# Keys whose mere presence means scripts, embedded files, rich media, XFA forms or actions that run by themselves.
ACTIVE_KEYS = frozenset({"/JavaScript", "/JS", "/EmbeddedFile", "/EmbeddedFiles", "/EF", "/RichMediaContent",
                         "/RichMediaSettings", "/RichMedia", "/XFA", "/AA"})
# Values of /S (action type), /Type or /Subtype that are refused wherever they appear.
ACTIVE_NAMES = frozenset({"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToR", "/GoToE",
                          "/RichMediaExecute", "/Rendition", "/EmbeddedFile", "/FileAttachment", "/RichMedia"})
TYPED_KEYS = ("/S", "/Type", "/Subtype")


def pdf_objects(reader, *starts):
    """Every dictionary (stream dictionaries too) reachable from `starts` (the document catalogue when
    none is given), each indirect object once, /Parent included. Stream data is never decoded; a
    stream's object is dropped from pypdf's cache once its dictionary has been looked at, so memory
    stays bounded by the largest single object."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

    seen: set[tuple[int, int]] = set()

    def resolve(obj):
        while isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                return None
            seen.add(key)
            if len(seen) > MAX_PDF_OBJECTS:
                raise RejectedFile(_too_complex())
            ref, obj = obj, obj.get_object()
            if isinstance(obj, StreamObject):
                reader.resolved_objects.pop((ref.generation, ref.idnum), None)
        return obj

    stack = list(starts) or [reader.trailer.raw_get("/Root")]
    while stack:
        obj = resolve(stack.pop())
        if isinstance(obj, DictionaryObject):
            yield obj
            stack.extend(v for v in obj.values() if isinstance(v, (DictionaryObject, ArrayObject, IndirectObject)))
        elif isinstance(obj, ArrayObject):
            stack.extend(v for v in obj if isinstance(v, (DictionaryObject, ArrayObject, IndirectObject)))


def pdf_has_active_content(reader) -> bool:
    """Walk every object reachable from the document catalog once (pdf_objects) and tell whether any of
    them is active content."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    def name_of(value):
        while isinstance(value, IndirectObject):
            value = value.get_object()  # a name: nothing to walk
        return value if isinstance(value, str) else None

    root_ref = reader.trailer.raw_get("/Root")
    root = root_ref.get_object() if isinstance(root_ref, IndirectObject) else root_ref
    if isinstance(root, DictionaryObject) and "/OpenAction" in root:
        action = root["/OpenAction"]
        while isinstance(action, IndirectObject):
            action = action.get_object()
        if isinstance(action, DictionaryObject):
            destination = action.get("/D")
            while isinstance(destination, IndirectObject):
                destination = destination.get_object()
            plain_goto = (name_of(action.get("/S")) == "/GoTo" and "/Next" not in action
                          and isinstance(destination, (ArrayObject, str)))
            if not plain_goto:
                return True
    for obj in pdf_objects(reader, root_ref):
        for key, value in obj.items():
            if key in ACTIVE_KEYS:
                return True
            if key in TYPED_KEYS and name_of(value) in ACTIVE_NAMES:
                return True
    return False


# pypdf reads a dictionary that has the same key twice by keeping the first value and logging this
# warning (pypdf.generic._data_structures, "Multiple definitions in dictionary at byte ... for key ...");
# PDFium, qpdf and MuPDF keep the last. `/S /GoTo ... /S /Launch` is a harmless link to pypdf and a
# launch to a viewer, so a file with any duplicate key is refused (the spec forbids them; printing the
# file again to PDF removes them). pypdf's own detection is used (through its log, in the bounded child):
# it sees every dictionary it parses, in object streams too, after name escapes (/#53 is /S), at no cost.
_PYPDF_DICTIONARY_LOGGER = "pypdf.generic._data_structures"
_DUPLICATE_KEY_WARNING = "Multiple definitions in dictionary"


class _DuplicateKeys(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.found: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if str(record.msg).startswith(_DUPLICATE_KEY_WARNING):
            self.found.append(record.getMessage())


@contextlib.contextmanager
def duplicate_keys_seen():
    """While pypdf parses inside the block, the duplicate keys it meets are listed in the handler's
    `found`; the logger is switched on whatever the logging configuration says (restored afterwards)."""
    logger, handler = logging.getLogger(_PYPDF_DICTIONARY_LOGGER), _DuplicateKeys()
    level, disabled, globally_disabled = logger.level, logger.disabled, logging.root.manager.disable
    logger.setLevel(logging.WARNING)
    logger.disabled = False
    if globally_disabled >= logging.WARNING:
        logging.disable(logging.NOTSET)
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.disabled = disabled
        logging.disable(globally_disabled)


def pdf_repeats_a_key(stream) -> bool:
    """Whether any dictionary reachable from the catalogue of the PDF in `stream` repeats a key. For
    files whose other checks are pyHanko's (the qualified signature): pyHanko, like pypdf, reads the
    first value. Runs inside the bounded child."""
    from pypdf import PdfReader

    with duplicate_keys_seen() as duplicates:
        reader = PdfReader(stream, strict=False)
        for _obj in pdf_objects(reader):
            pass
    return bool(duplicates.found)


def DUPLICATE_KEYS() -> str:  # noqa: N802
    return _("Il PDF contiene dizionari con chiavi ripetute (ad esempio un'azione con due tipi), che i programmi di "
             "lettura interpretano in modi diversi: salvarlo di nuovo stampandolo in PDF e ricaricarlo.")


def pdf_structure(path: str) -> None:
    """Refuse PDFs that INAIL could not read (encrypted, damaged, no pages), that carry active content, or
    whose dictionaries repeat a key. Runs inside the bounded child."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        # a file object: given a path, pypdf would read the whole file into memory
        with open(path, "rb") as fh, duplicate_keys_seen() as duplicates:
            reader = PdfReader(fh, strict=False)
            if reader.is_encrypted:
                raise RejectedFile(_("Il PDF è protetto da password o cifrato: caricare una copia senza protezione."))
            if len(reader.pages) == 0:
                raise RejectedFile(_("Il PDF non contiene pagine."))
            active = pdf_has_active_content(reader)
            if duplicates.found:  # whichever value a viewer keeps, the walk above saw only pypdf's
                raise RejectedFile(DUPLICATE_KEYS())
            if active:
                raise RejectedFile(_("Il PDF contiene script, azioni automatiche o file incorporati: caricare una "
                                     "copia stampata in PDF."))
    except RejectedFile:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError, AttributeError,
            AssertionError, IndexError) as exc:
        raise RejectedFile(PDF_DAMAGED()) from exc


def PDF_DAMAGED() -> str:  # noqa: N802 - a message, looked up in the active language when used
    return _("Il PDF è danneggiato o illeggibile: salvarlo di nuovo e ricaricarlo.")


# --- images ------------------------------------------------------------------------------------------


def IMAGE_DAMAGED() -> str:  # noqa: N802
    return _("L'immagine è danneggiata o illeggibile.")


def _png_channels(color_type: int) -> int:
    return {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[color_type]


def _png_expected_bytes(width: int, height: int, bits_per_pixel: int, interlaced: bool) -> int:
    """Size of the decompressed image data: one filter byte per row plus the packed pixels (Adam7 passes
    when interlaced)."""
    def rows(w: int, h: int) -> int:
        return 0 if w == 0 or h == 0 else h * (1 + (w * bits_per_pixel + 7) // 8)

    if not interlaced:
        return rows(width, height)
    passes = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))
    return sum(rows((width - x + dx - 1) // dx if width > x else 0, (height - y + dy - 1) // dy if height > y else 0)
               for x, y, dx, dy in passes)


def _png_data_complete(path: str) -> None:
    """Decompress the PNG's image data in pieces, keeping none of it, and check it holds every row:
    a truncated or corrupt image is refused without ever holding the decoded image in memory."""
    import struct
    import zlib

    with open(path, "rb") as fh:
        fh.read(8)
        length, kind = struct.unpack(">I4s", fh.read(8))
        if kind != b"IHDR" or length != 13:
            raise ValueError("no IHDR")
        width, height, depth, color_type, _compression, _filter, interlace = struct.unpack(">IIBBBBB", fh.read(13))
        fh.read(4)
        expected = _png_expected_bytes(width, height, _png_channels(color_type) * depth, interlace == 1)
        inflater, produced = zlib.decompressobj(), 0
        while produced < expected:
            header = fh.read(8)
            if len(header) < 8:
                raise ValueError("truncated")
            length, kind = struct.unpack(">I4s", header)
            if kind == b"IEND":
                break
            if kind != b"IDAT":
                fh.seek(length + 4, os.SEEK_CUR)
                continue
            left = length
            while left and produced < expected:
                piece = fh.read(min(left, 256 * 1024))
                if not piece:
                    raise ValueError("truncated")
                left -= len(piece)
                data = inflater.decompress(piece, 1024 * 1024)
                produced += len(data)
                while inflater.unconsumed_tail and produced < expected:
                    data = inflater.decompress(inflater.unconsumed_tail, 1024 * 1024)
                    produced += len(data)
            fh.seek(left + 4, os.SEEK_CUR)  # the rest of the chunk (when already complete) and its CRC
        if produced < expected:
            raise ValueError("image data incomplete")


def image_structure(path: str) -> None:
    """Refuse images that are not readable in full, or larger than settings.OT24_MAX_IMAGE_PIXELS pixels.
    A JPEG is decoded at an eighth of its size (every block is still decoded); a PNG's data is
    decompressed and counted, never held. Runs inside the bounded child."""
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = settings.OT24_MAX_IMAGE_PIXELS
    try:
        with Image.open(path) as image:
            width, height = image.size
            fmt = image.format
            if width * height > settings.OT24_MAX_IMAGE_PIXELS:
                raise RejectedFile(_too_many_pixels(width, height))
            image.verify()
        if fmt == "PNG":
            _png_data_complete(path)
        else:
            with Image.open(path) as image:
                image.draft(image.mode, (max(width // 8, 1), max(height // 8, 1)))
                image.load()
    except (RejectedFile, MemoryError):
        raise
    except Image.DecompressionBombError:
        raise RejectedFile(_too_many_pixels(0, 0)) from None
    except Exception as exc:  # Pillow raises many kinds for broken images
        raise RejectedFile(IMAGE_DAMAGED()) from exc


def _too_many_pixels(width: int, height: int) -> str:
    limit = settings.OT24_MAX_IMAGE_PIXELS // 1_000_000
    if width and height:
        return _("L'immagine è troppo grande (%(w)d × %(h)d pixel; al massimo %(limit)d milioni di pixel): "
                 "ridurne la risoluzione e ricaricarla.") % {"w": width, "h": height, "limit": limit}
    return _("L'immagine è troppo grande (al massimo %(limit)d milioni di pixel): ridurne la risoluzione e "
             "ricaricarla.") % {"limit": limit}


# --- signed envelopes --------------------------------------------------------------------------------


def P7M_INVALID() -> str:  # noqa: N802
    return _("Il file .p7m non è una busta firmata (CAdES) valida.")


_BER_MAX_DEPTH = 32  # indefinite lengths nest; a hostile envelope must not recurse without end


def _ber_element(data: bytes, start: int, end: int, depth: int = 0) -> tuple[int, int]:
    """(start of contents, end) of the BER/DER element at `start`, read from its header alone (tag, length;
    an indefinite length is followed through its children to the end-of-contents marker). Nothing is copied,
    so a 20 MB signed document costs its own size, not three times it: asn1crypto's public parse() copies
    every value it reads, and its header reader is private."""
    if depth > _BER_MAX_DEPTH or start >= end:
        raise ValueError("truncated or too deep")
    tag, p = data[start], start + 1
    if tag & 0x1F == 0x1F:  # high tag number: base-128 digits, the last without the top bit
        while True:
            if p >= end:
                raise ValueError("truncated tag")
            p += 1
            if not data[p - 1] & 0x80:
                break
    if p >= end:
        raise ValueError("truncated length")
    length, p = data[p], p + 1
    if length == 0x80:  # indefinite: constructed only, children until 00 00
        if not tag & 0x20:
            raise ValueError("indefinite length on a primitive value")
        contents = p
        while data[p:p + 2] != b"\x00\x00":
            if p + 2 > end:
                raise ValueError("no end-of-contents")
            p = _ber_element(data, p, end, depth + 1)[1]
        return contents, p + 2
    if length & 0x80:
        size = length & 0x7F
        if not 0 < size <= 8 or p + size > end:
            raise ValueError("bad length")
        length, p = int.from_bytes(data[p:p + size], "big"), p + size
    if p + length > end:
        raise ValueError("truncated value")
    return p, p + length


def _der_children(data: bytes, start: int, end: int):
    """(start, end) of each element between start and end (stopping at an end-of-contents marker), from
    the headers alone."""
    while start < end and data[start:start + 2] != b"\x00\x00":
        _, element_end = _ber_element(data, start, end)
        yield start, element_end
        start = element_end


def p7m_structure(path: str) -> None:
    """A .p7m must be a CAdES/PKCS#7 signed-data envelope: ContentInfo { signedData, [0] SignedData {
    version, digestAlgorithms, encapContentInfo, [certificates], [crls], signerInfos } }, whose signer
    information parses in full. Runs inside the bounded child."""
    from asn1crypto import cms

    try:
        with open(path, "rb") as fh:
            data = fh.read()
        contents_start, contents_end = _ber_element(data, 0, len(data))
        if data[0] != 0x30 or contents_end != len(data) and data[contents_end:].strip(b"\x00"):
            raise ValueError("not one SEQUENCE")
        parts = list(_der_children(data, contents_start, contents_end))
        if len(parts) < 2 or cms.ContentType.load(data[parts[0][0]:parts[0][1]]).native != "signed_data":
            raise ValueError("not signed data")
        if data[parts[1][0]] != 0xA0:
            raise ValueError("no [0] content")
        explicit_start, explicit_end = _ber_element(data, parts[1][0], len(data))
        signed_start = next(_der_children(data, explicit_start, explicit_end))[0]
        inner_start, inner_end = _ber_element(data, signed_start, len(data))
        fields = list(_der_children(data, inner_start, inner_end))
        if data[signed_start] != 0x30 or len(fields) < 4 or data[fields[-1][0]] != 0x31:
            raise ValueError("not a SignedData")
        signer_infos = cms.SignerInfos.load(data[fields[-1][0]:fields[-1][1]])
        if not len(signer_infos):
            raise ValueError("no signer")
        signer_infos.native  # parses every signer's information
    except MemoryError:
        raise
    except Exception as exc:
        raise RejectedFile(P7M_INVALID()) from exc

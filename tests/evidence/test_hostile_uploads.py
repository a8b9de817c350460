"""A corpus of hostile uploads: each refused with a clear Italian message, nothing written to storage or
to the database. Files are built by the test itself (no binary fixtures in the repository)."""
import io
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from applications.demo import minimal_pdf
from evidence import services as evidence_services
from evidence import storage
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

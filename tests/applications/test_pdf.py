"""The printed application, rendered by the real WeasyPrint and read back with pypdf."""
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from applications import services
from evidence import services as evidence_services
from tests.factories import DEFAULT_PASSWORD, PATFactory, SiteFactory, legal_rep, open_campaign

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_draft_preview_pdf(client):
    site = SiteFactory(sector="costruzioni")
    PATFactory(site=site)
    rep = legal_rep(site.company)
    app = services.application_start(user=rep, site=site, campaign=open_campaign())
    services.application_save_section(user=rep, application=app, section="D", version=app.version,
                                      chosen={"D4": (frozenset(), False)})
    assert client.login(email=rep.email, password=DEFAULT_PASSWORD)
    response = client.get(reverse("application_pdf", args=[app.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = response.content
    assert content.startswith(b"%PDF-")
    text = pdf_text(content)
    assert "BOZZA" in text
    assert "SCHEDA INFORMATIVA GENERALE" in text and "D4" in text
    assert "Totale dei punteggi conteggiati: 50" in text
    assert "Pagina 1 di" in text
    assert "unità produttiva" in text.lower() or "Unità produttiva" in text  # accented letters survive


def test_pdf_is_private(client):
    site = SiteFactory()
    rep = legal_rep(site.company)
    app = services.application_start(user=rep, site=site, campaign=open_campaign())
    outsider = legal_rep(SiteFactory().company)
    assert client.login(email=outsider.email, password=DEFAULT_PASSWORD)
    assert client.get(reverse("application_pdf", args=[app.pk])).status_code == 404


def test_submission_freezes_snapshot_and_signed_pdf(client):
    import hashlib

    from django.core.files.uploadedfile import SimpleUploadedFile

    from operations.demo import minimal_pdf
    from applications.models import Application
    from ot24portal.filestore import storage
    from interventions.models import Intervention

    site = SiteFactory(sector="costruzioni", workers=12)
    PATFactory(site=site)
    rep = legal_rep(site.company)
    app = services.application_start(user=rep, site=site, campaign=open_campaign())
    app = services.application_update_scheda(user=rep, application=app, version=app.version, pats=list(site.pats.all()), data={
        "signatory_name": "Mario Rossi", "signatory_birth_place": "Roma", "signatory_role": "Legale rappresentante",
        "signatory_birth_date": __import__("datetime").date(1970, 5, 17), "sector": "costruzioni", "workers": 12})
    app.refresh_from_db()
    services.application_save_section(user=rep, application=app, section="A", version=app.version,
                                      chosen={"A6": (frozenset(), False)})
    app.refresh_from_db()
    services.application_save_section(user=rep, application=app, section="D", version=app.version,
                                      chosen={"D4": (frozenset(), False)})
    item = Intervention.objects.get(code="D4", section__edition__code="ot24").evidence_items.get()
    evidence_services.evidence_add(user=rep, application=app, evidence_item=item,
                          uploaded_file=SimpleUploadedFile("fattura.pdf", minimal_pdf("fattura")))
    app.refresh_from_db()
    app = services.application_submit(user=rep, application=app, place="Roma", version=app.version,
                                      declarations=dict.fromkeys(Application.DECLARATIONS, True))
    snap = app.snapshot
    assert snap["total"] == 100 and [l["code"] for l in snap["lines"]] == ["A6", "D4"]
    assert snap["evidence"][0]["sha256"] == app.evidence_files.get().sha256
    stored = storage.path_of(app.pdf_storage_name).read_bytes()
    assert hashlib.sha256(stored).hexdigest() == app.pdf_sha256
    text = pdf_text(stored)
    assert "BOZZA" not in text and "Firmato elettronicamente da Mario Rossi" in text
    assert app.receipt_number in text
    from pyhanko.pdf_utils.reader import PdfFileReader
    assert len(PdfFileReader(io.BytesIO(stored)).embedded_signatures) == 1  # sealed by the portal
    # PDF/A-3b with the snapshot attached: the machine-readable copy of what the person reads.
    import json
    reader = PdfReader(io.BytesIO(stored))
    assert json.loads(reader.attachments["domanda-ot24.json"][0]) == json.loads(json.dumps(snap))
    assert b"pdfaid:part" in reader.xmp_metadata.stream.get_data()
    from review.verification import verify_bytes
    report = verify_bytes(stored)
    assert report["unaltered"] and report["application"]["receipt_number"] == app.receipt_number
    assert report["snapshot_receipt"] == app.receipt_number

    # Later catalogue changes do not touch what was signed.
    a6 = Intervention.objects.get(code="A6", section__edition__code="ot24")
    a6.points = 5
    a6.save()
    assert client.login(email=rep.email, password=DEFAULT_PASSWORD)
    served = client.get(reverse("application_pdf", args=[app.pk])).content
    assert served == stored
    assert Application.objects.get(pk=app.pk).snapshot == snap


def test_submitted_pdf_carries_a_valid_pades_seal(settings):
    from pathlib import Path

    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    from applications import signing

    sealed = signing.seal_pdf(minimal_pdf_bytes(), reason="prova")
    _, cert_path = signing.ensure_dev_certificate(Path(settings.OT24_DEV_CERT_DIR))
    reader = PdfFileReader(io.BytesIO(sealed))
    [signature] = reader.embedded_signatures
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=[load_cert_from_pemder(str(cert_path))]))
    assert status.intact and status.valid and status.trusted
    assert signature.field_name == signing.SEAL_FIELD
    # Any change to the signed bytes breaks it.
    tampered = sealed.replace(b"prova-testo", b"falso-testo")
    assert tampered != sealed
    broken = validate_pdf_signature(PdfFileReader(io.BytesIO(tampered)).embedded_signatures[0],
                                    ValidationContext(trust_roots=[load_cert_from_pemder(str(cert_path))]))
    assert not broken.intact


def minimal_pdf_bytes():
    from operations.demo import minimal_pdf

    return minimal_pdf("prova-testo")


def test_seal_key_is_loaded_once_per_process_and_again_when_its_files_change(settings, tmp_path):
    """Loading an RSA key validates it (~75 ms, twice for a PEM pair): it was most of the sealing time
    (bench: pdf). The loaded signer is kept while the configured files stay the same; a rotated key
    (new file contents, so a new modification time) is loaded afresh and seals with the new certificate."""
    import os

    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader

    from applications import signing

    key, cert = signing.ensure_dev_certificate(tmp_path / "first")
    settings.OT24_SEAL_KEY_FILE, settings.OT24_SEAL_CERT_FILE = str(key), str(cert)
    first = signing._signer()
    assert signing._signer() is first
    other_key, other_cert = signing.ensure_dev_certificate(tmp_path / "second")
    key.write_bytes(other_key.read_bytes())
    cert.write_bytes(other_cert.read_bytes())
    later = os.stat(cert).st_mtime_ns + 10**9  # a clock tick that may not have passed on its own
    os.utime(key, ns=(later, later))
    os.utime(cert, ns=(later, later))
    rotated = signing._signer()
    assert rotated is not first
    assert rotated.signing_cert.dump() == load_cert_from_pemder(str(other_cert)).dump()
    sealed = signing.seal_pdf(minimal_pdf_bytes(), reason="rotazione")
    [signature] = PdfFileReader(io.BytesIO(sealed)).embedded_signatures
    assert signature.signer_cert.dump() == rotated.signing_cert.dump()


def test_production_refuses_the_development_certificate(settings):
    from django.core.exceptions import ImproperlyConfigured

    from applications import signing

    settings.OT24_SEAL_ALLOW_DEV_CERT = False
    settings.OT24_SEAL_KEY_FILE = settings.OT24_SEAL_CERT_FILE = settings.OT24_SEAL_PKCS12_FILE = ""
    with pytest.raises(ImproperlyConfigured):
        signing.seal_pdf(minimal_pdf_bytes(), reason="x")


def test_verify_application_command(tmp_path, settings):
    import json
    from io import StringIO

    from django.core.management import CommandError, call_command

    from applications import signing
    from operations.demo import minimal_pdf

    original = minimal_pdf("verifica")
    sealed = signing.seal_pdf(original, reason="prova")
    good = tmp_path / "ok.pdf"
    good.write_bytes(sealed)
    out = StringIO()
    call_command("verify_application", str(good), stdout=out)
    report = json.loads(out.getvalue())
    assert report["issued_by_portal"] and report["unaltered"]

    flipped = bytearray(sealed)
    flipped[len(original) // 2] ^= 0x01  # one flipped byte of the sealed document (the signed range)
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(bytes(flipped))
    with pytest.raises(CommandError):
        call_command("verify_application", str(bad), stdout=StringIO())
    unsigned = tmp_path / "plain.pdf"
    unsigned.write_bytes(minimal_pdf("x"))
    with pytest.raises(CommandError):
        call_command("verify_application", str(unsigned), stdout=StringIO())


def test_sealing_works_inside_a_running_event_loop():
    """pyHanko's sync API uses asyncio.run(): sealing must still work under ASGI or Playwright."""
    import asyncio

    from applications import signing

    async def inside():
        sealed = signing.seal_pdf(minimal_pdf_bytes(), reason="loop")
        return signing.verify_pdf(sealed)

    report = asyncio.run(inside())
    assert report["signatures"][0]["intact"]


def test_manifest_lists_every_file_with_name_size_and_hash(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from operations.demo import minimal_pdf
    from applications.pdf import render_application_pdf
    from tests.factories import evidence_draft

    app, rep, item = evidence_draft()
    names = ["verbale-riunione.pdf", "un-nome-di-file-molto-lungo-che-non-entra-nella-colonna.pdf"]
    for n, name in enumerate(names):
        evidence_services.evidence_add(user=rep, application=app, evidence_item=item,
                              uploaded_file=SimpleUploadedFile(name, minimal_pdf(f"doc {n}")))
    text = pdf_text(render_application_pdf(app)).replace("\n", " ")
    assert "C4 — " in text and item.label.split()[0] in text
    for f in app.evidence_files.all():
        assert f.sha256 in text and f"{f.size} B" in text
    assert "verbale-riunione.pdf" in text and names[1][:37] + "…" in text  # long names cut to the column


def test_pdf_prints_the_scheda_as_label_value_lines_and_one_footer():
    """The scheda informativa prints as "label: value" lines and each page carries one footer with the
    form's year and the page number (plain blocks and one margin box: cheaper for WeasyPrint than a
    table and two running boxes, bench: pdf); the same data as before."""
    from applications.pdf import render_application_pdf

    site = SiteFactory(sector="costruzioni")
    pat = PATFactory(site=site)
    rep = legal_rep(site.company)
    app = services.application_start(user=rep, site=site, campaign=open_campaign())
    app.codice_ditta, app.codice_sede, app.matricola_inps = "1234567", "8", "7654321"
    text = pdf_text(render_application_pdf(app))
    year = app.campaign.filing_year
    assert f"Mod. OT24 {year} — Pagina 1 di" in text
    assert f"Denominazione o ragione sociale: {app.ragione_sociale}" in text
    assert "Codice Ditta: 1234567" in text and "Codice Sede: 8" in text
    assert f"N° P.A.T.: {pat.number}" in text and "Matricola INPS: 7654321" in text
    assert "Unità produttiva:" in text and "Indirizzo:" in text and "Città:" in text and "CAP:" in text


def test_development_certificate_made_once_when_first_seals_arrive_together(tmp_path):
    """The deadline's rush (issue 35): the first submissions after a start reach the seal together, in several
    threads (and in several workers). Each must read a whole key and the certificate that belongs to it, never
    a file still being written or a key another caller replaced meanwhile (found by
    tests/applications/test_submit_rush.py: 'Could not deserialize key data', and those submissions refused,
    left as drafts, with "Non è stato possibile generare il PDF firmato")."""
    import threading

    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    from applications import signing

    directory = tmp_path / "certs"
    callers = 8
    barrier = threading.Barrier(callers)
    pairs, failures = [], []

    def first_seal():
        try:
            barrier.wait(timeout=30)
            key_path, cert_path = signing.ensure_dev_certificate(directory)
            key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
            cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
            pairs.append((key.public_key().public_numbers(), cert.public_key().public_numbers(), cert.serial_number))
        except Exception as exc:  # recorded: an exception in a thread is otherwise lost
            failures.append(repr(exc))

    threads = [threading.Thread(target=first_seal) for _ in range(callers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not failures, failures
    assert all(key == cert for key, cert, _ in pairs)  # every key read belongs to the certificate read with it
    assert len({serial for *_, serial in pairs}) == 1  # one certificate, made once

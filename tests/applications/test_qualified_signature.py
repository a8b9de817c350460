"""The applicant's own qualified signature (PAdES) on the PDF the portal prepared, with a test CA."""
import datetime as dt
import hashlib
import io

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.core.exceptions import ValidationError

from applications import qualified, services
from applications.models import Application
from ot24portal.filestore import storage
from tests.factories import SiteFactory, legal_rep, ready_to_submit

pytestmark = pytest.mark.django_db
CF = "RSSMRA70E17H501S"
DECLARED = dict.fromkeys(Application.DECLARATIONS, True)


def _cert(subject, issuer, public_key, signing_key, *, ca):
    now = dt.datetime.now(dt.timezone.utc)
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(public_key)
               .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
               .not_valid_after(now + dt.timedelta(days=365))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
               .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                            data_encipherment=False, key_agreement=False, key_cert_sign=ca,
                                            crl_sign=ca, encipher_only=False, decipher_only=False), critical=True))
    return builder.sign(signing_key, hashes.SHA256())


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    """A test CA and two holders: the declared signatory and somebody else."""
    folder = tmp_path_factory.mktemp("pki")
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "CA di prova qualificata")])
    ca = _cert(ca_name, ca_name, ca_key.public_key(), ca_key, ca=True)
    (folder / "roots").mkdir()
    (folder / "roots" / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    holders = {}
    for who, cf in (("signatory", CF), ("other", "BNCGLI80A41F205X")):
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, who), x509.NameAttribute(NameOID.SERIAL_NUMBER, f"TINIT-{cf}")])
        cert = _cert(name, ca_name, key.public_key(), ca_key, ca=False)
        (folder / f"{who}-key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                                 serialization.NoEncryption()))
        (folder / f"{who}-cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        holders[who] = folder
    return folder


def sign_as(pki, who, data: bytes, *, tamper=None, field="FirmaRichiedente", box=None, stamp_style=None,
            strict=True) -> bytes:
    """`who` signs `data` (PAdES, incremental); `tamper(writer)` first changes the document in the same
    incremental update as the signature, as a signer's tool could. `box` (x1, y1, x2, y2) makes the
    signature visible there, drawn with pyHanko's `stamp_style`."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigFieldSpec, SigSeedSubFilter

    signer = signers.SimpleSigner.load(str(pki / f"{who}-key.pem"), str(pki / f"{who}-cert.pem"),
                                       ca_chain_files=(str(pki / "roots" / "ca.pem"),))
    meta = signers.PdfSignatureMetadata(field_name=field, subfilter=SigSeedSubFilter.PADES)
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=strict)
    if tamper is not None:
        tamper(writer)
    spec = SigFieldSpec(field, box=box) if box is not None else None
    return signers.PdfSigner(meta, signer=signer, stamp_style=stamp_style, new_field_spec=spec).sign_pdf(writer).getvalue()


A4 = (0, 0, 595, 842)


def covering_stamp():
    """pyHanko's text stamp on an opaque white background that fills the whole box: over a box of the
    page's size it hides everything the portal printed and shows a text of the signer's choosing."""
    from pyhanko.pdf_utils.content import RawContent
    from pyhanko.pdf_utils.layout import BoxConstraints
    from pyhanko.stamp import TextStampStyle

    return TextStampStyle(stamp_text="Punteggio totale dichiarato: 999",
                          background=RawContent(b"1 g 0 0 595 842 re f", box=BoxConstraints(595, 842)),
                          background_opacity=1.0)


FORGED = b"BT /FForged 24 Tf 72 400 Td (Punteggio totale dichiarato: 999) Tj ET"


def _font():
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.generic import pdf_name

    return generic.DictionaryObject({pdf_name("/FForged"): generic.DictionaryObject({
        pdf_name("/Type"): pdf_name("/Font"), pdf_name("/Subtype"): pdf_name("/Type1"),
        pdf_name("/BaseFont"): pdf_name("/Helvetica")})})


def change_content(writer):
    """Text drawn over the first page."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.generic import pdf_name

    stream = writer.add_object(generic.StreamObject(stream_data=FORGED))
    writer.add_stream_to_page(0, stream, resources=generic.DictionaryObject({pdf_name("/Font"): _font()}))


def add_page(writer):
    """A page of text the portal never printed."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.generic import pdf_name
    from pyhanko.pdf_utils.writer import PageObject

    stream = writer.add_object(generic.StreamObject(stream_data=FORGED))
    writer.insert_page(PageObject(stream, (0, 0, 595, 842), generic.DictionaryObject({pdf_name("/Font"): _font()})))


def add_annotation(writer):
    """A FreeText annotation showing text over the first page."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.generic import pdf_name

    appearance = writer.add_object(generic.StreamObject({
        pdf_name("/Type"): pdf_name("/XObject"), pdf_name("/Subtype"): pdf_name("/Form"),
        pdf_name("/BBox"): generic.ArrayObject(map(generic.NumberObject, (0, 0, 400, 40))),
        pdf_name("/Resources"): generic.DictionaryObject({pdf_name("/Font"): _font()}),
    }, stream_data=FORGED.replace(b"72 400", b"2 10")))
    annot = writer.add_object(generic.DictionaryObject({
        pdf_name("/Type"): pdf_name("/Annot"), pdf_name("/Subtype"): pdf_name("/FreeText"),
        pdf_name("/Rect"): generic.ArrayObject(map(generic.NumberObject, (72, 400, 472, 440))),
        pdf_name("/Contents"): generic.TextStringObject("Punteggio totale dichiarato: 999"),
        pdf_name("/DA"): generic.TextStringObject("/FForged 24 Tf 0 g"),
        pdf_name("/AP"): generic.DictionaryObject({pdf_name("/N"): appearance}),
    }))
    page_ref, _ = writer.find_page_for_modification(0)
    writer.register_annotation(page_ref, annot)


def add_text_field(writer):
    """A filled-in text field (a form field that is not a signature) with its visible widget."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.generic import pdf_name

    appearance = writer.add_object(generic.StreamObject({
        pdf_name("/Type"): pdf_name("/XObject"), pdf_name("/Subtype"): pdf_name("/Form"),
        pdf_name("/BBox"): generic.ArrayObject(map(generic.NumberObject, (0, 0, 400, 40))),
        pdf_name("/Resources"): generic.DictionaryObject({pdf_name("/Font"): _font()}),
    }, stream_data=FORGED.replace(b"72 400", b"2 10")))
    page_ref, _ = writer.find_page_for_modification(0)
    field = writer.add_object(generic.DictionaryObject({
        pdf_name("/FT"): pdf_name("/Tx"), pdf_name("/T"): generic.TextStringObject("Nota"),
        pdf_name("/V"): generic.TextStringObject("Punteggio totale dichiarato: 999"),
        pdf_name("/Type"): pdf_name("/Annot"), pdf_name("/Subtype"): pdf_name("/Widget"),
        pdf_name("/Rect"): generic.ArrayObject(map(generic.NumberObject, (72, 400, 472, 440))),
        pdf_name("/P"): page_ref, pdf_name("/AP"): generic.DictionaryObject({pdf_name("/N"): appearance}),
    }))
    form = writer.root["/AcroForm"]
    form["/Fields"].append(field)
    writer.update_container(form)
    writer.register_annotation(page_ref, field)


@pytest.fixture
def ready(settings, pki):
    settings.OT24_QUALIFIED_TRUST_ROOTS_DIR = str(pki / "roots")
    app, rep = ready_to_submit(signatory_codice_fiscale=CF)
    return app, rep


def flip_in_first_stream(data: bytes) -> bytes:
    """The same document with one byte of its first content stream changed (structure intact)."""
    at = data.index(b"stream\n") + len(b"stream\n") + 10
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1:]


def prepare(app, rep):
    app.refresh_from_db()
    return qualified.qualified_prepare(user=rep, application=app, declarations=DECLARED, place="Roma", version=app.version)


def test_signed_by_the_declared_signatory_is_submitted(ready, pki):
    app, rep = ready
    original = prepare(app, rep)
    assert b"BOZZA" not in original
    signed = sign_as(pki, "signatory", original)
    app = qualified.qualified_submit(user=rep, application=app, signed=signed)
    assert app.status == Application.Status.SUBMITTED and app.receipt_number
    stored = storage.path_of(app.pdf_storage_name).read_bytes()
    assert app.pdf_sha256 == hashlib.sha256(stored).hexdigest()
    # The applicant's signed file, untouched, then the portal's seal as an incremental update.
    assert stored.startswith(signed) and len(stored) > len(signed)
    assert app.events.get().message == "Firma digitale qualificata (PAdES)"


def test_a_signing_tool_that_adds_the_field_then_signs_in_another_revision(ready, pki):
    """Only signature fields added, over two revisions: accepted."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.fields import SigFieldSpec, append_signature_field

    app, rep = ready
    writer = IncrementalPdfFileWriter(io.BytesIO(prepare(app, rep)))
    append_signature_field(writer, SigFieldSpec("FirmaRichiedente"))  # invisible, as the portal asks
    with_field = io.BytesIO()
    writer.write(with_field)
    app = qualified.qualified_submit(user=rep, application=app, signed=sign_as(pki, "signatory", with_field.getvalue()))
    assert app.status == Application.Status.SUBMITTED


def test_the_frozen_record_has_the_receipt_and_the_submission_time(ready, pki):
    app, rep = ready
    app = qualified.qualified_submit(user=rep, application=app, signed=sign_as(pki, "signatory", prepare(app, rep)))
    app.refresh_from_db()
    assert app.snapshot["receipt_number"] == app.receipt_number
    assert app.snapshot["submitted_at"] == app.submitted_at.isoformat()


def test_the_stored_pdf_verifies_as_issued_by_the_portal(ready, pki, tmp_path):
    """Sealed by the portal on top of the applicant's signature, both intact: the reviewers' check and
    `manage.py verify_application` accept it, name the application and the applicant's signature."""
    import json

    from django.core.management import call_command

    from applications.signing import SEAL_FIELD
    from review.verification import verify_bytes

    app, rep = ready
    app = qualified.qualified_submit(user=rep, application=app, signed=sign_as(pki, "signatory", prepare(app, rep)))
    stored = storage.path_of(app.pdf_storage_name).read_bytes()
    report = verify_bytes(stored)
    assert report["issued_by_portal"] and report["unaltered"]
    assert report["application"]["pk"] == app.pk and report["application"]["receipt_number"] == app.receipt_number
    assert [s["field"] for s in report["signatures"]] == ["FirmaRichiedente", SEAL_FIELD]
    assert all(s["intact"] and s["valid"] for s in report["signatures"])
    applicant = report["qualified_signature"]
    assert applicant["codice_fiscale"] == CF
    assert applicant["intact"] and applicant["valid"] and applicant["trusted"] and applicant["only_signatures_after"]
    # The command's exit status is 0 (no CommandError) and it prints the same report.
    path = tmp_path / "domanda.pdf"
    path.write_bytes(stored)
    out = io.StringIO()
    call_command("verify_application", str(path), stdout=out)
    assert json.loads(out.getvalue())["application"]["receipt_number"] == app.receipt_number


def test_the_reviewers_verification_page_shows_both_signatures(client, ready, pki):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from accounts.models import User
    from tests.factories import UserFactory

    app, rep = ready
    app = qualified.qualified_submit(user=rep, application=app, signed=sign_as(pki, "signatory", prepare(app, rep)))
    stored = storage.path_of(app.pdf_storage_name).read_bytes()
    client.force_login(UserFactory(role=User.Role.REVIEWER))
    page = client.post(reverse("verify_document"), {"pdf": SimpleUploadedFile("x.pdf", stored)}).content.decode()
    assert "Documento emesso dal portale e integro." in page and app.receipt_number in page
    assert "Firma qualificata del richiedente" in page and CF in page


@pytest.mark.parametrize("case,message", [
    ("other_holder", "non è il sottoscrittore"),
    ("untrusted", "autorità di certificazione riconosciuta"),
    ("altered", "byte per byte"),
    ("appended", "non copre l'intero documento"),
    ("unsigned", "non contiene una firma"),
    # Changed in the signer's own incremental update: the signature covers the whole file and the file
    # starts with the prepared bytes, yet it shows text the portal never produced.
    ("content_changed", "modifiche oltre alla firma"),
    ("page_added", "modifiche oltre alla firma"),
    ("annotation_added", "modifiche oltre alla firma"),
    ("text_field_added", "modifiche oltre alla firma"),
    ("seal_field_name", "riservato al sigillo del portale"),
])
def test_refusals(ready, pki, settings, tmp_path, case, message):
    app, rep = ready
    original = prepare(app, rep)
    signed = {
        "other_holder": lambda: sign_as(pki, "other", original),
        "untrusted": lambda: sign_as(pki, "signatory", original),
        "altered": lambda: sign_as(pki, "signatory", flip_in_first_stream(original)),
        "appended": lambda: sign_as(pki, "signatory", original) + b"\n% appended after signing\n",
        "unsigned": lambda: original,
        "content_changed": lambda: sign_as(pki, "signatory", original, tamper=change_content),
        "page_added": lambda: sign_as(pki, "signatory", original, tamper=add_page),
        "annotation_added": lambda: sign_as(pki, "signatory", original, tamper=add_annotation),
        "text_field_added": lambda: sign_as(pki, "signatory", original, tamper=add_text_field),
        "seal_field_name": lambda: sign_as(pki, "signatory", original, field="SigilloPortaleOT24"),
    }[case]()
    if case in ("content_changed", "page_added"):  # the forgery does show in the signed file
        from pypdf import PdfReader
        assert "dichiarato: 999" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(signed)).pages)
    if case == "untrusted":
        settings.OT24_QUALIFIED_TRUST_ROOTS_DIR = str(tmp_path)  # no roots
    with pytest.raises(ValidationError, match=message):
        qualified.qualified_submit(user=rep, application=app, signed=signed)
    assert Application.objects.get(pk=app.pk).is_draft


def test_changes_after_preparing_invalidate_the_prepared_pdf(ready, pki):
    app, rep = ready
    original = prepare(app, rep)
    app.refresh_from_db()
    services.application_save_section(user=rep, application=app, section="D", version=app.version,
                                      chosen={"D6": (frozenset(), False)})
    with pytest.raises(ValidationError, match="è cambiata dopo la preparazione"):
        qualified.qualified_submit(user=rep, application=app, signed=sign_as(pki, "signatory", original))


def test_through_the_pages(client, ready, pki):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from tests.factories import DEFAULT_PASSWORD

    app, rep = ready
    client.login(email=rep.email, password=DEFAULT_PASSWORD)
    step = reverse("application_step", args=[app.pk, "submit"])
    assert "Scarica il PDF da firmare" in client.get(step).content.decode()
    data = {**{k: "on" for k in Application.DECLARATIONS}, "place": "Roma", "version": Application.objects.get(pk=app.pk).version}
    response = client.post(reverse("qualified_prepare", args=[app.pk]), data)
    assert response["Content-Type"] == "application/pdf"
    signed = sign_as(pki, "signatory", response.content)
    assert "Invia il PDF firmato" in client.get(step).content.decode()
    response = client.post(reverse("qualified_upload", args=[app.pk]), {"signed_pdf": SimpleUploadedFile("f.pdf", signed)})
    assert response.status_code == 302
    assert Application.objects.get(pk=app.pk).status == Application.Status.SUBMITTED
    # An outsider cannot use these endpoints.
    client.force_login(legal_rep(SiteFactory().company))
    assert client.post(reverse("qualified_prepare", args=[app.pk]), data).status_code == 404


def test_a_crafted_signed_pdf_is_checked_in_the_bounded_child(ready, pki):
    """The prepared PDF, then an update whose form lists signature fields each packed in an object stream
    of ~4 MiB of whitespace (pyHanko's decode limits let each through): 60 of them cost the unbounded
    check 30 s of CPU and 250 MB. The check runs in the bounded child that checks uploads: refused as too
    complex, and the worker itself spends next to no CPU."""
    import time

    from ot24portal.filestore import filechecks
    from tests.hostile_pdfs import field_bomb_update

    app, rep = ready
    original = prepare(app, rep)
    signed = field_bomb_update(original, fields=20)
    assert signed.startswith(original) and len(signed) - len(original) < 100_000
    filechecks.prepare_signatures()  # the parsers' imports: once per worker, not the file's cost
    cpu = time.process_time()
    with pytest.raises(ValidationError, match="troppo complesso per essere controllato"):
        qualified.qualified_submit(user=rep, application=app, signed=signed)
    cpu = time.process_time() - cpu
    assert cpu < 0.5, f"the web worker itself spent {cpu:.2f} s of CPU parsing the file"
    assert Application.objects.get(pk=app.pk).is_draft


# --- the signature's appearance (issue 28, finding 10): only invisible signatures ---------------------------

VISIBLE = "firma invisibile"


def test_a_signature_whose_stamp_covers_the_page_is_refused(ready, pki):
    """A signature field as large as the page, drawn with an opaque stamp: every viewer shows the stamp's
    text instead of what the portal printed. pyHanko's difference analysis sees only a signature added."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    app, rep = ready
    signed = sign_as(pki, "signatory", prepare(app, rep), box=A4, stamp_style=covering_stamp())
    widget = next(s for s in PdfFileReader(io.BytesIO(signed)).embedded_signatures).sig_field
    assert [float(v) for v in widget["/Rect"]] == [0, 0, 595, 842] and "/AP" in widget
    with pytest.raises(ValidationError, match=VISIBLE):
        qualified.qualified_submit(user=rep, application=app, signed=signed)
    assert Application.objects.get(pk=app.pk).is_draft


def test_a_small_visible_signature_is_refused_too(ready, pki):
    """Wherever the box is, it could cover printed text: only invisible signatures are accepted."""
    app, rep = ready
    signed = sign_as(pki, "signatory", prepare(app, rep), box=(72, 72, 272, 122))
    with pytest.raises(ValidationError, match=VISIBLE):
        qualified.qualified_submit(user=rep, application=app, signed=signed)


def test_a_visible_field_added_before_signing_is_refused(ready, pki):
    """The field added with its box in one revision, signed in the next (as some tools do)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.fields import SigFieldSpec, append_signature_field

    app, rep = ready
    writer = IncrementalPdfFileWriter(io.BytesIO(prepare(app, rep)))
    append_signature_field(writer, SigFieldSpec("FirmaRichiedente", box=A4))
    with_field = io.BytesIO()
    writer.write(with_field)
    with pytest.raises(ValidationError, match=VISIBLE):
        qualified.qualified_submit(user=rep, application=app, signed=sign_as(pki, "signatory", with_field.getvalue()))


def test_a_widget_with_two_rectangles_is_refused(ready, pki):
    """/Rect [0 0 0 0] then /Rect [0 0 595 842] in the signature's widget, with an opaque appearance:
    pyHanko reads the first rectangle (an invisible signature), viewers the last (the whole page covered).
    The empty field and its widget are added in one revision (the widget written with a key of the same
    length, renamed in the bytes), then the field is signed in the next; the widget is not written again."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.generic import pdf_name
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    def numbers(*values):
        return generic.ArrayObject(map(generic.NumberObject, values))

    app, rep = ready
    writer = IncrementalPdfFileWriter(io.BytesIO(prepare(app, rep)))
    page_ref, _ = writer.find_page_for_modification(0)
    stamp = writer.add_object(generic.StreamObject({
        pdf_name("/Type"): pdf_name("/XObject"), pdf_name("/Subtype"): pdf_name("/Form"), pdf_name("/BBox"): numbers(*A4),
        pdf_name("/Resources"): generic.DictionaryObject({pdf_name("/Font"): _font()}),
    }, stream_data=b"1 g 0 0 595 842 re f 0 g " + FORGED))
    field_ref = writer.add_object(generic.DictionaryObject({pdf_name("/FT"): pdf_name("/Sig"),
                                                            pdf_name("/T"): generic.TextStringObject("FirmaRichiedente")}))
    widget_ref = writer.add_object(generic.DictionaryObject({
        pdf_name("/Type"): pdf_name("/Annot"), pdf_name("/Subtype"): pdf_name("/Widget"), pdf_name("/Parent"): field_ref,
        pdf_name("/P"): page_ref, pdf_name("/F"): generic.NumberObject(4), pdf_name("/Rect"): numbers(0, 0, 0, 0),
        pdf_name("/Zzzz"): numbers(*A4), pdf_name("/AP"): generic.DictionaryObject({pdf_name("/N"): stamp})}))
    field_ref.get_object()[pdf_name("/Kids")] = generic.ArrayObject([widget_ref])
    form = writer.root["/AcroForm"]
    form["/Fields"].append(field_ref)
    writer.update_container(form)
    writer.register_annotation(page_ref, widget_ref)
    with_field = io.BytesIO()
    writer.write(with_field)
    data = with_field.getvalue()
    assert data.count(b"/Zzzz") == 1
    signed = sign_as(pki, "signatory", data.replace(b"/Zzzz", b"/Rect"), strict=False)
    assert signed.count(b"/Rect [ 0 0 595 842 ]") == 1  # the widget is not written again by the signature
    with pytest.raises(ValidationError, match="chiavi ripetute"):
        qualified.qualified_submit(user=rep, application=app, signed=signed)
    assert Application.objects.get(pk=app.pk).is_draft


def test_verification_does_not_call_a_visibly_signed_pdf_unaltered(ready, pki):
    """A PDF signed with a covering stamp and then sealed by the portal (as one accepted before this
    check would be stored): the verification says the applicant's signature is visible and does not
    call the document what the portal printed."""
    from applications import signing
    from review.verification import verify_bytes

    app, rep = ready
    signed = sign_as(pki, "signatory", prepare(app, rep), box=A4, stamp_style=covering_stamp())
    report = verify_bytes(signing.seal_pdf(signed, reason="prova"))
    assert report["issued_by_portal"]
    assert report["qualified_signature"]["visible"] is True
    assert not report["unaltered"]


def test_the_verification_page_says_why_a_visibly_signed_pdf_is_not_unaltered(client, ready, pki):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from accounts.models import User
    from applications import signing
    from tests.factories import UserFactory

    app, rep = ready
    sealed = signing.seal_pdf(sign_as(pki, "signatory", prepare(app, rep), box=A4, stamp_style=covering_stamp()),
                              reason="prova")
    client.force_login(UserFactory(role=User.Role.REVIEWER))
    page = client.post(reverse("verify_document"), {"pdf": SimpleUploadedFile("x.pdf", sealed)}).content.decode()
    assert "Il documento NON è un PDF integro emesso dal portale." in page
    assert "Documento emesso dal portale e integro." not in page
    assert "il suo riquadro può coprire il testo stampato dal portale" in page


def test_the_refusal_is_shown_next_to_the_upload_field(client, ready, pki):
    """Through the pages: the visible signature is refused, the reason is in Italian beside the field
    (once), and the application stays a draft."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from tests.factories import DEFAULT_PASSWORD

    app, rep = ready
    client.login(email=rep.email, password=DEFAULT_PASSWORD)
    data = {**{k: "on" for k in Application.DECLARATIONS}, "place": "Roma", "version": Application.objects.get(pk=app.pk).version}
    prepared = client.post(reverse("qualified_prepare", args=[app.pk]), data).content
    signed = sign_as(pki, "signatory", prepared, box=A4, stamp_style=covering_stamp())
    page = client.post(reverse("qualified_upload", args=[app.pk]), {"signed_pdf": SimpleUploadedFile("f.pdf", signed)},
                       follow=True).content.decode()
    fields = page[page.index('id="signed-upload-fields"'):]
    fields = fields[:fields.index("</div>\n")]
    assert 'aria-describedby="signed-pdf-error"' in fields and 'id="signed-pdf-error"' in fields
    assert "il portale accetta solo la firma invisibile" in fields
    assert page.count("il portale accetta solo la firma invisibile") == 1
    assert Application.objects.get(pk=app.pk).is_draft
    step = client.get(reverse("application_step", args=[app.pk, "submit"])).content.decode()
    assert "il portale accetta solo la firma invisibile" not in step  # shown once
    assert "Scegli la firma invisibile" in step

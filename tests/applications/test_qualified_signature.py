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
from evidence import storage
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


def sign_as(pki, who, data: bytes) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter

    signer = signers.SimpleSigner.load(str(pki / f"{who}-key.pem"), str(pki / f"{who}-cert.pem"),
                                       ca_chain_files=(str(pki / "roots" / "ca.pem"),))
    meta = signers.PdfSignatureMetadata(field_name="FirmaRichiedente", subfilter=SigSeedSubFilter.PADES)
    return signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(data)), meta, signer=signer).getvalue()


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
    assert app.pdf_sha256 == hashlib.sha256(signed).hexdigest()
    assert storage.path_of(app.pdf_storage_name).read_bytes() == signed
    assert app.events.get().message == "Firma digitale qualificata (PAdES)"


@pytest.mark.parametrize("case,message", [
    ("other_holder", "non è il sottoscrittore"),
    ("untrusted", "autorità di certificazione riconosciuta"),
    ("altered", "byte per byte"),
    ("appended", "non copre l'intero documento"),
    ("unsigned", "non contiene una firma"),
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
    }[case]()
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
    assert "scarica il PDF da firmare" in client.get(step).content.decode()
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

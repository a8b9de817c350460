"""The portal's PAdES seal on signed applications (pyHanko), with the portal's own certificate.

Configure OT24_SEAL_KEY_FILE + OT24_SEAL_CERT_FILE (PEM), or OT24_SEAL_PKCS12_FILE (+ password).
When none is configured outside production, a self-signed development certificate is created in
OT24_DEV_CERT_DIR on first use (`make run` creates it up front)."""
from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SEAL_FIELD = "SigilloPortaleOT24"


def outside_event_loop(fn):
    """pyHanko's synchronous API calls asyncio.run(); inside a running event loop (ASGI, Playwright's sync
    API) that fails, so the work then runs in a short-lived thread of its own."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn).result()


def ensure_dev_certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed key and certificate for development; never used when a seal is configured.

    Made once, whoever asks first: the first seals after a start may come together from several threads and
    worker processes (the deadline's rush, issue 35). One maker at a time under an exclusive lock on a file
    of the folder; each file is written whole under a temporary name and renamed into place, the key before
    the certificate, so that a caller who finds the certificate finds its whole key beside it."""
    import fcntl

    directory.mkdir(parents=True, exist_ok=True)
    key_path, cert_path = directory / "seal-key.pem", directory / "seal-cert.pem"
    if key_path.exists() and cert_path.exists():
        return key_path, cert_path
    with open(directory / ".seal.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        if not (key_path.exists() and cert_path.exists()):
            key_pem, cert_pem = _new_dev_certificate()
            _write_whole(key_path, key_pem, mode=0o600)
            _write_whole(cert_path, cert_pem, mode=0o644)
    return key_path, cert_path


def _write_whole(path: Path, content: bytes, *, mode: int) -> None:
    """Write under a temporary name in the same folder, then rename: readers see no file or the whole file."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode), "wb") as fh:
        fh.write(content)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(temporary, path)


def _new_dev_certificate() -> tuple[bytes, bytes]:
    """A new RSA key and its self-signed certificate, as PEM."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, "Portale OT24 (certificato di sviluppo)"),
        x509.NameAttribute(NameOID.COUNTRY_NAME, "IT"),
    ])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=5 * 365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .sign(key, hashes.SHA256())
    )
    return (key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()),
            cert.public_bytes(serialization.Encoding.PEM))


def _seal_files() -> tuple[tuple[str, ...], str | None]:
    """The configured seal's files (key and certificate, or the PKCS#12 bundle) and its password."""
    if settings.OT24_SEAL_PKCS12_FILE:
        return (settings.OT24_SEAL_PKCS12_FILE,), settings.OT24_SEAL_PKCS12_PASSWORD or None
    key_file, cert_file = settings.OT24_SEAL_KEY_FILE, settings.OT24_SEAL_CERT_FILE
    if not (key_file and cert_file):
        if not settings.OT24_SEAL_ALLOW_DEV_CERT:
            raise ImproperlyConfigured("Configure OT24_SEAL_KEY_FILE and OT24_SEAL_CERT_FILE, or OT24_SEAL_PKCS12_FILE.")
        key_file, cert_file = ensure_dev_certificate(Path(settings.OT24_DEV_CERT_DIR))
    return (str(key_file), str(cert_file)), None


_loaded_signer: tuple[tuple, object] | None = None


def _keep_parsed_key(signer):
    """pyHanko's SimpleSigner parses its private key again for every signature (another ~75 ms of RSA
    key validation): sign with one parsed key for the signer's lifetime instead."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
    from pyhanko_certvalidator.util import get_pyca_cryptography_hash

    key = serialization.load_der_private_key(signer.signing_key.dump(), password=None)
    parsed_sign_raw = signer.sign_raw

    def sign_raw(data: bytes, digest_algorithm: str) -> bytes:
        mechanism = signer.get_signature_mechanism_for_digest(digest_algorithm)
        try:
            algorithm = mechanism.signature_algo
        except ValueError:
            algorithm = mechanism["algorithm"].native
        if algorithm == "rsassa_pkcs1v15" and isinstance(key, RSAPrivateKey):
            return key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
        return parsed_sign_raw(data, digest_algorithm)  # other key types: pyHanko's own path

    signer.sign_raw = sign_raw
    return signer


def _signer():
    """The seal's signer, loaded once per process: loading validates the RSA key, ~75 ms per file read
    (most of the sealing time; bench: pdf). Loaded again when the configuration or a file's size or
    modification time changes, so a rotated key is picked up without a restart."""
    global _loaded_signer
    from pyhanko.sign import signers

    files, password = _seal_files()
    stats = [os.stat(f) for f in files]
    identity = (files, password, tuple((st.st_mtime_ns, st.st_size) for st in stats))
    if _loaded_signer is None or _loaded_signer[0] != identity:
        if len(files) == 1:
            signer = signers.SimpleSigner.load_pkcs12(files[0], passphrase=password.encode() if password else None)
        else:
            signer = signers.SimpleSigner.load(files[0], files[1], key_passphrase=None)
        if signer is None:  # pyHanko logs why and returns None
            raise ImproperlyConfigured(f"The portal's seal could not be loaded from {', '.join(files)}.")
        _loaded_signer = (identity, _keep_parsed_key(signer))
    return _loaded_signer[1]


SEAL_BYTES_RESERVED = 32 * 1024


def seal_pdf(data: bytes, *, reason: str, location: str = "Portale OT24") -> bytes:
    """Add the portal's PAdES signature to a PDF, as an incremental update."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter

    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    meta = signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD, reason=reason, location=location, subfilter=SigSeedSubFilter.PADES
    )
    signer = _signer()
    # Space for the signature container given up front: otherwise pyHanko signs once more just to
    # measure it (a third of the sealing time; bench: pdf). 32 KB holds a seal with a long chain.
    return outside_event_loop(
        lambda: signers.sign_pdf(writer, meta, signer=signer, bytes_reserved=SEAL_BYTES_RESERVED).getvalue())


def seal_certificate_path() -> Path | None:
    """The PEM certificate the portal seals with (None for PKCS#12 setups, read from the bundle)."""
    if settings.OT24_SEAL_CERT_FILE:
        return Path(settings.OT24_SEAL_CERT_FILE)
    if not settings.OT24_SEAL_PKCS12_FILE and settings.OT24_SEAL_ALLOW_DEV_CERT:
        return ensure_dev_certificate(Path(settings.OT24_DEV_CERT_DIR))[1]
    return None


def verify_pdf(data: bytes) -> dict:
    """What a PDF's signatures say: for each, the field, the signer, and whether it is intact, valid and
    trusted against the portal's certificate."""
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    roots = []
    cert_path = seal_certificate_path()
    if cert_path is not None:
        roots.append(load_cert_from_pemder(str(cert_path)))
    elif settings.OT24_SEAL_PKCS12_FILE:
        roots.append(_signer().signing_cert)
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    results = []
    for sig in reader.embedded_signatures:
        status = outside_event_loop(lambda: validate_pdf_signature(sig, ValidationContext(trust_roots=roots)))
        results.append({
            "field": sig.field_name,
            "signer": status.signing_cert.subject.human_friendly,
            "intact": bool(status.intact),
            "valid": bool(status.valid),
            "trusted": bool(status.trusted),
            "covers_whole_file": sig.coverage is not None and sig.coverage.name == "ENTIRE_FILE",
        })
    return {"signatures": results}

"""Documents the portal generates are attached "da firmare" and document their item only once signed by the
legal representative or a signatory: a qualified signature (PAdES or CAdES .p7m) over exactly the generated
bytes, or the scan of a printed copy signed by hand, which the reviewer judges (issue 33)."""
import asyncio
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import User
from applications import services as app_services
from applications.models import Application
from applications.selectors import application_overview, dashboard_rows_for
from evidence import services
from evidence.models import EvidenceFile
from evidence.selectors import evidence_checklist
from interventions.models import EvidenceItem
from ot24portal.filestore import storage
from tests.applications.test_qualified_signature import pki, sign_as  # noqa: F401 - the test CA and its holders
from tests.evidence.test_hostile_uploads import png_bytes
from tests.factories import PATFactory, SiteFactory, UserFactory, draft_with, legal_rep, member, minimal_pdf
from organisations.models import Membership

pytestmark = pytest.mark.django_db
DECLARED = dict.fromkeys(Application.DECLARATIONS, True)


def generated_pdf(text: str = "Elaborazione degli eventi 2025") -> bytes:
    """A real PDF rendered by WeasyPrint, as the portal's reports are."""
    from weasyprint import HTML

    return HTML(string=f"<h1>{text}</h1><p>Data: ____ Firma del datore di lavoro: ____</p>").write_pdf()


@pytest.fixture
def world(settings, pki):  # noqa: F811
    """A submittable draft (A6 + C23, 110 points) that also selects C4: every C4 item but the first has an
    ordinary upload, the first a generated document "da firmare"."""
    settings.OT24_QUALIFIED_TRUST_ROOTS_DIR = str(pki / "roots")
    site = SiteFactory()
    PATFactory(site=site)
    rep = legal_rep(site.company)
    app = draft_with(site, rep, {"A": ["A6"], "C": ["C23", "C4"]})
    items = list(EvidenceItem.objects.filter(intervention__code="C4", alternative=1, condition="").order_by("order"))
    for item in items[1:]:
        services.evidence_add(user=rep, application=app, evidence_item=item,
                              uploaded_file=SimpleUploadedFile(f"doc{item.pk}.pdf", minimal_pdf("doc")))
    generated = services.evidence_add_generated(user=rep, application=app, evidence_item=items[0],
                                                name="elaborazione.pdf", pdf=generated_pdf())
    app.refresh_from_db()
    return app, rep, generated


def c4_status(app):
    return next(r for r in evidence_checklist(app, app.selections.all()) if r.intervention.code == "C4").status


def original_bytes(evidence) -> bytes:
    return storage.read_bytes(evidence.storage_name)


def cades(pki, who, data: bytes) -> bytes:  # noqa: F811
    """`who` signs `data` in a CAdES envelope with the content enclosed (.p7m, DER)."""
    from pyhanko.sign import signers

    signer = signers.SimpleSigner.load(str(pki / f"{who}-key.pem"), str(pki / f"{who}-cert.pem"),
                                       ca_chain_files=(str(pki / "roots" / "ca.pem"),))
    return asyncio.run(signer.async_sign_general_data(data, "sha256", detached=False, use_cades=True)).dump()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def test_an_unsigned_generated_document_leaves_its_item_incomplete(world, client):
    app, rep, generated = world
    assert generated.awaiting_signature and generated.content_type == "application/pdf"
    status = c4_status(app)
    assert not status.complete and status.unsigned_item_ids == (generated.evidence_item_id,)
    overview = application_overview(app)
    assert any("C4: il documento generato dal portale è allegato ma da firmare" in p.message for p in overview.problems)
    [row] = dashboard_rows_for([app.site], app.campaign)
    assert row.missing_evidence == 1 and row.unsigned_documents == 1
    with pytest.raises(ValidationError):
        app_services.application_submit(user=rep, application=app, declarations=DECLARED, place="Roma",
                                        version=app.version)
    client.force_login(rep)
    page = client.get(reverse("application_step", args=[app.pk, "evidence"])).content.decode()
    assert "Da firmare" in page and reverse("evidence_sign", args=[app.pk, generated.pk]) in page
    review = client.get(reverse("application_step", args=[app.pk, "review"])).content.decode()
    assert "da firmare" in review
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "1 documento generato da firmare" in dashboard


def test_an_ordinary_upload_needs_no_signature(world):
    app, rep, generated = world
    assert all(not f.awaiting_signature for f in app.evidence_files.exclude(pk=generated.pk))
    services.evidence_remove(user=rep, evidence=generated)
    services.evidence_add(user=rep, application=app, evidence_item=generated.evidence_item,
                          uploaded_file=upload("firmato-altrove.pdf", minimal_pdf("firmato")))
    assert c4_status(app).complete


def test_pades_signed_by_the_legal_representative_over_the_exact_content_completes(world, pki, client):  # noqa: F811
    app, rep, generated = world
    signed = sign_as(pki, "signatory", original_bytes(generated), field="FirmaDatore")
    services.evidence_sign_qualified(user=rep, evidence=generated, uploaded_file=upload("firmato.pdf", signed))
    generated.refresh_from_db()
    assert generated.signature == EvidenceFile.Signature.QUALIFIED
    assert generated.signer_codice_fiscale == rep.codice_fiscale and generated.signed_size == len(signed)
    assert storage.read_bytes(generated.signed_storage_name) == signed
    app.refresh_from_db()
    assert c4_status(app).complete
    assert not application_overview(app).problems
    client.force_login(rep)
    response = client.get(reverse("evidence_signed_download", args=[app.pk, generated.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == signed


def test_cades_p7m_by_the_legal_representative_completes(world, pki):  # noqa: F811
    app, rep, generated = world
    envelope = cades(pki, "signatory", original_bytes(generated))
    services.evidence_sign_qualified(user=rep, evidence=generated, uploaded_file=upload("firmato.pdf.p7m", envelope))
    generated.refresh_from_db()
    assert generated.signature == EvidenceFile.Signature.QUALIFIED and generated.signed_content_type == "application/pkcs7-mime"
    assert c4_status(app).complete


def test_a_signature_by_someone_else_is_refused_with_the_reason(world, pki):  # noqa: F811
    app, rep, generated = world
    for signed, name in ((sign_as(pki, "other", original_bytes(generated)), "altro.pdf"),
                         (cades(pki, "other", original_bytes(generated)), "altro.p7m")):
        with pytest.raises(ValidationError) as refused:
            services.evidence_sign_qualified(user=rep, evidence=generated, uploaded_file=upload(name, signed))
        assert "BNCGLI80A41F205X" in refused.value.messages[0]
        assert "non è il legale rappresentante né un procuratore con potere di firma" in refused.value.messages[0]
    generated.refresh_from_db()
    assert generated.awaiting_signature and not generated.signed_storage_name
    assert not c4_status(app).complete


def test_a_signatory_with_power_of_signature_may_sign(world, pki):  # noqa: F811
    """The holder's codice fiscale is a procuratore's: accepted, whoever of the signers uploads it."""
    app, rep, generated = world
    member(app.site.company, role=Membership.Role.SIGNATORY, codice_fiscale="BNCGLI80A41F205X")
    services.evidence_sign_qualified(user=rep, evidence=generated,
                                     uploaded_file=upload("p.pdf", sign_as(pki, "other", original_bytes(generated))))
    generated.refresh_from_db()
    assert generated.signer_codice_fiscale == "BNCGLI80A41F205X"


def test_signed_different_content_is_refused(world, pki):  # noqa: F811
    app, rep, generated = world
    from applications.qualified import with_empty_form

    other = with_empty_form(generated_pdf("Un altro documento"))
    for signed, name, says in ((sign_as(pki, "signatory", other), "diverso.pdf", "byte per byte"),
                               (cades(pki, "signatory", other), "diverso.p7m", "byte per byte"),
                               (cades(pki, "signatory", original_bytes(generated) + b"\n"), "coda.p7m", "byte per byte")):
        with pytest.raises(ValidationError) as refused:
            services.evidence_sign_qualified(user=rep, evidence=generated, uploaded_file=upload(name, signed))
        assert says in refused.value.messages[0]
    # An unsigned copy of the exact document is not a signature either.
    with pytest.raises(ValidationError) as refused:
        services.evidence_sign_qualified(user=rep, evidence=generated,
                                         uploaded_file=upload("copia.pdf", original_bytes(generated) + b"\n"))
    assert not c4_status(app).complete


def test_a_hand_signed_scan_completes_and_the_reviewer_sees_it_as_such(world, client):
    app, rep, generated = world
    client.force_login(rep)
    url = reverse("evidence_sign", args=[app.pk, generated.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Con la firma autografa su copia stampata" in page.content.decode()
    # Without the confirmation nothing is recorded, and the message stands next to the field.
    refused = client.post(url, {"method": "autografa", "autografa-file": upload("scan.png", png_bytes())})
    assert refused.status_code == 400 and "Spuntare la conferma per firmare il documento." in refused.content.decode()
    generated.refresh_from_db()
    assert generated.awaiting_signature
    # A .p7m is not a scan.
    refused = client.post(url, {"method": "autografa", "autografa-confirm": "on",
                                "autografa-file": upload("x.p7m", cades_free_envelope())})
    assert refused.status_code == 400
    done = client.post(url, {"method": "autografa", "autografa-confirm": "on",
                             "autografa-file": upload("scansione.png", png_bytes())})
    assert done.status_code == 302
    generated.refresh_from_db()
    assert generated.signature == EvidenceFile.Signature.HANDWRITTEN and generated.signed_content_type == "image/png"
    app.refresh_from_db()
    assert c4_status(app).complete
    assert "Firmato a mano" in client.get(reverse("application_step", args=[app.pk, "evidence"])).content.decode()
    app = app_services.application_submit(user=rep, application=app, declarations=DECLARED, place="Roma",
                                          version=app.version)
    # Once submitted nothing changes: the page no longer offers to sign and a POST is refused.
    assert client.post(url, {"method": "autografa", "autografa-confirm": "on",
                             "autografa-file": upload("s2.png", png_bytes())}).status_code == 403
    reviewer = UserFactory(role=User.Role.REVIEWER)
    client.force_login(reviewer)
    page = client.get(reverse("review_detail", args=[app.pk])).content.decode()
    assert "Firmato a mano" in page and "verificare data e firma del datore di lavoro" in page
    assert reverse("evidence_signed_download", args=[app.pk, generated.pk]) in page
    scan = client.get(reverse("evidence_signed_download", args=[app.pk, generated.pk]))
    assert scan.status_code == 200 and scan["X-Content-Type-Options"] == "nosniff"


def cades_free_envelope() -> bytes:
    """Not a scan: DER that starts like a .p7m."""
    return b"\x30\x82\x00\x10" + b"\x00" * 16


def test_only_the_legal_representative_or_a_signatory_signs(world, client):
    app, rep, generated = world
    collaborator = member(app.site.company)
    with pytest.raises(PermissionDenied):
        services.evidence_sign_by_hand(user=collaborator, evidence=generated, uploaded_file=upload("s.png", png_bytes()))
    client.force_login(collaborator)
    url = reverse("evidence_sign", args=[app.pk, generated.pk])
    page = client.get(url).content.decode()
    assert "Solo il legale rappresentante" in page and 'name="method"' not in page
    assert client.post(url, {"method": "autografa", "autografa-confirm": "on",
                             "autografa-file": upload("s.png", png_bytes())}).status_code == 403
    generated.refresh_from_db()
    assert generated.awaiting_signature


def test_removing_a_signed_document_removes_both_files(world, django_capture_on_commit_callbacks):
    app, rep, generated = world
    services.evidence_sign_by_hand(user=rep, evidence=generated, uploaded_file=upload("s.png", png_bytes()))
    generated.refresh_from_db()
    names = (generated.storage_name, generated.signed_storage_name)
    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_remove(user=rep, evidence=generated)
    assert not any(storage.exists(n) for n in names)


def test_the_signed_copy_counts_towards_the_application_quota(world, settings):
    app, rep, generated = world
    scan = png_bytes()
    used = sum(f.size for f in app.evidence_files.all())
    settings.OT24_MAX_APPLICATION_BYTES = used + len(scan) + 10  # under the per-file limit: the quota decides
    assert services.upload_limit(app)[0] == len(scan) + 10
    services.evidence_sign_by_hand(user=rep, evidence=generated, uploaded_file=upload("s.png", scan))
    assert services.upload_limit(app)[0] == 10

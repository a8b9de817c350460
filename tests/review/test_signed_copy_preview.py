"""The reviewer sees the signed copy of a generated document beside the verdicts, as any other evidence file: the
scan of a copy signed by hand (they check the employer's date and signature) or the PAdES PDF, inline and
sandboxed, after the same hash check. A .p7m envelope has no preview (a browser cannot show it): its download
stays."""
import io

import pytest
from django.urls import reverse

from accounts.models import User
from applications import services as app_services
from evidence import services
from ot24portal.filestore import storage
from tests.applications.test_qualified_signature import pki, sign_as  # noqa: F401 - the test CA and its holders
from tests.evidence.test_hostile_uploads import png_bytes
from tests.evidence.test_signing import DECLARED, cades, original_bytes, upload, world  # noqa: F401 - the fixture
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def submitted(app, rep):
    app.refresh_from_db()
    return app_services.application_submit(user=rep, application=app, declarations=DECLARED, place="Roma",
                                           version=app.version)


def preview_url(app, evidence) -> str:
    return reverse("signed_copy_preview", args=[app.pk, evidence.pk])


def test_the_reviewer_previews_a_hand_signed_scan_beside_the_verdicts(world, client):
    app, rep, generated = world
    scan = png_bytes()
    services.evidence_sign_by_hand(user=rep, evidence=generated, uploaded_file=upload("scansione.png", scan))
    app = submitted(app, rep)
    client.force_login(UserFactory(role=User.Role.REVIEWER))
    page = client.get(reverse("review_detail", args=[app.pk])).content.decode()
    assert f'href="{preview_url(app, generated)}" target="ot24-preview">[anteprima della copia firmata]' in page
    assert reverse("evidence_signed_download", args=[app.pk, generated.pk]) in page  # the download stays
    preview = client.get(preview_url(app, generated))
    assert preview.status_code == 200 and preview["Content-Disposition"].startswith("inline")
    assert preview["Content-Type"] == "image/png" and b"".join(preview.streaming_content) == scan
    assert preview["Content-Security-Policy"].startswith("sandbox") and preview["X-Frame-Options"] == "SAMEORIGIN"
    assert preview["X-Content-Type-Options"] == "nosniff"


def test_a_pades_signed_copy_is_previewed_as_a_pdf(world, pki, client):  # noqa: F811
    app, rep, generated = world
    signed = sign_as(pki, "signatory", original_bytes(generated), field="FirmaDatore")
    services.evidence_sign_qualified(user=rep, evidence=generated, uploaded_file=upload("firmato.pdf", signed))
    app = submitted(app, rep)
    client.force_login(UserFactory(role=User.Role.SUPERVISOR))
    assert preview_url(app, generated) in client.get(reverse("review_detail", args=[app.pk])).content.decode()
    preview = client.get(preview_url(app, generated))
    assert preview.status_code == 200 and preview["Content-Type"] == "application/pdf"
    assert b"".join(preview.streaming_content) == signed


def test_a_p7m_envelope_has_no_preview_only_its_download(world, pki, client):  # noqa: F811
    app, rep, generated = world
    envelope = cades(pki, "signatory", original_bytes(generated))
    services.evidence_sign_qualified(user=rep, evidence=generated, uploaded_file=upload("firmato.pdf.p7m", envelope))
    app = submitted(app, rep)
    client.force_login(UserFactory(role=User.Role.REVIEWER))
    page = client.get(reverse("review_detail", args=[app.pk])).content.decode()
    assert preview_url(app, generated) not in page
    assert reverse("evidence_signed_download", args=[app.pk, generated.pk]) in page
    assert client.get(preview_url(app, generated)).status_code == 404


def test_only_reviewers_preview_and_only_submitted_applications(world, client):
    app, rep, generated = world
    services.evidence_sign_by_hand(user=rep, evidence=generated, uploaded_file=upload("scansione.png", png_bytes()))
    reviewer = UserFactory(role=User.Role.REVIEWER)
    client.force_login(reviewer)
    assert client.get(preview_url(app, generated)).status_code == 404  # a draft is nobody's to review
    app = submitted(app, rep)
    client.force_login(rep)
    assert client.get(preview_url(app, generated)).status_code == 404  # the company downloads its own copy
    client.force_login(reviewer)
    upload_only = app.evidence_files.exclude(pk=generated.pk).first()
    assert client.get(preview_url(app, upload_only)).status_code == 404  # an ordinary upload has no signed copy


def scan_of_its_own() -> bytes:
    """A PNG no other test stores: stored files are shared by content, and this test alters the stored bytes."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (7, 5), (12, 34, 56)).save(out, format="PNG")
    return out.getvalue()


def test_an_altered_signed_copy_is_not_shown(world, client):
    app, rep, generated = world
    services.evidence_sign_by_hand(user=rep, evidence=generated, uploaded_file=upload("scansione.png", scan_of_its_own()))
    app = submitted(app, rep)
    generated.refresh_from_db()
    path = storage.path_of(generated.signed_storage_name)
    path.write_bytes(path.read_bytes() + b"altered")
    client.force_login(UserFactory(role=User.Role.REVIEWER))
    response = client.get(preview_url(app, generated))
    assert response.status_code == 409 and "alterato" in response.content.decode()
    # shown in the preview pane (a frame of the review screen), sandboxed like the file would have been
    assert response["X-Frame-Options"] == "SAMEORIGIN" and response["Content-Security-Policy"].startswith("sandbox")

"""What stays behind on a shared computer: no authenticated page or download in a cache, sessions that end
after an absolute lifetime even when active, and passwords of at least 12 characters."""
import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from operations.demo import DEMO_PASSWORD
from tests.factories import DEFAULT_PASSWORD, evidence_draft

pytestmark = pytest.mark.django_db


def test_authenticated_pages_and_downloads_are_not_stored(client, django_user_model):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from operations.demo import minimal_pdf
    from evidence import services

    app, rep, item = evidence_draft()
    evidence = services.evidence_add(user=rep, application=app, evidence_item=item,
                                     uploaded_file=SimpleUploadedFile("a.pdf", minimal_pdf("cache")))
    client.force_login(rep)
    for url in (reverse("dashboard"), reverse("application_step", args=[app.pk, "scheda"]),
                reverse("evidence_download", args=[app.pk, evidence.pk]), reverse("application_pdf", args=[app.pk]),
                reverse("dashboard_csv")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response.get("Cache-Control", ""), url


def test_every_file_download_is_not_stored_even_without_a_session(rf):
    """The rule is on the response too: a file response (attachment or streamed file) is never stored."""
    import io

    from django.contrib.auth.models import AnonymousUser
    from django.http import FileResponse

    from ot24portal.middleware import NoStoreMiddleware

    request = rf.get("/")
    request.user = AnonymousUser()
    response = NoStoreMiddleware(lambda r: FileResponse(io.BytesIO(b"x"), as_attachment=True, filename="a.txt"))(request)
    assert "no-store" in response["Cache-Control"]


def test_a_session_ends_after_its_absolute_lifetime_even_when_active(client, settings, django_user_model):
    settings.OT24_SESSION_ABSOLUTE_SECONDS = 1
    settings.SESSION_REFRESH_SECONDS = 0  # the idle timeout is pushed forward on every request
    django_user_model.objects.create_user(email="attivo@example.com", password=DEFAULT_PASSWORD)
    response = client.post("/accesso/", {"login": "attivo@example.com", "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200
    time.sleep(1.1)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


def test_absolute_lifetime_defaults_to_twelve_hours():
    from django.conf import settings

    assert settings.OT24_SESSION_ABSOLUTE_SECONDS == 12 * 60 * 60


def test_passwords_need_twelve_characters_and_must_not_be_common():
    with pytest.raises(ValidationError):
        validate_password("Abcdefgh-x1")  # 11 characters
    with pytest.raises(ValidationError):
        validate_password("password1234")  # 12 characters, but on the common-password list
    validate_password("Abcdefgh-x12")
    validate_password(DEMO_PASSWORD)
    validate_password(DEFAULT_PASSWORD)


def test_anonymous_pages_reached_by_a_secret_link_are_not_stored(client, django_capture_on_commit_callbacks):
    """Issue 28, finding 18: the invitation page opened by its link (anonymous: who invites, to which
    company, which address) came without Cache-Control: no-store."""
    import datetime as dt
    import re

    from django.core import mail
    from django.utils import timezone

    from organisations import services
    from organisations.models import Invitation
    from tests.factories import SiteFactory, legal_rep

    company = SiteFactory().company
    rep = legal_rep(company)
    token = "segreto-" + "x" * 35
    Invitation.objects.create(company=company, email="invitata@example.com", token_hash=services.token_hash(token),
                              created_by=rep, expires_at=timezone.now() + dt.timedelta(days=7))
    response = client.get(reverse("invitation_accept", args=[token]))
    assert response.status_code == 200 and company.ragione_sociale in response.content.decode()
    assert "no-store" in response.get("Cache-Control", ""), "organisation invitation"
    # The other pages a secret link opens for an anonymous visitor: staff invitation, password reset.
    assert "no-store" in client.get(reverse("staff_invitation_accept", args=["x" * 43])).get("Cache-Control", "")
    rep.email = "rep.reset@example.com"
    rep.save()
    with django_capture_on_commit_callbacks(execute=True):  # the e-mail leaves the outbox after the commit
        client.post(reverse("account_reset_password"), {"email": rep.email})
    link = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[-1].body).group(1)
    for response in (client.get(link), client.get(link, follow=True)):
        assert "no-store" in response.get("Cache-Control", ""), link
    # The address confirmation opened from the sign-up e-mail.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_signup"), {"email": "nuova.cache@example.com", "password1": "Cantiere-Sicuro-2027",
                                                "password2": "Cantiere-Sicuro-2027", "role": "company"})
    link = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[-1].body).group(1)
    response = client.get(link)
    assert response.status_code == 200 and "no-store" in response.get("Cache-Control", ""), link

"""Security defaults that hold for every page: log-in lock-out, CSP without inline scripts, headers."""
import re

import pytest

from ot24portal.settings.base import AUTHENTICATION_BACKENDS as ALL_BACKENDS

pytestmark = pytest.mark.django_db


def test_login_locks_out_after_five_failures(client, settings, django_user_model):
    settings.AUTHENTICATION_BACKENDS = ALL_BACKENDS
    django_user_model.objects.create_user(email="bersaglio@example.com", password="giusta-Pass-123")
    for _ in range(5):
        response = client.post("/accesso/", {"login": "bersaglio@example.com", "password": "sbagliata"})
    response = client.post("/accesso/", {"login": "bersaglio@example.com", "password": "giusta-Pass-123"})
    assert "Accesso temporaneamente bloccato" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_works_through_the_form_with_axes(client, settings, django_user_model):
    settings.AUTHENTICATION_BACKENDS = ALL_BACKENDS
    django_user_model.objects.create_user(email="utente@example.com", password="giusta-Pass-123")
    response = client.post("/accesso/", {"login": "utente@example.com", "password": "giusta-Pass-123"})
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_csp_and_security_headers(client):
    response = client.get("/accesso/")
    csp = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]+)", csp).group(1)
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    # No inline scripts in our pages: every <script> has a src.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", response.content.decode())
    # Styles only from files (issue 28, finding 17): no 'unsafe-inline', and the pages need none.
    style_src = re.search(r"style-src ([^;]+)", csp).group(1)
    assert "'unsafe-inline'" not in style_src
    assert "camera=()" in response["Permissions-Policy"]


def test_no_template_carries_inline_styles():
    """A style attribute or <style> block would be ignored by the browser under the CSP. E-mails and the
    PDFs (WeasyPrint) are not web pages: they keep theirs."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "templates"
    offenders = [str(path.relative_to(root)) for path in root.rglob("*.html")
                 if path.relative_to(root).parts[0] not in {"pdf", "notifications"}
                 and re.search(r"\bstyle=|<style\b", path.read_text())]
    assert offenders == []


def _expiry(client):
    from django.contrib.sessions.models import Session

    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_active_session_expiry_is_pushed_forward_at_most_every_refresh_interval(client, settings, django_user_model):
    """Idle timeout without a session write on every page: the expiry moves only when the last move is
    older than SESSION_REFRESH_SECONDS."""
    user = django_user_model.objects.create_user(email="attivo@example.com", password="giusta-Pass-123")
    client.force_login(user)
    settings.SESSION_REFRESH_SECONDS = 0
    client.get("/domande/")
    first = _expiry(client)
    client.get("/domande/")
    second = _expiry(client)
    assert second > first
    settings.SESSION_REFRESH_SECONDS = 3600
    client.get("/domande/")
    assert _expiry(client) == second


def test_idle_session_ends(client, django_user_model):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    user = django_user_model.objects.create_user(email="inattivo@example.com", password="giusta-Pass-123")
    client.force_login(user)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timezone.timedelta(seconds=1))
    response = client.get("/domande/")
    assert response.status_code == 302 and "/accesso/" in response["Location"]

"""One mail path (issue 29, item 5): every e-mail of the portal (organisations, stress, "ready to sign",
applications, allauth's) is rendered from a template under templates/notifications/ (allauth's under
templates/account/email/) in its recipient's language and written to the outbox; nothing else talks to
the mail server. One setting for the public address of links: OT24_PUBLIC_URL."""
import datetime as dt
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from applications import services as application_services
from notifications.models import OutgoingEmail
from organisations import services
from stress.models import Assessment
from tests.factories import SiteFactory, UserFactory, consultant, draft_with, legal_rep, member

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
APPS = [p for p in ROOT.iterdir() if (p / "apps.py").exists() or p.name == "ot24portal"]


def absolute(path):
    return "https://ot24.example.it" + path


def english(user):
    User.objects.filter(pk=user.pk).update(language="en")
    user.refresh_from_db()
    return user


def rows_to(address) -> list[OutgoingEmail]:
    return [row for row in OutgoingEmail.objects.order_by("pk") if address in row.recipients]


def test_only_notifications_talks_to_the_mail_server_and_only_it_and_allauths_hook_queue():
    talks = re.compile(r"^\s*(from django\.core\.mail import|from django\.core import mail|import django\.core\.mail)|"
                       r"send_mass_mail\(|mail_admins\(|mail_managers\(|EmailMessage\(|EmailMultiAlternatives\(|"
                       r"\bsend_mail\(", re.MULTILINE)
    queues = re.compile(r"\bemail_enqueue\b")
    offenders = []
    for app in APPS:
        for path in app.rglob("*.py"):
            if "migrations" in path.parts:
                continue
            relative = path.relative_to(ROOT).as_posix()
            text = path.read_text()
            if talks.search(text) and relative not in ("notifications/services.py", "accounts/adapter.py",
                                                        "accounts/invitations.py"):
                offenders.append(relative)
            if queues.search(text) and relative not in ("notifications/services.py", "accounts/adapter.py"):
                offenders.append(relative)
    assert sorted(offenders) == []


def test_one_setting_for_the_public_address_with_the_old_name_still_read():
    assert not hasattr(django_settings, "OT24_SITE_URL")
    env = {k: v for k, v in os.environ.items() if k not in ("OT24_PUBLIC_URL", "OT24_SITE_URL")}
    read = [sys.executable, "-c", "from ot24portal.settings import base; print(base.OT24_PUBLIC_URL)"]
    old = subprocess.run(read, env={**env, "OT24_SITE_URL": "https://vecchio.example/"}, cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout.strip()
    new = subprocess.run(read, env={**env, "OT24_SITE_URL": "https://vecchio.example",
                                    "OT24_PUBLIC_URL": "https://ot24.example.it/"}, cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout.strip()
    assert (old, new) == ("https://vecchio.example", "https://ot24.example.it")


def test_organisation_mails_are_in_each_recipients_language(django_capture_on_commit_callbacks):
    site = SiteFactory()
    company = site.company
    rep = english(legal_rep(company))
    adviser = UserFactory(role=User.Role.CONSULTANT)
    asker = UserFactory()
    request = services.join_request_create(user=asker, company=company, absolute=absolute)
    [to_rep] = rows_to(rep.email)
    assert "membership request" in to_rep.subject and "richiesta" not in to_rep.subject
    assert absolute(reverse("join_request_decide", args=[request.pk])) in to_rep.body
    services.join_request_decide(user=rep, join_request=request, accept=True)
    [to_asker] = rows_to(asker.email)
    assert "accolta" in to_asker.body  # the asker's own language: Italian

    mandate = services.mandate_request(user=adviser, company=company, start_date=dt.date.today(), end_date=None,
                                       absolute=absolute)
    assert "mandate" in rows_to(rep.email)[-1].subject.lower()
    assert "is requesting the mandate to" in rows_to(rep.email)[-1].body  # the mandate described in English
    services.mandate_decide(user=rep, mandate=mandate, accept=True)
    assert "delega" in rows_to(adviser.email)[-1].subject.lower()  # the consultant reads Italian
    services.mandate_revoke(user=rep, mandate=mandate)
    assert "revocato" in rows_to(adviser.email)[-1].body


def test_an_invitation_speaks_the_invited_accounts_language_or_italian(django_capture_on_commit_callbacks):
    company = SiteFactory().company
    rep = legal_rep(company)
    known = english(UserFactory(email="known@example.com"))
    services.invitation_create(user=rep, company=company, email="known@example.com", absolute=absolute)
    services.invitation_create(user=rep, company=company, email="nuovo@example.com", absolute=absolute)
    [to_known] = rows_to(known.email)
    [to_new] = rows_to("nuovo@example.com")
    assert "invitation" in to_known.subject.lower() and "invito" in to_new.subject.lower()
    assert "invites you to join" in to_known.body and "ti invita a far parte" in to_new.body
    assert "https://ot24.example.it/" in to_known.body and "https://ot24.example.it/" in to_new.body


def test_ready_to_sign_is_from_a_template_in_the_signatorys_language(catalogue, settings):
    settings.OT24_PUBLIC_URL = "https://ot24.example.it"
    site = SiteFactory()
    rep = english(legal_rep(site.company))
    writer = member(site.company)
    application = draft_with(site, rep, {})
    application_services.application_notify_signatories(user=writer, application=application,
                                                        link=absolute(f"/domande/{application.pk}/"))
    [row] = rows_to(rep.email)
    assert "ready" in row.subject.lower() and "pronta" not in row.subject.lower()
    assert "is ready to be signed and submitted" in row.body
    assert f"https://ot24.example.it/domande/{application.pk}/" in row.body


def test_stress_reminders_are_in_each_recipients_language_with_the_public_address(settings):
    settings.OT24_PUBLIC_URL = "https://ot24.example.it"
    site = SiteFactory()
    rep = english(legal_rep(site.company))
    adviser = consultant(site.company)
    assessment = Assessment.objects.create(company=site.company, date=dt.date(2025, 1, 15), year=2024, level="medio",
                                           total=Decimal(20), created_by=rep)
    call_command("stress_reminders", today=dt.date(2025, 12, 20), stdout=open(os.devnull, "w"))
    [en] = rows_to(rep.email)
    [it] = rows_to(adviser.email)
    assert "monitoring" in en.subject.lower() and "monitoraggio" in it.subject
    assert "15/01/2026" in it.subject and "Deadline: 15/01/2026" in en.body and "Scadenza: 15/01/2026" in it.body
    for row in (en, it):
        assert f"https://ot24.example.it/stress/{assessment.pk}/" in row.body

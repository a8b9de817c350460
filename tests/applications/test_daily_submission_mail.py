"""Issue 34, minor: the e-mail sent on submission carries the receipt number (OT24-AAAA-NNNNNN) and the
link to the sealed PDF."""
import re

import pytest
from django.core import mail
from django.urls import reverse

from applications import services
from applications.models import Application
from tests.factories import ready_to_submit

pytestmark = pytest.mark.django_db


def test_the_submission_mail_has_the_receipt_number_and_the_sealed_pdf(django_capture_on_commit_callbacks):
    app, rep = ready_to_submit()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(user=rep, application=app, place="Roma", version=app.version,
                                    declarations=dict.fromkeys(Application.DECLARATIONS, True))
    app.refresh_from_db()
    assert re.fullmatch(r"OT24-\d{4}-\d{6}", app.receipt_number)
    [message] = [m for m in mail.outbox if rep.email in m.to]
    assert app.receipt_number in message.subject or app.receipt_number in message.body
    assert app.receipt_number in message.body
    assert reverse("application_pdf", args=[app.pk]) + "\n" in message.body
    html_part = message.alternatives[0][0] if message.alternatives else ""
    assert app.receipt_number in html_part and reverse("application_pdf", args=[app.pk]) in html_part

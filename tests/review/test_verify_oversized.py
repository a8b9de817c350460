"""The reviewers' verification page says why an oversized PDF was dropped while it arrived."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_oversized_pdf_is_refused_with_the_limit(client, settings):
    settings.OT24_MAX_FILE_BYTES = 1024 * 1024
    client.force_login(UserFactory(role=User.Role.REVIEWER))
    big = SimpleUploadedFile("grande.pdf", b"%PDF-1.7\n" + b"0" * (2 * 1024 * 1024))
    page = client.post(reverse("verify_document"), {"pdf": big}).content.decode()
    assert "Il file supera il limite di 1 MB." in page
    assert "Scegliere un file PDF." not in page

"""Issue 34, minor: the password change says plainly when the current password is wrong, and once changed
leads to the profile with "Password cambiata." instead of the same empty form."""
import html

import pytest
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW = "Una-nuova-password-lunga-2027"


def test_a_wrong_current_password_is_named_and_a_change_leads_to_the_profile(client):
    user = UserFactory()
    client.force_login(user)
    url = reverse("account_change_password")
    wrong = client.post(url, {"oldpassword": "non-e-questa-123", "password1": NEW, "password2": NEW})
    page = html.unescape(wrong.content.decode())
    assert wrong.status_code == 200 and "La password attuale non è corretta" in page
    done = client.post(url, {"oldpassword": DEFAULT_PASSWORD, "password1": NEW, "password2": NEW})
    assert done.status_code == 302 and done["Location"] == reverse("account_profile")
    profile = html.unescape(client.get(done["Location"]).content.decode())
    assert "Password cambiata" in profile
    user.refresh_from_db()
    assert user.check_password(NEW)

"""INAIL staff: invited by an administrator (single-use, expiring link), then required to log in with a
second factor (TOTP) before reaching any reviewer page or the administration."""
import datetime as dt
from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import StaffInvitation, User
from tests.accounts.conftest import give_totp, link_in, outbox, totp_code
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Istruttoria-Sicura-2027"


@pytest.fixture
def admin_user():
    return UserFactory(email="capo@ot24.example", role=User.Role.ADMIN, is_staff=True, is_superuser=True)


def invite(client, admin_user, email="nuovo.revisore@inail.example", role="reviewer"):
    give_totp(admin_user)
    client.force_login(admin_user)
    response = client.post(reverse("admin:accounts_staffinvitation_invite"), {"email": email, "role": role})
    client.logout()
    return response


def test_admin_invites_staff_and_the_link_works_once(client, admin_user, staff_mfa):
    response = invite(client, admin_user)
    assert response.status_code == 302
    invitation = StaffInvitation.objects.get()
    user = invitation.user
    assert (user.email, user.role, user.has_usable_password()) == ("nuovo.revisore@inail.example", "reviewer", False)
    assert invitation.invited_by == admin_user
    assert abs(invitation.expires_at - invitation.created_at - dt.timedelta(days=7)) < dt.timedelta(seconds=5)
    [message] = outbox()
    link = link_in(message)
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert len(token) >= 40 and token not in invitation.token_hash  # only the hash is stored

    page = client.get(link)
    assert page.status_code == 200 and "nuovo.revisore@inail.example" in page.content.decode()
    short = client.post(link, {"new_password1": "corta-Pw-1", "new_password2": "corta-Pw-1"})
    assert short.status_code == 200
    response = client.post(link, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("login")
    user.refresh_from_db()
    assert user.check_password(PASSWORD)

    again = client.get(link)
    assert again.status_code == 410 and "già stato usato" in again.content.decode()
    assert client.post(link, {"new_password1": "Altra-Password-2027", "new_password2": "Altra-Password-2027"}
                       ).status_code == 410
    user.refresh_from_db()
    assert user.check_password(PASSWORD)

    # First log-in: the password works, then the second factor must be set before anything else.
    response = client.post(reverse("login"), {"login": user.email, "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("mfa_activate_totp")
    assert "verifica in due passaggi" in response.content.decode()


def test_expired_and_unknown_invitations_give_a_clear_page(client, admin_user):
    invite(client, admin_user)
    link = link_in(outbox()[0])
    StaffInvitation.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = client.get(link)
    assert response.status_code == 410 and "è scaduto" in response.content.decode()
    response = client.get(reverse("staff_invitation_accept", args=["indovinato" * 4]))
    assert response.status_code == 410 and "non valido" in response.content.decode()


def test_a_new_invitation_voids_the_previous_one(client, admin_user):
    invite(client, admin_user)
    invite(client, admin_user, role="supervisor")
    first, second = (link_in(m) for m in outbox())
    assert client.get(first).status_code == 410
    assert client.get(second).status_code == 200
    assert User.objects.get(email="nuovo.revisore@inail.example").role == "supervisor"


def test_invitation_refused_for_active_accounts_and_rate_limited(client, admin_user):
    UserFactory(email="attivo@example.com")
    response = invite(client, admin_user, email="attivo@example.com")
    assert response.status_code == 200 and "Esiste già un account" in response.content.decode()
    for i in range(3):
        invite(client, admin_user, email="ripetuto@inail.example")
    response = invite(client, admin_user, email="ripetuto@inail.example")
    assert response.status_code == 200 and "Troppi inviti" in response.content.decode()
    assert len(outbox()) == 3


def test_only_administrators_reach_the_invitation_page(client):
    client.force_login(UserFactory(role=User.Role.REVIEWER))
    response = client.get(reverse("admin:accounts_staffinvitation_invite"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize("role", [User.Role.REVIEWER, User.Role.SUPERVISOR])
def test_staff_without_totp_reach_no_reviewer_page(client, staff_mfa, role):
    reviewer = UserFactory(role=role)
    assert client.post(reverse("login"), {"login": reviewer.email, "password": DEFAULT_PASSWORD}).status_code == 302
    for url in ("/istruttoria/", reverse("verify_document"), reverse("dashboard"), reverse("account_profile")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp"), url
    # The set-up page itself, the two-factor pages, the language switch and log-out stay open.
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    assert client.get(reverse("mfa_index")).status_code == 200
    assert client.post("/i18n/setlang/", {"language": "it", "next": "/"}).status_code == 302
    give_totp(reviewer)
    assert client.get("/istruttoria/").status_code == 200


def test_admin_without_totp_reaches_no_admin_page(client, staff_mfa):
    admin = UserFactory(role=User.Role.ADMIN, is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")
    give_totp(admin)
    assert client.get("/admin/").status_code == 200


def test_companies_and_consultants_need_no_second_factor(client, staff_mfa):
    client.force_login(UserFactory(role=User.Role.CONSULTANT))
    assert client.get(reverse("dashboard")).status_code == 200


def test_the_requirement_can_be_switched_off(client, settings):
    settings.OT24_REQUIRE_STAFF_MFA = False
    client.force_login(UserFactory(role=User.Role.REVIEWER))
    assert client.get("/istruttoria/").status_code == 200


def test_reviewer_activates_totp_and_logs_in_with_the_code(client, staff_mfa):
    reviewer = UserFactory(role=User.Role.REVIEWER)
    response = client.post(reverse("login"), {"login": reviewer.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret
    assert secret in page.content.decode()
    assert client.post(reverse("mfa_activate_totp"), {"code": "000000"}).status_code == 200
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=reviewer, type=Authenticator.Type.TOTP).exists()
    assert client.get("/istruttoria/").status_code == 200
    # Staff cannot remove their authenticator app.
    response = client.post(reverse("mfa_deactivate_totp"), follow=True)
    assert Authenticator.objects.filter(user=reviewer, type=Authenticator.Type.TOTP).exists()

    # Next log-in: the password alone is not enough.
    client.logout()
    response = client.post(reverse("login"), {"login": reviewer.email, "password": DEFAULT_PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get("/istruttoria/").status_code == 302 and "_auth_user_id" not in client.session


def test_demo_staff_have_the_documented_totp(settings):
    from accounts.demo import DEMO_TOTP_SECRET, ensure_demo_second_factors

    settings.OT24_DEMO_DATA = True
    UserFactory(email="revisore@ot24.example", role=User.Role.REVIEWER)
    UserFactory(email="legale@edilrossi.example", role=User.Role.COMPANY)
    assert ensure_demo_second_factors() == ["revisore@ot24.example"]
    assert ensure_demo_second_factors() == ["revisore@ot24.example"]  # idempotent
    assert Authenticator.objects.count() == 1
    out = StringIO()
    expected = totp_code(DEMO_TOTP_SECRET)  # far enough from the period's end to be the command's code too
    call_command("demo_totp", "revisore@ot24.example", stdout=out)
    assert out.getvalue().strip() == expected
    assert len(out.getvalue().strip()) == 6


def test_demo_codes_follow_rfc_6238():
    """The codes `demo_totp` prints are the RFC's: its SHA-1 test vectors, six digits (RFC 6238, appendix B)."""
    from accounts.demo import current_code

    rfc_secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # base32 of "12345678901234567890"
    assert [current_code(rfc_secret, at=t) for t in (59, 1111111109, 1234567890, 2000000000)] == [
        "287082", "081804", "005924", "279037"]


def test_an_authenticator_added_for_a_demo_user_accepts_its_code(client, staff_mfa):
    from accounts.demo import DEMO_TOTP_SECRET, add_authenticator

    reviewer = UserFactory(role=User.Role.REVIEWER)
    add_authenticator(reviewer, DEMO_TOTP_SECRET)
    client.post(reverse("login"), {"login": reviewer.email, "password": DEFAULT_PASSWORD})
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(DEMO_TOTP_SECRET)})
    assert response.status_code == 302 and client.session.get("_auth_user_id") == str(reviewer.pk)


def test_demo_users_log_in_without_verifying_their_email(client):
    call_command("loaddata", "ot24", verbosity=0)
    call_command("demo_data", stdout=StringIO())
    response = client.post(reverse("login"), {"login": "legale@edilrossi.example", "password": "ot24-demo-2027"})
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_the_admin_login_page_does_not_skip_the_second_factor(client, staff_mfa):
    """Issue 28, finding 1: the password alone POSTed to Django's own admin log-in opened a session."""
    admin = UserFactory(email="capo@ot24.example", role=User.Role.ADMIN, is_staff=True, is_superuser=True)
    give_totp(admin)
    response = client.post("/admin/login/?next=/admin/", {"username": admin.email, "password": DEFAULT_PASSWORD,
                                                           "next": "/admin/"})
    assert "_auth_user_id" not in client.session
    # It sends the administrator to the portal's log-in, which asks for the code, and back to /admin/.
    assert response.status_code == 302
    assert response["Location"] == reverse("login") + "?next=%2Fadmin%2F"
    for url in ("/admin/", reverse("admin:accounts_user_change", args=[admin.pk]), "/istruttoria/"):
        assert client.get(url).status_code == 302, url
    assert client.get("/admin/login/").status_code == 302
    # Through the portal's log-in: password, then the code, then the administration.
    response = client.post(reverse("login") + "?next=/admin/", {"login": admin.email, "password": DEFAULT_PASSWORD,
                                                                 "next": "/admin/"})
    assert response["Location"] == reverse("mfa_authenticate") and "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(give_totp(admin))})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    # Logged in, the admin log-in page never logs anybody else in: it goes to the administration.
    other = UserFactory(email="altro.capo@ot24.example", role=User.Role.ADMIN, is_staff=True, is_superuser=True)
    response = client.post("/admin/login/", {"username": other.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(admin.pk)


def test_the_admin_login_page_never_sends_back_to_itself(client):
    response = client.get("/admin/login/?next=/admin/login/%3Fnext%3D%252Fadmin%252F")
    assert response["Location"] == reverse("login") + "?next=%2Fadmin%2F"
    response = client.get("/admin/login/?next=https://attacker.example/")
    assert response["Location"] == reverse("login") + "?next=%2Fadmin%2F"


def test_the_admin_login_page_refuses_a_logged_in_user_without_admin_rights(client):
    client.force_login(UserFactory(role=User.Role.REVIEWER))
    assert client.get("/admin/login/").status_code == 403


def _password_step(client, user, ip):
    response = client.post(reverse("login"), {"login": user.email, "password": DEFAULT_PASSWORD}, REMOTE_ADDR=ip)
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")


def _wrong_code(secret) -> str:
    return f"{(int(totp_code(secret)) + 500_000) % 1_000_000:06d}"


def test_wrong_codes_lock_the_address_as_wrong_passwords_do(client, settings, staff_mfa):
    """Issue 28, finding 3: 300 wrong codes in a row were all answered and the right one then accepted."""
    from ot24portal.settings.base import AUTHENTICATION_BACKENDS

    settings.AUTHENTICATION_BACKENDS = AUTHENTICATION_BACKENDS
    reviewer = UserFactory(role=User.Role.REVIEWER)
    secret = give_totp(reviewer)
    _password_step(client, reviewer, "198.51.100.30")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(reverse("mfa_authenticate"), {"code": _wrong_code(secret)}, REMOTE_ADDR="198.51.100.30")
        assert response.status_code == 200
    response = client.post(reverse("mfa_authenticate"), {"code": _wrong_code(secret)}, REMOTE_ADDR="198.51.100.30")
    assert response.status_code == 429 and "Accesso temporaneamente bloccato" in response.content.decode()
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)}, REMOTE_ADDR="198.51.100.30")
    assert response.status_code == 429 and "_auth_user_id" not in client.session
    # The password no longer opens the code step from that address either.
    client.cookies.clear()
    response = client.post(reverse("login"), {"login": reviewer.email, "password": DEFAULT_PASSWORD},
                           REMOTE_ADDR="198.51.100.30")
    assert response.status_code == 429 and "_auth_user_id" not in client.session


def test_wrong_codes_are_limited_per_user_across_addresses(client, settings, staff_mfa):
    """Whoever holds the password cannot spread code guesses over many addresses: after a few wrong codes
    the account's code step refuses every code, the right one included, until later."""
    reviewer = UserFactory(role=User.Role.REVIEWER)
    secret = give_totp(reviewer)
    refused = 0
    for i in range(12):
        client.cookies.clear()
        _password_step(client, reviewer, f"198.51.100.{40 + i}")
        for _ in range(2):
            response = client.post(reverse("mfa_authenticate"), {"code": _wrong_code(secret)},
                                   REMOTE_ADDR=f"198.51.100.{40 + i}")
            refused += "Troppi tentativi" in response.content.decode()
    assert refused > 0
    client.cookies.clear()
    _password_step(client, reviewer, "203.0.113.40")
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)}, REMOTE_ADDR="203.0.113.40")
    assert "Troppi tentativi" in response.content.decode() and "_auth_user_id" not in client.session

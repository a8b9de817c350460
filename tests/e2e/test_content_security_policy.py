"""The pages work under the portal's Content-Security-Policy without 'unsafe-inline' styles (issue 28,
finding 17): Chromium reports no CSP violation on the main pages of each kind of user, the two-factor set-up
and the administration included."""
import pytest
from django.urls import reverse

from accounts.models import User
from tests.accounts.conftest import give_totp, totp_code
from tests.e2e.login import log_in
from tests.e2e.test_accessibility import world  # noqa: F401 - the same world of pages
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_no_content_security_policy_violation_on_the_main_pages(page, live_server, world, settings):  # noqa: F811
    settings.OT24_REQUIRE_STAFF_MFA = True
    rep, app, reviewer, sub = world
    violations = []
    page.on("console", lambda message: violations.append((page.url, message.text))
            if "Content Security Policy" in message.text else None)
    for path in ["/accesso/", "/", "/aiuto/", "/contatti/", "/account/signup/", "/account/password/reset/"]:
        page.goto(f"{live_server.url}{path}")
    log_in(page, live_server, rep.email)
    for path in ["/domande/", f"/domande/{app.pk}/passo/scheda/", f"/domande/{app.pk}/passo/C/",
                 f"/domande/{app.pk}/passo/evidence/", f"/domande/{app.pk}/passo/review/", f"/unita/{app.site_id}/",
                 "/account/email/", "/account/password/change/", "/account/profilo/"]:
        page.goto(f"{live_server.url}{path}")
        if "/passo/" in path:  # the score bar's width comes from a class now, not a style attribute
            assert page.locator("#score-bar-saved").bounding_box()["width"] > 0, path
    page.context.clear_cookies()
    log_in(page, live_server, reviewer.email)  # no authenticator yet: the set-up page with its QR code
    page.wait_for_url(f"{live_server.url}{reverse('mfa_activate_totp')}")
    page.context.clear_cookies()
    admin = UserFactory(role=User.Role.ADMIN, is_staff=True, is_superuser=True)
    secret = give_totp(admin)
    log_in(page, live_server, admin, path="/admin/")
    page.wait_for_url(f"{live_server.url}{reverse('mfa_authenticate')}")
    page.locator("input[name=code]").fill(totp_code(secret))
    page.locator("input[name=code]").press("Enter")
    page.wait_for_url(f"{live_server.url}/admin/")
    for path in ["/admin/", "/admin/accounts/user/", f"/admin/accounts/user/{admin.pk}/change/"]:
        page.goto(f"{live_server.url}{path}")
    assert violations == []

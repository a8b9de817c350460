"""Every URL pattern x every kind of user x every application state, with the expected answer.

The patterns come from the URLconf: a new view that is not in EXPECTED makes test_every_url_is_in_the_matrix
fail. Other tenants' object ids must give 404 (or a redirect to log in), never data."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import User
from applications import services
from applications.demo import minimal_pdf
from applications.models import Application
from evidence import services as evidence_services
from interventions.models import EvidenceItem
from tests.factories import PATFactory, SiteFactory, UserFactory, consultant, legal_rep, member, open_campaign

pytestmark = pytest.mark.django_db

IGNORED_PREFIXES = ("admin:", "set_language", "login", "logout", "static")
KINDS = ["anonymous", "outsider", "member", "legal_rep", "consultant", "consultant_ended", "consultant_none",
         "reviewer", "other_reviewer", "supervisor", "admin", "reviewer_no_2fa"]
WORKS_FOR = {"member", "legal_rep", "consultant"}
REVIEWERS = {"reviewer", "other_reviewer", "supervisor"}
OUTSIDERS = {"outsider", "consultant_ended", "consultant_none"}


def url_names(patterns=None, prefix=""):
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{p.namespace}:" if p.namespace else ""
            yield from url_names(p.url_patterns, prefix + ns)
        elif isinstance(p, URLPattern) and p.name:
            yield prefix + p.name


# Account pages (allauth and accounts/urls.py): checked by test_account_matrix, below.
ENTRANCE = {"account_login", "account_signup"}  # a logged-in user is sent on to the portal
PUBLIC = {"account_reset_password", "account_reset_password_done", "account_reset_password_from_key",
          "account_reset_password_from_key_done", "account_email_verification_sent", "account_confirm_email",
          "account_inactive"}  # open to everybody; an unknown link gets a page saying so
PENDING_LOGIN = {"account_confirm_login_code", "mfa_authenticate"}  # only in the middle of a log-in
OWN = {"account_profile", "account_email", "account_change_password", "account_set_password", "account_logout",
       "account_reauthenticate", "mfa_index", "mfa_reauthenticate", "mfa_activate_totp", "mfa_deactivate_totp",
       "mfa_view_recovery_codes", "mfa_generate_recovery_codes", "mfa_download_recovery_codes"}
ACCOUNT_NAMES = ENTRANCE | PUBLIC | PENDING_LOGIN | OWN | {"staff_invitation_accept"}
# What a staff member without a second factor may still open (ot24portal.middleware.StaffSecondFactorMiddleware).
SECOND_FACTOR_SETUP = {"account_logout", "account_reauthenticate", "mfa_index", "mfa_reauthenticate",
                       "mfa_activate_totp", "mfa_authenticate", "mfa_view_recovery_codes",
                       "mfa_generate_recovery_codes", "mfa_download_recovery_codes"}


def expected(name, kind, state):
    """The status code each kind of user gets, for GET (or POST where the view only takes POST)."""
    if kind == "reviewer_no_2fa":
        return 302  # every portal page sends INAIL staff without a second factor to the set-up page
    if kind == "anonymous":
        return 302  # to the log-in page
    can_view = kind in WORKS_FOR or kind == "admin" or (kind in REVIEWERS and state == "submitted")
    can_edit = kind in WORKS_FOR and state == "draft"
    if name == "dashboard":
        return 302 if kind in REVIEWERS else 200  # reviewers land on their queue
    if name == "review_queue":  # administrators may look at it; taking needs the reviewer role
        return 200 if kind in REVIEWERS or kind == "admin" else 404
    if name in ("review_detail", "evidence_preview"):  # reviewers (admins read-only), never on drafts
        return 200 if (kind in REVIEWERS or kind == "admin") and state == "submitted" else 404
    if name == "verify_document":
        return 200 if kind in REVIEWERS or kind == "admin" else 404
    if name == "decision_pdf":  # no decision in these states
        return 404
    if name == "dashboard_csv":
        return 200
    if name in ("site_edit", "site_create"):
        return 200 if kind in WORKS_FOR else 404
    if name == "application_start":  # POST; the application already exists: redirect to it
        return 302 if kind in WORKS_FOR else 404
    if not can_view:
        return 404
    if name == "application_detail":
        return 302
    if name == "application_step:scheda":
        if can_edit:
            return 200
        return 403 if state == "draft" else 302  # drafts are not theirs to edit; submitted -> summary
    if name == "application_step:review":
        return 200
    if name in ("application_pdf", "evidence_download"):
        return 200
    if name == "section_preview":
        return 200 if can_edit else 404
    if name == "application_notify_signatories":  # POST; only who edits a draft but may not submit it
        return 302 if kind == "member" and state == "draft" else 404
    if name == "evidence_upload_json":  # POST without a file: the upload's own refusal, as JSON
        return 400 if can_edit else 404
    raise AssertionError(f"no expectation for {name}")


EXPECTED_NAMES = {"dashboard", "dashboard_csv", "application_start", "application_detail", "application_step",
                  "application_pdf", "section_preview", "evidence_download", "evidence_remove", "site_create", "site_edit",
                  "application_withdraw", "review_queue", "review_take", "review_assign", "review_detail",
                  "evidence_preview", "decision_pdf", "clarification_upload", "clarification_answer",
                  "verify_document", "qualified_prepare", "qualified_upload", "application_notify_signatories",
                  "evidence_upload_json", *ACCOUNT_NAMES}


def test_every_url_is_in_the_matrix():
    names = {n for n in url_names() if not n.startswith(IGNORED_PREFIXES)}
    assert names == EXPECTED_NAMES, f"add these views to the permission matrix: {names - EXPECTED_NAMES}"


@pytest.fixture
def world(settings):
    from allauth.mfa.totp.internal.auth import TOTP

    settings.OT24_REQUIRE_STAFF_MFA = True  # as in production (the test settings turn it off)
    campaign = open_campaign()
    site = SiteFactory()
    PATFactory(site=site)
    rep = legal_rep(site.company)
    users = {
        "anonymous": None,
        "outsider": legal_rep(SiteFactory().company),
        "member": member(site.company),
        "legal_rep": rep,
        "consultant": consultant(site.company),
        "consultant_ended": consultant(site.company, start_days_ago=90, end_days_ago=1),
        "consultant_none": consultant(),
        "reviewer": UserFactory(role=User.Role.REVIEWER),
        "other_reviewer": UserFactory(role=User.Role.REVIEWER),
        "supervisor": UserFactory(role=User.Role.SUPERVISOR),
        "admin": UserFactory(role=User.Role.ADMIN, is_superuser=True, is_staff=True),
        "reviewer_no_2fa": UserFactory(role=User.Role.REVIEWER),
    }
    for kind in ("reviewer", "other_reviewer", "supervisor", "admin"):
        TOTP.activate(users[kind], "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    app = services.application_start(user=rep, site=site, campaign=campaign)
    services.application_save_section(user=rep, application=app, section="C", version=app.version,
                                      chosen={"C4": (frozenset(), False)})
    item = EvidenceItem.objects.filter(intervention__code="C4").order_by("order").first()
    evidence = evidence_services.evidence_add(user=rep, application=app, evidence_item=item,
                                     uploaded_file=SimpleUploadedFile("a.pdf", minimal_pdf("matrice")))
    return site, app, evidence, users


def request_for(client, name, site, app, evidence):
    urls = {
        "dashboard": ("get", reverse("dashboard")),
        "review_queue": ("get", reverse("review_queue")),
        "dashboard_csv": ("get", reverse("dashboard_csv")),
        "application_start": ("post", reverse("application_start", args=[site.pk])),
        "application_detail": ("get", reverse("application_detail", args=[app.pk])),
        "application_step:scheda": ("get", reverse("application_step", args=[app.pk, "scheda"])),
        "application_step:review": ("get", reverse("application_step", args=[app.pk, "review"])),
        "application_pdf": ("get", reverse("application_pdf", args=[app.pk])),
        "section_preview": ("get", reverse("section_preview", args=[app.pk, "C"]) + "?version=1"),
        "evidence_download": ("get", reverse("evidence_download", args=[app.pk, evidence.pk])),
        "evidence_remove": ("post", reverse("evidence_remove", args=[app.pk, evidence.pk])),
        "site_create": ("get", reverse("site_create", args=[site.company.pk])),
        "site_edit": ("get", reverse("site_edit", args=[site.pk])),
        "review_detail": ("get", reverse("review_detail", args=[app.pk])),
        "evidence_preview": ("get", reverse("evidence_preview", args=[app.pk, evidence.pk])),
        "decision_pdf": ("get", reverse("decision_pdf", args=[app.pk])),
        "verify_document": ("get", reverse("verify_document")),
        "application_notify_signatories": ("post", reverse("application_notify_signatories", args=[app.pk])),
        "evidence_upload_json": ("post", reverse("evidence_upload_json", args=[app.pk])),
    }
    urls.update({name: ("get", reverse(name)) for name in ACCOUNT_NAMES
                 - {"account_confirm_email", "account_reset_password_from_key", "staff_invitation_accept"}})
    urls["account_confirm_email"] = ("get", reverse("account_confirm_email", args=["chiave-sconosciuta"]))
    urls["account_reset_password_from_key"] = ("get", reverse("account_reset_password_from_key",
                                                              kwargs={"uidb36": "1", "key": "set-password"}))
    urls["staff_invitation_accept"] = ("get", reverse("staff_invitation_accept", args=["x" * 43]))
    method, url = urls[name]
    return getattr(client, method)(url)


# evidence_remove, application_withdraw, review_take, review_assign, the clarification answers and the qualified
# signature views change data:
# they have their own tests (test_workflow, test_review_queue, test_review_flow).
CASES = ["dashboard", "review_queue", "dashboard_csv", "application_start", "application_detail", "application_step:scheda",
         "application_step:review", "application_pdf", "section_preview", "evidence_download", "site_create", "site_edit",
         "review_detail", "evidence_preview", "decision_pdf", "verify_document", "application_notify_signatories",
         "evidence_upload_json"]


@pytest.mark.parametrize("state", ["draft", "submitted"])
@pytest.mark.parametrize("kind", KINDS)
def test_matrix(client, world, kind, state):
    site, app, evidence, users = world
    if state == "submitted":
        Application.objects.filter(pk=app.pk).update(status=Application.Status.SUBMITTED, receipt_number="OT24-X-1")
    user = users[kind]
    if user is not None:
        client.force_login(user)
    for name in CASES:
        response = request_for(client, name, site, app, evidence)
        assert response.status_code == expected(name, kind, state), (name, kind, state)
        if kind in OUTSIDERS and name in ("dashboard", "dashboard_csv"):  # their own pages: no trace of this tenant
            body = response.content.decode("utf-8", "replace")
            assert site.company.ragione_sociale not in body and site.name not in body, (name, kind)


def expected_account(name, kind):
    """Account pages, for every kind of user (the application's state does not matter here)."""
    if kind == "reviewer_no_2fa" and name not in SECOND_FACTOR_SETUP:
        return 302  # to the set-up page
    if name == "staff_invitation_accept":
        return 410  # an unknown invitation link: a page saying so
    if name in PUBLIC:
        return 200
    if name in PENDING_LOGIN:
        return 302  # nothing to confirm: back to the log-in
    if name in ENTRANCE:
        return 200 if kind == "anonymous" else 302
    if kind == "anonymous":
        return 302  # to the log-in page
    staff_with_totp = kind in REVIEWERS or kind == "admin"
    if name == "account_set_password":
        return 302  # they have a password: sent to change it
    if name == "account_reauthenticate":
        return 200
    if name == "mfa_reauthenticate":  # by code for who has an authenticator; by password for the others
        return 200 if staff_with_totp else 302
    if name in ("mfa_activate_totp", "mfa_generate_recovery_codes"):
        return 302  # force_login is no recent log-in: allauth asks for the password first
    if name == "mfa_deactivate_totp":  # nothing to deactivate without TOTP; with it, the password first
        return 302 if staff_with_totp else 404
    if name in ("mfa_view_recovery_codes", "mfa_download_recovery_codes"):
        return 404  # nobody here has generated recovery codes
    return 200


@pytest.mark.parametrize("kind", KINDS)
def test_account_matrix(client, world, kind):
    site, app, evidence, users = world
    if users[kind] is not None:
        client.force_login(users[kind])
    for name in sorted(ACCOUNT_NAMES):
        response = request_for(client, name, site, app, evidence)
        assert response.status_code == expected_account(name, kind), (name, kind, response.status_code,
                                                                      response.get("Location"))


@pytest.mark.parametrize("kind", KINDS)
def test_removing_evidence_only_by_editors_of_drafts(client, world, kind):
    site, app, evidence, users = world
    if users[kind] is not None:
        client.force_login(users[kind])
    response = request_for(client, "evidence_remove", site, app, evidence)
    still_there = app.evidence_files.filter(pk=evidence.pk).exists()
    if kind in WORKS_FOR:
        assert response.status_code == 302 and not still_there
    else:
        assert response.status_code in (302, 404) and still_there, kind

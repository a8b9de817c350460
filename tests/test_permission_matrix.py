"""Every URL pattern x every kind of user x every application state, with the expected answer.

The patterns come from the URLconf: a new view that is not in EXPECTED makes test_every_url_is_in_the_matrix
fail. Other tenants' object ids must give 404 (or a redirect to log in), never data."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import User
from applications import services
from operations.demo import minimal_pdf
from applications.models import Application
from evidence import services as evidence_services
from indicators.models import Contractor, Injury, SiteYearHours
from interventions.models import EvidenceItem
from organisations import services as org_services
from organisations.models import FirmMembership, JoinRequest, Mandate, Membership
from tests.factories import (PATFactory, SiteFactory, UserFactory, consultant, firm_with, legal_rep, mandate, member,
                             open_campaign)

pytestmark = pytest.mark.django_db

IGNORED_PREFIXES = ("admin:", "set_language", "login", "logout", "static")
KINDS = ["anonymous", "outsider", "member", "signatory", "legal_rep", "invited", "consultant", "consultant_ended",
         "consultant_none", "consultant_pending", "consultant_revoked", "firm_owner", "firm_colleague", "firm_other",
         "reviewer", "other_reviewer", "supervisor", "admin", "reviewer_no_2fa", "consultant_site",
         "consultant_other_site"]
# invited: has an invitation to the company, not accepted yet; consultant_pending: the client they registered,
# its legal representative has not confirmed yet; firm_*: the mandate goes to the firm (owner and colleague),
# firm_other owns another firm; consultant_site: a mandate for chosen sites naming the site of the matrix,
# consultant_other_site: one naming only another site of the same company (issue 28, finding 7).
WORKS_FOR = {"member", "signatory", "legal_rep", "consultant", "consultant_pending", "firm_owner", "firm_colleague"}
REVIEWERS = {"reviewer", "other_reviewer", "supervisor"}
OUTSIDERS = {"outsider", "invited", "consultant_ended", "consultant_none", "consultant_revoked", "firm_other"}
CONSULTANTS = {"consultant", "consultant_ended", "consultant_none", "consultant_pending", "consultant_revoked",
               "firm_owner", "firm_colleague", "firm_other", "consultant_site", "consultant_other_site"}
# Mandates for chosen sites: the site's pages (applications, register, its stress assessments) follow the
# mandate's sites; the company's own pages need any tie to it, except what covers every site.
ON_THE_SITE = WORKS_FOR | {"consultant_site"}
ON_THE_COMPANY = ON_THE_SITE | {"consultant_other_site"}


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
INDICATOR_PAGES = {"indicators_company", "indicators_site", "indicators_hours", "indicators_injury_create",
                   "indicators_injury_edit", "indicators_injury_delete", "indicators_import", "indicators_export",
                   "indicators_pdf", "indicators_events_pdf", "indicators_contractors"}
INDICATOR_NAMES = {*INDICATOR_PAGES, "indicators_portfolio", "indicators_portfolio_csv", "indicators_import_confirm",
                   "indicators_attach", "indicators_contractor_delete"}


def expected(name, kind, state):
    """The status code each kind of user gets, for GET (or POST where the view only takes POST)."""
    if name in OPERATIONS:  # public; /metrics only from OT24_METRICS_ALLOWED_IPS (the test client's
        return 200          # 127.0.0.1 is; every other address: test_metrics_refused_outside_the_allow_list)
    if kind == "reviewer_no_2fa":
        return 302  # every portal page sends INAIL staff without a second factor to the set-up page
    if name == "invitation_accept" and kind == "anonymous":  # says: log in or sign up with the invited address
        return 200
    if name in PUBLIC_PAGES:
        return 200
    if name == "home":  # visitors read it; logged-in users are sent to their own start page
        return 200 if kind == "anonymous" else 302
    if kind == "anonymous":
        return 302  # to the log-in page
    if name == "admin_landing":
        return 200 if kind == "admin" else 404
    if name == "dashboard_add_site":  # to the site form of one of the user's companies (admins: any, then refused there)
        return 302 if kind in ON_THE_COMPANY or kind == "admin" else 404
    can_view = kind in ON_THE_SITE or kind == "admin" or (kind in REVIEWERS and state == "submitted")
    can_edit = kind in ON_THE_SITE and state == "draft"
    if name == "dashboard":
        return 302 if kind in REVIEWERS or kind == "admin" else 200  # reviewers: their queue; admins: their landing
    if name == "review_queue":  # administrators may look at it; taking needs the reviewer role
        return 200 if kind in REVIEWERS or kind == "admin" else 404
    if name in ("review_detail", "evidence_preview", "signed_copy_preview"):  # reviewers (admins read-only), never on drafts
        return 200 if (kind in REVIEWERS or kind == "admin") and state == "submitted" else 404
    if name == "verify_document":
        return 200 if kind in REVIEWERS or kind == "admin" else 404
    if name == "decision_pdf":  # no decision in these states
        return 404
    if name == "dashboard_csv":
        return 200
    if name == "site_create":  # a new site: who works on every site of the company
        return 200 if kind in WORKS_FOR else 404
    if name == "site_edit":
        return 200 if kind in ON_THE_SITE else 404
    if name in ("indicators_portfolio", "indicators_portfolio_csv"):  # their own sites; INAIL staff: none
        return 404 if kind in REVIEWERS or kind == "admin" else 200
    if name == "indicators_company":  # the company's sites the user works on (a scoped mandate: theirs only)
        return 200 if kind in ON_THE_COMPANY else 404
    if name in INDICATOR_PAGES:  # the site's register: who works on the site, never INAIL staff
        return 200 if kind in ON_THE_SITE else 404
    if name in ("indicators_import_confirm", "indicators_attach", "indicators_contractor_delete"):
        # POST: nothing pending / no C5 in the draft / the contractor removed
        return 302 if kind in ON_THE_SITE else 404
    # Companies, people, firms and mandates (organisations): the company's legal representative manages.
    if name == "invitation_accept":  # the invited address accepts; anybody else is told it is not theirs
        return 200 if kind == "invited" else 403
    if name == "invitation_open":  # from the invited person's dashboard; nobody else's
        return 200 if kind == "invited" else 404
    if name == "company_register":
        return 404 if kind in CONSULTANTS or kind in REVIEWERS or kind == "admin" else 200
    if name == "company_join":  # POST with the codice fiscale of the world's company: a join request
        return 302
    if name == "company_detail":
        return 200 if kind in ON_THE_COMPANY or kind in REVIEWERS or kind == "admin" else 404
    if name in ("mandate_grant", "join_request_decide", "mandate_decide"):
        return 200 if kind == "legal_rep" else 404
    if name in ("company_invite", "invitation_revoke", "membership_remove", "mandate_revoke"):  # POSTs refused politely
        return 302 if kind == "legal_rep" else 404
    if name in ("mandate_request", "clients", "client_register", "firm_create"):
        return 200 if kind in CONSULTANTS else 404
    if name == "firm_detail":
        return 200 if kind in ("firm_owner", "firm_colleague") else 404
    if name in ("firm_invite", "firm_member_remove"):
        return 302 if kind == "firm_owner" else 404
    if name == "application_start":  # POST; the application already exists: redirect to it
        return 302 if kind in ON_THE_SITE else 404
    if name == "stress_list":  # their own companies' list; nobody else has one
        return 200 if kind in ON_THE_COMPANY or kind == "outsider" else 404
    if name == "stress_create":  # a scoped mandate: an assessment of one of its sites
        return 200 if kind in ON_THE_COMPANY else 404
    if name.startswith("stress_"):  # the assessment of the site: who works on it; reviewers read the report as evidence
        if kind not in ON_THE_SITE:
            return 404
        return 302 if name in ("stress_compilation_add", "stress_attach") else 200
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
    if name in ("application_pdf", "evidence_download", "evidence_sign", "evidence_signed_download"):
        return 200  # evidence_sign: the page of a generated document, read-only for who may not sign it
    if name == "section_preview":
        return 200 if can_edit else 404
    if name == "application_notify_signatories":  # POST; only who edits a draft but may not submit it
        return 302 if kind in ("member", "consultant_pending") and state == "draft" else 404
    if name == "evidence_upload_json":  # POST without a file: the upload's own refusal, as JSON
        return 400 if can_edit else 404
    if name == "evidence_raw_upload":  # POST without item: the upload's own refusal; seen but not editable: 403
        return 400 if can_edit else 403
    raise AssertionError(f"no expectation for {name}")


ORGANISATION_NAMES = ["company_register", "company_join", "company_detail", "company_invite", "mandate_grant",
                      "invitation_revoke", "invitation_accept", "invitation_open", "membership_remove", "join_request_decide",
                      "mandate_decide", "mandate_revoke", "mandate_request", "clients", "client_register", "firm_create",
                      "firm_detail", "firm_invite", "firm_member_remove"]
STRESS_NAMES = ["stress_list", "stress_create", "stress_detail", "stress_edit", "stress_delete", "stress_figures",
                "stress_compilation_add", "stress_checklist", "stress_compilation_delete", "stress_plan",
                "stress_measure_delete", "stress_pdf", "stress_attach"]
PUBLIC_PAGES = {"help", "contacts", "privacy", "accessibility", "legal"}  # pages/: open to everybody
OPERATIONS = {"healthz", "readyz", "metrics"}  # operations/: the balancer's probes and Prometheus
# SPID / CIE relying party (identity/, issue 32): checked by test_identity_matrix, below.
IDENTITY_NAMES = {"identity:entity_configuration", "identity:resolve", "identity:begin", "identity:callback"}
EXPECTED_NAMES = {"home", "admin_landing", *PUBLIC_PAGES, "dashboard", "dashboard_add_site", "dashboard_csv", "application_start", "application_detail", "application_step",
                  "application_pdf", "section_preview", "evidence_download", "evidence_remove", "site_create", "site_edit",
                  "application_withdraw", "review_queue", "review_take", "review_assign", "review_detail",
                  "evidence_preview", "signed_copy_preview", "decision_pdf", "clarification_upload", "clarification_answer", "clarification_file_remove",
                  "verify_document", "qualified_prepare", "qualified_upload", *ACCOUNT_NAMES,
                  *INDICATOR_NAMES, *ORGANISATION_NAMES, *STRESS_NAMES,
                  "application_notify_signatories", "evidence_upload_json", "evidence_raw_upload", *OPERATIONS,
                  "evidence_sign", "evidence_signed_download",
                  *IDENTITY_NAMES}


def test_every_url_is_in_the_matrix():
    names = {n for n in url_names() if not n.startswith(IGNORED_PREFIXES)}
    assert names == EXPECTED_NAMES, f"add these views to the permission matrix: {names - EXPECTED_NAMES}"


@pytest.fixture
def world(settings):
    from accounts.demo import add_authenticator

    settings.OT24_REQUIRE_STAFF_MFA = True  # as in production (the test settings turn it off)
    campaign = open_campaign()
    site = SiteFactory()
    PATFactory(site=site)
    rep = legal_rep(site.company)
    firm_owner, firm_colleague, firm_other = (UserFactory(role=User.Role.CONSULTANT) for _ in range(3))
    firm = firm_with(firm_colleague, owner=firm_owner)
    mandate(site.company, firm=firm)
    firm_with(owner=firm_other)
    other_site = SiteFactory(company=site.company, name="Altra unità della matrice")
    invited = UserFactory(email="invitato@example.com")
    users = {
        "anonymous": None,
        "outsider": legal_rep(SiteFactory().company),
        "member": member(site.company),
        "signatory": member(site.company, role=Membership.Role.SIGNATORY),
        "legal_rep": rep,
        "invited": invited,
        "consultant": consultant(site.company),
        "consultant_ended": consultant(site.company, start_days_ago=90, end_days_ago=1),
        "consultant_none": consultant(),
        "consultant_pending": consultant(site.company, status=Mandate.Status.PENDING),
        "consultant_revoked": consultant(site.company, status=Mandate.Status.REVOKED),
        "firm_owner": firm_owner,
        "firm_colleague": firm_colleague,
        "firm_other": firm_other,
        "reviewer": UserFactory(role=User.Role.REVIEWER),
        "other_reviewer": UserFactory(role=User.Role.REVIEWER),
        "supervisor": UserFactory(role=User.Role.SUPERVISOR),
        "admin": UserFactory(role=User.Role.ADMIN, is_superuser=True, is_staff=True),
        "reviewer_no_2fa": UserFactory(role=User.Role.REVIEWER),
        "consultant_site": consultant(site.company, sites=[site]),
        "consultant_other_site": consultant(site.company, sites=[other_site]),
    }
    for kind in ("reviewer", "other_reviewer", "supervisor", "admin"):
        add_authenticator(users[kind], "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    app = services.application_start(user=rep, site=site, campaign=campaign)
    services.application_save_section(user=rep, application=app, section="C", version=app.version,
                                      chosen={"C4": (frozenset(), False)})
    item = EvidenceItem.objects.filter(intervention__code="C4").order_by("order").first()
    evidence = evidence_services.evidence_add(user=rep, application=app, evidence_item=item,
                                     uploaded_file=SimpleUploadedFile("a.pdf", minimal_pdf("matrice")))
    # Two documents the portal generated (issue 33): one still "da firmare", one signed by hand.
    app.to_sign = evidence_services.evidence_add_generated(user=rep, application=app, evidence_item=item,
                                                           name="da-firmare.pdf", pdf=minimal_pdf("generato 1"))
    app.signed = evidence_services.evidence_add_generated(user=rep, application=app, evidence_item=item,
                                                          name="firmato.pdf", pdf=minimal_pdf("generato 2"))
    evidence_services.evidence_sign_by_hand(user=rep, evidence=app.signed,
                                            uploaded_file=SimpleUploadedFile("scansione.pdf", minimal_pdf("firmato")))
    Injury.objects.create(site=site, event_date=dt.date(2024, 3, 1), first_absence=dt.date(2024, 3, 2),
                          last_absence=dt.date(2024, 3, 20), description="Infortunio della matrice")
    SiteYearHours.objects.create(site=site, year=2024, hours=100000)
    app.contractor = Contractor.objects.create(site=site, name="Appaltatrice della matrice")
    # What the organisation pages act on: an open invitation (of "invited"), a closed one, a join request,
    # a requested mandate and a revoked one; the POSTs of the matrix are refused without changing anything.
    tokens = {}
    open_invitation = org_services.invitation_create(user=rep, company=site.company, email=invited.email,
                                                     absolute=lambda p: tokens.setdefault("url", p))
    closed = org_services.invitation_create(user=rep, company=site.company, email="chiuso@example.com",
                                            absolute=lambda p: p)
    org_services.invitation_revoke(user=rep, invitation=closed)
    app.org = {
        "token": tokens["url"].rstrip("/").rsplit("/", 1)[1],
        "closed_invitation": closed,
        "open_invitation": open_invitation,
        "join_request": JoinRequest.objects.create(company=site.company, user=UserFactory()),
        "requested_mandate": mandate(site.company, consultant=consultant(), status=Mandate.Status.REQUESTED),
        "revoked_mandate": Mandate.objects.filter(company=site.company, status=Mandate.Status.REVOKED).first(),
        "rep_membership": Membership.objects.get(user=rep, company=site.company),
        "firm": firm,
        "owner_membership": FirmMembership.objects.get(user=firm_owner, firm=firm),
    }
    stress_world(site, rep)
    return site, app, evidence, users


def stress_world(site, rep):
    """Two assessments with one person, a compilation and a measure each (the stress pages' objects): one
    of the site of the matrix, one of the whole company (test_company_wide_stress_assessment)."""
    from stress.models import Assessment, Compilation, Measure, Participant

    for scope in (Assessment.Scope.SITE, Assessment.Scope.COMPANY):
        assessment = Assessment.objects.create(company=site.company, scope=scope,
                                               site=site if scope == Assessment.Scope.SITE else None,
                                               date=dt.date(2025, 1, 15), year=2024, created_by=rep)
        participant = Participant.objects.create(assessment=assessment, name="Mario Rossi", role="datore")
        Compilation.objects.create(assessment=assessment, participant=participant)
        Measure.objects.create(assessment=assessment, title="Formazione", owner="Mario Rossi",
                               deadline=dt.date(2025, 6, 30))


def stress_urls(site, scope="site"):
    from stress.models import Assessment

    a = Assessment.objects.get(company=site.company, scope=scope)
    c, m = a.compilations.get(), a.measures.get()
    return {
        "stress_list": ("get", reverse("stress_list")),
        "stress_create": ("get", reverse("stress_create", args=[site.company.pk])),
        "stress_detail": ("get", reverse("stress_detail", args=[a.pk])),
        "stress_edit": ("get", reverse("stress_edit", args=[a.pk])),
        "stress_delete": ("get", reverse("stress_delete", args=[a.pk])),
        "stress_figures": ("get", reverse("stress_figures", args=[a.pk])),
        "stress_compilation_add": ("post", reverse("stress_compilation_add", args=[a.pk])),
        "stress_checklist": ("get", reverse("stress_checklist", args=[a.pk, c.pk, "C"])),
        "stress_compilation_delete": ("get", reverse("stress_compilation_delete", args=[a.pk, c.pk])),
        "stress_plan": ("get", reverse("stress_plan", args=[a.pk])),
        "stress_measure_delete": ("get", reverse("stress_measure_delete", args=[a.pk, m.pk])),
        "stress_pdf": ("get", reverse("stress_pdf", args=[a.pk])),
        "stress_attach": ("post", reverse("stress_attach", args=[a.pk])),
    }


def request_for(client, name, site, app, evidence):
    injury = Injury.objects.filter(site=site).first()
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
        "evidence_sign": ("get", reverse("evidence_sign", args=[app.pk, app.to_sign.pk])),
        "evidence_signed_download": ("get", reverse("evidence_signed_download", args=[app.pk, app.signed.pk])),
        "site_create": ("get", reverse("site_create", args=[site.company.pk])),
        "site_edit": ("get", reverse("site_edit", args=[site.pk])),
        "review_detail": ("get", reverse("review_detail", args=[app.pk])),
        "evidence_preview": ("get", reverse("evidence_preview", args=[app.pk, evidence.pk])),
        "signed_copy_preview": ("get", reverse("signed_copy_preview", args=[app.pk, app.signed.pk])),
        "decision_pdf": ("get", reverse("decision_pdf", args=[app.pk])),
        "verify_document": ("get", reverse("verify_document")),
        "indicators_portfolio": ("get", reverse("indicators_portfolio")),
        "indicators_portfolio_csv": ("get", reverse("indicators_portfolio_csv")),
        "indicators_company": ("get", reverse("indicators_company", args=[site.company.pk])),
        "indicators_site": ("get", reverse("indicators_site", args=[site.pk])),
        "indicators_hours": ("get", reverse("indicators_hours", args=[site.pk])),
        "indicators_injury_create": ("get", reverse("indicators_injury_create", args=[site.pk])),
        "indicators_injury_edit": ("get", reverse("indicators_injury_edit", args=[injury.pk])),
        "indicators_injury_delete": ("get", reverse("indicators_injury_delete", args=[injury.pk])),
        "indicators_import": ("get", reverse("indicators_import", args=[site.pk])),
        "indicators_import_confirm": ("post", reverse("indicators_import_confirm", args=[site.pk])),
        "indicators_export": ("get", reverse("indicators_export", args=[site.pk])),
        "indicators_pdf": ("get", reverse("indicators_pdf", args=[site.pk])),
        "indicators_events_pdf": ("get", reverse("indicators_events_pdf", args=[site.pk, "C5"])),
        "indicators_attach": ("post", reverse("indicators_attach", args=[site.pk])),
        "indicators_contractors": ("get", reverse("indicators_contractors", args=[site.pk])),
        "indicators_contractor_delete": ("post", reverse("indicators_contractor_delete",
                                                         args=[app.contractor.pk])),
        **{page: ("get", reverse(page)) for page in ("home", "admin_landing", *PUBLIC_PAGES, *OPERATIONS)},
        "dashboard_add_site": ("get", reverse("dashboard_add_site") + f"?company={site.company.pk}"),
        "application_notify_signatories": ("post", reverse("application_notify_signatories", args=[app.pk])),
        "evidence_upload_json": ("post", reverse("evidence_upload_json", args=[app.pk])),
        "evidence_raw_upload": ("post", reverse("evidence_raw_upload", args=[app.pk])),
    }
    urls.update({name: ("get", reverse(name)) for name in ACCOUNT_NAMES
                 - {"account_confirm_email", "account_reset_password_from_key", "staff_invitation_accept"}})
    urls["account_confirm_email"] = ("get", reverse("account_confirm_email", args=["chiave-sconosciuta"]))
    urls["account_reset_password_from_key"] = ("get", reverse("account_reset_password_from_key",
                                                              kwargs={"uidb36": "1", "key": "set-password"}))
    urls["staff_invitation_accept"] = ("get", reverse("staff_invitation_accept", args=["x" * 43]))
    org = getattr(app, "org", None)
    if org:
        company = site.company
        urls.update({
            "company_register": ("get", reverse("company_register")),
            "company_detail": ("get", reverse("company_detail", args=[company.pk])),
            "company_invite": ("post", reverse("company_invite", args=[company.pk])),
            "mandate_grant": ("get", reverse("mandate_grant", args=[company.pk])),
            "invitation_revoke": ("post", reverse("invitation_revoke", args=[org["closed_invitation"].pk])),
            "invitation_accept": ("get", reverse("invitation_accept", args=[org["token"]])),
            "invitation_open": ("get", reverse("invitation_open", args=[org["open_invitation"].pk])),
            "membership_remove": ("post", reverse("membership_remove", args=[org["rep_membership"].pk])),
            "join_request_decide": ("get", reverse("join_request_decide", args=[org["join_request"].pk])),
            "mandate_decide": ("get", reverse("mandate_decide", args=[org["requested_mandate"].pk])),
            "mandate_revoke": ("post", reverse("mandate_revoke", args=[org["revoked_mandate"].pk])),
            "mandate_request": ("get", reverse("mandate_request")),
            "clients": ("get", reverse("clients")),
            "client_register": ("get", reverse("client_register")),
            "firm_create": ("get", reverse("firm_create")),
            "firm_detail": ("get", reverse("firm_detail", args=[org["firm"].pk])),
            "firm_invite": ("post", reverse("firm_invite", args=[org["firm"].pk])),
            "firm_member_remove": ("post", reverse("firm_member_remove", args=[org["owner_membership"].pk])),
        })
    if name == "company_join":
        return client.post(reverse("company_join"), {"codice_fiscale": site.company.codice_fiscale})
    if name.startswith("stress_"):
        urls = stress_urls(site)
    method, url = urls[name]
    return getattr(client, method)(url)


# evidence_remove, application_withdraw, review_take, review_assign, the clarification answers and the qualified
# signature views change data:
# they have their own tests (test_workflow, test_review_queue, test_review_flow).
CASES = ["dashboard", "review_queue", "dashboard_csv", "application_start", "application_detail", "application_step:scheda",
         "application_step:review", "application_pdf", "section_preview", "evidence_download", "site_create", "site_edit",
         "review_detail", "evidence_preview", "signed_copy_preview", "decision_pdf", "verify_document", *sorted(INDICATOR_NAMES),
         *ORGANISATION_NAMES, *STRESS_NAMES,
         "home", "admin_landing", "dashboard_add_site", *sorted(PUBLIC_PAGES),
         "application_notify_signatories", "evidence_upload_json", "evidence_raw_upload", *sorted(OPERATIONS),
         "evidence_sign", "evidence_signed_download"]


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
        if (kind in OUTSIDERS or kind == "consultant_other_site") and name in (
                "dashboard", "dashboard_csv", "indicators_portfolio", "indicators_portfolio_csv", "stress_list",
                "indicators_company"):  # their own pages: no trace of this tenant (or of this site)
            content = b"".join(response.streaming_content) if response.streaming else response.content
            body = content.decode("utf-8", "replace")
            assert site.name not in body, (name, kind)
            # The invited person's dashboard names the company of their open invitation (as its e-mail did).
            assert (kind == "consultant_other_site" or (kind, name) == ("invited", "dashboard")
                    or site.company.ragione_sociale not in body), (name, kind)


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
    if kind in ON_THE_SITE:
        assert response.status_code == 302 and not still_there
    else:
        assert response.status_code in (302, 404) and still_there, kind


@pytest.mark.parametrize("kind", KINDS)
def test_deleting_injuries_and_importing_only_by_the_companys_people(client, world, kind):
    site, app, evidence, users = world
    injury = Injury.objects.get(site=site)
    if users[kind] is not None:
        client.force_login(users[kind])
    response = client.post(reverse("indicators_injury_delete", args=[injury.pk]))
    hours = client.post(reverse("indicators_hours", args=[site.pk]), {"year": "2025", "hours": "5000"})
    if kind in ON_THE_SITE:
        assert response.status_code == 302 and not Injury.objects.filter(pk=injury.pk).exists()
        assert hours.status_code == 302 and SiteYearHours.objects.filter(site=site, year=2025).exists()
    else:
        assert response.status_code in (302, 404) and Injury.objects.filter(pk=injury.pk).exists(), kind
        assert hours.status_code in (302, 404) and not SiteYearHours.objects.filter(year=2025).exists(), kind


@pytest.mark.parametrize("kind", KINDS)
def test_company_wide_stress_assessment(client, world, kind):
    """An assessment of the whole company covers every site: only who works on all of them opens it (a
    mandate for chosen sites does not, even one naming the site of the matrix)."""
    site, app, evidence, users = world
    if users[kind] is not None:
        client.force_login(users[kind])
    urls = stress_urls(site, scope="company")
    for name in STRESS_NAMES:
        if name in ("stress_list", "stress_create"):
            continue
        method, url = urls[name]
        response = getattr(client, method)(url)
        if kind == "anonymous":
            assert response.status_code == 302, (name, kind)
        elif kind == "reviewer_no_2fa":
            assert response.status_code == 302, (name, kind)
        elif kind in WORKS_FOR:
            assert response.status_code == (302 if method == "post" else 200), (name, kind)
        else:
            assert response.status_code == 404, (name, kind)


@pytest.mark.parametrize("kind", KINDS)
def test_deleting_a_stress_assessment_only_by_who_works_on_what_it_covers(client, world, kind):
    from stress.models import Assessment

    site, app, evidence, users = world
    if users[kind] is not None:
        client.force_login(users[kind])
    for scope, allowed in (("site", ON_THE_SITE), ("company", WORKS_FOR)):
        pk = Assessment.objects.get(company=site.company, scope=scope).pk
        response = client.post(reverse("stress_delete", args=[pk]))
        gone = not Assessment.objects.filter(pk=pk).exists()
        if kind in allowed:
            assert response.status_code == 302 and gone, (scope, kind)
        else:
            assert response.status_code in (302, 404) and not gone, (scope, kind)


@pytest.mark.parametrize("kind", KINDS)
def test_metrics_refused_outside_the_allow_list(client, world, kind, settings):
    """/metrics answers by the client's address, whoever is logged in: 403 outside OT24_METRICS_ALLOWED_IPS."""
    site, app, evidence, users = world
    settings.OT24_METRICS_ALLOWED_IPS = ["10.9.0.0/16"]
    if users[kind] is not None:
        client.force_login(users[kind])
    assert client.get(reverse("metrics")).status_code == 403, kind
    assert client.get(reverse("metrics"), REMOTE_ADDR="10.9.8.7").status_code == 200, kind
    assert client.get(reverse("healthz"), REMOTE_ADDR="192.0.2.1").status_code == 200, kind


def expected_identity(name, kind):
    """The relying party's URLs: its entity configuration is public (the federation reads it); the log-in
    starts only towards a provider of the federation (none given here: refused) and its callback is
    accepted only in the browser that started it (none here: refused), for every kind of user."""
    if kind == "reviewer_no_2fa":
        return 302  # to the second-factor set-up, like every portal page
    if name == "identity:entity_configuration":
        return 200
    if name == "identity:resolve":  # a resolve request without sub/anchor: refused by spid-cie-oidc
        return 400
    if name == "identity:begin":
        return 403
    return 400  # identity:callback


@pytest.mark.parametrize("kind", KINDS)
def test_identity_matrix(client, world, kind, settings, tmp_path):
    from identity.federation import write_keys

    fed, core = write_keys(tmp_path)
    settings.OT24_SPID_TRUST_ANCHOR = "http://ta.example.it"
    settings.OT24_SPID_RP_CLIENT_ID = "http://testserver/oidc/rp"
    settings.OT24_SPID_RP_JWKS_FED_FILE, settings.OT24_SPID_RP_JWKS_CORE_FILE = str(fed), str(core)
    site, app, evidence, users = world
    if users[kind] is not None:
        client.force_login(users[kind])
    for name in sorted(IDENTITY_NAMES):
        response = client.get(reverse(name), {"state": "not-started-here"} if name == "identity:callback" else {})
        assert response.status_code == expected_identity(name, kind), (name, kind, response.status_code)


@pytest.mark.parametrize("state", ["draft", "submitted"])
@pytest.mark.parametrize("kind", KINDS)
def test_signing_generated_documents_only_by_the_legal_representative_or_a_signatory(client, world, kind, state):
    """POST evidence_sign (issue 33): the legal representative or a signatory with power of signature signs
    a generated document of a draft; whoever else may see the application is refused (403), anybody else
    gets 404 (or the log-in page). Once submitted nothing changes."""
    site, app, evidence, users = world
    if state == "submitted":
        Application.objects.filter(pk=app.pk).update(status=Application.Status.SUBMITTED, receipt_number="OT24-X-1")
    if users[kind] is not None:
        client.force_login(users[kind])
    response = client.post(reverse("evidence_sign", args=[app.pk, app.to_sign.pk]), {
        "method": "autografa", "autografa-confirm": "on",
        "autografa-file": SimpleUploadedFile("scansione.pdf", minimal_pdf("firmato a mano"))})
    app.to_sign.refresh_from_db()
    if kind in ("legal_rep", "signatory") and state == "draft":
        assert response.status_code == 302 and app.to_sign.is_signed
        return
    assert app.to_sign.awaiting_signature
    if kind == "anonymous" or kind == "reviewer_no_2fa":
        assert response.status_code == 302
    else:
        can_view = kind in ON_THE_SITE or kind == "admin" or (kind in REVIEWERS and state == "submitted")
        assert response.status_code == (403 if can_view else 404), (kind, state, response.status_code)

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
         "reviewer", "other_reviewer", "supervisor", "admin"]
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


PUBLIC = {"password_reset", "password_reset_done", "password_reset_confirm", "password_reset_complete"}


def expected(name, kind, state):
    """The status code each kind of user gets, for GET (or POST where the view only takes POST)."""
    if name in PUBLIC:  # password reset: open to everybody, logged in or not (an unknown link says so)
        return 200
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
    if name == "stress_list":  # their own companies' list; nobody else has one
        return 200 if kind in WORKS_FOR or kind == "outsider" else 404
    if name.startswith("stress_"):  # the company's people only: reviewers read the report as evidence
        if kind not in WORKS_FOR:
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
    if name in ("application_pdf", "evidence_download"):
        return 200
    if name == "section_preview":
        return 200 if can_edit else 404
    raise AssertionError(f"no expectation for {name}")


STRESS_NAMES = ["stress_list", "stress_create", "stress_detail", "stress_edit", "stress_delete", "stress_figures",
                "stress_compilation_add", "stress_checklist", "stress_compilation_delete", "stress_plan",
                "stress_measure_delete", "stress_pdf", "stress_attach"]
EXPECTED_NAMES = {"dashboard", "dashboard_csv", "application_start", "application_detail", "application_step",
                  "application_pdf", "section_preview", "evidence_download", "evidence_remove", "site_create", "site_edit",
                  "application_withdraw", "review_queue", "review_take", "review_assign", "review_detail",
                  "evidence_preview", "decision_pdf", "clarification_upload", "clarification_answer",
                  "verify_document", "qualified_prepare", "qualified_upload", *PUBLIC, *STRESS_NAMES}


def test_every_url_is_in_the_matrix():
    names = {n for n in url_names() if not n.startswith(IGNORED_PREFIXES)}
    assert names == EXPECTED_NAMES, f"add these views to the permission matrix: {names - EXPECTED_NAMES}"


@pytest.fixture
def world():
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
    }
    app = services.application_start(user=rep, site=site, campaign=campaign)
    services.application_save_section(user=rep, application=app, section="C", version=app.version,
                                      chosen={"C4": (frozenset(), False)})
    item = EvidenceItem.objects.filter(intervention__code="C4").order_by("order").first()
    evidence = evidence_services.evidence_add(user=rep, application=app, evidence_item=item,
                                     uploaded_file=SimpleUploadedFile("a.pdf", minimal_pdf("matrice")))
    stress_world(site.company, rep)
    return site, app, evidence, users


def stress_world(company, rep):
    """An assessment with one person, a compilation and a measure (the stress pages' objects)."""
    import datetime as dt

    from stress.models import Assessment, Compilation, Measure, Participant

    assessment = Assessment.objects.create(company=company, date=dt.date(2025, 1, 15), year=2024, created_by=rep)
    participant = Participant.objects.create(assessment=assessment, name="Mario Rossi", role="datore")
    Compilation.objects.create(assessment=assessment, participant=participant)
    Measure.objects.create(assessment=assessment, title="Formazione", owner="Mario Rossi", deadline=dt.date(2025, 6, 30))


def stress_urls(site):
    from stress.models import Assessment

    a = Assessment.objects.get(company=site.company)
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
        "password_reset": ("get", reverse("password_reset")),
        "password_reset_done": ("get", reverse("password_reset_done")),
        "password_reset_confirm": ("get", reverse("password_reset_confirm", args=["MQ", "set-password"])),
        "password_reset_complete": ("get", reverse("password_reset_complete")),
    }
    if name.startswith("stress_"):
        urls = stress_urls(site)
    method, url = urls[name]
    return getattr(client, method)(url)


# evidence_remove, application_withdraw, review_take, review_assign, the clarification answers and the qualified
# signature views change data:
# they have their own tests (test_workflow, test_review_queue, test_review_flow).
CASES = ["dashboard", "review_queue", "dashboard_csv", "application_start", "application_detail", "application_step:scheda",
         "application_step:review", "application_pdf", "section_preview", "evidence_download", "site_create", "site_edit",
         "review_detail", "evidence_preview", "decision_pdf", "verify_document", *sorted(PUBLIC), *STRESS_NAMES]


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
        if kind in OUTSIDERS and name in ("dashboard", "dashboard_csv", "stress_list"):  # their own pages: no trace of this tenant
            body = response.content.decode("utf-8", "replace")
            assert site.company.ragione_sociale not in body and site.name not in body, (name, kind)


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

"""Every main page runs a fixed number of SQL queries, at most 15, however many interventions, files and
applications there are (no N+1). Counts are exact, so they are asserted; times are for `make bench`."""
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications import wizard
from applications.models import Application, Selection
from evidence import services as evidence_services
from evidence.models import EvidenceFile
from interventions.models import Intervention
from tests.factories import UserFactory, consultant, evidence_draft

pytestmark = pytest.mark.django_db

STEPS = tuple(step.key for step in wizard.STEPS)
MAX_QUERIES = 15


def _grow(app, rep, item):
    """Every intervention of the form selected, 40 evidence files, 30 more applications in the queue."""
    chosen = set(app.selections.values_list("intervention_id", flat=True))
    Selection.objects.bulk_create([
        Selection(application=app, intervention=i, suboptions=list(range(1, i.min_suboptions + 1)), declaration_confirmed=True)
        for i in Intervention.objects.filter(section__edition=app.campaign.edition) if i.pk not in chosen])
    template = app.evidence_files.first()
    EvidenceFile.objects.bulk_create([
        EvidenceFile(application=app, evidence_item=item, storage_name=template.storage_name, sha256=template.sha256,
                     size=template.size, content_type=template.content_type, original_name=f"doc-{n}.pdf", uploaded_by=rep)
        for n in range(40)])
    from tests.factories import SiteFactory

    for n in range(30):
        site = SiteFactory(company=app.site.company)
        Application.objects.create(campaign=app.campaign, site=site, status=Application.Status.SUBMITTED,
                                   receipt_number=f"QC-N{n}", declared_total=100 + n, created_by=rep)


def _counts(app, rep) -> dict[str, int]:
    def count(client, url):
        client.get(url)  # warm: catalogue loaded in this process
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len([q for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]])  # not the test's transaction

    client = Client()
    client.force_login(rep)
    counts = {"dashboard": count(client, "/domande/")}
    counts.update({step: count(client, reverse("application_step", args=[app.pk, step])) for step in STEPS})
    client.force_login(consultant(app.site.company))
    counts["consultant dashboard"] = count(client, "/domande/")
    Application.objects.filter(pk=app.pk).update(status=Application.Status.SUBMITTED, receipt_number=f"QC-{app.pk}")
    client.force_login(UserFactory(role="reviewer"))
    counts["reviewer queue"] = count(client, reverse("review_queue"))
    counts["reviewer review screen"] = count(client, reverse("review_detail", args=[app.pk]))
    Application.objects.filter(pk=app.pk).update(status=Application.Status.DRAFT, receipt_number=None)
    return counts


def test_main_pages_run_the_same_few_queries_with_little_and_much_data(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from operations.demo import minimal_pdf

    app, rep, item = evidence_draft()
    evidence_services.evidence_add(user=rep, application=app, evidence_item=item,
                          uploaded_file=SimpleUploadedFile("a.pdf", minimal_pdf("a")))
    small = _counts(app, rep)
    _grow(app, rep, item)
    large = _counts(app, rep)
    assert large == small
    assert max(small.values()) <= MAX_QUERIES, small


@pytest.mark.parametrize("who", ["member", "consultant"])
def test_a_request_asks_about_the_users_company_relations_once(who):
    """A wizard page checks view and edit rights, which test the same membership and mandate: within one
    request (one user object, as the authentication middleware loads it) each is read once."""
    from accounts.models import User
    from tests.factories import member

    app, rep, item = evidence_draft()
    company = app.site.company
    person = member(company) if who == "member" else consultant(company)
    app = Application.objects.select_related("site__company").get(pk=app.pk)
    user = User.objects.get(pk=person.pk)
    with CaptureQueriesContext(connection) as first:
        assert user.has_perm("applications.view_application", app)
    with CaptureQueriesContext(connection) as second:
        assert user.has_perm("applications.edit_application", app)
        assert user.has_perm("applications.view_application", app)
    assert len(first.captured_queries) >= 1
    assert second.captured_queries == []
    # The next request's user object asks again: a membership removed in between is seen at once.
    company.memberships.filter(user=person).delete()
    company.mandates.filter(consultant=person).delete()
    assert not User.objects.get(pk=person.pk).has_perm("applications.view_application", app)


@pytest.mark.parametrize("rows", ["selections", "evidence_files", "clarifications", "events", "verdicts"])
def test_one_applications_rows_are_ordered_by_its_key_not_by_the_application(rows):
    """Ordering by a foreign key follows the parent's own default ordering: `ordering = ["application",
    ...]` would join the application, its campaign, site and company on every list of one application's
    rows, only to sort by filing year and company name. Rows of one application are ordered by its key."""
    model = getattr(Application, rows).rel.related_model
    assert model._meta.ordering[0] == "application_id", model._meta.ordering


def test_a_sites_pats_are_ordered_by_the_sites_key_not_by_the_site():
    from organisations.models import PAT

    assert PAT._meta.ordering[0] == "site_id", PAT._meta.ordering


def test_the_reviewer_queue_runs_the_same_queries_whether_or_not_a_row_can_be_taken(client):
    """The queue asks for the reviewer's ties (conflicts of interest) once, whatever the rows' states: when it
    asked only for a row that could be taken, a queue of applications already in review ran one query fewer
    than a queue of new ones, and `make bench` read the difference as a count that depends on the data."""
    from tests.factories import ApplicationFactory

    app = ApplicationFactory(submitted=True)
    reviewer = UserFactory(role="reviewer")
    client.force_login(reviewer)
    url = reverse("review_queue") + "?status=open"

    def count():
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200 and app.receipt_number in response.content.decode()
        return len([q for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]])

    takeable = count()
    Application.objects.filter(pk=app.pk).update(status=Application.Status.IN_REVIEW, reviewer=UserFactory(role="reviewer"))
    assert count() == takeable

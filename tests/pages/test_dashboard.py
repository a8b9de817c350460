"""The companies' and consultants' dashboard (issue 18, items 4 and 5): search ignoring case, accents and
punctuation and finding receipt numbers, filter by client, sortable columns, the one "add a site"
control, the CSV's receipt and clarification deadline, open clarification requests first."""
import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.dashboard import normalise
from applications.models import Application
from organisations.models import Mandate
from review.models import Clarification
from tests.factories import CompanyFactory, SiteFactory, UserFactory, consultant, legal_rep, open_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def portfolio(client):
    from django.core.management import call_command

    call_command("loaddata", "ot24", verbosity=0)
    campaign = open_campaign()
    verdi = SiteFactory(company=CompanyFactory(ragione_sociale="Pastificio Verdi S.p.A."), name="Stabilimento Nord", city="Forlì")
    rossi = SiteFactory(company=CompanyFactory(ragione_sociale="Officine Rossi S.r.l."), name="Reparto Saldatura")
    adviser = consultant(verdi.company)
    Mandate.objects.create(consultant=adviser, company=rossi.company, start_date=dt.date(2020, 1, 1),
                           status=Mandate.Status.ACTIVE, all_sites=True)
    client.force_login(adviser)
    return campaign, verdi, rossi, adviser


def listed(client, **params):
    body = client.get(reverse("dashboard"), params).content.decode()
    return sorted((name for name in ("Stabilimento Nord", "Reparto Saldatura") if name in body), key=body.index), body


def submitted(site, campaign, receipt, status=Application.Status.SUBMITTED):
    rep = legal_rep(site.company)
    app = services.application_start(user=rep, site=site, campaign=campaign)
    Application.objects.filter(pk=app.pk).update(status=status, receipt_number=receipt, submitted_at=timezone.now())
    app.refresh_from_db()
    return app


def test_normalise():
    assert normalise("Pastificio Verdi S.p.A.") == normalise("pastificio verdi SPA") == "pastificioverdispa"
    assert normalise("FORLÌ") == normalise("forli")


def test_search_ignores_case_accents_and_punctuation_and_finds_receipts(client, portfolio):
    campaign, verdi, rossi, adviser = portfolio
    assert listed(client, q="Pastificio Verdi SpA")[0] == ["Stabilimento Nord"]
    assert listed(client, q="forli")[0] == ["Stabilimento Nord"]
    assert listed(client, q="officine-rossi srl")[0] == ["Reparto Saldatura"]
    submitted(rossi, campaign, "OT24-2027-000042")
    assert listed(client, q="ot24 2027 000042")[0] == ["Reparto Saldatura"]


def test_filter_by_client(client, portfolio):
    campaign, verdi, rossi, adviser = portfolio
    assert listed(client, company=str(rossi.company.pk))[0] == ["Reparto Saldatura"]
    stranger = SiteFactory(name="Altrove")
    assert "Altrove" not in listed(client, company=str(stranger.company.pk))[1]


def test_columns_sort(client, portfolio):
    campaign, verdi, rossi, adviser = portfolio
    assert listed(client, sort="company")[0] == ["Reparto Saldatura", "Stabilimento Nord"]  # Officine < Pastificio
    assert listed(client, sort="-company")[0] == ["Stabilimento Nord", "Reparto Saldatura"]
    body = listed(client, sort="-company")[1]
    assert 'aria-sort="descending"' in body


def test_one_add_a_site_control(client, portfolio):
    campaign, verdi, rossi, adviser = portfolio
    body = listed(client)[1]
    assert body.count("Aggiungi un'unità produttiva a") == 1 and reverse("dashboard_add_site") in body
    response = client.get(reverse("dashboard_add_site"), {"company": rossi.company.pk})
    assert response["Location"] == reverse("site_create", args=[rossi.company.pk])
    assert client.get(reverse("dashboard_add_site"), {"company": SiteFactory().company.pk}).status_code == 404


def test_csv_has_receipt_and_clarification_deadline_and_no_days_once_submitted(client, portfolio):
    campaign, verdi, rossi, adviser = portfolio
    app = submitted(rossi, campaign, "OT24-2027-000007", status=Application.Status.CLARIFICATION_REQUESTED)
    deadline = timezone.localdate() + dt.timedelta(days=20)
    Clarification.objects.create(application=app, requested_by=UserFactory(role="reviewer"), request="Fattura",
                                 deadline=deadline)
    rows = list(csv.reader(io.StringIO(client.get(reverse("dashboard_csv")).getvalue().decode("utf-8-sig")), delimiter=";"))
    header = rows[0]
    by_site = {r[2]: dict(zip(header, r)) for r in rows[1:]}
    assert by_site["Reparto Saldatura"]["Ricevuta"] == "OT24-2027-000007"
    assert by_site["Reparto Saldatura"]["Termine per i chiarimenti"] == deadline.strftime("%d/%m/%Y")
    assert by_site["Reparto Saldatura"]["Giorni alla scadenza"] == ""
    assert by_site["Stabilimento Nord"]["Giorni alla scadenza"] == str(campaign.days_left())


def test_open_clarification_stands_out_first_with_deadline_and_answer_button(client, portfolio):
    campaign, verdi, rossi, adviser = portfolio
    services.application_start(user=legal_rep(verdi.company), site=verdi, campaign=campaign)  # a draft
    app = submitted(rossi, campaign, "OT24-2027-000008", status=Application.Status.CLARIFICATION_REQUESTED)
    deadline = timezone.localdate() + dt.timedelta(days=5)
    Clarification.objects.create(application=app, requested_by=UserFactory(role="reviewer"), request="Fattura",
                                 deadline=deadline)
    names, body = listed(client)
    assert names == ["Reparto Saldatura", "Stabilimento Nord"]  # before the draft
    assert f"Rispondere entro il {deadline:%d/%m/%Y}" in body
    assert reverse("application_step", args=[app.pk, "review"]) + "#clar-title" in body and ">Rispondi<" in body


def test_the_window_counted_page_is_the_paginators_page_of_dashboard_sites(settings):
    """dashboard_page() (one query, its count a window of it) gives what Paginator(dashboard_sites())
    .get_page() gives: the same sites, page number and count, for every sort, the client filter, a
    consultant with a whole company and with chosen sites, and page numbers past the end, below 1 or not
    numbers; the page as it opens is one query."""
    from django.core.paginator import Paginator
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from applications.dashboard import SORTS, dashboard_page, dashboard_sites
    from organisations.selectors import visibility_for
    from tests.factories import mandate

    campaign = open_campaign()
    whole = CompanyFactory(ragione_sociale="Beta S.r.l.")
    chosen = CompanyFactory(ragione_sociale="Alfa S.p.A.")
    sites = [SiteFactory(company=whole, name=n) for n in ("Uno", "Due", "Tre")]
    picked = [SiteFactory(company=chosen, name=n) for n in ("Quattro", "Cinque")]
    SiteFactory(company=chosen, name="Sei")  # not in the mandate
    adviser = consultant(whole)
    mandate(chosen, consultant=adviser, sites=picked)
    Application.objects.create(campaign=campaign, site=sites[0], declared_total=40)
    Application.objects.create(campaign=campaign, site=picked[1], status=Application.Status.SUBMITTED)
    Application.objects.create(campaign=campaign, site=sites[2], declared_total=10)
    visible = visibility_for(adviser)
    for sort in ["", *SORTS, *(f"-{key}" for key in SORTS)]:
        for company in ("", str(whole.pk), str(chosen.pk)):
            for number in (None, "1", "2", "3", "9", "0", "-1", "x", "2.0"):
                expected = Paginator(dashboard_sites(adviser, campaign, company=company, sort=sort), 2).get_page(number)
                page = dashboard_page(adviser, campaign, visible, number, 2, company=company, sort=sort)
                case = (sort, company, number)
                assert [s.pk for s in page] == [s.pk for s in expected], case
                assert [s.urgency for s in page] == [s.urgency for s in expected], case
                assert (page.number, page.paginator.count, page.paginator.num_pages) == (
                    expected.number, expected.paginator.count, expected.paginator.num_pages), case
    with CaptureQueriesContext(connection) as ctx:
        page = dashboard_page(adviser, campaign, visible, None, 2)
    assert len(ctx.captured_queries) == 1 and [s.name for s in page] == ["Tre", "Uno"]
    lonely = consultant()  # no client: an empty first page
    page = dashboard_page(lonely, campaign, visibility_for(lonely), "3", 2)
    assert (list(page), page.number, page.paginator.count) == ([], 1, 0)

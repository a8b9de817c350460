"""What a company's representative sees and can do on the dashboard (templates/pages/dashboard.html and
_dashboard_row.html), in Italian and English: one row per site with its application's state, points and
missing evidence, the one next step of each row (start, resume, open, reply to a clarification request),
the sort links in the column headers, the status filter, pagination that keeps the filters, and names with
HTML-special characters shown as text."""
import datetime as dt
from urllib.parse import parse_qs, urlsplit

import lxml.html
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.models import Application, Campaign
from review.models import Clarification
from tests.factories import CompanyFactory, PATFactory, SiteFactory, UserFactory, draft_with, legal_rep, open_campaign

pytestmark = pytest.mark.django_db

WORDS = {
    "it": {"start": "Avvia la domanda", "resume": "Riprendi", "open": "Apri", "reply": "Rispondi",
           "not_started": "Non avviata", "draft": "Bozza", "submitted": "Inviata", "receipt": "Ricevuta",
           "reply_by": "Rispondere entro il", "workers": "8 lavoratori", "none": "Nessuna unità produttiva trovata."},
    "en": {"start": "Start the application", "resume": "Resume", "open": "Open", "reply": "Reply",
           "not_started": "Not started", "draft": "Draft", "submitted": "Submitted", "receipt": "Receipt",
           "reply_by": "Reply by", "workers": "8 workers", "none": "No productive units found."},
}


@pytest.fixture
def company_sites():
    """One company with a site of every kind: not started, a draft below the threshold still missing
    evidence, a draft above it, a submitted application and one with an open clarification request."""
    call_command("loaddata", "ot24", verbosity=0)
    campaign = open_campaign()
    company = CompanyFactory(ragione_sociale="Edil Test S.r.l.")
    sites = {name: SiteFactory(company=company, name=name, workers=8) for name in
             ("Avvio", "Bozza", "Pronta", "Inviata", "Chiarimenti")}
    for site in sites.values():
        PATFactory(site=site)
    rep = legal_rep(company)
    apps = {"Bozza": draft_with(sites["Bozza"], rep, {"C": ["C4"]}),
            "Pronta": draft_with(sites["Pronta"], rep, {"A": ["A6"], "C": ["C23"]})}
    for name, status, receipt in (("Inviata", Application.Status.SUBMITTED, "OT24-T-000001"),
                                  ("Chiarimenti", Application.Status.CLARIFICATION_REQUESTED, "OT24-T-000002")):
        app = services.application_start(user=rep, site=sites[name], campaign=campaign)
        Application.objects.filter(pk=app.pk).update(status=status, receipt_number=receipt, submitted_at=timezone.now())
        apps[name] = app
    deadline = timezone.localdate() + dt.timedelta(days=10)
    Clarification.objects.create(application=apps["Chiarimenti"], requested_by=UserFactory(role="reviewer"),
                                 request="Fattura", deadline=deadline)
    return campaign, rep, sites, apps, deadline


def _page(client, user, language="it", **params):
    client.force_login(user)
    client.cookies["django_language"] = language
    response = client.get(reverse("dashboard"), params)
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode())


def _rows(doc) -> dict[str, lxml.html.HtmlElement]:
    """The table's rows by site name."""
    rows = {}
    for tr in doc.xpath('//table[contains(@class, "ot24-dashboard")]/tbody/tr'):
        link = tr.xpath("./td[2]/a[1]")
        rows[link[0].text_content() if link else ""] = tr
    return rows


def _text(element) -> str:
    return " ".join(" ".join(element.itertext()).split())


def _cells(tr) -> list[str]:
    return [_text(td) for td in tr.xpath("./td")]


@pytest.mark.parametrize("language", ["it", "en"])
def test_each_row_shows_the_sites_application_and_its_next_step(client, company_sites, language):
    campaign, rep, sites, apps, deadline = company_sites
    words = WORDS[language]
    rows = _rows(_page(client, rep, language))
    assert list(rows) == ["Chiarimenti", "Bozza", "Pronta", "Avvio", "Inviata"]  # open clarification first

    for name, tr in rows.items():
        company, site, *_ = _cells(tr)
        assert company == "Edil Test S.r.l."
        assert tr.xpath("./td[2]/a[1]/@href") == [reverse("site_edit", args=[sites[name].pk])]
        assert words["workers"] in site
        assert reverse("indicators_site", args=[sites[name].pk]) in tr.xpath("./td[2]//a/@href")

    # Not started: no points, no count, a form that starts the application (with the CSRF token).
    _, _, status, points, missing, action = _cells(rows["Avvio"])
    assert (status, points, missing, action) == (words["not_started"], "—", "—", words["start"])
    form = rows["Avvio"].xpath(".//form")[0]
    assert form.get("method") == "post" and form.get("action") == reverse("application_start", args=[sites["Avvio"].pk])
    assert form.xpath('.//input[@name="csrfmiddlewaretoken"]/@value')[0]

    # Drafts: points against the threshold, red below and green at or above it; missing evidence; "Resume".
    threshold = campaign.edition.threshold
    for name, colour, missing_count in (("Bozza", "text-danger", "1"), ("Pronta", "text-success", "0")):
        _, _, status, points, missing, action = _cells(rows[name])
        assert status == words["draft"] and missing == missing_count and action == words["resume"]
        span = rows[name].xpath("./td[4]/span")[0]
        assert span.get("class") == colour and points.endswith(f"/{threshold}")
        assert rows[name].xpath("./td[6]/a/@href") == [reverse("application_detail", args=[apps[name].pk])]
    assert _cells(rows["Pronta"])[3] == f"110/{threshold}"

    # Submitted: the receipt, "Open".
    _, _, status, points, missing, action = _cells(rows["Inviata"])
    assert status == f"{words['submitted']} {words['receipt']} OT24-T-000001" and action == words["open"]
    assert rows["Inviata"].xpath("./td[6]/a/@href") == [reverse("application_detail", args=[apps["Inviata"].pk])]

    # An open clarification request: the row stands out, with its deadline and "Reply" to the request.
    tr = rows["Chiarimenti"]
    assert tr.get("class") == "ot24-clarification-row"
    assert f"{words['reply_by']} {deadline:%d/%m/%Y}" in _cells(tr)[2]
    assert _cells(tr)[5] == words["reply"]
    assert tr.xpath("./td[6]/a/@href") == [reverse("application_step", args=[apps["Chiarimenti"].pk, "review"]) + "#clar-title"]
    assert not any(r.get("class") for name, r in rows.items() if name != "Chiarimenti")


def test_the_start_button_starts_the_application(client, company_sites):
    campaign, rep, sites, apps, deadline = company_sites
    form = _rows(_page(client, rep))["Avvio"].xpath(".//form")[0]
    response = client.post(form.get("action"))
    assert response.status_code == 302
    assert Application.objects.filter(site=sites["Avvio"], campaign=campaign, status=Application.Status.DRAFT).exists()


def test_sort_links_keep_the_filters_drop_the_page_and_say_the_current_order(client, company_sites):
    campaign, rep, sites, apps, deadline = company_sites
    doc = _page(client, rep, q="edil", status="draft", sort="company", page="1")
    headers = doc.xpath('//table[contains(@class, "ot24-dashboard")]/thead//th[a]')
    found = {}
    for th in headers:
        query = parse_qs(urlsplit(th.xpath("./a/@href")[0]).query)
        assert query["q"] == ["edil"] and query["status"] == ["draft"] and "page" not in query
        found[query["sort"][0]] = th.get("aria-sort")
    assert found == {"-company": "ascending", "site": "none", "status": "none", "points": "none"}
    assert [_text(th) for th in headers] == ["Azienda", "Unità produttiva", "Stato", "Punteggio"]
    assert list(_rows(doc)) == ["Bozza", "Pronta"]  # the filter applied
    descending = _page(client, rep, sort="-company")
    assert descending.xpath('//th[a[contains(@href, "sort=company")]]/@aria-sort') == ["descending"]
    assert descending.xpath('//input[@type="hidden"][@name="sort"]/@value') == ["-company"]  # the filter form keeps it


@pytest.mark.parametrize("status", ["", "none", "draft", "submitted", "x<y"])
def test_the_status_filter_shows_the_chosen_status(client, company_sites, status):
    campaign, rep, sites, apps, deadline = company_sites
    doc = _page(client, rep, status=status)
    options = doc.xpath('//select[@id="status"]/option')
    assert [o.get("value") for o in options] == ["", "none", *Application.Status.values]
    assert [o.get("value") for o in options if o.get("selected") is not None] == [status] if status in (
        "none", *Application.Status.values) else [o.get("value") for o in options if o.get("selected") is not None] == []
    if status == "none":
        assert list(_rows(doc)) == ["Avvio"]


def test_pagination_keeps_the_filters(client, company_sites, settings):
    campaign, rep, sites, apps, deadline = company_sites
    settings.OT24_PAGINATE_BY = 2
    doc = _page(client, rep, q="edil", page="2")
    assert "Pagina 2 di 3" in _text(doc.xpath('//nav[contains(@class, "pagination-wrapper")]')[0])
    links = {_text(a): parse_qs(urlsplit(a.get("href")).query) for a in doc.xpath('//a[contains(@class, "page-link")]')}
    assert links == {"Precedente": {"q": ["edil"], "page": ["1"]}, "Successiva": {"q": ["edil"], "page": ["3"]}}
    assert list(_rows(doc)) == ["Pronta", "Avvio"]


def test_an_empty_search_and_no_open_campaign_say_so(client, company_sites):
    campaign, rep, sites, apps, deadline = company_sites
    doc = _page(client, rep, language="en", q="nothing like this")
    assert [_text(tr) for tr in doc.xpath('//table[contains(@class, "ot24-dashboard")]/tbody/tr')] == [WORDS["en"]["none"]]
    Campaign.objects.update(is_open=False)
    doc = _page(client, rep)
    assert not doc.xpath("//table") and "Nessuna campagna aperta." in _text(doc)


def test_the_export_link_and_add_a_site_keep_to_the_users_companies(client, company_sites):
    campaign, rep, sites, apps, deadline = company_sites
    doc = _page(client, rep, q="edil")
    assert doc.xpath('//a[text()="Esporta CSV"]/@href') == [reverse("dashboard_csv") + "?q=edil"]
    company = sites["Avvio"].company
    assert doc.xpath('//a[contains(@href, "%s")]/text()' % reverse("site_create", args=[company.pk])) == [
        "Aggiungi un'unità produttiva"]
    assert not doc.xpath('//select[@id="company"]')  # one company: no client filter


def test_names_with_html_characters_are_escaped_on_the_dashboard(client):
    call_command("loaddata", "ot24", verbosity=0)
    open_campaign()
    place = SiteFactory(company=CompanyFactory(ragione_sociale="Rossi & Figli <s.r.l.>"), name='Sede "<b>centrale</b>"',
                        city="L'Aquila <x>")
    client.force_login(legal_rep(place.company))
    body = client.get(reverse("dashboard")).content.decode()
    assert "Rossi &amp; Figli &lt;s.r.l.&gt;" in body
    assert "Sede &quot;&lt;b&gt;centrale&lt;/b&gt;&quot;" in body
    assert "L&#x27;Aquila &lt;x&gt;" in body
    assert "<s.r.l.>" not in body and "<b>centrale" not in body

"""The dashboard's table (applications' {% dashboard_rows %}, {% dashboard_status_options %} and the sort
links' hrefs, built in Python) is the markup the template gave, byte for byte: every kind of row (not
started, draft below and at the threshold, submitted with a receipt, open clarification request), one
worker and many, an empty page, in Italian and English; and names with HTML-special characters are
escaped on the page."""
import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.paginator import Paginator
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from applications.models import Application
from applications.selectors import DashboardRow
from applications.views.dashboard import _sort_links
from organisations.models import Company, Site
from tests.factories import CompanyFactory, SiteFactory, legal_rep, open_campaign

# templates/applications/dashboard.html before the table moved to Python: the status options and the rows.
FORMER_OPTIONS = """{% for value, label in statuses %}<option value="{{ value }}" {% if status == value %}selected{% endif %}>{{ label }}</option>{% endfor %}"""
FORMER_ROW_LOOP = """{% for row in page %}
    <tr{% if row.clarification_deadline %} class="ot24-clarification-row"{% endif %}>
      <td>{{ row.site.company.ragione_sociale }}</td>
      <td><a href="{% url 'site_edit' row.site.pk %}">{{ row.site.name }}</a><br><small class="text-muted">{{ row.site.city }} ({{ row.site.province }}) · {% blocktranslate count n=row.site.workers %}{{ n }} lavoratore{% plural %}{{ n }} lavoratori{% endblocktranslate %} · <a href="{% url 'indicators_site' row.site.pk %}">{% translate "Indici infortunistici" %}</a></small></td>
      <td>{% if row.application %}{{ row.application.get_status_display }}{% if row.application.receipt_number %}<br><small>{% translate "Ricevuta" %} {{ row.application.receipt_number }}</small>{% endif %}
        {% if row.clarification_deadline %}<br><strong class="ot24-urgent">{% blocktranslate with d=row.clarification_deadline|date:"d/m/Y" %}Rispondere entro il {{ d }}{% endblocktranslate %}</strong>{% endif %}
        {% else %}{% translate "Non avviata" %}{% endif %}</td>
      <td>{% if row.total is not None %}<span class="{% if row.total >= campaign.edition.threshold %}text-success{% else %}text-danger{% endif %}">{{ row.total }}/{{ campaign.edition.threshold }}</span>{% else %}—{% endif %}</td>
      <td>{% if row.missing_evidence is not None %}{{ row.missing_evidence }}{% else %}—{% endif %}</td>
      <td>
        {% if row.clarification_deadline %}
          <a class="btn btn-sm btn-warning" href="{% url 'application_step' row.application.pk 'review' %}#clar-title">{% translate "Rispondi" %}</a>
        {% elif row.application %}
          <a class="btn btn-sm btn-primary" href="{% url 'application_detail' row.application.pk %}">{% if row.application.is_draft %}{% translate "Riprendi" %}{% else %}{% translate "Apri" %}{% endif %}</a>
        {% else %}
          <form method="post" action="{% url 'application_start' row.site.pk %}">{% csrf_token %}
            <button type="submit" class="btn btn-sm btn-outline-primary">{% translate "Avvia la domanda" %}</button></form>
        {% endif %}
      </td>
    </tr>
  {% empty %}
    <tr><td colspan="6">{% translate "Nessuna unità produttiva trovata." %}</td></tr>
  {% endfor %}"""
FORMER_ROWS = "{% load i18n %}" + FORMER_ROW_LOOP
FORMER_SORT_LINKS = ('{% querystring sort=sort_columns.company.next page=None %}|{% querystring sort=sort_columns.site.next page=None %}|'
                     '{% querystring sort=sort_columns.status.next page=None %}|{% querystring sort=sort_columns.points.next page=None %}')


def site(pk, company, name, city="Forlì", province="FC", workers=8):
    return Site(pk=pk, company=Company(pk=pk, ragione_sociale=company), name=name, city=city, province=province,
                workers=workers)


def rows():
    S = Application.Status
    return [
        DashboardRow(site(1, "Rossi & Figli <s.r.l.>", 'Sede "centrale"', city="L'Aquila", province="AQ", workers=1),
                     None, None, None, 30),
        DashboardRow(site(2, "Verdi S.p.A.", "Nord"), Application(pk=12, status=S.DRAFT), 40, 3, 30),
        DashboardRow(site(3, "Bianchi", "Sud", workers=1234), Application(pk=13, status=S.DRAFT), 100, 0, 30),
        DashboardRow(site(4, "Neri", "Est"), Application(pk=14, status=S.SUBMITTED, receipt_number="OT24-<1>&2"),
                     120, 0, 30),
        DashboardRow(site(5, "Gialli", "Ovest"), Application(pk=15, status=S.CLARIFICATION_REQUESTED,
                                                               receipt_number="OT24-9"), 90, 1, 30),
    ]


@pytest.mark.parametrize("language", ["it", "en"])
@pytest.mark.parametrize("threshold", [100, 0, 1000])
@pytest.mark.parametrize("empty", [False, True])
def test_rows_are_the_former_templates_markup(language, threshold, empty):
    table = rows()
    table[4].clarification_deadline = dt.date(2027, 3, 9)
    for row in table[:4]:
        row.clarification_deadline = None
    context = {"page": Paginator([] if empty else table, 20).get_page(1), "csrf_token": "tok<en>",
               "campaign": SimpleNamespace(edition=SimpleNamespace(threshold=threshold))}
    engine = engines["django"]
    with translation.override(language):
        expected = engine.from_string(FORMER_ROWS).render(context)
        got = engine.from_string("{% load dashboard_table %}{% dashboard_rows %}").render(context)
    if not empty:
        assert "Rossi &amp; Figli &lt;s.r.l.&gt;" in got and "OT24-&lt;1&gt;&amp;2" in got
    assert got == expected


@pytest.mark.parametrize("language", ["it", "en"])
@pytest.mark.parametrize("status", ["", "none", "draft", "submitted", "x<y"])
def test_status_options_are_the_former_templates_markup(language, status):
    context = {"statuses": Application.Status.choices, "status": status}
    engine = engines["django"]
    with translation.override(language):
        expected = engine.from_string(FORMER_OPTIONS).render(context)
        got = engine.from_string("{% load dashboard_table %}{% dashboard_status_options %}").render(context)
    assert got == expected


@pytest.mark.parametrize("query", ["", "page=3", "q=a%26b&page=2&status=draft", "sort=-site&company=4", "sort=a&sort=b&x=<"])
@pytest.mark.parametrize("sort", ["", "company", "-points"])
def test_sort_links_are_the_former_querystrings(query, sort):
    request = RequestFactory().get("/domande/?" + query)
    links = _sort_links(sort, request.GET)
    engine = engines["django"]
    expected = engine.from_string(FORMER_SORT_LINKS).render({"sort_columns": links}, request)
    got = engine.from_string("{{ s.company.href }}|{{ s.site.href }}|{{ s.status.href }}|{{ s.points.href }}").render(
        {"s": links}, request)
    assert got == expected


@pytest.mark.django_db
def test_names_with_html_characters_are_escaped_on_the_dashboard(client):
    from django.core.management import call_command

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


# templates/applications/dashboard.html as it was before the table moved to Python and its fixed parts into
# {% language_fragment %}: the whole page must render the same.
FORMER_PAGE = r"""{% extends "base.html" %}
{% load i18n %}
{% block title %}{% translate "Le mie domande" %}{% endblock %}
{% block content %}
{% include "organisations/_dashboard_panel.html" %}
<h1 class="h3">{% if is_consultant %}{% translate "Clienti e unità produttive" %}{% else %}{% translate "Le unità produttive della tua azienda" %}{% endif %}</h1>
{% if campaign %}
<p class="lead">{% blocktranslate with year=campaign.filing_year ref=campaign.reference_year deadline=campaign.deadline|date:"d/m/Y" %}Campagna OT24 {{ year }}: interventi realizzati nel {{ ref }}, scadenza {{ deadline }}.{% endblocktranslate %}
  {% with days=campaign.days_left %}{% if days >= 0 %}<strong class="{% if days <= 15 %}ot24-urgent{% endif %}">{% blocktranslate count days=days %}Manca {{ days }} giorno.{% plural %}Mancano {{ days }} giorni.{% endblocktranslate %}</strong>{% else %}<strong class="ot24-urgent">{% translate "Termine scaduto." %}</strong>{% endif %}{% endwith %}
</p>

{# --- search and filters --- #}
<form method="get" class="row g-2 align-items-end mb-3" role="search">
  <div class="col-md-4"><label for="q" class="form-label">{% translate "Cerca azienda, unità, città, codice fiscale o ricevuta" %}</label>
    <input type="search" id="q" name="q" value="{{ query }}" class="form-control"></div>
  {% if companies|length > 1 %}<div class="col-md-3"><label for="company" class="form-label">{% if is_consultant %}{% translate "Cliente" %}{% else %}{% translate "Azienda" %}{% endif %}</label>
    <select id="company" name="company" class="form-select"><option value="">{% translate "Tutti" %}</option>
      {% for c in companies %}<option value="{{ c.pk }}" {% if company == c.pk|stringformat:"s" %}selected{% endif %}>{{ c.ragione_sociale }}</option>{% endfor %}</select></div>{% endif %}
  <div class="col-md-2"><label for="status" class="form-label">{% translate "Stato" %}</label>
    <select id="status" name="status" class="form-select">
      <option value="">{% translate "Tutti" %}</option>
      <option value="none" {% if status == "none" %}selected{% endif %}>{% translate "Non avviata" %}</option>
      {% for value, label in statuses %}<option value="{{ value }}" {% if status == value %}selected{% endif %}>{{ label }}</option>{% endfor %}
    </select></div>
  {% if sort %}<input type="hidden" name="sort" value="{{ sort }}">{% endif %}
  <div class="col-md-3 d-flex gap-2 flex-wrap">
    <button type="submit" class="btn btn-primary">{% translate "Filtra" %}</button>
    <a class="btn btn-outline-primary" href="{% url 'dashboard_csv' %}?{{ request.GET.urlencode }}">{% translate "Esporta CSV" %}</a>
  </div>
</form>

{# --- the sites and their applications --- #}
<div class="table-responsive">
<table class="table table-hover align-middle ot24-dashboard">
  <caption class="visually-hidden">{% translate "Domande della campagna per unità produttiva" %}</caption>
  <thead><tr>
    <th scope="col" aria-sort="{{ sort_columns.company.aria }}"><a href="{% querystring sort=sort_columns.company.next page=None %}">{% translate "Azienda" %}</a></th>
    <th scope="col" aria-sort="{{ sort_columns.site.aria }}"><a href="{% querystring sort=sort_columns.site.next page=None %}">{% translate "Unità produttiva" %}</a></th>
    <th scope="col" aria-sort="{{ sort_columns.status.aria }}"><a href="{% querystring sort=sort_columns.status.next page=None %}">{% translate "Stato" %}</a></th>
    <th scope="col" aria-sort="{{ sort_columns.points.aria }}"><a href="{% querystring sort=sort_columns.points.next page=None %}">{% translate "Punteggio" %}</a></th>
    <th scope="col">{% translate "Documentazione mancante" %}</th><th scope="col">{% translate "Azioni" %}</th>
  </tr></thead>
  <tbody>
  """ + FORMER_ROW_LOOP + r"""
  </tbody>
</table>
</div>
{% include "applications/_pagination.html" %}

{# --- add a site: one control --- #}
{% if companies|length == 1 %}
<p class="mt-3"><a class="btn btn-sm btn-outline-secondary" href="{% url 'site_create' companies.0.pk %}">{% translate "Aggiungi un'unità produttiva" %}</a></p>
{% elif companies %}
<form method="get" action="{% url 'dashboard_add_site' %}" class="mt-3 d-flex flex-wrap gap-2 align-items-end">
  <div><label for="add-site-company" class="form-label">{% translate "Aggiungi un'unità produttiva a" %}</label>
  <select id="add-site-company" name="company" class="form-select">{% for c in companies %}<option value="{{ c.pk }}">{{ c.ragione_sociale }}</option>{% endfor %}</select></div>
  <button type="submit" class="btn btn-outline-secondary">{% translate "Aggiungi" %}</button>
</form>
{% endif %}
{% else %}
<p>{% translate "Nessuna campagna aperta." %}</p>
{% endif %}
<p class="mt-3"><a href="{% url 'stress_list' %}">{% translate "Stress lavoro-correlato" %}</a> — {% translate "valutazioni, piano di miglioramento e relazione da allegare (B2d)" %}</p>
{% endblock %}
"""


def _page_context(response) -> dict:
    flat = {}
    for layer in reversed(list(response.context)):
        for d in layer.dicts:
            flat.update(d)
    return flat


def _normalised(html: str) -> str:
    import re

    return re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]+', r"\1X", html)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["it", "en"])
@pytest.mark.parametrize("params", [{}, {"page": "2"}, {"sort": "-points", "company": "x"}, {"q": "rossi & <c>", "status": "none"},
                                    {"status": "draft"}, {"page": "9"}])
@pytest.mark.parametrize("who", ["consultant", "rep", "no campaign"])
def test_the_page_is_the_former_templates(client, settings, language, params, who):
    from django.core.management import call_command
    from django.template import engines
    from applications import services
    from applications.models import Campaign
    from organisations.models import Mandate
    from tests.factories import consultant

    settings.OT24_PAGINATE_BY = 2
    call_command("loaddata", "ot24", verbosity=0)
    campaign = open_campaign()
    first = SiteFactory(company=CompanyFactory(ragione_sociale="Rossi & Figli <s.r.l.>"), name="Uno")
    second = SiteFactory(company=CompanyFactory(ragione_sociale="Verdi"), name="Due")
    SiteFactory(company=first.company, name="Tre <b>")
    rep = legal_rep(first.company)
    services.application_start(user=rep, site=first, campaign=campaign)
    if who == "consultant":
        user = consultant(first.company)
        Mandate.objects.create(consultant=user, company=second.company, start_date=dt.date(2020, 1, 1),
                               status=Mandate.Status.ACTIVE, all_sites=True)
    else:
        user = rep
    if who == "no campaign":
        Campaign.objects.update(is_open=False)
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("dashboard"), params)
    context = _page_context(response)
    with translation.override(language):
        expected = engines["django"].from_string(FORMER_PAGE).render(context, response.wsgi_request)
    assert _normalised(response.content.decode()) == _normalised(expected)

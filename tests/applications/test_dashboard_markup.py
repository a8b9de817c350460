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
FORMER_ROWS = """{% load i18n %}{% for row in page %}
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

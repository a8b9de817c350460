"""The wizard's evidence rows ({% evidence_rows %}, built in Python in applications/templatetags/wizard_steps.py)
are the markup the evidence step's template gave, byte for byte: every intervention of the catalogue (items in
alternative sets, conditional items, evidence notes), files with HTML-special names and sizes in bytes, KB and
MB, complete and missing rows, an upload refused next to its item, with and without the right to edit, in
Italian and English; and the page shows user-entered names escaped."""
import pytest
from django.template import engines
from django.urls import reverse
from django.utils import translation

from applications.forms import EvidenceUploadForm
from evidence.checklist import ItemState, evidence_status
from evidence.models import EvidenceFile
from evidence.selectors import EvidenceRow
from interventions.selectors import edition_catalogue
from tests.factories import evidence_draft

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert(1)</script> & \"quoted\" 'single'.pdf"

# templates/applications/wizard/evidence.html's labels and loop before they moved to Python.
FORMER = """{% load i18n l10n %}{% translate "Rimuovere il file?" as t_confirm_remove %}{% translate "Rimuovi" as t_remove %}{% translate "File per" as t_file_for %}{% translate "Carica" as t_upload %}{% translate "Avanzamento caricamento" as t_progress %}{% translate "In alternativa ai documenti di cui sopra:" as t_alternative %}{% blocktranslate asvar t_too_big with mb=max_file_mb %}Il file supera il limite di {{ mb }} MB.{% endblocktranslate %}{% translate "Trascina qui i file, oppure" as t_drop %}{% translate "Caricamento non riuscito" as t_failed %}{% translate "Completa" as t_complete %}{% localize off %}{# ids in attributes as plain digits; nothing in the loop is a number for people #}{% if can_edit %}{% url 'evidence_upload_json' application.pk as u_upload_json %}{% url 'evidence_raw_upload' application.pk as u_raw_upload %}{% endif %}{% for row in rows %}
<section class="card mb-4" aria-labelledby="ev-{{ row.intervention.code }}"><div class="card-body">
  <h2 class="h5" id="ev-{{ row.intervention.code }}">{{ row.intervention.code }} — {{ row.intervention.text|truncatewords:25 }}
    {% if row.status.complete %}<span class="badge bg-success ot24-ev-badge">{% if row.status.needs_no_evidence %}{% translate "Nessun documento richiesto" %}{% else %}{% translate "Completa" %}{% endif %}</span>{% else %}<span class="badge bg-danger ot24-ev-badge">{% translate "Documentazione mancante" %}</span>{% endif %}</h2>
  {% if row.intervention.evidence_note %}<p class="small">{{ row.intervention.evidence_note }}</p>{% endif %}
  <ol class="list-unstyled">
  {% for item, files in row.items %}
    {% ifchanged item.alternative %}{% if item.alternative > 1 %}<li class="fw-semibold my-2">{{ t_alternative }}</li>{% endif %}{% endifchanged %}
    <li class="mb-3 border-start ps-3" id="item-{{ item.pk }}">
      <span class="ot24-item-mark">{% if files %}✔{% elif item.pk in row.status.missing_item_ids %}✘{% else %}·{% endif %} {{ item.label }}</span>
      {% if item.condition %}<em class="small"> ({{ item.condition }})</em>{% endif %}
      <ul class="small ot24-files">{% for f in files %}
        <li><a href="{% url 'evidence_download' application.pk f.pk %}">{{ f.original_name }}</a> — {{ f.size|filesizeformat }} — <code title="SHA-256">{{ f.sha256|truncatechars:16 }}</code>
          {% if can_edit %}<form method="post" action="{% url 'evidence_remove' application.pk f.pk %}" class="d-inline" data-confirm="{{ t_confirm_remove }} {{ f.original_name }}">{% csrf_token %}<button type="submit" class="btn btn-link btn-sm p-0 text-danger">{{ t_remove }}</button></form>{% endif %}</li>
      {% endfor %}</ul>
      {% if can_edit %}
      <form method="post" enctype="multipart/form-data" class="ot24-upload d-flex flex-wrap gap-2 align-items-center mt-1" data-json-url="{{ u_upload_json }}" data-raw-url="{{ u_raw_upload }}" data-max-file-bytes="{{ max_file_bytes }}" data-too-big-text="{{ t_too_big }}" data-failed-text="{{ t_failed }}" data-remove-text="{{ t_remove }}" data-confirm-remove="{{ t_confirm_remove }}" data-drop-text="{{ t_drop }}" data-complete-text="{{ t_complete }}">
        {% csrf_token %}
        <input type="hidden" name="evidence_item" value="{{ item.pk }}">
        <label class="visually-hidden" for="file-{{ item.pk }}">{{ t_file_for }} {{ item.label|truncatewords:8 }}</label>
        <input type="file" name="file" id="file-{{ item.pk }}" class="form-control form-control-sm w-auto mw-100" accept=".pdf,.jpg,.jpeg,.png,.p7m" multiple>
        <button type="submit" class="btn btn-sm btn-outline-primary">{{ t_upload }}</button>
        <ul class="ot24-upload-list list-unstyled small w-100 mb-0" aria-live="polite" aria-label="{{ t_progress }}"></ul>
        {% if failed_item == item.pk|stringformat:"s" and upload_form.errors %}<div class="text-danger small w-100" role="alert">{% for e in upload_form.file.errors %}{{ e }} {% endfor %}</div>{% endif %}
      </form>
      {% endif %}
    </li>
  {% endfor %}
  </ol>
</div></section>
{% empty %}
<p>{% translate "Nessun intervento selezionato: scegliere gli interventi nelle sezioni A–D." %}</p>
{% endfor %}{% endlocalize %}"""


def rows_of(application, user):
    """A row for every intervention of the catalogue that has evidence items, with files on some items."""
    catalogue = edition_catalogue(application.campaign.edition)
    rows, n = [], 0
    for i, intervention in enumerate(catalogue.interventions):
        items = []
        for j, item in enumerate(intervention.evidence_items.all()):
            files = []
            for k in range((i + j) % 3):
                n += 1
                files.append(EvidenceFile(pk=1000 + n, application=application, evidence_item=item, uploaded_by=user,
                                          original_name=HOSTILE if n % 2 else f"verbale-{n}.pdf",
                                          size=[582, 1536, 5 * 1024 * 1024 + 7][n % 3], sha256=f"{n:064x}"))
            items.append((item, files))
        status = evidence_status(ItemState(item.pk, item.alternative, bool(item.condition), len(files))
                                 for item, files in items)
        rows.append(EvidenceRow(intervention=intervention, items=items, status=status))
    return rows


@pytest.mark.parametrize("language", ["it", "en"])
@pytest.mark.parametrize("can_edit", [True, False])
@pytest.mark.parametrize("failed", [False, True])
def test_evidence_rows_are_the_former_templates_markup(language, can_edit, failed):
    application, rep, item = evidence_draft()
    rows = rows_of(application, rep)
    assert any(i.alternative > 1 for r in rows for i, _f in r.items)
    assert any(i.condition for r in rows for i, _f in r.items)
    assert any(r.intervention.evidence_note for r in rows)
    assert {r.status.complete for r in rows} == {True, False}
    upload_form = EvidenceUploadForm()
    if failed:
        upload_form = EvidenceUploadForm({"evidence_item": item.pk}, {})
        assert upload_form.errors
    engine = engines["django"]
    with translation.override(language):
        context = {"application": application, "rows": rows, "can_edit": can_edit, "csrf_token": "tok<&>\"",
                   "failed_item": str(item.pk) if failed else "", "upload_form": upload_form,
                   "max_file_bytes": 209715200, "max_file_mb": 200}
        expected = engine.from_string(FORMER).render(context)
        got = engine.from_string("{% load wizard_steps %}{% evidence_rows %}").render(context)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot; &#x27;single&#x27;.pdf" in got
    assert "<script>" not in got
    assert got == expected


@pytest.mark.parametrize("language", ["it", "en"])
def test_no_rows_is_the_former_templates_markup(language):
    application, _rep, _item = evidence_draft()
    engine = engines["django"]
    with translation.override(language):
        context = {"application": application, "rows": [], "can_edit": True, "max_file_bytes": 1, "max_file_mb": 1}
        assert (engine.from_string("{% load wizard_steps %}{% evidence_rows %}").render(context)
                == engine.from_string(FORMER).render(context))


def test_the_evidence_page_shows_file_names_escaped(client):
    application, rep, item = evidence_draft()
    EvidenceFile.objects.create(application=application, evidence_item=item, uploaded_by=rep, original_name=HOSTILE,
                                storage_name="x", sha256="a" * 64, size=10, content_type="application/pdf")
    client.force_login(rep)
    page = client.get(reverse("application_step", args=[application.pk, "evidence"])).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot; &#x27;single&#x27;.pdf" in page
    assert "<script>alert(1)" not in page


# templates/applications/wizard/review.html's loops before they moved to Python.
FORMER_PROBLEMS = """{% load i18n %}{% for p in overview.problems %}<li>{{ p.message }} {% if can_edit %}<a href="{% url 'application_step' application.pk p.step %}">{% translate "Correggi" %}</a>{% endif %}</li>{% endfor %}"""
FORMER_LINES = """{% load i18n %}{% for l in lines %}<tr>
  <td>{{ l.line.code }}</td>
  <td>{{ l.intervention.text|truncatewords:30 }}{% if l.suboptions %}<ul class="small mb-0">{% for s in l.suboptions %}<li>{{ s }}</li>{% endfor %}</ul>{% endif %}
    {% for e in l.line.errors %}<div class="text-danger small">{{ e }}</div>{% endfor %}</td>
  <td>{{ l.line.points }}</td>
  <td>{% if l.line.counted %}{% translate "sì" %}{% else %}{% translate "no" %}{% endif %}</td>
  <td>{% if l.evidence.status.complete %}<span class="text-success">{% translate "completa" %}</span>{% else %}<span class="text-danger">{% translate "mancante" %}</span>{% endif %}</td>
</tr>{% empty %}<tr><td colspan="5">{% translate "Nessun intervento selezionato." %}</td></tr>{% endfor %}"""
FORMER_BENEFITS = """{% load i18n %}{% for pat, b in benefits %}<tr><td>{{ pat.number }}</td><td>{{ pat.lavoratori_anno }}</td><td>{{ b.rate_percent }}%</td><td>{% if b.premium is not None %}€ {{ b.premium|floatformat:"2g" }}{% else %}—{% endif %}</td><td>{% if b.saving is not None %}€ {{ b.saving|floatformat:"2g" }}{% else %}—{% endif %}</td></tr>
{% empty %}<tr><td colspan="5">{% translate "Nessuna PAT indicata." %}</td></tr>{% endfor %}"""


def review_context(application):
    from decimal import Decimal

    from applications.selectors import DeclaredPAT, Problem
    from applications.views.wizard import _step_links
    from evidence.checklist import InterventionEvidence
    from interventions.scoring import Benefit, Line

    catalogue = edition_catalogue(application.campaign.edition)
    a1, c4, d1 = catalogue.by_code["A6"], catalogue.by_code["C4"], catalogue.by_code["D1"]
    complete = EvidenceRow(intervention=c4, items=[], status=InterventionEvidence(True, (), False))
    missing = EvidenceRow(intervention=d1, items=[], status=InterventionEvidence(False, (1,), False))
    lines = [
        {"line": Line("A6", 12, True), "intervention": a1, "evidence": None, "suboptions": [HOSTILE, "Sì & no"]},
        {"line": Line("C4", 1234, False, (HOSTILE, "seconda")), "intervention": c4, "evidence": complete, "suboptions": []},
        {"line": Line("D1", 0, True), "intervention": d1, "evidence": missing, "suboptions": []},
    ]
    pats = [DeclaredPAT(number=HOSTILE, voce_di_tariffa="0722", lavoratori_anno=Decimal("12.5"), premium=None),
            DeclaredPAT(number="12345678", voce_di_tariffa="0722", lavoratori_anno=Decimal("3"), premium=Decimal("1234567.891"))]
    benefits = [(pats[0], Benefit(Decimal("12.5"), Decimal("18"), None, None)),
                (pats[1], Benefit(Decimal("3"), Decimal("28"), Decimal("1234567.891"), Decimal("345678.81")))]
    problems = [Problem(HOSTILE, "scheda"), Problem("C4: manca", "evidence"), Problem("Termine", "review"),
                Problem("altro", "A")]
    return {"application": application, "steps": _step_links(application), "lines": lines, "benefits": benefits,
            "overview": type("Overview", (), {"problems": problems})()}


@pytest.mark.parametrize("language", ["it", "en"])
@pytest.mark.parametrize("can_edit", [True, False])
@pytest.mark.parametrize("empty", [False, True])
def test_review_loops_are_the_former_templates_markup(language, can_edit, empty):
    application, _rep, _item = evidence_draft()
    engine = engines["django"]
    context = {**review_context(application), "can_edit": can_edit}
    if empty:
        context.update(lines=[], benefits=[])
        context["overview"].problems = []
    with translation.override(language):
        for former, tag in ((FORMER_PROBLEMS, "review_problems"), (FORMER_LINES, "review_lines"),
                            (FORMER_BENEFITS, "review_benefits")):
            expected = engine.from_string(former).render(context)
            got = engine.from_string("{% load wizard_steps %}{% " + tag + " %}").render(context)
            assert "<script>" not in got
            assert ("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot; &#x27;single&#x27;.pdf" in got) == (not empty)
            assert got == expected, tag


def test_the_review_page_shows_user_values_escaped(client):
    from applications.models import Application

    application, rep, _item = evidence_draft()
    Application.objects.filter(pk=application.pk).update(ragione_sociale=HOSTILE, unita_produttiva=HOSTILE)
    client.force_login(rep)
    page = client.get(reverse("application_step", args=[application.pk, "review"])).content.decode()
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot; &#x27;single&#x27;.pdf") >= 2
    assert "<script>alert(1)" not in page


# templates/applications/wizard/review.html's summary (scheda, declared interventions, benefits) before it moved to
# Python; its two loops are the tags compared with their former markup above.
FORMER_SUMMARY = """{% load i18n wizard_steps %}<h2 class="h5">{% translate "Scheda informativa generale" %}</h2>
<dl class="row">
  <dt class="col-sm-4">{% translate "Denominazione o ragione sociale" %}</dt><dd class="col-sm-8">{{ application.ragione_sociale }}</dd>
  <dt class="col-sm-4">{% translate "Codice ditta / codice sede" %}</dt><dd class="col-sm-8">{{ application.codice_ditta }} / {{ application.codice_sede|default:"—" }}</dd>
  <dt class="col-sm-4">{% translate "Unità produttiva" %}</dt><dd class="col-sm-8">{{ application.unita_produttiva }}, {{ application.indirizzo }}, {{ application.cap }} {{ application.citta }}</dd>
  <dt class="col-sm-4">{% translate "PAT" %}</dt><dd class="col-sm-8">{% for pat, b in benefits %}{{ pat.number }}{% if not forloop.last %}, {% endif %}{% empty %}—{% endfor %}</dd>
  <dt class="col-sm-4">{% translate "Matricola INPS" %}</dt><dd class="col-sm-8">{{ application.matricola_inps|default:"—" }}</dd>
  <dt class="col-sm-4">{% translate "Settore e lavoratori" %}</dt><dd class="col-sm-8">{{ application.get_sector_display|default:"—" }}, {{ application.workers|default_if_none:"—" }}</dd>
  <dt class="col-sm-4">{% translate "Il sottoscritto" %}</dt><dd class="col-sm-8">{{ application.signatory_name }}{% if application.signatory_birth_place %}, {% translate "nato a" %} {{ application.signatory_birth_place }} {% translate "il" %} {{ application.signatory_birth_date|date:"d/m/Y" }}{% endif %}{% if application.signatory_role %}, {% translate "in qualità di" %} {{ application.signatory_role }}{% endif %}</dd>
</dl>
<h2 class="h5">{% translate "Interventi dichiarati" %}</h2>
<div class="table-responsive"><table class="table">
<thead><tr><th scope="col">{% translate "Codice" %}</th><th scope="col">{% translate "Intervento" %}</th><th scope="col">{% translate "Punti" %}</th><th scope="col">{% translate "Conteggiato" %}</th><th scope="col">{% translate "Documentazione" %}</th></tr></thead>
<tbody>
{% review_lines %}
</tbody>
<tfoot><tr><th colspan="2">{% translate "Totale conteggiato" %}</th><th colspan="3">{{ overview.score.total }} / {{ overview.score.threshold }}</th></tr></tfoot>
</table></div>
<h2 class="h5">{% translate "Beneficio stimato per PAT" %}</h2>
<div class="table-responsive"><table class="table table-sm">
<thead><tr><th scope="col">{% translate "PAT" %}</th><th scope="col">{% translate "Lavoratori-anno" %}</th><th scope="col">{% translate "Riduzione" %}</th><th scope="col">{% translate "Premio annuo" %}</th><th scope="col">{% translate "Risparmio stimato" %}</th></tr></thead>
<tbody>{% review_benefits %}</tbody>
</table></div>"""


@pytest.mark.parametrize("language", ["it", "en"])
@pytest.mark.parametrize("variant", ["full", "sparse"])
def test_review_summary_is_the_former_templates_markup(language, variant):
    import datetime as dt

    from interventions.scoring import ScoreResult

    application, _rep, _item = evidence_draft()
    context = {**review_context(application), "can_edit": True}
    for name in ("ragione_sociale", "codice_ditta", "unita_produttiva", "indirizzo", "cap", "citta", "signatory_name"):
        setattr(application, name, HOSTILE)
    if variant == "full":
        for name in ("codice_sede", "matricola_inps", "signatory_birth_place", "signatory_role"):
            setattr(application, name, HOSTILE)
        application.signatory_birth_date, application.workers, application.sector = dt.date(1970, 5, 7), 1234, "edilizia"
    else:
        for name in ("codice_sede", "matricola_inps", "signatory_birth_place", "signatory_role"):
            setattr(application, name, "")
        application.signatory_birth_date, application.workers, application.sector = None, None, ""
        context.update(lines=[], benefits=[])
    context["overview"].score = ScoreResult(edition="ot24", sector="x", workers=10, threshold=100, lines=())
    engine = engines["django"]
    with translation.override(language):
        expected = engine.from_string(FORMER_SUMMARY).render(context)
        got = engine.from_string("{% load wizard_steps %}{% review_summary %}").render(context)
    assert "<script>" not in got
    assert got.count("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot; &#x27;single&#x27;.pdf") >= 7
    assert got == expected


def test_the_scheda_refuses_a_pat_of_another_site_and_shows_the_sites_own(client):
    """The posted PATs are checked against the site's (the form's queryset, set for a posted form only); the page
    as it loads shows the site's PATs with the covered ones ticked."""
    from applications.models import Application
    from tests.applications.test_wizard_flow import SCHEDA
    from tests.factories import PATFactory

    application, rep, _item = evidence_draft()
    own = application.site.pats.get()
    foreign = PATFactory()
    client.force_login(rep)
    url = reverse("application_step", args=[application.pk, "scheda"])
    page = client.get(url).content.decode()
    assert f'value="{own.pk}"' in page and f'value="{foreign.pk}"' not in page
    assert f'name="pats" value="{own.pk}" id="id_pats_0" checked>' in page
    response = client.post(url, {**SCHEDA, "pats": [foreign.pk], "version": application.version})
    assert response.status_code == 200
    assert list(Application.objects.get(pk=application.pk).pats.all()) == [own]


@pytest.mark.parametrize("status", ["draft", "withdrawn"])
def test_review_skips_the_applicant_review_tag_where_it_shows_nothing(status, rf):
    """review.html renders {% applicant_review %} only where it can show something; elsewhere the same bytes."""
    application, rep, _item = evidence_draft()
    application.status = status
    request = rf.get("/")
    request.user = rep
    engine = engines["django"]
    context = {"application": application, "request": request}
    former = engine.from_string("{% load review_tags %}{% applicant_review application %}\n").render(context)
    source = open("templates/applications/wizard/review.html").read()
    line = next(x for x in source.split("{% block step %}")[1].split("{% endif %}\n{% if application.is_draft %}")
                if "{% load review_tags %}" in x)
    snippet = line[line.index("{% load review_tags %}"):] + "{% endif %}\n"
    assert engine.from_string(snippet).render(context) == former == "\n\n\n"

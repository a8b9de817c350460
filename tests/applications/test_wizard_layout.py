"""The wizard's header (applications' {% wizard_header %}, built in Python) is the markup the layout's
template gave, byte for byte: breadcrumb, running total, progress bar, step navigation and title; drafts
and submitted applications, below and above the threshold, in Italian and English."""
import pytest
from django.template import engines
from django.utils import translation

from applications.views.wizard import STEPS, _step_links
from interventions.scoring import Line, ScoreResult
from tests.factories import ready_to_submit

pytestmark = pytest.mark.django_db

# templates/applications/wizard/_layout.html before the header moved to Python (its bar's width since as a
# class: issue 28, finding 17, no style attributes under the CSP).
FORMER = """{% load i18n l10n %}<nav aria-label="{% translate 'Percorso' %}"><ol class="breadcrumb"><li class="breadcrumb-item"><a href="{% url 'dashboard' %}">{% translate "Domande" %}</a></li>
<li class="breadcrumb-item active" aria-current="page">{{ application.site.company.ragione_sociale }} — {{ application.site.name }} ({{ application.campaign }})</li></ol></nav>
<div class="ot24-total py-2 mb-3" id="running-total" aria-live="polite">
  <div class="d-flex justify-content-between align-items-center flex-wrap gap-2">
    <strong id="running-total-label">{% blocktranslate with total=score.total threshold=score.threshold %}Punteggio conteggiato: {{ total }} su {{ threshold }}{% endblocktranslate %}</strong>
    <span id="running-total-badge" class="badge {% if score.eligible %}bg-success{% else %}bg-danger{% endif %}">{% if score.eligible %}{% translate "Soglia raggiunta" %}{% else %}{% blocktranslate count missing=score.missing %}Manca {{ missing }} punto{% plural %}Mancano {{ missing }} punti{% endblocktranslate %}{% endif %}</span>
    <span class="small">{% translate "Stato:" %} {{ application.get_status_display }}</span>
  </div>
  <p id="running-total-pending" class="ot24-pending small mb-0 mt-1 d-none" role="status"></p>
  {% localize off %}<div class="progress ot24-score-bar mt-2" id="score-bar" role="progressbar" aria-label="{% translate 'Punti conteggiati rispetto alla soglia' %}" aria-valuenow="{{ score.total }}" aria-valuemin="0" aria-valuemax="{{ score.threshold }}" data-threshold="{{ score.threshold }}" data-saved="{{ score.total }}">
    <div class="progress-bar {% if score.eligible %}bg-success{% endif %} ot24-w-{% if score.threshold and score.total >= score.threshold %}100{% else %}{% widthratio score.total score.threshold 100 %}{% endif %}" id="score-bar-saved"></div>
    <div class="progress-bar progress-bar-striped bg-warning d-none ot24-w-0" id="score-bar-pending"></div>
  </div>{% endlocalize %}
</div>
{% if application.is_draft %}
<nav aria-label="{% translate 'Passi della domanda' %}"><ul class="nav nav-tabs mb-3 flex-wrap ot24-steps">
  {% for key, title, url in steps %}<li class="nav-item"><a class="nav-link {% if key == step %}active{% endif %}" {% if key == step %}aria-current="step"{% endif %} href="{{ url }}">{{ forloop.counter }}. {{ title }}</a></li>{% endfor %}
</ul></nav>
{% endif %}
<h1 class="h3">{{ step_title }}</h1>"""


def score(total, threshold):
    return ScoreResult(edition="ot24", sector="x", workers=10, threshold=threshold,
                       lines=(Line("A1", total, True), Line("A2", 7, False)))


@pytest.mark.parametrize("language", ["it", "en"])
@pytest.mark.parametrize("status", ["draft", "submitted"])
@pytest.mark.parametrize("total,threshold,step", [(0, 100, "scheda"), (99, 100, "C"), (110, 100, "review"),
                                                  (3, 0, "evidence"), (1, 3, "D")])
def test_header_is_the_former_templates_markup(language, status, total, threshold, step):
    application, _rep = ready_to_submit()
    application.site.company.ragione_sociale = "Rossi & Figli <s.r.l.>"
    application.site.name = 'Sede "centrale"'
    application.status = status
    engine = engines["django"]
    with translation.override(language):
        context = {"application": application, "steps": _step_links(application), "step": step,
                   "step_title": dict(STEPS)[step], "score": score(total, threshold)}
        expected = engine.from_string(FORMER).render(context)
        got = engine.from_string("{% load wizard_layout %}{% wizard_header %}").render(context)
    assert "Rossi &amp; Figli &lt;s.r.l.&gt;" in got
    assert ('aria-current="step"' in got) == (status == "draft")
    assert got == expected

"""The top of every wizard step (templates/applications/wizard/_header.html) as a person sees it: the way back
to the dashboard, the company and site, the counted total and what is missing, the status, the progress bar,
the links to every step with the current one marked (drafts only) and the step's title; in Italian and
English, user values escaped."""
import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from applications import wizard
from interventions.scoring import Line, ScoreResult
from tests.applications.html import by_id, parse, text
from tests.factories import ready_to_submit

pytestmark = pytest.mark.django_db


def score(total, threshold):
    return ScoreResult(edition="ot24", sector="x", workers=10, threshold=threshold,
                       lines=(Line("A1", total, True), Line("A2", 7, False)))


def header(application, step, total, threshold, language="it"):
    with translation.override(language):
        return parse(render_to_string("applications/wizard/_header.html", {
            "application": application, "steps": wizard.links(application, step), "step": step,
            "step_title": wizard.get(step).title, "score": score(total, threshold)}))


@pytest.mark.parametrize("status", ["draft", "submitted"])
def test_the_header_shows_where_one_is_and_what_is_missing(status):
    application, _rep = ready_to_submit()
    application.site.company.ragione_sociale = "Rossi & Figli <s.r.l.>"
    application.site.name = 'Sede "centrale"'
    application.status = status
    doc = header(application, "C", 99, 100)
    trail = doc.xpath('//nav[@aria-label="Percorso"]')[0]
    assert trail.xpath(".//a")[0].get("href") == reverse("dashboard")
    assert f'Rossi & Figli <s.r.l.> — Sede "centrale" ({application.campaign})' in text(trail)
    assert text(by_id(doc, "running-total-label")) == "Punteggio conteggiato: 99 su 100"
    assert text(by_id(doc, "running-total-badge")) == "Manca 1 punto"
    assert "bg-danger" in by_id(doc, "running-total-badge").get("class")
    assert "ot24-w-99" in by_id(doc, "score-bar-saved").get("class").split()  # a class: the CSP allows no style
    assert text(doc.xpath("//h1")[0]) == "Sezione C"
    steps = doc.xpath('//nav[@aria-label="Passi della domanda"]//a')
    if status == "submitted":
        assert steps == []
        assert "Stato: Inviata" in text(doc)
        return
    with translation.override("it"):
        assert [text(a) for a in steps] == [f"{n}. {s.title}" for n, s in enumerate(wizard.STEPS, 1)]
    assert [a.get("href") for a in steps] == [reverse("application_step", args=[application.pk, s.key]) for s in wizard.STEPS]
    assert [a.get("aria-current") for a in steps].count("step") == 1
    assert steps[3].get("aria-current") == "step" and "active" in steps[3].get("class")
    assert "Stato: Bozza" in text(doc)


@pytest.mark.parametrize("total,threshold,badge,width", [(110, 100, "Soglia raggiunta", "100"), (0, 100, "Mancano 100 punti", "0"),
                                                         (3, 0, "Soglia raggiunta", "0")])
def test_the_total_reached_or_not(total, threshold, badge, width):
    application, _rep = ready_to_submit()
    doc = header(application, "review", total, threshold)
    assert text(by_id(doc, "running-total-badge")) == badge
    assert f"ot24-w-{width}" in by_id(doc, "score-bar-saved").get("class").split()  # capped at a full bar
    assert by_id(doc, "score-bar").get("data-saved") == str(total)


def test_the_header_follows_the_language():
    application, _rep = ready_to_submit()
    doc = header(application, "evidence", 40, 100, language="en")
    assert text(by_id(doc, "running-total-label")) == "Counted score: 40 of 100"
    assert text(by_id(doc, "running-total-badge")) == "60 points missing"
    assert text(doc.xpath("//h1")[0]) == "Evidence"

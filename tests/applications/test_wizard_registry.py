"""The wizard is a registry of steps (applications/wizard.py): the view dispatches through it, the header's links
and the problems' links read it, its preconditions decide who enters, a step added there works everywhere, and
"Riprendi" opens a draft where it was left."""
import dataclasses

import pytest
from django.http import HttpResponse
from django.shortcuts import redirect
from django.test import Client
from django.urls import reverse

from applications import wizard
from applications.models import Application
from tests.applications.html import parse, text
from tests.factories import PATFactory, SiteFactory, evidence_draft, legal_rep, member, open_campaign, ready_to_submit

pytestmark = pytest.mark.django_db


def extra_step(request, application, step):
    """A step's handler for the test below: what a newcomer writes for a new step."""
    return HttpResponse(f"{step.key} of {application.pk}")


@pytest.fixture
def with_extra_step(monkeypatch):
    """A step added to the registry before the review, as a newcomer would add it (docs/architecture.md), on a
    copy of the registry that the test's end puts back."""
    monkeypatch.setattr(wizard, "STEPS", list(wizard.STEPS))
    monkeypatch.setattr(wizard, "_BY_KEY", dict(wizard._BY_KEY))
    return wizard.register(wizard.Step("extra", "Passo aggiunto", "applications/wizard/review.html",
                                       "tests.applications.test_wizard_registry.extra_step"), before=wizard.REVIEW)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_step_added_to_the_registry_is_served_and_linked(with_extra_step):
    app, rep = ready_to_submit()
    client = _client(rep)
    response = client.get(wizard.url(app, "extra"))
    assert response.content.decode() == f"extra of {app.pk}"
    header = parse(client.get(wizard.url(app, wizard.SCHEDA)).content.decode())
    links = header.xpath('//nav[@aria-label="Passi della domanda"]//a')
    assert [text(a) for a in links][-3:] == ["7. Passo aggiunto", "8. Riepilogo", "9. Firma e invio"]
    assert links[6].get("href") == wizard.url(app, "extra")
    # "Salva e continua" on the step before it (evidence has no save; section D does) goes to it.
    assert wizard.next_step(wizard.EVIDENCE).key == "extra"


def test_a_key_is_registered_once(with_extra_step):
    with pytest.raises(ValueError):
        wizard.register(wizard.Step("extra", "Un altro", "applications/wizard/review.html",
                                    "tests.applications.test_wizard_registry.extra_step"))
    assert wizard.register(with_extra_step) is with_extra_step  # the same step again (a ready() run twice)
    assert [s.key for s in wizard.STEPS].count("extra") == 1


def test_a_steps_preconditions_decide_who_enters(monkeypatch):
    app, rep = ready_to_submit()
    review = wizard.get(wizard.REVIEW)

    def only_on_mondays(visit):
        return redirect(wizard.url(visit.application, wizard.SCHEDA))

    monkeypatch.setitem(wizard._BY_KEY, wizard.REVIEW,
                        dataclasses.replace(review, preconditions=(*review.preconditions, only_on_mondays)))
    response = _client(rep).get(wizard.url(app, wizard.REVIEW))
    assert response.status_code == 302 and response.url == wizard.url(app, wizard.SCHEDA)


def test_an_unknown_step_is_not_found():
    app, rep = ready_to_submit()
    assert _client(rep).get(reverse("application_step", args=[app.pk, "nessuno"])).status_code == 404


def test_who_may_not_edit_reads_only_the_review():
    """A reviewer-like reader of a submitted application is sent to its review from any other step; nobody but
    its editors posts to a step."""
    app, rep = ready_to_submit()
    Application.objects.filter(pk=app.pk).update(status=Application.Status.SUBMITTED, receipt_number="R-1")
    client = _client(rep)
    for step in wizard.STEPS:
        response = client.get(step.url(app))
        if step.key == wizard.REVIEW:
            assert response.status_code == 200
        else:
            assert response.status_code == 302 and response.url == wizard.url(app, wizard.REVIEW), step.key
    assert client.post(wizard.url(app, wizard.REVIEW)).status_code == 403


def test_every_step_is_served_under_its_title():
    app, rep = ready_to_submit()
    client = _client(rep)
    for step in wizard.STEPS:
        page = parse(client.get(step.url(app)).content.decode())
        assert text(page.xpath("//h1")[0]) == str(step.title)
        current = page.xpath('//a[@aria-current="step"]')
        assert len(current) == 1 and current[0].get("href") == step.url(app)


def _resume(client, app) -> str:
    response = client.get(reverse("application_detail", args=[app.pk]))
    assert response.status_code == 302
    return response.url


def test_riprendi_opens_the_step_where_the_draft_was_left():
    from applications import services

    # Just started: the scheda.
    site = SiteFactory()
    PATFactory(site=site)
    rep = legal_rep(site.company)
    started = services.application_start(user=rep, site=site, campaign=open_campaign())
    client = _client(rep)
    assert _resume(client, started) == wizard.url(started, wizard.SCHEDA)
    # The scheda done, C4 chosen without its evidence and below the threshold: the sections.
    app, rep, _item = evidence_draft()
    client = _client(rep)
    assert _resume(client, app) == wizard.url(app, wizard.SECTIONS[0])
    # Enough points, nothing missing: the review, where it is signed from.
    ready, rep = ready_to_submit()
    assert _resume(_client(rep), ready) == wizard.url(ready, wizard.REVIEW)
    # Another member who may edit it resumes it at the same step; once submitted, it opens at its review.
    clerk = member(site.company)
    assert _resume(_client(clerk), started) == wizard.url(started, wizard.SCHEDA)
    Application.objects.filter(pk=ready.pk).update(status=Application.Status.SUBMITTED, receipt_number="R-2")
    assert _resume(_client(rep), ready) == wizard.url(ready, wizard.REVIEW)


def test_riprendi_opens_the_evidence_when_only_documents_are_missing():
    from applications import services
    from interventions.models import Intervention

    app, rep, _item = evidence_draft()
    for letter, code in (("A", "A6"), ("D", "D1")):  # with C4: over the threshold
        item = Intervention.objects.get(code=code, section__edition__code="ot24")
        app.refresh_from_db()
        services.application_save_section(user=rep, application=app, section=letter, version=app.version,
                                          chosen={code: (frozenset(range(1, item.min_suboptions + 1)),
                                                         item.declarations.exists())})
    app.refresh_from_db()
    from applications.selectors import application_overview

    assert {p.step for p in application_overview(app).problems} == {wizard.EVIDENCE}
    assert _resume(_client(rep), app) == wizard.url(app, wizard.EVIDENCE)


def test_the_problems_point_at_registered_steps():
    from applications.selectors import application_overview

    app, rep, _item = evidence_draft()
    problems = application_overview(app).problems
    assert problems and all(wizard.get(p.step) for p in problems)
    page = parse(_client(rep).get(wizard.url(app, wizard.REVIEW)).content.decode())
    fixes = page.xpath('//div[contains(@class,"alert-warning")]//li/a')
    assert [a.get("href") for a in fixes] == [wizard.get(p.step).url(app) for p in problems]

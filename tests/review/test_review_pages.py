"""What a reviewer sees and can do on the queue and the review screen (templates/review/), in Italian and
English: each queued application links to its review screen and can be taken with a CSRF-protected form;
the sort links keep the filters; on the review screen, who has not taken the application may only take it,
and its reviewer gets one verdict form (an outcome and a reason for every intervention and every file) and
the clarification, decision and note forms, each with its CSRF token."""
from urllib.parse import parse_qs, urlsplit

import lxml.html
import pytest
from django.urls import reverse

from accounts.models import User
from review import services
from tests.factories import UserFactory
from tests.review.test_review_queue import submitted_app

pytestmark = pytest.mark.django_db

WORDS = {"it": {"take": "Prendi in carico", "save": "Salva i giudizi", "unjudged": "— da giudicare —",
                "outcomes": ["Idoneo", "Non idoneo", "Chiarimento richiesto"], "clarify": "Invia la richiesta",
                "decide": "Adotta il provvedimento"},
         "en": {"take": "Take on", "save": "Save assessments", "unjudged": "— to be assessed —",
                "outcomes": ["Suitable", "Not suitable", "Clarification requested"], "clarify": "Send the request",
                "decide": "Take the decision"}}


def _text(element) -> str:
    return " ".join(" ".join(element.itertext()).split())


def _get(client, user, url, language="it", **params) -> lxml.html.HtmlElement:
    client.force_login(user)
    client.cookies["django_language"] = language
    response = client.get(url, params)
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode())


def _csrf(form) -> str:
    return form.xpath('.//input[@name="csrfmiddlewaretoken"]/@value')[0]


@pytest.mark.parametrize("language", ["it", "en"])
def test_the_queue_links_each_application_and_offers_to_take_it(client, language):
    reviewer = UserFactory(role=User.Role.REVIEWER)
    apps = [submitted_app(days_ago=3), submitted_app(days_ago=2)]
    mine = submitted_app(days_ago=1)
    services.review_take(user=reviewer, application=mine)
    doc = _get(client, reviewer, reverse("review_queue"), language)
    rows = doc.xpath('//form[@id="assign-form"]//tbody/tr')
    assert [r.xpath("./td[1]/a/text()")[0] for r in rows] == [a.receipt_number for a in (*apps, mine)]  # by due date
    for row, app in zip(rows, (*apps, mine)):
        assert row.xpath("./td[1]/a/@href") == [reverse("review_detail", args=[app.pk])]
        assert app.site.company.ragione_sociale in _text(row)
    for row, app in zip(rows[:2], apps):
        button = row.xpath(".//button")[0]
        assert _text(button) == WORDS[language]["take"]
        form = doc.xpath(f'//form[@id="{button.get("form")}"]')[0]
        assert form.get("method") == "post" and form.get("action") == reverse("review_take", args=[app.pk])
        assert _csrf(form)
    assert not rows[2].xpath(".//button")  # already taken
    assert not doc.xpath('//input[@name="applications"]')  # only supervisors assign


def test_taking_from_the_queue_opens_the_review_screen(client):
    reviewer = UserFactory(role=User.Role.REVIEWER)
    app = submitted_app()
    doc = _get(client, reviewer, reverse("review_queue"))
    form = doc.xpath(f'//form[@id="take-{app.pk}"]')[0]
    response = client.post(form.get("action"))
    assert response.status_code == 302 and response["Location"] == reverse("review_detail", args=[app.pk])
    app.refresh_from_db()
    assert app.reviewer == reviewer


def test_the_queues_sort_links_keep_the_filters_and_drop_the_page(client):
    reviewer = UserFactory(role=User.Role.REVIEWER)
    submitted_app()
    doc = _get(client, reviewer, reverse("review_queue"), status="open", reviewer="", province="RM", page="1",
               sort="-points")
    links = {_text(a): parse_qs(urlsplit(a.get("href")).query) for a in doc.xpath("//thead//a")}
    assert links == {"Punti dichiarati": {"status": ["open"], "province": ["RM"], "sort": ["points"]},
                     "Decisione entro": {"status": ["open"], "province": ["RM"], "sort": ["-due"]}}


def test_a_supervisor_assigns_from_a_csrf_protected_form(client):
    supervisor = UserFactory(role=User.Role.SUPERVISOR)
    app = submitted_app()
    doc = _get(client, supervisor, reverse("review_queue"), status="open", reviewer="")
    form = doc.xpath('//form[@id="assign-form"]')[0]
    assert form.get("action") == reverse("review_assign") and _csrf(form)
    assert form.xpath('.//input[@name="applications"]/@value') == [str(app.pk)]


def test_a_reviewer_who_has_not_taken_it_may_only_take_it(client, submitted_four):
    app, rep = submitted_four
    doc = _get(client, UserFactory(role=User.Role.REVIEWER), reverse("review_detail", args=[app.pk]))
    forms = doc.xpath("//main//form") or doc.xpath("//form[@method='post']")
    take = [f for f in forms if f.get("action") == reverse("review_take", args=[app.pk])]
    assert len(take) == 1 and _csrf(take[0])
    assert not doc.xpath('//form[@id="verdicts-form"]') and not doc.xpath('//input[@name="action"]')
    assert [_text(h) for h in doc.xpath('//section[contains(@class, "ot24-verdict-card")]//h3')][0].startswith("A6")


@pytest.mark.parametrize("language", ["it", "en"])
def test_the_reviewer_judges_every_intervention_and_file_in_one_form(client, submitted_four, language):
    app, rep = submitted_four
    reviewer = UserFactory(role=User.Role.REVIEWER)
    services.review_take(user=reviewer, application=app)
    words = WORDS[language]
    doc = _get(client, reviewer, reverse("review_detail", args=[app.pk]), language)

    form = doc.xpath('//form[@id="verdicts-form"]')[0]
    assert form.get("method") == "post" and _csrf(form)
    assert form.xpath('.//input[@name="action"]/@value') == ["verdicts"]
    assert _text(form.xpath('.//button[@type="submit"]')[0]) == words["save"]
    codes = sorted(app.selections.values_list("intervention__code", "intervention_id"))
    cards = form.xpath('.//section[contains(@class, "ot24-verdict-card")]')
    assert sorted(_text(c.xpath(".//h3")[0]).split(" ")[0] for c in cards) == [code for code, _ in codes]
    files = list(app.evidence_files.values_list("pk", flat=True))
    assert files
    keys = [f"i{pk}" for _, pk in codes] + [f"f{pk}" for pk in files]
    for key in keys:
        select = form.xpath(f'.//select[@name="outcome-{key}"]')[0]
        assert [_text(o) for o in select.xpath("./option")] == [words["unjudged"], *words["outcomes"]]
        assert form.xpath(f'.//input[@name="reason-{key}"]')
        assert doc.xpath(f'//label[@for="outcome-{key}"]')  # every control is labelled

    by_action = {f.xpath('.//input[@name="action"]/@value')[0]: f for f in doc.xpath("//form[.//input[@name='action']]")}
    assert set(by_action) == {"verdicts", "clarify", "decide", "note"}
    for action, f in by_action.items():
        assert f.get("method") == "post" and _csrf(f), action
    clarify = by_action["clarify"]
    assert sorted(clarify.xpath('.//input[@name="interventions"]/@value')) == sorted(str(pk) for _, pk in codes)
    assert _text(clarify.xpath(".//button")[0]) == words["clarify"]
    assert _text(by_action["decide"].xpath(".//button")[0]) == words["decide"]
    assert by_action["decide"].get("data-confirm")


def test_a_posted_verdict_shows_as_chosen_and_counts_in_the_validated_score(client, submitted_four):
    app, rep = submitted_four
    reviewer = UserFactory(role=User.Role.REVIEWER)
    services.review_take(user=reviewer, application=app)
    doc = _get(client, reviewer, reverse("review_detail", args=[app.pk]))
    form = doc.xpath('//form[@id="verdicts-form"]')[0]
    a6 = app.selections.get(intervention__code="A6").intervention_id
    data = {"csrfmiddlewaretoken": _csrf(form), "action": "verdicts", f"outcome-i{a6}": "idoneo"}
    assert client.post(reverse("review_detail", args=[app.pk]), data).status_code == 302
    doc = _get(client, reviewer, reverse("review_detail", args=[app.pk]))
    assert doc.xpath(f'//select[@name="outcome-i{a6}"]/option[@selected]/@value') == ["idoneo"]
    assert "Punteggio validato: " in _text(doc.xpath('//div[contains(@class, "ot24-total")]')[0])

"""The review screen's one verdict form, the forms by state, the timeline in words, the queue's default
filter and the supervisors' workload (issue 18, items 10-12)."""
import pytest
from django.urls import reverse

from accounts.models import User
from applications.models import Application, Event
from review import services
from review.models import Verdict
from review.selectors import reviewer_workload
from applications.timeline import event_label
from tests.factories import UserFactory
from tests.review.test_review_queue import submitted_app

pytestmark = pytest.mark.django_db


@pytest.fixture
def taken(client, submitted_four):
    app, rep = submitted_four
    reviewer = UserFactory(role=User.Role.REVIEWER)
    services.review_take(user=reviewer, application=app)
    client.force_login(reviewer)
    return app, rep, reviewer


def intervention_keys(app):
    return {s.intervention.code: f"i{s.intervention_id}" for s in app.selections.select_related("intervention")}


def test_one_post_records_every_verdict_or_none(client, taken):
    app, rep, reviewer = taken
    keys = intervention_keys(app)
    data = {"action": "verdicts", **{f"outcome-{k}": "idoneo" for k in keys.values()},
            f"outcome-{keys['D4']}": "non_idoneo"}  # no reason: refused
    response = client.post(reverse("review_detail", args=[app.pk]), data)
    assert response.status_code == 422
    body = response.content.decode()
    assert f'id="err-{keys["D4"]}"' in body and "Indicare la motivazione del giudizio." in body
    assert 'value="non_idoneo" selected' in body  # what was chosen stays chosen
    assert Verdict.objects.filter(application=app).count() == 0
    data[f"reason-{keys['D4']}"] = "Nessun dispositivo."
    response = client.post(reverse("review_detail", args=[app.pk]), data)
    assert response.status_code == 302
    assert Verdict.objects.filter(application=app).count() == 4
    # Sending the same form again records nothing new.
    client.post(reverse("review_detail", args=[app.pk]), data)
    assert Verdict.objects.filter(application=app).count() == 4


def test_decided_application_shows_no_action_forms(client, taken):
    app, rep, reviewer = taken
    keys = intervention_keys(app)
    client.post(reverse("review_detail", args=[app.pk]), {"action": "verdicts", **{f"outcome-{k}": "idoneo" for k in keys.values()}})
    client.post(reverse("review_detail", args=[app.pk]), {"action": "decide"})
    assert Application.objects.get(pk=app.pk).status == Application.Status.APPROVED
    body = client.get(reverse("review_detail", args=[app.pk])).content.decode()
    for marker in ('value="verdicts"', 'value="clarify"', 'value="decide"'):
        assert marker not in body, marker


def test_no_second_clarification_form_while_one_is_pending(client, taken):
    app, rep, reviewer = taken
    client.post(reverse("review_detail", args=[app.pk]), {"action": "clarify", "request": "Inviare la fattura."})
    body = client.get(reverse("review_detail", args=[app.pk])).content.decode()
    assert 'value="clarify"' not in body and "Richiesta di chiarimenti in corso" in body


def test_timeline_in_words(taken):
    app, rep, reviewer = taken
    labels = [str(event_label(e)) for e in Event.objects.filter(application=app)]
    assert labels == ["Domanda inviata", "Presa in carico"]


def test_queue_opens_on_open_work_mine_or_unassigned(client):
    reviewer, other = UserFactory(role=User.Role.REVIEWER), UserFactory(role=User.Role.REVIEWER)
    mine, nobodys, theirs, decided = (submitted_app() for _ in range(4))
    Application.objects.filter(pk=mine.pk).update(reviewer=reviewer, status=Application.Status.IN_REVIEW)
    Application.objects.filter(pk=theirs.pk).update(reviewer=other, status=Application.Status.IN_REVIEW)
    Application.objects.filter(pk=decided.pk).update(reviewer=reviewer, status=Application.Status.APPROVED)
    client.force_login(reviewer)
    body = client.get(reverse("review_queue")).content.decode()
    listed = {a.receipt_number for a in (mine, nobodys, theirs, decided) if a.receipt_number in body}
    assert listed == {mine.receipt_number, nobodys.receipt_number}
    body = client.get(reverse("review_queue"), {"status": "", "reviewer": ""}).content.decode()
    assert all(a.receipt_number in body for a in (mine, nobodys, theirs, decided))


def test_workload_per_reviewer():
    rita = UserFactory(role=User.Role.REVIEWER, last_name="A")
    a, b, c = submitted_app(days_ago=1), submitted_app(days_ago=110), submitted_app()
    Application.objects.filter(pk__in=[a.pk, b.pk]).update(reviewer=rita, status=Application.Status.IN_REVIEW)
    rows = {(w["reviewer"].pk if w["reviewer"] else None): w for w in reviewer_workload()}
    assert (rows[rita.pk]["open"], rows[rita.pk]["urgent"]) == (2, 1)
    assert rows[None]["open"] == 1


def test_supervisors_see_the_workload_and_reviewers_do_not(client):
    submitted_app()
    client.force_login(UserFactory(role=User.Role.SUPERVISOR))
    assert "Carico di lavoro dei revisori" in client.get(reverse("review_queue")).content.decode()
    client.force_login(UserFactory(role=User.Role.REVIEWER))
    assert "Carico di lavoro dei revisori" not in client.get(reverse("review_queue")).content.decode()

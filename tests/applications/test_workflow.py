"""The workflow table: who may move an application where, the timeline, the notifications."""
import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import User
from applications import workflow
from applications.models import Application, Event
from tests.factories import ApplicationFactory, DEFAULT_PASSWORD, UserFactory, consultant, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted():
    app = ApplicationFactory(submitted=True, sealed=False, sections=None)
    return app, app.created_by, app.site


def test_every_state_is_reachable_and_terminal_states_have_no_exit():
    targets = {t.target for t in workflow.TRANSITIONS.values()}
    assert set(Application.Status.values) - targets == {Application.Status.DRAFT}
    sources = set().union(*(t.sources for t in workflow.TRANSITIONS.values()))
    assert not sources & {Application.Status.APPROVED, Application.Status.REJECTED, Application.Status.WITHDRAWN}


@pytest.mark.parametrize("who,action,ok", [
    ("rep", "withdraw", True), ("consultant", "withdraw", True), ("member", "withdraw", False),
    ("reviewer", "withdraw", False), ("reviewer", "start_review", True), ("rep", "start_review", False),
    ("reviewer", "approve", False),  # not from "submitted": review must start first
])
def test_roles_and_sources(submitted, who, action, ok):
    app, rep, site = submitted
    users = {"rep": rep, "consultant": consultant(site.company), "member": member(site.company),
             "reviewer": UserFactory(role=User.Role.REVIEWER)}
    assert workflow.allowed(users[who], app, action) is ok


def test_illegal_transition_is_refused_with_a_message(submitted):
    app, rep, site = submitted
    with pytest.raises(ValidationError, match="non è possibile quando la domanda è «Inviata»"):
        workflow.transition(app, "answer_clarification", user=rep)
    with pytest.raises(PermissionDenied):
        workflow.transition(app, "start_review", user=rep)


def test_withdraw_records_an_event_and_notifies(client, submitted, django_capture_on_commit_callbacks):
    app, rep, site = submitted
    client.login(email=rep.email, password=DEFAULT_PASSWORD)
    page = client.get(reverse("application_step", args=[app.pk, "review"])).content.decode()
    assert "Ritira la domanda" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("application_withdraw", args=[app.pk]))
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == Application.Status.WITHDRAWN
    event = app.events.get()
    assert (event.action, event.from_status, event.to_status, event.actor) == ("withdraw", "submitted", "withdrawn", rep)
    assert len(mail.outbox) == 1 and rep.email in mail.outbox[0].to
    assert "ritirata" in mail.outbox[0].subject.lower()
    # Twice is refused with a message, nothing changes.
    client.post(reverse("application_withdraw", args=[app.pk]))
    assert app.events.count() == 1


def test_events_are_append_only(submitted):
    app, rep, site = submitted
    event = Event.objects.create(application=app, actor=rep, action="x")
    event.message = "changed"
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()


def test_internal_notes_never_reach_applicants(client, submitted):
    app, rep, site = submitted
    reviewer = UserFactory(role=User.Role.REVIEWER)
    Event.objects.create(application=app, actor=reviewer, action="note", message="NOTA INTERNA segreta", internal=True)
    Event.objects.create(application=app, actor=reviewer, action="start_review", to_status="in_review", message="visibile")
    client.login(email=rep.email, password=DEFAULT_PASSWORD)
    page = client.get(reverse("application_step", args=[app.pk, "review"])).content.decode()
    assert "visibile" in page and "NOTA INTERNA" not in page
    client.force_login(reviewer)
    assert "NOTA INTERNA" in client.get(reverse("application_step", args=[app.pk, "review"])).content.decode()


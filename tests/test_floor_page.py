"""The fixed cost of every logged-in page about one application (issue 21, the bench's floor page): the
session read with one fixed statement, the application and the user's membership read together, the
layout a plain template. Same answers as before: sessions still end at
log-out and at a password change in every process, other tenants still get a 404, no user's data is reused."""
import pytest
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.db import connection
from django.http import Http404
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from applications.views.common import get_application, user_can
from ot24portal.sessions import SessionStore
from tests.factories import DEFAULT_PASSWORD, UserFactory, consultant, evidence_draft, member

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Nuova-Password-2026!"


def _request(user):
    request = RequestFactory().get("/")
    request.user = User.objects.get(pk=user.pk)  # as the authentication middleware loads it
    return request


# --- the application and the membership in one query ----------------------------------------------


def test_a_member_opens_an_application_with_one_query_and_the_rules_ask_nothing_more():
    app, rep, item = evidence_draft()
    request = _request(member(app.site.company))
    with CaptureQueriesContext(connection) as ctx:
        found = get_application(request, app.pk)
        assert user_can(request, "applications.view_application", found)
        assert user_can(request, "applications.edit_application", found)
    assert found == app
    assert len(ctx.captured_queries) == 1, [q["sql"] for q in ctx.captured_queries]


def test_the_membership_read_with_the_application_is_the_users_own_in_that_company():
    app, rep, item = evidence_draft()
    other, _, _ = evidence_draft()
    outsider = member(other.site.company)  # a member elsewhere: no rights on app
    with pytest.raises(Http404):
        get_application(_request(outsider), app.pk)
    with pytest.raises(Http404):
        get_application(_request(UserFactory()), app.pk)
    found = get_application(_request(rep), app.pk)
    assert found.member_role == "legal_rep"


def test_a_consultant_with_a_mandate_still_opens_the_application_and_a_removed_membership_is_seen_at_once():
    app, rep, item = evidence_draft()
    adviser = consultant(app.site.company)
    assert get_application(_request(adviser), app.pk) == app
    person = member(app.site.company)
    assert get_application(_request(person), app.pk) == app
    app.site.company.memberships.filter(user=person).delete()
    with pytest.raises(Http404):
        get_application(_request(person), app.pk)


@pytest.mark.urls("bench.urls")
def test_the_floor_page_runs_three_queries_session_user_application(client):
    app, rep, item = evidence_draft()
    client.force_login(rep)
    url = reverse("bench_floor", args=[app.pk])
    client.get(url)  # warm
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    sql = [q["sql"] for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(sql) == 3, sql
    client.force_login(member(evidence_draft()[0].site.company))
    assert client.get(url).status_code == 404


# --- the session engine ---------------------------------------------------------------------------


def test_the_session_engine_reads_what_djangos_database_engine_wrote_and_nothing_expired(settings):
    assert settings.SESSION_ENGINE == "ot24portal.sessions"
    theirs = DjangoSessionStore()
    theirs["answer"] = 42
    theirs.save()
    ours = SessionStore(theirs.session_key)
    assert ours["answer"] == 42 and ours.session_key == theirs.session_key
    theirs.set_expiry(-1)
    theirs.save()
    expired = SessionStore(theirs.session_key)
    assert expired.get("answer") is None and expired.session_key is None
    assert SessionStore("no-such-session-key-000").load() == {}


def _logged_in(client) -> bool:
    response = client.get(reverse("dashboard"))
    return response.status_code == 200


def _two_processes(user) -> tuple[Client, Client]:
    """Two browsers' worth of requests carrying the same session cookie: nothing is kept between requests
    but the database, as with two gunicorn workers."""
    first = Client()
    assert first.post(reverse("login"), {"login": user.email, "password": DEFAULT_PASSWORD}).status_code == 302
    second = Client()
    second.cookies["sessionid"] = first.cookies["sessionid"].value
    assert _logged_in(first) and _logged_in(second)
    return first, second


def test_log_out_ends_the_session_for_every_process():
    first, second = _two_processes(UserFactory())
    first.post(reverse("logout"))
    assert not _logged_in(second)
    assert not _logged_in(first)


def test_a_password_change_ends_the_other_sessions_and_keeps_the_one_that_changed_it():
    user = UserFactory()
    first, second = _two_processes(user)
    elsewhere = Client()
    assert elsewhere.post(reverse("login"), {"login": user.email, "password": DEFAULT_PASSWORD}).status_code == 302
    response = first.post(reverse("account_change_password"), {
        "oldpassword": DEFAULT_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert _logged_in(first)
    assert not _logged_in(elsewhere)  # another log-in: ended by the new password


def test_a_password_set_elsewhere_ends_every_session():
    user = UserFactory()
    first, second = _two_processes(user)
    stored = User.objects.get(pk=user.pk)
    stored.set_password(NEW_PASSWORD)  # e.g. by an administrator or a reset link
    stored.save()
    assert not _logged_in(second) and not _logged_in(first)


# --- the layout's language-only fragments ---------------------------------------------------------


def test_the_layout_shows_each_user_their_own_name_and_token_in_their_language(client):
    alice = UserFactory(first_name="Alice", last_name="Rossi")
    bruno = UserFactory(first_name="Bruno", last_name="Verdi")
    client.force_login(alice)
    page = client.get(reverse("help")).content.decode()
    assert "Alice Rossi" in page and 'href="/aiuto/"' in page and ">Esci<" in page
    token = client.cookies["csrftoken"].value
    other = Client()
    other.force_login(bruno)
    other.cookies["django_language"] = "en"
    english = other.get(reverse("help")).content.decode()
    assert "Bruno Verdi" in english and "Alice Rossi" not in english and ">Log out<" in english
    assert token not in english
    anonymous = Client().get(reverse("help")).content.decode()
    assert "Alice" not in anonymous and "Bruno" not in anonymous and ">Accedi<" in anonymous

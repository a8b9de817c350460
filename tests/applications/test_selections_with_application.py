"""An application's selections (selectors.application_selections) are read once per application object, in
the catalogue's order, with the interventions of the cached catalogue: a page that asks for them several times
(running total, the section's ticks, the score) reads them once, and a refreshed application reads them again."""
import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from applications.models import Application, Selection
from applications.selectors import application_score, application_selections
from applications.views.common import get_application
from interventions.models import Intervention
from tests.factories import evidence_draft

pytestmark = pytest.mark.django_db


def _request(user):
    request = RequestFactory().get("/")
    request.user = User.objects.get(pk=user.pk)
    return request


def _rows(selections):
    return [(s.pk, s.application_id, s.intervention_id, s.intervention.code, list(s.suboptions), s.declaration_confirmed)
            for s in selections]


def _with_more_selections(app):
    edition = app.campaign.edition
    b1 = Intervention.objects.get(section__edition=edition, code="B1")
    c3 = Intervention.objects.get(section__edition=edition, code="C3")
    Selection.objects.create(application=app, intervention=b1, suboptions=[3, 1], declaration_confirmed=False)
    Selection.objects.create(application=app, intervention=c3, suboptions=[], declaration_confirmed=True)


def test_the_selections_are_read_once_per_application_equal_to_a_separate_read():
    app, rep, item = evidence_draft()
    _with_more_selections(app)
    found = get_application(_request(rep), app.pk)
    with CaptureQueriesContext(connection) as ctx:
        carried = application_selections(found)
        score = application_score(found)
        assert application_selections(found) == carried
    assert len(ctx.captured_queries) == 1
    separate = application_selections(Application.objects.get(pk=app.pk))
    assert _rows(carried) == _rows(separate)
    assert [s.intervention.code for s in carried] == ["B1", "C3", "C4"]  # the catalogue's order
    assert carried[0].suboptions == [3, 1]  # as stored
    assert score == application_score(Application.objects.get(pk=app.pk))
    assert all(not s._state.adding for s in carried)


def test_an_application_without_selections_has_an_empty_list_read_once():
    app, rep, item = evidence_draft()
    app.selections.all().delete()
    found = get_application(_request(rep), app.pk)
    with CaptureQueriesContext(connection) as ctx:
        assert application_selections(found) == []
        assert application_selections(found) == []
    assert len(ctx.captured_queries) == 1


def test_a_refreshed_application_reads_its_selections_again():
    app, rep, item = evidence_draft()
    found = get_application(_request(rep), app.pk)
    assert [s.intervention.code for s in application_selections(found)] == ["C4"]
    _with_more_selections(app)
    found.refresh_from_db()
    assert [s.intervention.code for s in application_selections(found)] == ["B1", "C3", "C4"]


def test_a_section_page_reads_session_user_the_application_and_its_selections_only(client):
    app, rep, item = evidence_draft()
    client.force_login(rep)
    url = reverse("application_step", args=[app.pk, "C"])
    client.get(url)  # warm
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    sql = [q["sql"] for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(sql) == 4, sql
    assert 'name="sel_C4" id="id_sel_C4" checked' in response.content.decode()

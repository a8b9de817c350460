"""The review screen as INAIL reviewers really open it (a TOTP authenticator, the second-factor check on)
runs at most 15 queries (issue 21: `make bench` counted 16)."""
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_review_screen_runs_at_most_15_queries_for_a_reviewer_with_a_second_factor(settings):
    from accounts.demo import add_authenticator

    settings.OT24_REQUIRE_STAFF_MFA = True
    app = ApplicationFactory(submitted=True, sealed=False, sections={"C": ["C4"]})
    reviewer = UserFactory(role="reviewer")
    add_authenticator(reviewer)
    client = Client()
    client.force_login(reviewer)
    url = reverse("review_detail", args=[app.pk])
    client.get(url)  # warm: the catalogue loaded in this process
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    queries = [q["sql"] for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(queries) <= 15, "\n".join(queries)

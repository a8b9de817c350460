"""Issue 21, goal 5: the pages of sign-up and log-in, the company's people and mandates, the consultant's
clients, the injury indices and the stress assessment run the same few SQL queries (at most 15) with a
little data and with a lot (tests/page_world.py). Counts, not times: times are for `make bench`."""
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests import page_world

pytestmark = pytest.mark.django_db

MAX_QUERIES = 15


def _counts(world) -> dict[str, int]:
    clients = {}
    for who, user in page_world.users(world).items():
        clients[who] = Client()
        if user is not None:
            clients[who].force_login(user)
    counts = {}
    for name, (who, url) in page_world.pages(world).items():
        client = clients[who]
        client.get(url)  # warm: per-process caches (catalogue, check-list) loaded, the session refreshed
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = len([q for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]])  # the test's transaction
    return counts


def test_the_pages_run_the_same_few_queries_with_little_and_much_data():
    world = page_world.small_world()
    small = _counts(world)
    page_world.grow(world)
    large = _counts(world)
    assert large == small, {name: (small[name], large[name]) for name in small if small[name] != large[name]}
    assert max(small.values()) <= MAX_QUERIES, small

"""The reviewers' queue: filters, due dates, taking an application, bulk assignment by a supervisor."""
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from applications import services
from applications.models import Application
from tests.factories import ApplicationFactory, SiteFactory, UserFactory, legal_rep, open_campaign

pytestmark = pytest.mark.django_db


def submitted_app(province="RM", sector="costruzioni", days_ago=1):
    return ApplicationFactory(submitted=True, sealed=False, sections=None,
                              site=SiteFactory(province=province, sector=sector),
                              submitted_at=timezone.now() - dt.timedelta(days=days_ago))


@pytest.fixture
def reviewer():
    return UserFactory(role=User.Role.REVIEWER)


def test_queue_filters_and_due_dates(client, reviewer):
    fresh = submitted_app(province="RM", days_ago=1)
    near = submitted_app(province="MI", sector="trasporti", days_ago=110)
    late = submitted_app(province="MI", days_ago=130)
    client.force_login(reviewer)
    page = client.get(reverse("review_queue")).content.decode()
    assert page.index(late.receipt_number) < page.index(near.receipt_number) < page.index(fresh.receipt_number)
    assert "scaduta" in page
    only = lambda **params: [a for a in (fresh, near, late)
                             if a.receipt_number in client.get(reverse("review_queue"), params).content.decode()]
    assert only(province="mi") == [near, late]
    assert only(sector="trasporti") == [near]
    assert only(due="overdue") == [late]
    assert only(due="near") == [near]
    assert only(reviewer="none") == [fresh, near, late]
    assert late.due_date == (timezone.localtime(late.submitted_at) + dt.timedelta(days=120)).date()


def test_take_starts_the_review(client, reviewer):
    app = submitted_app()
    client.force_login(reviewer)
    response = client.post(reverse("review_take", args=[app.pk]))
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.reviewer == reviewer and app.status == Application.Status.IN_REVIEW
    assert app.events.get().action == "start_review"
    other = UserFactory(role=User.Role.REVIEWER)
    client.force_login(other)
    client.post(reverse("review_take", args=[app.pk]))
    app.refresh_from_db()
    assert app.reviewer == reviewer  # already taken: refused with a message


def test_supervisor_assigns_in_bulk_and_reviewers_cannot(client, reviewer):
    apps = [submitted_app() for _ in range(3)]
    supervisor = UserFactory(role=User.Role.SUPERVISOR)
    client.force_login(reviewer)
    assert client.post(reverse("review_assign"), {"reviewer": reviewer.pk, "applications": [a.pk for a in apps]}).status_code == 404
    client.force_login(supervisor)
    response = client.post(reverse("review_assign"), {"reviewer": reviewer.pk, "applications": [a.pk for a in apps[:2]]})
    assert response.status_code == 302
    assert [Application.objects.get(pk=a.pk).reviewer for a in apps] == [reviewer, reviewer, None]
    assert apps[0].events.get().internal  # assignment is an internal note on the timeline


def test_companies_cannot_reach_the_queue(client):
    app = submitted_app()
    client.force_login(legal_rep(app.site.company))
    assert client.get(reverse("review_queue")).status_code == 404
    assert client.post(reverse("review_take", args=[app.pk])).status_code == 404


def test_administrator_sees_the_queue_but_cannot_take(client):
    app = submitted_app()
    admin = UserFactory(role=User.Role.ADMIN, is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert client.get(reverse("review_queue")).status_code == 200
    client.post(reverse("review_take", args=[app.pk]))
    app.refresh_from_db()
    assert app.status == Application.Status.SUBMITTED and app.reviewer is None


def test_filter_and_sort_by_declared_points(client, reviewer):
    low, high = submitted_app(), submitted_app()
    Application.objects.filter(pk=low.pk).update(declared_total=100)
    Application.objects.filter(pk=high.pk).update(declared_total=180)
    client.force_login(reviewer)
    page = client.get(reverse("review_queue"), {"points_min": "150"}).content.decode()
    assert high.receipt_number in page and low.receipt_number not in page
    page = client.get(reverse("review_queue"), {"sort": "-points"}).content.decode()
    assert page.index(high.receipt_number) < page.index(low.receipt_number)


def test_queue_holds_exactly_what_reviewers_may_view():
    """review_queue_for drops applications_for's per-company clause for speed: same rows, every state."""
    from applications.selectors import applications_for
    from applications.workflow import QUEUE_STATES
    from review.selectors import review_queue_for

    apps = [submitted_app() for _ in range(2)]
    for app, state in zip(apps, (Application.Status.WITHDRAWN, Application.Status.APPROVED)):
        Application.objects.filter(pk=app.pk).update(status=state)
    site = SiteFactory()
    services.application_start(user=legal_rep(site.company), site=site, campaign=open_campaign())  # a draft
    for user in (UserFactory(role=User.Role.REVIEWER), UserFactory(role=User.Role.SUPERVISOR),
                 UserFactory(is_superuser=True)):
        assert set(review_queue_for(user)) == set(applications_for(user).filter(status__in=QUEUE_STATES))
    assert not review_queue_for(legal_rep(site.company)).exists()


def test_long_queue_is_counted_only_up_to_the_limit(client, reviewer, monkeypatch, settings):
    from ot24portal.pagination import BoundedPaginator

    monkeypatch.setattr(BoundedPaginator, "LIMIT", 3)
    settings.OT24_PAGINATE_BY = 2
    apps = [submitted_app(days_ago=n) for n in range(5)]
    client.force_login(reviewer)
    page = client.get(reverse("review_queue")).content.decode()
    assert "Pagina 1 di 2" in page and "oltre 1.000 risultati" in page
    assert apps[4].receipt_number in page and apps[3].receipt_number in page  # oldest first
    assert apps[2].receipt_number in client.get(reverse("review_queue"), {"page": 2}).content.decode()
    assert apps[1].receipt_number not in client.get(reverse("review_queue"), {"page": 3}).content.decode()


def test_the_province_filter_follows_the_sites_province_and_reads_the_applications_own_column(client, reviewer):
    """The queue filters on a copy of the site's province kept on the application, so that PostgreSQL
    can read one index (province, points or due date) in order instead of walking the whole queue and
    joining every site until 25 match (bench: scale). The copy follows the site when it is edited."""
    from review.selectors import review_queue_filtered as queue_filter

    app = submitted_app(province="RM")
    assert app.province == "RM"
    site = app.site
    site.province = "MI"
    site.save()
    app.refresh_from_db()
    assert app.province == "MI"
    client.force_login(reviewer)
    listed = lambda province: app.receipt_number in client.get(reverse("review_queue"), {"province": province}).content.decode()
    assert listed("mi") and not listed("RM")
    # The filter reads the application's own copy, not the site's: with the two apart, the copy decides.
    Application.objects.filter(pk=app.pk).update(province="TO")
    assert listed("TO") and not listed("MI")
    assert [a.pk for a in queue_filter(reviewer, {"province": "TO", "sort": "-points"})[0]] == [app.pk]


def test_the_migration_gives_existing_applications_their_sites_province():
    import importlib

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    migration = importlib.import_module("applications.migrations.0004_application_province")
    # The models as that migration saw them (Site still in applications); the tables are today's.
    apps = MigrationLoader(connection).project_state(("applications", "0004_application_province")).apps
    app = submitted_app(province="NA")
    Application.objects.filter(pk=app.pk).update(province="")  # as the column was added: empty
    migration.copy_site_provinces(apps, None)
    assert Application.objects.get(pk=app.pk).province == "NA"


@pytest.mark.parametrize("sort", ["", "due", "-due", "company", "points", "-points"])
def test_a_deep_page_of_the_queue_reads_its_keys_first_and_shows_the_same_rows_as_an_offset(reviewer, sort):
    """Beyond page 1 the queue reads the page's keys alone (on the sort's index, without joining every
    skipped row's site, company, campaign and reviewer) and then those rows: the same rows in the same
    order as the plain OFFSET page, ties on the sort key included (bench: scale, page 40)."""
    from django.core.paginator import Paginator
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ot24portal.pagination import BoundedPaginator
    from review.selectors import review_queue_filtered

    apps = [submitted_app(days_ago=n % 3) for n in range(7)]  # equal due dates: the pk decides
    Application.objects.filter(pk__in=[a.pk for a in apps[:4]]).update(declared_total=105)
    qs, _ = review_queue_filtered(reviewer, {"sort": sort})
    for number in (1, 2, 3, 4, "x", 99):
        late = BoundedPaginator(qs, 2, late_rows=True).get_page(number)
        plain = Paginator(qs, 2).get_page(number)
        assert [a.pk for a in late] == [a.pk for a in plain], number
        assert (late.number, late.has_next()) == (plain.number, plain.has_next())
    page = BoundedPaginator(qs, 2, late_rows=True).get_page(3)
    with CaptureQueriesContext(connection) as ctx:
        rows = list(page)
        assert [a.site.company.ragione_sociale for a in rows]  # joined in the rows' query
    assert len(ctx.captured_queries) == 0  # read when the page was made: keys, then rows
    queries = _queries_of(lambda: list(BoundedPaginator(qs, 2, late_rows=True).get_page(2)))
    assert len(queries) == 3  # the bounded count, the keys, the rows


def _queries_of(fn):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return ctx.captured_queries

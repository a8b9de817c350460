"""The companies and sites a user works for (their rule twin is held in tests/applications/test_permissions.py)."""
import pytest

from organisations.selectors import companies_for
from tests.factories import SiteFactory, member

pytestmark = pytest.mark.django_db


def test_a_users_companies_are_found_through_indexed_lookups_not_a_scan_of_every_company():
    """companies_for: the OR of membership, representation and mandate over a join made PostgreSQL read
    every company and sort them for DISTINCT (bench: scale, 20,000 companies: 11 ms for a consultant's
    20, twice on the dashboard). The ids now come from a UNION of three lookups by user, each on an
    index; every company still comes once, whichever relations the user has with it."""
    import datetime as dt

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from organisations.models import Mandate
    from tests.factories import CompanyFactory

    both, represented, mandated = SiteFactory().company, CompanyFactory(), CompanyFactory()
    CompanyFactory()  # someone else's
    user = member(both)
    represented.legal_representative = user
    represented.save()
    for company in (both, mandated):
        Mandate.objects.create(consultant=user, company=company, start_date=timezone.localdate() - dt.timedelta(days=1),
                               status=Mandate.Status.ACTIVE, all_sites=True)
    with CaptureQueriesContext(connection) as ctx:
        found = list(companies_for(user).values_list("pk", flat=True))
    assert sorted(found) == sorted([both.pk, represented.pk, mandated.pk])
    assert len(ctx.captured_queries) == 1  # one query, whichever relations the user has with each company

"""The dashboard's own work (issue 21): as many queries for one page as for many, pages counted right, and the
user's companies and sites read once (visibility_for) with the same ids as the querysets."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from organisations.models import Mandate
from tests.factories import (CompanyFactory, SiteFactory, UserFactory, consultant, firm_with, legal_rep, mandate,
                             member, open_campaign)

pytestmark = pytest.mark.django_db


def _dashboard_queries(client, user):
    client.force_login(user)
    client.get("/domande/")  # warm: catalogue loaded in this process
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/domande/")
    assert response.status_code == 200
    return response, [q["sql"] for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]


def test_a_company_dashboard_runs_as_many_queries_for_one_page_as_for_many(client):
    """The page's rows carry the count of all the sites (no separate COUNT), so the number of queries is
    the same for 2 sites and for more than a page (bench: queries constant in data size)."""
    open_campaign()
    site = SiteFactory()
    SiteFactory(company=site.company)
    rep = legal_rep(site.company)
    response, short = _dashboard_queries(client, rep)
    assert len(short) <= 10, short
    assert site.name in response.content.decode()
    for n in range(30):
        SiteFactory(company=site.company, name=f"Sede {n}")
    response, long = _dashboard_queries(client, rep)
    assert "Pagina 1 di 2" in response.content.decode()
    assert len(long) == len(short), (short, long)


def test_a_long_dashboard_still_pages_with_its_count(client, settings):
    settings.OT24_PAGINATE_BY = 2
    open_campaign()
    company = CompanyFactory()
    sites = [SiteFactory(company=company, name=f"Sede {n}") for n in range(5)]
    rep = legal_rep(company)
    client.force_login(rep)
    body = client.get("/domande/").content.decode()
    assert "Pagina 1 di 3" in body
    body = client.get("/domande/?page=3").content.decode()
    assert "Pagina 3 di 3" in body and sites[4].name in body
    settings.OT24_PAGINATE_BY = 5  # exactly one full page: no next page
    body = client.get("/domande/").content.decode()
    assert "Pagina 1 di" not in body and all(s.name in body for s in sites)


def test_visibility_for_gives_the_same_ids_as_the_querysets():
    """Membership, representation, a firm's mandate for all sites, a mandate for chosen sites, and ended,
    future and refused mandates that give nothing."""
    import datetime as dt

    from organisations.selectors import (_company_ids_for, _scoped_site_ids_for, _whole_company_ids_for, sites_for,
                                         visibility_for)

    today = timezone.localdate()
    user = consultant()
    member_of, represented = CompanyFactory(), CompanyFactory()
    member(member_of).delete()  # someone else's membership
    from organisations.models import Membership
    Membership.objects.create(user=user, company=member_of)
    represented.legal_representative = user
    represented.save()
    whole, chosen = CompanyFactory(), SiteFactory()
    SiteFactory(company=chosen.company)  # not named in the mandate
    mandate(whole, firm=firm_with(user))
    mandate(chosen.company, consultant=user, sites=[chosen])
    mandate(CompanyFactory(), consultant=user, start_days_ago=60, end_days_ago=1)  # ended
    mandate(CompanyFactory(), consultant=user, start_days_ago=-2)  # not begun
    mandate(CompanyFactory(), consultant=user, status=Mandate.Status.REFUSED)
    mandate(SiteFactory().company, consultant=UserFactory(), sites=None)  # another consultant's
    for day in (today, today + dt.timedelta(days=3)):
        visible = visibility_for(user, day)
        assert visible.company_ids == {r["company_id"] for r in _company_ids_for(user, day)}
        assert visible.whole_company_ids == {r["company_id"] for r in _whole_company_ids_for(user, day)}
        assert visible.site_ids == {r["site_id"] for r in _scoped_site_ids_for(user, day)}
    visible = visibility_for(user)
    assert visible.company_ids == {member_of.pk, represented.pk, whole.pk, chosen.company_id}
    assert visible.whole_company_ids == {member_of.pk, represented.pk, whole.pk}
    assert visible.site_ids == {chosen.pk}
    assert set(sites_for(user, visible)) == set(sites_for(user))
    assert visibility_for(UserFactory()) == (frozenset(), frozenset(), frozenset())

"""Issue 28, finding 7: a mandate for chosen sites reaches the stress assessments of those sites only.

A consultant whose mandate covers site 2 created an assessment for site 1, read site 1's injury indices
through it and deleted the legal representative's assessment of site 1. An assessment of one site follows
that site, as the application pages do; an assessment of the whole company or of a group of tasks covers
every site, so it needs the whole company (member, legal representative, mandate for all sites)."""
import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from indicators.models import Injury, SiteYearHours
from stress import services
from stress.models import Assessment, Participant
from stress.selectors import assessments_for, attachable_drafts
from tests.factories import PATFactory, SiteFactory, consultant, legal_rep, member

from .pages import create, draft_with_b2d

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_sites():
    site1 = SiteFactory(name="Cantiere Uno")
    PATFactory(site=site1)
    site2 = SiteFactory(company=site1.company, name="Cantiere Due")
    PATFactory(site=site2)
    rep = legal_rep(site1.company)
    scoped = consultant(site1.company, sites=[site2])
    # Site 1's register: its indices must not reach the consultant of site 2.
    for year in (2023, 2024):
        SiteYearHours.objects.create(site=site1, year=year, hours=Decimal(100000))
    Injury.objects.create(site=site1, event_date=dt.date(2024, 3, 1), first_absence=dt.date(2024, 3, 2),
                          last_absence=dt.date(2024, 4, 30))
    return site1, site2, rep, scoped


def assessment(company, rep, *, scope="company", site=None, group=""):
    a = Assessment.objects.create(company=company, scope=scope, site=site, group=group, date=dt.date(2025, 1, 15),
                                  year=2024, created_by=rep)
    Participant.objects.create(assessment=a, name="Mario Rossi", role="datore")
    return a


def form_data(*, scope, site=None, group=""):
    return {"scope": scope, "site": site.pk if site else "", "group": group, "date": "2025-01-15", "year": "2024",
            "method": "Check-list", "people-TOTAL_FORMS": "1", "people-INITIAL_FORMS": "0",
            "people-MIN_NUM_FORMS": "0", "people-MAX_NUM_FORMS": "1000", "people-0-name": "Mario Rossi",
            "people-0-role": "datore"}


def test_the_consultant_of_site_2_cannot_create_an_assessment_of_site_1_or_of_the_company(client, two_sites):
    site1, site2, rep, scoped = two_sites
    client.force_login(scoped)
    url = reverse("stress_create", args=[site1.company.pk])
    for data, message in ((form_data(scope="site", site=site1), "Il mandato non riguarda questa unità produttiva"),
                          (form_data(scope="company"), "Il mandato riguarda solo alcune unità produttive"),
                          (form_data(scope="group", group="Autisti"), "Il mandato riguarda solo alcune unità")):
        response = client.post(url, data)
        assert response.status_code == 200, data  # the form again, with the error next to the field
        body = response.content.decode()
        assert message in body and 'value="Mario Rossi"' in body  # said why, nothing lost
    assert not Assessment.objects.exists()
    page = client.get(url).content.decode()
    assert site2.name in page and site1.name not in page  # only their site is offered
    # Their own site: allowed.
    response = client.post(url, form_data(scope="site", site=site2))
    assert response.status_code == 302
    created = Assessment.objects.get()
    assert created.site == site2 and created.created_by == scoped


def test_the_consultant_of_site_2_cannot_read_or_delete_site_1s_assessment(client, two_sites):
    site1, site2, rep, scoped = two_sites
    of_site1 = assessment(site1.company, rep, scope="site", site=site1)
    whole = assessment(site1.company, rep)
    group = assessment(site1.company, rep, scope="group", group="Autisti")
    client.force_login(scoped)
    for a in (of_site1, whole, group):
        for name in ("stress_detail", "stress_edit", "stress_figures", "stress_plan", "stress_pdf", "stress_delete"):
            assert client.get(reverse(name, args=[a.pk])).status_code == 404, (name, a.scope)
        assert client.post(reverse("stress_delete", args=[a.pk])).status_code == 404
        assert client.post(reverse("stress_compilation_add", args=[a.pk]), {"compiler": "joint"}).status_code == 404
    assert Assessment.objects.count() == 3 and not of_site1.compilations.exists()
    listing = client.get(reverse("stress_list")).content.decode()
    assert site1.name not in listing and "Intera azienda" not in listing and "Autisti" not in listing
    with pytest.raises(PermissionDenied):
        services.assessment_delete(user=scoped, assessment=of_site1)
    # The legal representative still reads all three.
    client.force_login(rep)
    for a in (of_site1, whole, group):
        assert client.get(reverse("stress_detail", args=[a.pk])).status_code == 200


def test_site_1s_injury_indices_do_not_reach_the_consultant_of_site_2(client, two_sites):
    site1, site2, rep, scoped = two_sites
    of_site1 = assessment(site1.company, rep, scope="site", site=site1)
    whole = assessment(site1.company, rep)
    client.force_login(scoped)
    for a in (of_site1, whole):
        assert client.get(reverse("stress_figures", args=[a.pk])).status_code == 404
    own = assessment(site1.company, rep, scope="site", site=site2)
    page = client.get(reverse("stress_figures", args=[own.pk]))
    assert page.status_code == 200
    client.force_login(rep)
    assert "Dal registro infortuni" in client.get(reverse("stress_figures", args=[of_site1.pk])).content.decode()
    assert "Dal registro infortuni" not in page.content.decode()  # site 2 has no register of its own


def test_a_scoped_consultant_cannot_move_their_assessment_to_another_site_or_the_company(client, two_sites):
    site1, site2, rep, scoped = two_sites
    own = assessment(site1.company, rep, scope="site", site=site2)
    client.force_login(scoped)
    url = reverse("stress_edit", args=[own.pk])
    for data in (form_data(scope="site", site=site1), form_data(scope="company")):
        data.update({"people-INITIAL_FORMS": "1", "people-0-id": own.participants.get().pk})
        assert client.post(url, data).status_code == 200
        own.refresh_from_db()
        assert own.scope == "site" and own.site == site2


def test_drafts_of_other_sites_are_not_offered_to_a_scoped_consultant(two_sites):
    site1, site2, rep, scoped = two_sites
    own = assessment(site1.company, rep, scope="site", site=site2)
    draft1, draft2 = draft_with_b2d(site1, rep), draft_with_b2d(site2, rep)
    # issue 33: only an assessment dated in the campaign's reference year is offered
    Assessment.objects.filter(pk=own.pk).update(date=dt.date(draft1.campaign.reference_year, 1, 15))
    own.refresh_from_db()
    assert set(attachable_drafts(own)) == {draft1, draft2}
    assert list(attachable_drafts(own, user=scoped)) == [draft2]
    assert set(attachable_drafts(own, user=rep)) == {draft1, draft2}


def test_the_rule_and_the_selector_agree(two_sites):
    site1, site2, rep, scoped = two_sites
    company = site1.company
    users = {
        "anonymous": AnonymousUser(), "rep": rep, "scoped": scoped, "member": member(company),
        "whole": consultant(company), "scoped_site1": consultant(company, sites=[site1]),
        "both_sites": consultant(company, sites=[site1, site2]), "ended": consultant(company, sites=[site2],
                                                                                    start_days_ago=90, end_days_ago=1),
        "stranger": legal_rep(SiteFactory().company),
    }
    made = [assessment(company, rep, scope="site", site=site1), assessment(company, rep, scope="site", site=site2),
            assessment(company, rep), assessment(company, rep, scope="group", group="Autisti")]
    expected = {"anonymous": set(), "stranger": set(), "ended": set(), "rep": set(made), "member": set(made),
                "whole": set(made), "scoped": {made[1]}, "scoped_site1": {made[0]}, "both_sites": set(made[:2])}
    for name, user in users.items():
        visible = set(assessments_for(user))
        assert visible == expected[name], name
        for a in made:
            assert user.has_perm("applications.manage_stress", a) == (a in visible), (name, a.scope, a.site_id)

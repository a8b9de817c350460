"""A company and a consultant with a little data, then a lot, for the query counts of the pages of
sign-up and log-in, the company's people and mandates, the consultant's clients, the injury indices and
the stress assessment (tests/test_page_queries.py and `make bench`'s query table, bench/run.py)."""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from tests.factories import (CompanyFactory, PATFactory, SiteFactory, UserFactory, consultant, firm_with, legal_rep,
                             mandate, member)


@dataclass
class World:
    company: object
    rep: object
    site: object
    adviser: object
    assessment: object
    compilation: object


def _figures(assessment, year: int):
    from stress.models import PeriodFigures

    return PeriodFigures(
        assessment=assessment, year=year, injury_frequency="20", injury_severity="0.5", sick_leave_hours="300",
        absence_hours="500", contractual_hours="20000", leave_days_due="260", leave_days_taken="250",
        transfer_requests=1, workers=12, leavers=1, joiners=1, disciplinary_proceedings=1, extraordinary_visits=1,
        stress_reports=1, court_cases_dismissal=1, court_cases_harassment=0)


def _answers() -> dict[str, str]:
    """Every item of areas B and C answered (area A comes from the figures)."""
    from stress.checklist import load_checklist

    return {item.id: item.choices[0].value for item in load_checklist().items() if not item.id.startswith("A")}


def _assessment(company, rep, year: int, *, compilers: int = 1):
    from stress.models import Assessment, Compilation, Measure, Participant
    from stress.services import refresh_result

    assessment = Assessment.objects.create(company=company, date=dt.date(year + 1, 1, 15), year=year, created_by=rep)
    roles = [r for r, _ in Participant.Role.choices]
    people = Participant.objects.bulk_create([Participant(assessment=assessment, name=f"Persona {n}", role=roles[n % len(roles)])
                                              for n in range(max(3, compilers))])
    compilations = Compilation.objects.bulk_create([Compilation(assessment=assessment, participant=p, answers=_answers())
                                                    for p in people[:compilers]])
    _figures(assessment, year).save()
    _figures(assessment, year - 1).save()
    Measure.objects.create(assessment=assessment, title="Riunione periodica", owner="RSPP",
                           deadline=dt.date(year + 1, 6, 30))
    refresh_result(assessment)
    return assessment, compilations[0]


def small_world() -> World:
    """A company (one site, one PAT) with its legal representative, a consultant with this one client, an
    open invitation, a join request, an injury and a year's hours, one stress assessment."""
    from indicators.models import Injury, SiteYearHours
    from organisations.models import Invitation, JoinRequest

    site = SiteFactory()
    PATFactory(site=site)
    company = site.company
    rep = legal_rep(company)
    adviser = consultant(company)
    _invite(company, rep, 0)
    JoinRequest.objects.create(company=company, user=UserFactory())
    year = timezone.localdate().year - 1
    SiteYearHours.objects.create(site=site, year=year, hours=20000)
    Injury.objects.create(site=site, event_date=dt.date(year, 3, 2), first_absence=dt.date(year, 3, 3),
                          last_absence=dt.date(year, 3, 20), description="Caduta")
    assessment, compilation = _assessment(company, rep, year)
    _draft(site, rep)
    assert Invitation.objects.filter(company=company).exists()
    return World(company=company, rep=rep, site=site, adviser=adviser, assessment=assessment, compilation=compilation)


def _draft(site, rep):
    from applications import services
    from tests.factories import open_campaign

    return services.application_start(user=rep, site=site, campaign=open_campaign())


def _invite(company, rep, n: int):
    from organisations.models import Invitation

    return Invitation.objects.create(company=company, email=f"invitato{n}@example.it", created_by=rep,
                                     token_hash=hashlib.sha256(f"{company.pk}-{n}".encode()).hexdigest(),
                                     expires_at=timezone.now() + dt.timedelta(days=7))


def grow(w: World, *, people: int = 30, clients: int = 150, injuries: int = 200, assessments: int = 12) -> None:
    """Much more of everything: people, invitations, join requests, mandates (to consultants and firms,
    some for chosen sites) and history on the company; hundreds of client companies (two sites each) for the
    consultant; years of injuries and hours on more sites; six compilers answering every item, more
    measures and years of assessments."""
    from indicators.models import Injury, SiteYearHours
    from organisations.models import JoinRequest, Membership, OrganisationEvent
    from stress.models import Measure

    company, rep = w.company, w.rep
    for n in range(people):
        member(company, role=Membership.Role.SIGNATORY if n % 5 == 0 else Membership.Role.MEMBER)
        _invite(company, rep, n + 1)
    JoinRequest.objects.bulk_create([JoinRequest(company=company, user=UserFactory()) for _ in range(people // 2)])
    sites = [w.site] + [SiteFactory(company=company) for _ in range(4)]
    for n in range(people // 3):
        if n % 3 == 0:
            mandate(company, firm=firm_with(UserFactory(role="consultant")))
        elif n % 3 == 1:
            mandate(company, consultant=UserFactory(role="consultant"), sites=sites[1:3])
        else:
            mandate(company, consultant=UserFactory(role="consultant"), start_days_ago=400, end_days_ago=10)
    OrganisationEvent.objects.bulk_create([OrganisationEvent(company=company, actor=rep, action="member_added",
                                                             message=f"Evento {n}") for n in range(2 * people)])
    # The consultant's clients.
    for n in range(clients):
        client = CompanyFactory()
        boss = legal_rep(client) if n % 2 else None
        first = SiteFactory(company=client)
        SiteFactory(company=client)
        mandate(client, consultant=w.adviser, can_submit=bool(n % 3))
        if boss is not None and n % 10 == 1:
            _draft(first, boss)
    # Injuries and hours: ten years on every site of the company.
    this_year = timezone.localdate().year
    SiteYearHours.objects.bulk_create([SiteYearHours(site=s, year=y, hours=20000 + y)
                                       for s in sites for y in range(this_year - 10, this_year)
                                       if not (s == w.site and y == this_year - 1)])
    Injury.objects.bulk_create([
        Injury(site=sites[n % len(sites)], event_date=dt.date(this_year - 1 - n % 10, 1 + n % 12, 1 + n % 27),
               first_absence=dt.date(this_year - 1 - n % 10, 1 + n % 12, 2 + n % 27),
               last_absence=dt.date(this_year - 1 - n % 10, 1 + n % 12, 2 + n % 27) + dt.timedelta(days=n % 60),
               commuting=n % 7 == 0, pat=w.site.pats.first() if n % 2 else None, description=f"Infortunio {n}")
        for n in range(injuries)])
    # Stress: every compiler of the current assessment answers everything; years of earlier assessments.
    from stress.models import Compilation, Participant
    from stress.services import refresh_result

    a = w.assessment
    extra = Participant.objects.bulk_create([Participant(assessment=a, name=f"Compilatore {n}", role="altro")
                                             for n in range(5)])
    Compilation.objects.bulk_create([Compilation(assessment=a, participant=p, answers=_answers()) for p in extra])
    Measure.objects.bulk_create([Measure(assessment=a, title=f"Misura {n}", owner="RSPP",
                                         deadline=dt.date(this_year, 1 + n % 12, 1)) for n in range(30)])
    refresh_result(a)
    for n in range(assessments):
        _assessment(company, rep, a.year - 1 - n, compilers=2)


def pages(w: World) -> dict[str, tuple[str, str]]:
    """Page name -> (who opens it: anonymous, rep or consultant; URL)."""
    a, c = w.assessment, w.compilation
    return {
        "sign-up": ("anonymous", reverse("account_signup")),
        "log-in": ("anonymous", reverse("login")),
        "company people and mandates": ("rep", reverse("company_detail", args=[w.company.pk])),
        "company new mandate": ("rep", reverse("mandate_grant", args=[w.company.pk])),
        "consultant clients": ("consultant", reverse("clients")),
        "consultant dashboard search": ("consultant", reverse("dashboard") + "?q=Azienda&status=draft"),
        "injury indices: site": ("rep", reverse("indicators_site", args=[w.site.pk])),
        "injury indices: hours": ("rep", reverse("indicators_hours", args=[w.site.pk])),
        "injury indices: company": ("rep", reverse("indicators_company", args=[w.company.pk])),
        "injury indices: consultant portfolio": ("consultant", reverse("indicators_portfolio")),
        "stress list": ("rep", reverse("stress_list")),
        "stress assessment": ("rep", reverse("stress_detail", args=[a.pk])),
        "stress check-list area C": ("rep", reverse("stress_checklist", args=[a.pk, c.pk, "C"])),
        "stress figures": ("rep", reverse("stress_figures", args=[a.pk])),
        "stress plan": ("rep", reverse("stress_plan", args=[a.pk])),
    }


def users(w: World) -> dict[str, object]:
    return {"anonymous": None, "rep": w.rep, "consultant": w.adviser}


def company_pages_data(company, rep, site):
    """For the bench's load mix: a company's people (members, open invitations, a join request), five
    years of hours and twenty injuries on its site, a stress assessment with three compilers' answers.
    Returns the assessment."""
    from indicators.models import Injury, SiteYearHours
    from organisations.models import JoinRequest

    for n in range(3):
        member(company)
        _invite(company, rep, n + 1)
    JoinRequest.objects.create(company=company, user=UserFactory())
    year = timezone.localdate().year - 1
    SiteYearHours.objects.bulk_create([SiteYearHours(site=site, year=year - n, hours=15000 + 100 * n) for n in range(5)])
    Injury.objects.bulk_create([
        Injury(site=site, event_date=dt.date(year - n % 5, 1 + n % 12, 1 + n % 27),
               first_absence=dt.date(year - n % 5, 1 + n % 12, 2 + n % 27),
               last_absence=dt.date(year - n % 5, 1 + n % 12, 2 + n % 27) + dt.timedelta(days=n % 40),
               description=f"Infortunio {n}") for n in range(20)])
    return _assessment(company, rep, year, compilers=3)[0]

"""stress_reminders: monitoring reminders by level at the documented intervals, and overdue measures, each
e-mailed once per due date."""
import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from notifications.models import OutgoingEmail
from stress.models import Assessment, Measure
from stress.reminders import monitoring_due
from tests.factories import SiteFactory, UserFactory, consultant, legal_rep, member

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.mark.parametrize("level,today,expected", [
    ("basso", D(2026, 12, 15), []),  # 24 months: due 15/01/2027, notice from 16/12/2026
    ("basso", D(2026, 12, 16), [("reassess", D(2027, 1, 15))]),
    ("medio", D(2025, 12, 15), []),
    ("medio", D(2025, 12, 16), [("monitor", D(2026, 1, 15))]),
    ("medio", D(2027, 1, 1), [("monitor", D(2027, 1, 15))]),  # every 12 months: the latest only
    ("alto", D(2025, 3, 16), [("survey", D(2025, 4, 15))]),  # survey 3 months after
    ("alto", D(2025, 12, 20), [("survey", D(2025, 4, 15)), ("monitor", D(2026, 1, 15))]),
])
def test_intervals_by_level(level, today, expected):
    assert monitoring_due(level, D(2025, 1, 15), today) == expected


def make(company, user, level, date=D(2025, 1, 15), **kwargs):
    return Assessment.objects.create(company=company, date=date, year=date.year - 1, level=level,
                                     total=Decimal(20), created_by=user, **kwargs)


def run(today):
    call_command("stress_reminders", today=today, stdout=open("/dev/null", "w"))


def test_reminders_go_once_per_due_date_with_a_link():
    site = SiteFactory()
    rep = legal_rep(site.company)
    adviser = consultant(site.company)
    member(site.company)
    assessment = make(site.company, rep, "medio")
    run(D(2025, 12, 1))
    assert OutgoingEmail.objects.count() == 0
    run(D(2025, 12, 20))
    run(D(2025, 12, 21))
    mails = list(OutgoingEmail.objects.all())
    assert len(mails) == 1
    assert "monitoraggio degli indicatori entro il 15/01/2026" in mails[0].subject
    assert f"/stress/{assessment.pk}/" in mails[0].body
    assert rep.email in mails[0].recipients and adviser.email in mails[0].recipients
    run(D(2026, 12, 20))  # the next yearly date: one more
    assert OutgoingEmail.objects.count() == 2


def test_only_the_latest_assessment_of_a_scope_is_reminded():
    site = SiteFactory()
    rep = legal_rep(site.company)
    make(site.company, rep, "medio", date=D(2024, 1, 15))
    make(site.company, rep, "basso", date=D(2025, 1, 15))
    run(D(2025, 12, 20))
    assert OutgoingEmail.objects.count() == 0  # the 2024 one is replaced; the 2025 basso is due in 2027
    make(site.company, rep, "medio", date=D(2024, 1, 15), scope="site", site=site)
    run(D(2025, 12, 20))
    assert OutgoingEmail.objects.count() == 1


def test_overdue_measures_once_per_deadline():
    site = SiteFactory()
    rep = legal_rep(site.company)
    assessment = make(site.company, rep, "basso")
    measure = Measure.objects.create(assessment=assessment, title="Formazione", owner="Mario Rossi",
                                     deadline=D(2025, 6, 30))
    Measure.objects.create(assessment=assessment, title="Fatta", owner="Mario Rossi", deadline=D(2025, 6, 30),
                           status=Measure.Status.DONE)
    run(D(2025, 6, 30))
    assert OutgoingEmail.objects.count() == 0
    run(D(2025, 7, 1))
    run(D(2025, 7, 2))
    assert OutgoingEmail.objects.count() == 1
    assert "Formazione" in OutgoingEmail.objects.get().body
    measure.deadline = D(2025, 9, 30)
    measure.save()
    run(D(2025, 10, 1))
    assert OutgoingEmail.objects.count() == 2

"""Helpers of the stress page tests: an assessment filled in through the pages, as a user would."""
import datetime as dt

from django.urls import reverse

from applications import services as app_services
from interventions.models import Intervention
from stress.checklist import load_checklist
from stress.models import Assessment, Compilation
from tests.factories import open_campaign

from . import seed_example

CHECKLIST = load_checklist()
ASSESSED_ON = dt.date(2025, 1, 15)


def figures(**overrides):
    """One year's figures (form field names without the prefix)."""
    values = dict(injury_frequency="20", injury_severity="0.5", sick_leave_hours="300", absence_hours="500",
                  contractual_hours="20000", leave_days_due="260", leave_days_taken="250", transfer_requests="1",
                  workers="12", leavers="1", joiners="1", disciplinary_proceedings="1", extraordinary_visits="1",
                  stress_reports="1", court_cases_dismissal="1", court_cases_harassment="0")
    values.update(overrides)
    return values


LOWER = figures(injury_frequency="10", injury_severity="0.2", sick_leave_hours="100", absence_hours="200",
                leave_days_taken="260", transfer_requests="0", leavers="0", joiners="0", disciplinary_proceedings="0",
                extraordinary_visits="0", stress_reports="0", court_cases_dismissal="0")


def create(client, company, *, scope="company", site=None, group="", date=ASSESSED_ON, people=None):
    people = people or [("Mario Rossi", "datore"), ("Anna Bianchi", "rspp"), ("Luca Verdi", "rls")]
    data = {"scope": scope, "site": site.pk if site else "", "group": group, "date": date.isoformat(),
            "year": date.year - 1, "method": "Check-list Spisal Verona",
            "people-TOTAL_FORMS": str(max(3, len(people))), "people-INITIAL_FORMS": "0",
            "people-MIN_NUM_FORMS": "0", "people-MAX_NUM_FORMS": "1000"}
    for n, (name, role) in enumerate(people):
        data[f"people-{n}-name"], data[f"people-{n}-role"] = name, role
    response = client.post(reverse("stress_create", args=[company.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return Assessment.objects.latest("pk")


def post_figures(client, assessment, current, previous):
    data = {f"y{assessment.year}-{k}": v for k, v in current.items()}
    data.update({f"y{assessment.year - 1}-{k}": v for k, v in previous.items()})
    return client.post(reverse("stress_figures", args=[assessment.pk]), data)


def add_compilation(client, assessment, participant=None) -> Compilation:
    response = client.post(reverse("stress_compilation_add", args=[assessment.pk]),
                           {"compiler": participant.pk if participant else "joint"})
    assert response.status_code == 302
    return assessment.compilations.latest("pk")


def fill_area(client, assessment, compilation, area, answers: dict):
    data = {k: v for k, v in answers.items() if k.startswith(area)}
    data["next"] = "1"
    return client.post(reverse("stress_checklist", args=[assessment.pk, compilation.pk, area]), data)


def seed_answers_of(compiler_index: int) -> dict:
    """The seed's six compilers: compiler i gives the risk answer to items whose count exceeds i."""
    answers = {}
    for item in CHECKLIST.items():
        if item.id.startswith("A"):
            continue
        k = seed_example.RISK_COUNTS.get(item.id, 0)
        answers[item.id] = seed_example.risk_value(item) if compiler_index < k else seed_example.safe_value(item)
    return answers


def draft_with_b2d(site, rep, suboptions=frozenset({1, 2, 3, 6})):
    app = app_services.application_start(user=rep, site=site, campaign=open_campaign())
    b2d = Intervention.objects.get(code="B2d", section__edition__code="ot24")
    app_services.application_save_section(user=rep, application=app, section="B", version=app.version,
                                          chosen={"B2d": (frozenset(suboptions), b2d.declarations.exists())})
    app.refresh_from_db()
    return app

"""The dated report of a stress assessment (WeasyPrint, templates/pdf/stress.html), following the seed's
structure: identification; method and people; results per area with the band tables; level and note;
the improvement plan; signature lines. A plain PDF (no attachments, no scripts), so it passes the
evidence upload checks when attached to an application."""
from __future__ import annotations

import datetime as dt

from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from .checklist import load_checklist
from .models import Assessment
from .selectors import assessment_state, history


def report_context(assessment: Assessment, *, today: dt.date | None = None) -> dict:
    from .views import result_rows  # the same rows as the page

    checklist = load_checklist()
    state = assessment_state(assessment)
    return {
        "assessment": assessment,
        "checklist": checklist,
        "state": state,
        "rows": result_rows(checklist, state) if state.result else [],
        "level": checklist.level(assessment.level) if assessment.level else None,
        "participants": list(assessment.participants.all()),
        "measures": list(assessment.measures.all()),
        "history": history(assessment),
        "printed_on": today or timezone.localdate(),
        "reference_year": assessment.date.year,  # the OT24 reference year it can document (issue 33)
    }


def render_stress_pdf(assessment: Assessment, *, today: dt.date | None = None) -> bytes:
    html = render_to_string("pdf/stress.html", report_context(assessment, today=today))
    return HTML(string=html).write_pdf()

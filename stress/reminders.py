"""Monitoring reminders of stress assessments (manage.py stress_reminders, once a day).

Intervals by level (the check-list's `reassess_months`, and for alto the survey first):
- basso: re-assess 24 months after the assessment's date, and every 24 months after that;
- medio: monitor the indicators 12 months after, then every 12 months;
- alto: a survey of how workers perceive stress 3 months after (PERCEPTION_SURVEY_MONTHS), then monitoring
  12 months after and every 12 months.
A reminder goes REMIND_DAYS_BEFORE days before its due date (or at the first run after that), once per due
date, only for the latest assessment of its scope (a newer assessment replaces the older one's schedule).
An improvement measure still planned or in progress past its deadline gets one reminder per deadline (a new
deadline, a new reminder)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from .checklist import load_checklist

PERCEPTION_SURVEY_MONTHS = 3
REMIND_DAYS_BEFORE = 30


@dataclass(frozen=True)
class Due:
    key: str
    due_date: dt.date
    context: dict  # for the template notifications/stress_reminder


def monitoring_due(level: str, assessed_on: dt.date, today: dt.date) -> list[tuple[str, dt.date]]:
    """(kind, due date) of the reminders whose notice period has started by `today`: the survey (alto)
    and the latest monitoring / re-assessment date (pure)."""
    checklist_level = load_checklist().level(level)
    notice = today + dt.timedelta(days=REMIND_DAYS_BEFORE)
    due: list[tuple[str, dt.date]] = []
    if checklist_level.perception_survey:
        survey = assessed_on + relativedelta(months=PERCEPTION_SURVEY_MONTHS)
        if survey <= notice:
            due.append(("survey", survey))
    months = checklist_level.reassess_months
    latest = None
    n = 1
    while (when := assessed_on + relativedelta(months=months * n)) <= notice:
        latest = when
        n += 1
    if latest is not None:
        due.append(("reassess" if level == "basso" else "monitor", latest))
    return due


def assessment_dues(assessment, today: dt.date, link: str) -> list[Due]:
    """The reminders due today: each with what templates/notifications/stress_reminder*.txt show (the
    e-mail is rendered there, in each recipient's language)."""
    dues = []
    if assessment.level:
        level = load_checklist().level(assessment.level)
        for kind, when in monitoring_due(assessment.level, assessment.date, today):
            dues.append(Due(f"{kind}:{when.isoformat()}", when, {
                "kind": kind, "date": f"{when:%d/%m/%Y}", "assessment": assessment, "level": level.title,
                "follow_up": level.follow_up, "link": link}))
    for measure in assessment.measures.all():
        if measure.status in measure.OPEN and measure.deadline < today:
            dues.append(Due(f"measure:{measure.pk}:{measure.deadline.isoformat()}", measure.deadline, {
                "kind": "measure", "date": f"{measure.deadline:%d/%m/%Y}", "assessment": assessment,
                "measure": measure, "link": link}))
    return dues

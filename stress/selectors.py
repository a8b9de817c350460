"""Reads of stress assessments: which ones a user may see (twin of rules' manage_stress), one assessment's
answers, area A figures and result (stress.scoring), its history, and the drafts its report may go to."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db.models import Q, QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from applications.models import Application, Campaign
from organisations.selectors import site_filter_for, visibility_for

from . import scoring
from .checklist import Checklist, load_checklist
from .models import Assessment, Compilation, PeriodFigures

B2D = "B2d"
B2D_SURVEY_SUBOPTION = 6  # "iniziative di rilevazione e monitoraggio del benessere organizzativo e individuale"


def assessments_for(user) -> QuerySet[Assessment]:
    """The assessments the user may see (twin of rules.works_on_assessed): every one of the companies all of
    whose sites the user works on (member, legal representative, mandate for all sites), and those of a
    productive unit named in the user's mandates for chosen sites."""
    if not user.is_authenticated:
        return Assessment.objects.none()
    visible = visibility_for(user)
    shown = Q(company_id__in=sorted(visible.whole_company_ids))
    if visible.site_ids:
        shown |= Q(scope=Assessment.Scope.SITE, site_id__in=sorted(visible.site_ids))
    return Assessment.objects.filter(shown).select_related("company", "site")


def compilation_progress(compilation: Compilation, checklist: Checklist | None = None) -> dict[str, tuple[int, int]]:
    """{area key: (answered, items)} for the check-list areas a compiler fills in (B and C)."""
    checklist = checklist or load_checklist()
    progress = {}
    for area in checklist.areas[1:]:
        items = area.items()
        answered = sum(1 for i in items if i.choice(compilation.answers.get(i.id, "")) is not None)
        progress[area.key] = (answered, len(items))
    return progress


def figures_of(assessment: Assessment) -> tuple[PeriodFigures | None, PeriodFigures | None]:
    rows = {f.year: f for f in assessment.figures.all()}
    return rows.get(assessment.year), rows.get(assessment.year - 1)


def to_scoring_figures(row: PeriodFigures) -> scoring.PeriodFigures:
    return scoring.PeriodFigures(**{name: getattr(row, name) for name in PeriodFigures.FIGURE_FIELDS})


@dataclass
class AssessmentState:
    """What the assessment's pages show: the result when everything is there, otherwise what is missing."""

    compilations: list
    area_a: dict[str, str] | None  # area A answers from the figures
    indicator_values: dict | None  # this year's indicator values, {indicator key: value}
    missing: list[str] = field(default_factory=list)
    result: scoring.StressResult | None = None

    @property
    def complete(self) -> bool:
        return self.result is not None


def assessment_state(assessment: Assessment) -> AssessmentState:
    checklist = load_checklist()
    compilations = list(assessment.compilations.select_related("participant"))
    missing: list[str] = []
    area_a = values = None
    current, previous = figures_of(assessment)
    if current is None or previous is None:
        missing.append(_("Indicatori aziendali (area A) del %(year)s e del %(prev)s da inserire.")
                       % {"year": assessment.year, "prev": assessment.year - 1})
    else:
        try:
            area_a = scoring.area_a_answers(checklist, current=to_scoring_figures(current),
                                            previous=to_scoring_figures(previous))
            values = scoring.indicator_values(to_scoring_figures(current))
        except scoring.StressInputError as exc:
            missing.append(str(exc))
    if not compilations:
        missing.append(_("Nessuna check-list compilata (aree B e C)."))
    for compilation in compilations:
        for area_key, (answered, items) in compilation_progress(compilation, checklist).items():
            if answered < items:
                missing.append(_("%(who)s: area %(area)s, %(answered)s risposte su %(items)s.")
                               % {"who": compilation, "area": area_key, "answered": answered, "items": items})
    state = AssessmentState(compilations, area_a, values, missing)
    if not missing:
        answers: dict[str, object] = dict(area_a)
        for item in checklist.items():
            if item.id in answers:
                continue
            given = [c.answers[item.id] for c in compilations]
            answers[item.id] = given if len(given) > 1 else given[0]
        state.result = scoring.score(checklist, answers)
    return state


def as_decimal_text(value: Fraction) -> str:
    """2.5 -> '2,50' in Italian, '2.50' in English (scores as the seed prints them, in the reader's notation)."""
    return number_format(Decimal(f"{float(value):.2f}"), decimal_pos=2, use_l10n=True)


def history(assessment: Assessment) -> list[Assessment]:
    """Assessments of the same scope with a result, oldest first (the chart compares them area by area)."""
    return list(assessment.same_scope().exclude(level="").order_by("date", "pk"))


def current_campaign() -> Campaign | None:
    return Campaign.objects.filter(is_open=True).select_related("edition").order_by("-filing_year").first()


def attachable_drafts(assessment: Assessment, user=None) -> QuerySet[Application]:
    """The current campaign's drafts for the company's sites that do not hold this report yet, when the
    assessment is dated in the campaign's reference year (none otherwise); with a user,
    only those of the sites the user works on (a mandate for chosen sites does not reach the others)."""
    campaign = current_campaign()
    if campaign is None or assessment.date.year != campaign.reference_year:
        return Application.objects.none()  # dated outside the reference year: not evidence for this campaign
    attached = assessment.attachments.values("evidence_file__application_id")
    drafts = Application.objects.filter(campaign=campaign, status=Application.Status.DRAFT,
                                        site__company_id=assessment.company_id)
    if user is not None:
        drafts = drafts.filter(site_filter_for(user, prefix="site__"))
    return drafts.exclude(pk__in=attached).select_related("site", "campaign").order_by("site__name")


def company_recipients(company) -> list[str]:
    """Who hears about a company's assessments: members, the legal representative, consultants with a
    current mandate."""
    from organisations.models import Mandate

    emails = {m.user.email for m in company.memberships.select_related("user")}
    if company.legal_representative_id:
        emails.add(company.legal_representative.email)
    emails.update(Mandate.objects.current().filter(company=company).values_list("consultant__email", flat=True))
    return sorted(e for e in emails if e)

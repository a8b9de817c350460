"""Writes of stress assessments: every one checks `applications.manage_stress` on the assessment (what it
covers: its site or the whole company, stress.rules), runs in a
transaction and refreshes the cached result (level, total, area scores) the lists, history and reminders read."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from applications.models import Application
from evidence import services as evidence_services
from interventions.models import EvidenceItem

from .checklist import load_checklist
from .models import Assessment, Attachment, Compilation, Measure, Participant
from .selectors import B2D, B2D_SURVEY_SUBOPTION, assessment_state


def require(user, assessment: Assessment) -> None:
    if not user.has_perm("applications.manage_stress", assessment):
        raise PermissionDenied(_("Operazione non consentita per questo utente."))


def refresh_result(assessment: Assessment) -> Assessment:
    """Recompute the result from the answers and figures and cache it on the assessment."""
    state = assessment_state(assessment)
    if state.result is None:
        level, total, scores = "", None, {}
    else:
        level = state.result.level.level
        total = Decimal(str(float(state.result.total)))
        scores = {k: float(a.score) for k, a in state.result.areas.items()}
    Assessment.objects.filter(pk=assessment.pk).update(level=level, total=total, area_scores=scores)
    assessment.level, assessment.total, assessment.area_scores = level, total, scores
    return assessment


@transaction.atomic
def assessment_save(*, user, form, formset, company) -> Assessment:
    """Create or update an assessment with its people (form: AssessmentForm, formset: ParticipantFormSet)."""
    if form.instance.pk:  # as it was: the form has already put the new scope and site on the instance
        require(user, Assessment.objects.select_related("company", "site").get(pk=form.instance.pk))
    assessment = form.save(commit=False)
    assessment.company = company
    require(user, assessment)  # and as it will be
    if not assessment.pk:
        assessment.created_by = user
    assessment.save()
    formset.instance = assessment
    formset.save()
    return refresh_result(assessment)


@transaction.atomic
def assessment_delete(*, user, assessment: Assessment) -> None:
    require(user, assessment)
    assessment.delete()


@transaction.atomic
def compilation_add(*, user, assessment: Assessment, participant: Participant | None) -> Compilation:
    """A new check-list for a participant, or the joint one (participant None). A joint check-list stands
    alone: it is not mixed with individual ones."""
    require(user, assessment)
    Assessment.objects.select_for_update().get(pk=assessment.pk)
    existing = assessment.compilations.all()
    if participant is None and existing.exists():
        raise ValidationError(_("La compilazione congiunta sostituisce quelle individuali: eliminare prima le "
                                "compilazioni esistenti."))
    if participant is not None and existing.filter(participant__isnull=True).exists():
        raise ValidationError(_("È già presente una compilazione congiunta: le compilazioni individuali non "
                                "si sommano a quella congiunta."))
    if participant is not None and participant.assessment_id != assessment.pk:
        raise ValidationError(_("La persona indicata non partecipa a questa valutazione."))
    if participant is not None and existing.filter(participant=participant).exists():
        raise ValidationError(_("%(name)s ha già una compilazione.") % {"name": participant.name})
    compilation = Compilation.objects.create(assessment=assessment, participant=participant)
    refresh_result(assessment)
    return compilation


@transaction.atomic
def compilation_save_area(*, user, compilation: Compilation, area_key: str, answers: dict[str, str]) -> Compilation:
    """Save one area's answers (unanswered items stay empty: the check-list is resumable)."""
    assessment = compilation.assessment
    require(user, assessment)
    compilation = Compilation.objects.select_for_update().get(pk=compilation.pk)
    checklist = load_checklist()
    merged = dict(compilation.answers)
    for item in checklist.area(area_key).items():
        value = answers.get(item.id) or ""
        if value and item.choice(value) is None:
            raise ValidationError(_("Risposta non valida per %(id)s.") % {"id": item.id})
        if value:
            merged[item.id] = value
        else:
            merged.pop(item.id, None)
    compilation.answers = merged
    compilation.save(update_fields=["answers", "updated_at"])
    refresh_result(assessment)
    return compilation


@transaction.atomic
def compilation_delete(*, user, compilation: Compilation) -> None:
    require(user, compilation.assessment)
    assessment = compilation.assessment
    compilation.delete()
    refresh_result(assessment)


@transaction.atomic
def figures_save(*, user, assessment: Assessment, forms) -> Assessment:
    """forms: the two PeriodFiguresForms (this year, the year before), already valid."""
    require(user, assessment)
    for form, year in zip(forms, (assessment.year, assessment.year - 1)):
        row = form.save(commit=False)
        row.assessment, row.year = assessment, year
        row.save()
    return refresh_result(assessment)


@transaction.atomic
def measures_save(*, user, assessment: Assessment, formset) -> None:
    require(user, assessment)
    formset.instance = assessment
    formset.save()


@transaction.atomic
def measures_add_proposals(*, user, assessment: Assessment) -> int:
    """Add the check-list's proposed measures not yet in the plan; each falls due after its months from the
    assessment's date and is owned by the employer (editable). Returns how many were added."""
    require(user, assessment)
    present = set(assessment.measures.exclude(seed_number=None).values_list("seed_number", flat=True))
    employer = assessment.participants.filter(role=Participant.Role.EMPLOYER).first()
    owner = employer.name if employer else _("Datore di lavoro")
    added = 0
    for proposal in load_checklist().measures:
        if proposal.number in present:
            continue
        Measure.objects.create(assessment=assessment, title=proposal.title, objective=proposal.objective,
                               owner=owner, deadline=assessment.date + relativedelta(months=proposal.months),
                               seed_number=proposal.number)
        added += 1
    return added


@transaction.atomic
def measure_delete(*, user, measure: Measure) -> None:
    require(user, measure.assessment)
    measure.delete()


class NotAttachable(ValidationError):
    """The report cannot go to this application; `link` points where to fix it (section B)."""

    def __init__(self, message, link=""):
        super().__init__(message)
        self.link = link


B2D_REPORT_LABEL = "Procedure e piani operativi, datati e firmati dal datore di lavoro"


def b2d_survey_item(application: Application) -> EvidenceItem:
    """The B2d evidence item the report documents (issue 33): among the form's alternative documents
    ("in alternativa"), "Procedure e piani operativi, datati e firmati dal datore di lavoro, da cui si evinca
    la realizzazione dell'attività": a dated document, signed by the employer, showing the monitoring of
    organisational well-being (point 6) carried out. Not the questionnaires' item, which the report is not."""
    return (EvidenceItem.objects.filter(intervention__section__edition=application.campaign.edition,
                                        intervention__code=B2D, label__startswith=B2D_REPORT_LABEL)
            .order_by("order").first())


def report_filename(assessment: Assessment) -> str:
    return f"valutazione-stress-{assessment.date:%Y-%m-%d}-{assessment.pk}.pdf"


def attach_report(*, user, assessment: Assessment, application: Application, today: dt.date | None = None):
    """Render the dated report and attach it to the draft as B2d evidence (point 6), through
    evidence.services so it is checked, hashed and stored privately like any upload."""
    from .pdf import render_stress_pdf

    require(user, assessment)
    assessment = Assessment.objects.select_related("company", "site").get(pk=assessment.pk)
    if application.site.company_id != assessment.company_id:
        raise PermissionDenied(_("La domanda non è di questa azienda."))
    section_b = reverse("application_step", args=[application.pk, "B"])
    selection = application.selections.filter(intervention__code=B2D).first()
    if selection is None:
        raise NotAttachable(_("Nella domanda non è selezionato l'intervento B2d: selezionarlo nella sezione B "
                              "(con il punto 6) per allegare la valutazione."), section_b)
    if B2D_SURVEY_SUBOPTION not in (selection.suboptions or []):
        raise NotAttachable(_("Nell'intervento B2d non è indicato il punto 6 (rilevazione e monitoraggio del "
                              "benessere organizzativo): indicarlo nella sezione B per allegare la valutazione."),
                            section_b)
    if not assessment.level:
        raise ValidationError(_("La valutazione non è completa: non c'è ancora un risultato da allegare."))
    year = application.campaign.reference_year
    if assessment.date.year != year:
        raise ValidationError(_("La valutazione è datata %(date)s, fuori dall'anno di riferimento %(year)s della "
                                "domanda: non può documentare l'intervento B2d di questa campagna.")
                              % {"date": assessment.date.strftime("%d/%m/%Y"), "year": year})
    item = b2d_survey_item(application)
    with translation.override("it"):  # the report goes to INAIL with the application: Italian, as the other PDFs
        pdf = render_stress_pdf(assessment, today=today)
    with transaction.atomic():
        # Attached "da firmare": it documents B2d once the employer has signed it (evidence.services).
        evidence = evidence_services.evidence_add_generated(
            user=user, application=application, evidence_item=item, name=report_filename(assessment), pdf=pdf)
        Attachment.objects.create(assessment=assessment, evidence_file=evidence)
    return evidence

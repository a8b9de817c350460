"""Writes of the reviewers' side: taking and assigning applications, verdicts, internal notes, clarification
requests and answers, the decision and its sealed letter. Each checks role and state and runs atomically;
the reads are in selectors.py."""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from applications import workflow
from applications.messaging import messenger
from applications.models import Application, Event
from applications.selectors import application_selections
from ot24portal.filestore import storage
from evidence.models import EvidenceFile
from evidence.services import store_evidence
from interventions.models import Intervention
from organisations.selectors import tied_company_ids

from .models import Clarification, Verdict
from .selectors import latest_verdicts, open_clarification, validated_score

S = Application.Status


def _require_untied(user, application: Application) -> None:
    """Nobody reviews an application of a company they have or had any tie to (issue 28), asked afresh."""
    if application.site.company_id in tied_company_ids(user):
        raise PermissionDenied(
            gettext("Hai o hai avuto un legame con l'azienda di questa domanda: non puoi istruirla."))


def _require_assigned_reviewer(user, application: Application) -> None:
    if not (user.is_authenticated and user.is_reviewer):
        raise PermissionDenied(gettext("Solo i revisori INAIL possono istruire le domande."))
    if application.reviewer_id != user.pk:
        raise PermissionDenied(gettext("La domanda è assegnata a un altro revisore: prenderla in carico prima di giudicarla."))
    _require_untied(user, application)


@transaction.atomic
def review_take(*, user, application: Application) -> Application:
    """A reviewer takes a submitted application: it becomes theirs and its review starts."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if not (user.is_authenticated and user.is_reviewer):
        raise PermissionDenied(gettext("Solo i revisori INAIL possono prendere in carico una domanda."))
    if application.reviewer_id and application.reviewer_id != user.pk:
        raise ValidationError(gettext("La domanda è già assegnata a %(reviewer)s.") % {"reviewer": application.reviewer})
    _require_untied(user, application)
    application.reviewer = user
    Application.objects.filter(pk=application.pk).update(reviewer=user)
    if application.status == Application.Status.SUBMITTED:
        workflow.transition(application, "start_review", user=user)
    return application


@transaction.atomic
def review_assign(*, user, applications: list[Application], reviewer) -> int:
    """A supervisor assigns applications in bulk to a reviewer (not yet decided ones only)."""
    if not user.has_perm("applications.assign_reviews"):
        raise PermissionDenied(gettext("Solo i supervisori possono assegnare le domande."))
    if not reviewer.is_reviewer:
        raise ValidationError(gettext("L'utente scelto non è un revisore."))
    ids = [a.pk for a in applications]
    locked = list(Application.objects.select_for_update(of=("self",)).select_related("site")
                  .filter(pk__in=ids, status__in=workflow.OPEN_STATES))
    tied = tied_company_ids(reviewer) | tied_company_ids(user)
    conflicts = [a.receipt_number or str(a.pk) for a in locked if a.site.company_id in tied]
    if conflicts:
        raise ValidationError(gettext("Nessuna domanda assegnata: %(reviewer)s o chi assegna ha o ha avuto un legame "
                                      "con l'azienda delle domande %(receipts)s.")
                              % {"reviewer": reviewer, "receipts": ", ".join(conflicts)})
    count = 0
    for application in locked:
        Application.objects.filter(pk=application.pk).update(reviewer=reviewer)
        messenger(application, "assign", actor=user, internal=True,
                  message_code="assigned_to", message_params={"reviewer": str(reviewer)})
        count += 1
    return count


@transaction.atomic
def verdict_record(*, user, application: Application, intervention: Intervention, outcome: str, reason: str = "",
                   evidence_file: EvidenceFile | None = None) -> Verdict:
    application = Application.objects.select_for_update().get(pk=application.pk)
    _require_assigned_reviewer(user, application)
    if application.status not in workflow.REVIEWABLE_STATES:
        raise ValidationError(gettext("Non si possono dare giudizi quando la domanda è «%(status)s».")
                              % {"status": application.get_status_display()})
    if outcome not in Verdict.Outcome.values:
        raise ValidationError(gettext("Scegliere l'esito."))
    if outcome != Verdict.Outcome.SUITABLE and not reason.strip():
        raise ValidationError(gettext("Indicare la motivazione del giudizio."))
    if not application.selections.filter(intervention=intervention).exists():
        raise ValidationError(gettext("L'intervento non è dichiarato in questa domanda."))
    if evidence_file is not None and (evidence_file.application_id != application.pk
                                      or evidence_file.evidence_item.intervention_id != intervention.pk):
        raise ValidationError(gettext("Il file non appartiene a questo intervento."))
    return Verdict.objects.create(application=application, intervention=intervention, evidence_file=evidence_file,
                                  outcome=outcome, reason=reason.strip(), reviewer=user)


class VerdictErrors(ValidationError):
    """Some items of a verdict form were refused: `by_key` maps each item's key to its message."""

    def __init__(self, by_key: dict[str, str]):
        super().__init__(list(by_key.values()))
        self.by_key = by_key


@transaction.atomic
def verdicts_record(*, user, application: Application, items: list[dict]) -> list[Verdict]:
    """Every verdict of one form in one save: each item (key, intervention, evidence_file, outcome, reason)
    through verdict_record; if any is refused, none is kept (VerdictErrors says which, by key)."""
    errors: dict[str, str] = {}
    recorded = []
    for item in items:
        try:
            with transaction.atomic():
                recorded.append(verdict_record(user=user, application=application, intervention=item["intervention"],
                                               evidence_file=item.get("evidence_file"), outcome=item["outcome"],
                                               reason=item.get("reason", "")))
        except ValidationError as exc:
            errors[item["key"]] = " ".join(exc.messages)
    if errors:
        raise VerdictErrors(errors)  # leaves the outer atomic block: every verdict above is rolled back
    return recorded


@transaction.atomic
def note_add(*, user, application: Application, message: str) -> Event:
    """The assigned reviewer's internal note on the timeline: never shown to applicants."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    _require_assigned_reviewer(user, application)
    if not message.strip():
        raise ValidationError(gettext("La nota è vuota."))
    return messenger(application, "note", actor=user, message=message.strip(), internal=True)


@transaction.atomic
def clarification_request(*, user, application: Application, request: str, interventions: list[Intervention],
                          deadline: dt.date | None = None) -> Clarification:
    application = Application.objects.select_for_update().get(pk=application.pk)
    _require_assigned_reviewer(user, application)
    if not request.strip():
        raise ValidationError(gettext("Indicare i documenti o i chiarimenti richiesti."))
    deadline = deadline or timezone.localdate() + dt.timedelta(days=settings.OT24_CLARIFICATION_DAYS)
    if deadline <= timezone.localdate():
        raise ValidationError(gettext("Il termine per la risposta deve essere una data futura."))
    workflow.transition(application, "request_clarification", user=user,
                        message_code="answer_deadline",
                        message_params={"text": request.strip(), "deadline": deadline})
    clarification = Clarification.objects.create(application=application, requested_by=user, request=request.strip(),
                                                 deadline=deadline)
    clarification.interventions.set(interventions)
    return clarification


@transaction.atomic
def clarification_add_file(*, user, application: Application, evidence_item, uploaded_file) -> EvidenceFile:
    """A document in answer to the open request: a new hashed record; the submitted PDF stays as it was."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    clarification = open_clarification(application)
    if application.status != S.CLARIFICATION_REQUESTED or clarification is None:
        raise PermissionDenied(gettext("Non ci sono richieste di chiarimento aperte per questa domanda."))
    if not workflow.allowed(user, application, "answer_clarification"):
        raise PermissionDenied(gettext("Operazione non consentita per questo utente."))
    if not clarification.interventions.filter(pk=evidence_item.intervention_id).exists():
        raise ValidationError(gettext("Il documento non riguarda gli interventi indicati nella richiesta di chiarimenti."))
    return store_evidence(user=user, application=application, evidence_item=evidence_item,
                          uploaded_file=uploaded_file, clarification=clarification)


@transaction.atomic
def clarification_remove_file(*, user, application: Application, evidence_file: EvidenceFile) -> None:
    """A wrong upload taken back before answering: only a file added in answer to the open request."""
    from evidence.services import delete_evidence_file

    application = Application.objects.select_for_update().get(pk=application.pk)
    clarification = open_clarification(application)
    if application.status != S.CLARIFICATION_REQUESTED or clarification is None:
        raise PermissionDenied("Non ci sono richieste di chiarimento aperte per questa domanda.")
    if not workflow.allowed(user, application, "answer_clarification"):
        raise PermissionDenied("Operazione non consentita per questo utente.")
    if evidence_file.application_id != application.pk or evidence_file.clarification_id != clarification.pk:
        raise ValidationError(gettext("Si possono rimuovere solo i file caricati in risposta a questa richiesta."))
    if evidence_file.verdicts.exists():
        raise ValidationError(gettext("Il file è già stato esaminato dal revisore e non può essere rimosso."))
    delete_evidence_file(evidence_file)


@transaction.atomic
def clarification_answer(*, user, application: Application, answer: str) -> Clarification:
    application = Application.objects.select_for_update().get(pk=application.pk)
    clarification = open_clarification(application)
    if clarification is None:
        raise ValidationError(gettext("Non ci sono richieste di chiarimento aperte per questa domanda."))
    if not answer.strip() and not clarification.files.exists():
        raise ValidationError(gettext("Scrivere una risposta o allegare almeno un documento."))
    workflow.transition(application, "answer_clarification", user=user, message=answer.strip())
    clarification.answer, clarification.answered_at, clarification.answered_by = answer.strip(), timezone.now(), user
    clarification.save(update_fields=["answer", "answered_at", "answered_by"])
    return clarification


def clarifications_expire(*, today: dt.date | None = None) -> int:
    """Requests unanswered at their deadline expire; the review goes on with what was submitted."""
    today = today or timezone.localdate()
    count = 0
    for clarification in Clarification.objects.filter(answered_at__isnull=True, expired=False, deadline__lt=today):
        with transaction.atomic():
            application = Application.objects.select_for_update().get(pk=clarification.application_id)
            clarification.expired = True
            clarification.save(update_fields=["expired"])
            if application.status == S.CLARIFICATION_REQUESTED:
                workflow.transition(application, "expire_clarification", system=True,
                                    message_code="no_answer_by",
                                    message_params={"deadline": clarification.deadline})
            count += 1
    return count


@transaction.atomic
def review_decide(*, user, application: Application) -> Application:
    """Approve when the validated score reaches the threshold, otherwise reject with the reason of each
    intervention not accepted; the decision letter is rendered, sealed and stored by hash."""
    from applications import pdf, signing

    application = Application.objects.select_for_update().get(pk=application.pk)
    _require_assigned_reviewer(user, application)
    by_intervention, _ = latest_verdicts(application)
    selections = application_selections(application)
    undecided = [s.intervention.code for s in selections if s.intervention_id not in by_intervention
                 or by_intervention[s.intervention_id].outcome == Verdict.Outcome.CLARIFY]
    if undecided:
        raise ValidationError(gettext("Giudicare prima ogni intervento come idoneo o non idoneo: %(codes)s.")
                              % {"codes": ", ".join(undecided)})
    result = validated_score(application)
    action = "approve" if result.eligible else "reject"
    workflow.transition(application, action, user=user,
                        message_code="validated_score",
                        message_params={"total": result.total, "threshold": result.threshold})
    application.validated_total, application.decided_at, application.decided_by = result.total, timezone.now(), user
    letter = signing.seal_pdf(pdf.render_decision_pdf(application, result, by_intervention),
                              reason=f"Provvedimento OT24 {application.campaign.filing_year} n. {application.receipt_number}")
    stored = storage.save_stream([letter], "decisione.pdf", max_bytes=len(letter), untrusted=False)
    application.decision_pdf_storage_name, application.decision_pdf_sha256 = stored.storage_name, stored.sha256
    application.save(update_fields=["validated_total", "decided_at", "decided_by", "decision_pdf_storage_name",
                                    "decision_pdf_sha256", "status"])
    return application

"""The application's workflow as a table: states, allowed transitions and the roles that may trigger them.
One function performs any transition, records an event on the timeline and sends the notifications."""
from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError

from .models import Application, Event
from .rules import WORKFLOW_ROLES

S = Application.Status


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    label: str


def _t(action, sources, target, roles, label):
    return Transition(action, frozenset(sources), target, frozenset(roles), label)


TRANSITIONS: dict[str, Transition] = {t.action: t for t in (
    _t("submit", {S.DRAFT}, S.SUBMITTED, {"signatory"}, "Domanda firmata e inviata"),
    _t("withdraw", {S.SUBMITTED}, S.WITHDRAWN, {"signatory"}, "Domanda ritirata dal richiedente"),
    _t("start_review", {S.SUBMITTED}, S.IN_REVIEW, {"reviewer"}, "Istruttoria avviata"),
    _t("request_clarification", {S.IN_REVIEW, S.CLARIFICATION_ANSWERED}, S.CLARIFICATION_REQUESTED, {"reviewer"},
       "Chiarimenti richiesti"),
    _t("answer_clarification", {S.CLARIFICATION_REQUESTED}, S.CLARIFICATION_ANSWERED, {"applicant"},
       "Chiarimenti forniti"),
    _t("expire_clarification", {S.CLARIFICATION_REQUESTED}, S.CLARIFICATION_ANSWERED, {"system"},
       "Termine per i chiarimenti scaduto"),
    _t("approve", {S.IN_REVIEW, S.CLARIFICATION_ANSWERED}, S.APPROVED, {"reviewer"}, "Domanda accolta"),
    _t("reject", {S.IN_REVIEW, S.CLARIFICATION_ANSWERED}, S.REJECTED, {"reviewer"}, "Domanda respinta"),
)}


def allowed(user, application: Application, action: str) -> bool:
    t = TRANSITIONS.get(action)
    if t is None or application.status not in t.sources:
        return False
    return any(role != "system" and WORKFLOW_ROLES[role].test(user, application) for role in t.roles)


def available_actions(user, application: Application) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if allowed(user, application, t.action)]


def transition(application: Application, action: str, *, user=None, message: str = "", system: bool = False) -> Event:
    """Move the application along the table; refuse illegal moves with a clear Italian message. Must run
    inside the caller's transaction with the application row locked (services do both)."""
    t = TRANSITIONS.get(action)
    if t is None:
        raise ValidationError(f"Azione sconosciuta: {action}.")
    if application.status not in t.sources:
        raise ValidationError(
            f"«{t.label}» non è possibile quando la domanda è «{application.get_status_display()}»."
        )
    if system:
        if "system" not in t.roles:
            raise PermissionDenied("Azione non eseguibile automaticamente.")
    elif not any(role != "system" and WORKFLOW_ROLES[role].test(user, application) for role in t.roles):
        raise PermissionDenied("Operazione non consentita per questo utente.")
    source = application.status
    application.status = t.target
    Application.objects.filter(pk=application.pk).update(status=t.target)
    event = Event.objects.create(application=application, actor=user, action=action, from_status=source,
                                 to_status=t.target, message=message)
    notify(event)
    return event


def notify(event: Event) -> None:
    """E-mail the company's people about a change of state (never internal notes): queued with the change,
    sent after the commit (notifications.services)."""
    from notifications.services import email_enqueue

    from .selectors import application_recipients

    if event.internal:
        return
    application = event.application
    label = TRANSITIONS[event.action].label
    email_enqueue(
        recipients=application_recipients(application),
        subject=f"OT24 {application.campaign.filing_year} – {application.unita_produttiva or application.site.name}: {label}",
        body=(f"{label}.\nDomanda: {application.receipt_number or application.pk}\n"
              f"Stato: {application.get_status_display()}\n" + (f"\n{event.message}\n" if event.message else "")),
    )

"""The application's workflow as a table: states, allowed transitions and the roles that may trigger them.
One function performs any transition; messaging.messenger records it on the timeline and tells the company."""
from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext, gettext_lazy

from .messaging import messenger
from .models import Application, Event
from .rules import WORKFLOW_ROLES

S = Application.Status
# Under review: verdicts and notes are taken in these states.
REVIEWABLE_STATES = (S.IN_REVIEW, S.CLARIFICATION_REQUESTED, S.CLARIFICATION_ANSWERED)
# Submitted and not yet decided: what reviewers still owe an answer on (the queue's due filters, urgency,
# bulk assignment).
OPEN_STATES = (S.SUBMITTED, *REVIEWABLE_STATES)
# Everything the reviewers' queue lists: neither a draft nor withdrawn.
QUEUE_STATES = [*OPEN_STATES, S.APPROVED, S.REJECTED]


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    label: str  # a lazy text: in the reader's language


def _t(action, sources, target, roles, label):
    return Transition(action, frozenset(sources), target, frozenset(roles), label)


TRANSITIONS: dict[str, Transition] = {t.action: t for t in (
    _t("submit", {S.DRAFT}, S.SUBMITTED, {"signatory"}, gettext_lazy("Domanda firmata e inviata")),
    _t("withdraw", {S.SUBMITTED}, S.WITHDRAWN, {"signatory"}, gettext_lazy("Domanda ritirata dal richiedente")),
    _t("start_review", {S.SUBMITTED}, S.IN_REVIEW, {"reviewer"}, gettext_lazy("Istruttoria avviata")),
    _t("request_clarification", {S.IN_REVIEW, S.CLARIFICATION_ANSWERED}, S.CLARIFICATION_REQUESTED, {"reviewer"},
       gettext_lazy("Chiarimenti richiesti")),
    _t("answer_clarification", {S.CLARIFICATION_REQUESTED}, S.CLARIFICATION_ANSWERED, {"applicant"},
       gettext_lazy("Chiarimenti forniti")),
    _t("expire_clarification", {S.CLARIFICATION_REQUESTED}, S.CLARIFICATION_ANSWERED, {"system"},
       gettext_lazy("Termine per i chiarimenti scaduto")),
    _t("approve", {S.IN_REVIEW, S.CLARIFICATION_ANSWERED}, S.APPROVED, {"reviewer"}, gettext_lazy("Domanda accolta")),
    _t("reject", {S.IN_REVIEW, S.CLARIFICATION_ANSWERED}, S.REJECTED, {"reviewer"}, gettext_lazy("Domanda respinta")),
)}


def allowed(user, application: Application, action: str) -> bool:
    t = TRANSITIONS.get(action)
    if t is None or application.status not in t.sources:
        return False
    return any(role != "system" and WORKFLOW_ROLES[role].test(user, application) for role in t.roles)


def transition(application: Application, action: str, *, user=None, message: str = "", system: bool = False,
               message_code: str = "", message_params: dict | None = None) -> Event:
    """Move the application along the table; refuse illegal moves with a clear Italian message. Must run
    inside the caller's transaction with the application row locked (services do both)."""
    t = TRANSITIONS.get(action)
    if t is None:
        raise ValidationError(gettext("Azione sconosciuta: %(action)s.") % {"action": action})
    if application.status not in t.sources:
        raise ValidationError(
            gettext("«%(action)s» non è possibile quando la domanda è «%(status)s».")
            % {"action": t.label, "status": application.get_status_display()}
        )
    if system:
        if "system" not in t.roles:
            raise PermissionDenied(gettext("Azione non eseguibile automaticamente."))
    elif not any(role != "system" and WORKFLOW_ROLES[role].test(user, application) for role in t.roles):
        raise PermissionDenied(gettext("Operazione non consentita per questo utente."))
    source = application.status
    application.status = t.target
    Application.objects.filter(pk=application.pk).update(status=t.target)
    return messenger(application, action, actor=user, from_status=source, to_status=t.target, message=message,
                     label=t.label, message_code=message_code, message_params=message_params)

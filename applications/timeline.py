"""The timeline in words: what each recorded action (applications.Event.action) means to a reader."""
from django.utils.translation import gettext_lazy as _

EVENT_LABELS = {
    "submit": _("Domanda inviata"),
    "withdraw": _("Domanda ritirata dal richiedente"),
    "start_review": _("Presa in carico"),
    "assign": _("Assegnata a un revisore"),
    "request_clarification": _("Chiarimenti richiesti"),
    "answer_clarification": _("Chiarimenti forniti"),
    "expire_clarification": _("Termine per i chiarimenti scaduto"),
    "approve": _("Domanda accolta"),
    "reject": _("Domanda respinta"),
    "note": _("Nota interna"),
}


def event_label(event) -> str:
    """The words for an event; an action without words falls back to its new state's name."""
    label = EVENT_LABELS.get(event.action)
    if label is not None:
        return label
    return event.get_to_status_display() if event.to_status else event.action.replace("_", " ").capitalize()

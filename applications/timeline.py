"""The timeline in words: what each recorded action (applications.Event.action) means to a reader, and the
portal's own remarks on an event (Event.message_code and message_params), put into words when they are read:
in the reader's language, not in the one of whoever caused the event."""
import datetime as dt

from django.utils.formats import date_format
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

# The portal's remarks on an event: code -> text with the event's parameters (message_params). A parameter
# named in DATE_PARAMS is stored as an ISO date and shown as dd/mm/yyyy; "text" is a person's own words
# (a clarification request), shown as written, before the remark.
MESSAGES = {
    "ready_to_sign": _("Avvisati per la firma: %(who)s"),
    "qualified_signature": _("Firma digitale qualificata (PAdES)"),
    "assigned_to": _("Assegnata a %(reviewer)s"),
    "answer_deadline": _("Termine per la risposta: %(deadline)s"),
    "no_answer_by": _("Nessuna risposta entro il %(deadline)s."),
    "validated_score": _("Punteggio validato: %(total)s su %(threshold)s."),
}
DATE_PARAMS = ("deadline",)


def message_params(code: str, **params) -> dict:
    """The JSON-ready parameters of a remark (dates as ISO strings); refuses an unknown code."""
    if code not in MESSAGES:
        raise ValueError(f"Unknown event message code: {code!r}")
    return {key: value.isoformat() if isinstance(value, dt.date) else value for key, value in params.items()}


def render_message(code: str, params: dict) -> str:
    """The remark `code` with `params` in the active language."""
    values = dict(params)
    text = values.pop("text", "")
    for key in DATE_PARAMS:
        if key in values:
            values[key] = date_format(dt.date.fromisoformat(values[key]), "d/m/Y")
    line = str(MESSAGES[code]) % values
    return f"{text}\n{line}" if text else line


def event_message(event) -> str:
    """What an event says under its label: the portal's remark in the active language when it was stored as a
    code (events recorded before codes existed, and a person's own words, keep their stored text)."""
    if event.message_code in MESSAGES:
        try:
            return render_message(event.message_code, event.message_params or {})
        except (KeyError, TypeError, ValueError):
            return event.message
    return event.message


def event_label(event) -> str:
    """The words for an event; an action without words falls back to its new state's name."""
    label = EVENT_LABELS.get(event.action)
    if label is not None:
        return label
    return event.get_to_status_display() if event.to_status else event.action.replace("_", " ").capitalize()

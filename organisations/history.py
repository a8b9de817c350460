"""A company's and a firm's history in words (OrganisationEvent): each event stores a code and its parameters
(people as "Name <e-mail>", a role's key, a mandate's terms) and is put into words when it is read, in the
reader's language. Events recorded before the codes existed keep their stored text."""
from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import Role

FIRM_CONSULTANT = "firm_consultant"  # the role of a person invited into a firm

MESSAGES = {
    "company_registered": _("%(who)s ha registrato l'azienda dichiarandosi %(role)s."),
    "join_requested": _("%(who)s ha chiesto di far parte dell'azienda."),
    "join_accepted": _("%(who)s ha accolto la richiesta di %(whom)s."),
    "join_refused": _("%(who)s ha rifiutato la richiesta di %(whom)s."),
    "invitation_sent": _("%(who)s ha invitato %(email)s come %(role)s."),
    "firm_invitation_accepted": _("%(who)s ha accettato l'invito ed è entrato nello studio."),
    "invitation_accepted": _("%(who)s ha accettato l'invito come %(role)s."),
    "invitation_revoked": _("%(who)s ha revocato l'invito a %(email)s."),
    "company_left": _("%(who)s ha lasciato l'azienda."),
    "firm_left": _("%(who)s ha lasciato lo studio."),
    "member_removed": _("%(who)s ha rimosso %(whom)s."),
    "firm_created": _("%(who)s ha creato lo studio."),
    "mandate_granted": _("%(who)s ha concesso la delega %(what)s."),
    "mandate_requested": _("%(who)s ha chiesto la delega %(what)s."),
    "mandate_approved": _("%(who)s ha approvato la delega %(what)s."),
    "mandate_refused": _("%(who)s ha rifiutato la delega %(what)s."),
    "mandate_revoked": _("%(who)s ha revocato la delega %(what)s."),
    "client_registered": _("%(who)s ha registrato l'azienda e chiesto la delega %(what)s."),
}


def person(user) -> str:
    """A person as the history names them: "Name <e-mail>", or the e-mail alone."""
    return f"{user.get_full_name()} <{user.email}>".strip() if user.get_full_name() else user.email


def mandate_terms(mandate) -> dict:
    """A mandate's terms as they are when the event happens (JSON-ready)."""
    return {"holder": str(mandate.holder), "start": mandate.start_date.isoformat(),
            "end": mandate.end_date.isoformat() if mandate.end_date else None, "all_sites": mandate.all_sites,
            "sites": [] if mandate.all_sites else [site.name for site in mandate.sites.all()],
            "can_submit": mandate.can_submit}


def describe_mandate(terms: dict) -> str:
    """A mandate's terms in words, in the active language."""
    scope = gettext("tutte le unità produttive") if terms["all_sites"] else ", ".join(terms["sites"])
    start = dt.date.fromisoformat(terms["start"]).strftime("%d/%m/%Y")
    period = (gettext("dal %(start)s al %(end)s") % {
        "start": start, "end": dt.date.fromisoformat(terms["end"]).strftime("%d/%m/%Y")}
        if terms["end"] else gettext("dal %(start)s fino a revoca") % {"start": start})
    return gettext("a %(holder)s %(period)s, per %(scope)s, %(submit)s") % {
        "holder": terms["holder"], "period": period, "scope": scope,
        "submit": gettext("con facoltà di invio") if terms["can_submit"] else gettext("senza facoltà di invio")}


def role_name(key: str) -> str:
    return gettext("consulente dello studio") if key == FIRM_CONSULTANT else str(Role(key).label).lower()


def render(code: str, params: dict) -> str:
    """The event `code` with its parameters, in the active language."""
    values = dict(params)
    if "role" in values:
        values["role"] = role_name(values["role"])
    if "what" in values:
        values["what"] = describe_mandate(values["what"])
    return str(MESSAGES[code]) % values


def event_message(event) -> str:
    """An event in words: from its code in the active language, else its stored text."""
    if event.code in MESSAGES:
        try:
            return render(event.code, event.params or {})
        except (KeyError, TypeError, ValueError):
            return event.message
    return event.message

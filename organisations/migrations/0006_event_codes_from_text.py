"""The history events already stored as Italian text, recognised, get their code and parameters
(organisations.history.MESSAGES) so that they are shown in the reader's language. `message` is left as
written; a text that is not recognised keeps being shown as it is."""
import datetime as dt
import re

from django.db import migrations

ROLES = {"legale rappresentante": "legal_rep", "procuratore con potere di firma": "signatory",
         "collaboratore": "member", "consulente dello studio": "firm_consultant"}
WHO = r"(?P<who>.+?)"
WHOM = r"(?P<whom>.+)"
WHAT = (r"a (?P<holder>.+) dal (?P<start>\d{2}/\d{2}/\d{4})(?: al (?P<end>\d{2}/\d{2}/\d{4})| fino a revoca), "
        r"per (?P<scope>.+), (?P<submit>con|senza) facoltà di invio")
PATTERNS = [
    ("company_registered", WHO + r" ha registrato l'azienda dichiarandosi (?P<role>.+)\."),
    ("client_registered", WHO + r" ha registrato l'azienda e chiesto la delega " + WHAT + r"\."),
    ("join_requested", WHO + r" ha chiesto di far parte dell'azienda\."),
    ("join_accepted", WHO + r" ha accolto la richiesta di " + WHOM + r"\."),
    ("join_refused", WHO + r" ha rifiutato la richiesta di " + WHOM + r"\."),
    ("invitation_sent", WHO + r" ha invitato (?P<email>\S+) come (?P<role>.+)\."),
    ("firm_invitation_accepted", WHO + r" ha accettato l'invito ed è entrato nello studio\."),
    ("invitation_accepted", WHO + r" ha accettato l'invito come (?P<role>.+)\."),
    ("invitation_revoked", WHO + r" ha revocato l'invito a (?P<email>\S+)\."),
    ("company_left", WHO + r" ha lasciato l'azienda\."),
    ("firm_left", WHO + r" ha lasciato lo studio\."),
    ("member_removed", WHO + r" ha rimosso " + WHOM + r"\."),
    ("firm_created", WHO + r" ha creato lo studio\."),
    ("mandate_granted", WHO + r" ha concesso la delega " + WHAT + r"\."),
    ("mandate_requested", WHO + r" ha chiesto la delega " + WHAT + r"\."),
    ("mandate_approved", WHO + r" ha approvato la delega " + WHAT + r"\."),
    ("mandate_refused", WHO + r" ha rifiutato la delega " + WHAT + r"\."),
    ("mandate_revoked", WHO + r" ha revocato la delega " + WHAT + r"\."),
]
COMPILED = [(code, re.compile(pattern, re.S)) for code, pattern in PATTERNS]


def _iso(text: str) -> str:
    day, month, year = text.split("/")
    return dt.date(int(year), int(month), int(day)).isoformat()


def recognise(message: str):
    """(code, params) for a stored event text, or None."""
    for code, pattern in COMPILED:
        match = pattern.fullmatch(message or "")
        if match is None:
            continue
        groups = {key: value for key, value in match.groupdict().items()}
        params = {key: groups[key] for key in ("who", "whom", "email") if groups.get(key) is not None}
        if groups.get("role") is not None:
            if groups["role"] not in ROLES:
                return None
            params["role"] = ROLES[groups["role"]]
        if groups.get("holder") is not None:
            try:
                all_sites = groups["scope"] == "tutte le unità produttive"
                params["what"] = {
                    "holder": groups["holder"], "start": _iso(groups["start"]),
                    "end": _iso(groups["end"]) if groups["end"] else None, "all_sites": all_sites,
                    "sites": [] if all_sites else groups["scope"].split(", "), "can_submit": groups["submit"] == "con"}
            except ValueError:
                return None
        return code, params
    return None


def forwards(apps, schema_editor):
    OrganisationEvent = apps.get_model("organisations", "OrganisationEvent")
    for event in OrganisationEvent.objects.filter(code="").exclude(message="").only("pk", "message").iterator():
        found = recognise(event.message)
        if found is not None:
            # A queryset update: only the new columns change; the stored text stays as written.
            OrganisationEvent.objects.filter(pk=event.pk).update(code=found[0], params=found[1])


class Migration(migrations.Migration):

    dependencies = [
        ("organisations", "0005_event_code"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]

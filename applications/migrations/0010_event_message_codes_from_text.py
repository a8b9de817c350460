"""The portal's remarks already on the timelines, recognised in their stored text, get their code and
parameters (applications.timeline.MESSAGES) so that they are shown in the reader's language. `message` is
left as written; a text that is not recognised keeps being shown as it is."""
import datetime as dt
import re

from django.db import migrations

DATE = r"(?P<d>\d{2})/(?P<m>\d{2})/(?P<y>\d{4})"
PATTERNS = [
    # (the action it belongs to, or None for any; the code; the text, its groups being the parameters)
    ("ready_to_sign", "ready_to_sign", re.compile(r"(?:Avvisati per la firma|Notified for signature): (?P<who>.+)", re.S)),
    ("submit", "qualified_signature", re.compile(r"Firma digitale qualificata \(PAdES\)")),
    ("assign", "assigned_to", re.compile(r"Assegnata a (?P<reviewer>.+)", re.S)),
    ("request_clarification", "answer_deadline",
     re.compile(r"(?P<text>.*)\nTermine per la risposta: " + DATE, re.S)),
    ("expire_clarification", "no_answer_by",
     re.compile(r"Nessuna risposta entro il " + DATE + r"\.")),
    (None, "validated_score", re.compile(r"Punteggio validato: (?P<total>\d+) su (?P<threshold>\d+)\.")),
]


def recognise(action: str, message: str):
    """(code, params) for a stored remark, or None."""
    for wanted, code, pattern in PATTERNS:
        if wanted is not None and wanted != action:
            continue
        match = pattern.fullmatch(message or "")
        if match is None:
            continue
        groups = match.groupdict()
        if "y" in groups:
            try:
                groups["deadline"] = dt.date(int(groups.pop("y")), int(groups.pop("m")), int(groups.pop("d"))).isoformat()
            except ValueError:
                return None
        for key in ("total", "threshold"):
            if key in groups:
                groups[key] = int(groups[key])
        return code, groups
    return None


def forwards(apps, schema_editor):
    Event = apps.get_model("applications", "Event")
    for event in Event.objects.filter(message_code="").exclude(message="").only("pk", "action", "message").iterator():
        found = recognise(event.action, event.message)
        if found is not None:
            # A queryset update: the historical model has no append-only guard, and only the new columns change.
            Event.objects.filter(pk=event.pk).update(message_code=found[0], message_params=found[1])


class Migration(migrations.Migration):

    dependencies = [
        ("applications", "0009_event_message_code"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]

"""One messenger for what happens to an application (after Hypha's activity/messaging.py): one call records
the event on the application's timeline and, unless it is an internal note, e-mails the company's people
(selectors.application_recipients; queued with the change, sent after the commit: notifications.services)."""
from __future__ import annotations

from notifications.services import email_enqueue

from .models import Application, Event


def messenger(application: Application, action: str, *, actor=None, message: str = "", internal: bool = False,
              from_status: str | None = None, to_status: str | None = None, label: str = "") -> Event:
    """Record `action` (from_status/to_status default to the application's current status) and notify.
    label: what the e-mail says happened (the workflow's transition label)."""
    event = Event.objects.create(
        application=application, actor=actor, action=action, message=message, internal=internal,
        from_status=application.status if from_status is None else from_status,
        to_status=application.status if to_status is None else to_status,
    )
    if not internal:
        _email(event, label)
    return event


def _email(event: Event, label: str) -> None:
    from .selectors import application_recipients

    application = event.application
    email_enqueue(
        recipients=application_recipients(application),
        subject=f"OT24 {application.campaign.filing_year} – {application.unita_produttiva or application.site.name}: {label}",
        body=(f"{label}.\nDomanda: {application.receipt_number or application.pk}\n"
              f"Stato: {application.get_status_display()}\n" + (f"\n{event.message}\n" if event.message else "")),
    )

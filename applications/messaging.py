"""One messenger for what happens to an application (after Hypha's activity/messaging.py): one call records
the event on the application's timeline and, unless it is an internal note, e-mails the people concerned
(queued with the change, sent after the commit: notifications.services):
- the company's people (members, legal representative) and the consultants with a current mandate for
  the application's site, by name or through their firm;
- the assigned reviewer when the company answers a clarification request (and when a request expires).
Each e-mail is in its recipient's language, in plain text and HTML, with a link to the page to act on
(the submission's e-mail with the receipt number and the link to the sealed PDF, the decision's with the
link to the letter)."""
from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from notifications.services import absolute_url, email_users

from . import timeline, wizard
from .models import Application, Event
from .timeline import EVENT_LABELS

APPLICANTS, REVIEWER = "applicant", "reviewer"
# Who hears about each action (default: the applicants).
AUDIENCES = {
    "answer_clarification": (REVIEWER,),
    "expire_clarification": (APPLICANTS, REVIEWER),
}


def messenger(application: Application, action: str, *, actor=None, message: str = "", internal: bool = False,
              from_status: str | None = None, to_status: str | None = None, label: str = "",
              message_code: str = "", message_params: dict | None = None) -> Event:
    """Record `action` (from_status/to_status default to the application's current status) and notify.
    label: what the e-mail says happened when the action has no words of its own (applications.timeline).
    message_code/message_params: the portal's remark (applications.timeline.MESSAGES), shown in each reader's
    language; `message` then keeps it in the portal's language (Italian)."""
    params = timeline.message_params(message_code, **(message_params or {})) if message_code else {}
    if message_code:
        with translation.override(settings.LANGUAGE_CODE):
            message = timeline.render_message(message_code, params)
    event = Event.objects.create(
        application=application, actor=actor, action=action, message=message, internal=internal,
        message_code=message_code, message_params=params,
        from_status=application.status if from_status is None else from_status,
        to_status=application.status if to_status is None else to_status,
    )
    if not internal:
        _email(event, label)
    return event


def applicant_users(application: Application) -> list:
    """The company's people and the consultants whose mandate is current today and covers the
    application's site (for all sites or naming it), given to them or to their firm: the people who may
    see the application (organisations.rules.has_current_mandate), no one else."""
    from django.db.models import Q

    from organisations.models import Mandate

    company = application.site.company
    users = [m.user for m in company.memberships.select_related("user")]
    if company.legal_representative_id:
        users.append(company.legal_representative)
    mandates = (Mandate.objects.current().filter(company=company)
                .filter(Q(all_sites=True) | Q(sites=application.site_id)).order_by().distinct()
                .select_related("consultant").prefetch_related("firm__memberships__user"))
    for m in mandates:
        users += [m.consultant] if m.consultant_id else [fm.user for fm in m.firm.memberships.all()]
    return users


def _email(event: Event, label: str) -> None:
    application = event.application
    base = {"application": application, "event": event, "label": EVENT_LABELS.get(event.action, label),
            "site_name": application.unita_produttiva or application.site.name,
            "decision_url": absolute_url(reverse("decision_pdf", args=[application.pk]))
            if event.action in ("approve", "reject") else "",
            # The submission's e-mail: the sealed PDF (issued with the receipt, in the same transaction).
            "pdf_url": absolute_url(reverse("application_pdf", args=[application.pk])) if event.action == "submit" else ""}
    for audience in AUDIENCES.get(event.action, (APPLICANTS,)):
        if audience == REVIEWER:
            users = [application.reviewer] if application.reviewer_id else []
            url = absolute_url(reverse("review_detail", args=[application.pk]))
        else:
            users = applicant_users(application)
            url = absolute_url(wizard.url(application, wizard.REVIEW))
            if event.action == "request_clarification":
                url += "#clar-title"
        email_users(users, "application_event", {**base, "audience": audience, "url": url})

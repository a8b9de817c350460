"""Background work of the review: the daily reminders (enqueued once a day by operations.periodic)."""
from __future__ import annotations

import io

from django.core.management import call_command

from ot24portal.tasking import portal_task


@portal_task
def send_reminders() -> str:
    """`manage.py send_reminders` in a worker: expire unanswered clarification requests, e-mail the
    deadline reminders (each e-mail then goes out by its own send task). Returns the command's summary."""
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    return out.getvalue().strip()

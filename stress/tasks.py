"""Background work of stress assessments: the daily monitoring reminders (operations.periodic)."""
from __future__ import annotations

import io

from django.core.management import call_command

from ot24portal.tasking import portal_task


@portal_task
def stress_reminders() -> str:
    """`manage.py stress_reminders` in a worker (each reminder is recorded once per due date)."""
    out = io.StringIO()
    call_command("stress_reminders", stdout=out)
    return out.getvalue().strip()

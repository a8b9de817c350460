"""`python manage.py run_scheduler`: the scheduler process. Every --interval seconds it enqueues the
periodic jobs that are due (settings.OT24_PERIODIC_TASKS), each once per slot however many schedulers run
(operations.periodic). With --once it checks once and exits: for a systemd timer or cron every minute
instead of a long-running process."""
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from operations.periodic import enqueue_due


class Command(BaseCommand):
    help = "Accoda i lavori periodici dovuti (promemoria, pulizia), una volta per periodo."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="check once and exit")
        parser.add_argument("--interval", type=float, default=60.0, help="seconds between checks (default 60)")

    def handle(self, *args, once=False, interval=60.0, **options):
        while True:
            close_old_connections()
            enqueued = enqueue_due()
            if enqueued or once:
                self.stdout.write(f"Enqueued: {', '.join(enqueued) or 'nothing due'}.")
            if once:
                return
            time.sleep(interval)

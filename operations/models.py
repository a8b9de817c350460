"""One row per periodic job and slot: the unique pair is what makes a job run once per slot however many
schedulers (or timers calling `manage.py run_scheduler --once`) there are."""
from django.db import models


class PeriodicRun(models.Model):
    name = models.CharField(max_length=64)
    slot = models.CharField(max_length=32)  # "2026-12-07" for a daily job, a minute count for the others
    enqueued_at = models.DateTimeField(auto_now_add=True)
    task_result_id = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "slot"], name="periodic_run_once_per_slot")]
        ordering = ["-enqueued_at"]

    def __str__(self):
        return f"{self.name} {self.slot}"

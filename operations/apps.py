from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running the portal as a service: periodic work, /healthz and /readyz, logs and metrics."""

    name = "operations"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Operations"

    def ready(self):
        from . import logs  # noqa: F401  (django-structlog receivers: the duration of each request)

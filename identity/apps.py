from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "identity"
    verbose_name = "SPID / CIE"

    def ready(self):
        from . import checks, signals  # noqa: F401  (system checks, federation logout)

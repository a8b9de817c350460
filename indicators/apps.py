from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = "Registro infortuni e indici di sicurezza"

    def ready(self):
        # The app's permissions (django-rules). rules.py is the pure rules of the indices, so the
        # permissions live in permissions.py, which the rules autodiscovery would not import.
        from . import permissions  # noqa: F401

from django.apps import AppConfig


class InterventionsConfig(AppConfig):
    name = "interventions"
    verbose_name = "Catalogo interventi OT24"

    def ready(self):
        from . import signals  # noqa: F401  (connects the catalogue revision receivers)

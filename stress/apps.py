from django.apps import AppConfig


class StressConfig(AppConfig):
    name = "stress"
    verbose_name = "Valutazione stress lavoro-correlato"

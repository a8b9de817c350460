from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Utenti"

    def ready(self):
        from . import checks, signals  # noqa: F401

        post_migrate.connect(checks.create_cache_tables, sender=self, dispatch_uid="ot24_cache_tables")

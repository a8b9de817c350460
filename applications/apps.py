from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = "Domande OT24"

    def ready(self):
        from ot24portal.filestore import references

        from .models import Application

        # The documents issued for an application (sealed PDF, PDF prepared for a qualified signature, decision
        # letter): their stored bytes stay while these columns name them.
        references.register(Application, "pdf_storage_name", "presign_storage_name", "decision_pdf_storage_name")

import os

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    name = "evidence"
    verbose_name = "Documentazione probante"

    def ready(self):
        from django.conf import settings

        from applications import hooks, wizard
        from ot24portal.filestore import references

        from . import selectors, services
        from .models import EvidenceFile

        # Uploads are written beside the private store (ot24portal.filestore.uploads); Django checks it exists.
        os.makedirs(settings.FILE_UPLOAD_TEMP_DIR, exist_ok=True)
        # What applications shows or does with evidence, registered here: applications sits below evidence in
        # the layers (.importlinter) and never imports it.
        wizard.register(wizard.Step(wizard.EVIDENCE, _("Documentazione"), "evidence/wizard_step.html",
                                    "evidence.views.evidence_step"), before=wizard.REVIEW)
        hooks.register_evidence_checklist(rows=selectors.evidence_checklist, missing=selectors.missing_evidence,
                                           unsigned=selectors.unsigned_documents)
        hooks.selections_removed.connect(services.remove_files_of_removed_selections,
                                         dispatch_uid="evidence.remove_files_of_removed_selections")
        references.register(EvidenceFile, "storage_name", "signed_storage_name")

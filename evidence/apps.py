import os

from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "evidence"
    verbose_name = "Documentazione probante"

    def ready(self):
        from django.conf import settings

        # Uploads are written beside the private store (ot24portal.filestore.uploads); Django checks it exists.
        os.makedirs(settings.FILE_UPLOAD_TEMP_DIR, exist_ok=True)

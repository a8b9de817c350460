import os

from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = "Domande OT24"

    def ready(self):
        from django.conf import settings

        # Uploads are written beside the private store (applications.uploads); Django checks it exists.
        os.makedirs(settings.FILE_UPLOAD_TEMP_DIR, exist_ok=True)

"""Create the self-signed development seal certificate when no real seal is configured."""
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from applications.signing import ensure_dev_certificate


class Command(BaseCommand):
    help = "Crea il certificato di sviluppo per il sigillo dei PDF, se non ne è configurato uno."

    def handle(self, *args, **options):
        if settings.OT24_SEAL_KEY_FILE or settings.OT24_SEAL_PKCS12_FILE:
            self.stdout.write("A seal certificate is configured; nothing to do.")
            return
        if not settings.OT24_SEAL_ALLOW_DEV_CERT:
            self.stderr.write("No seal configured and development certificates are not allowed here.")
            return
        _, cert = ensure_dev_certificate(Path(settings.OT24_DEV_CERT_DIR))
        self.stdout.write(f"Development seal certificate: {cert}")

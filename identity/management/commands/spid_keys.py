"""Writes a fresh key set for the SPID/CIE relying party (development, tests): rp-jwks-fed.json and
rp-jwks-core.json in DIR, readable by the owner only. Production keys are made and kept outside the repository;
point OT24_SPID_RP_JWKS_FED_FILE / OT24_SPID_RP_JWKS_CORE_FILE at them."""
from django.core.management.base import BaseCommand

from identity.federation import write_keys


class Command(BaseCommand):
    help = "Write a new SPID/CIE relying-party key set (federation + core JWKs) into a folder."

    def add_arguments(self, parser):
        parser.add_argument("directory")

    def handle(self, *args, directory, **options):
        fed, core = write_keys(directory)
        self.stdout.write(f"OT24_SPID_RP_JWKS_FED_FILE={fed}\nOT24_SPID_RP_JWKS_CORE_FILE={core}")

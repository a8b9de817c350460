"""`python manage.py backup FOLDER`: the database and every stored file, with a SHA-256 manifest
(backups.services). Prints one JSON line: {"folder", "files", "bytes", "database"}; exit code 1 on failure."""
import json
import subprocess

from django.core.management.base import BaseCommand, CommandError

from backups import services


class Command(BaseCommand):
    help = "Backup of the database and of every stored file, with a SHA-256 manifest."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="a new or empty folder")

    def handle(self, *args, folder, **options):
        try:
            report = services.backup(folder)
        except services.BackupError as exc:
            raise CommandError(str(exc)) from None
        except subprocess.CalledProcessError as exc:
            raise CommandError(f"{exc.cmd[0]} failed: {exc.stderr.decode(errors='replace')}") from None
        self.stdout.write(json.dumps({"folder": str(report.folder), "files": report.files, "bytes": report.bytes,
                                      "database": report.database}))

"""`python manage.py restore FOLDER`: a backup (manage.py backup) brought back into an empty database and an
empty store; every file checked against the manifest before and after. Prints one JSON line like `backup`;
exit code 1 on failure (nothing is restored from a damaged backup)."""
import json
import subprocess

from django.core.management.base import BaseCommand, CommandError

from backups import services


class Command(BaseCommand):
    help = "Restore a backup into an empty database and an empty store."

    def add_arguments(self, parser):
        parser.add_argument("folder")

    def handle(self, *args, folder, **options):
        try:
            report = services.restore(folder)
        except services.BackupError as exc:
            raise CommandError(str(exc)) from None
        except subprocess.CalledProcessError as exc:
            raise CommandError(f"{exc.cmd[0]} failed: {exc.stderr.decode(errors='replace')}") from None
        self.stdout.write(json.dumps({"folder": str(report.folder), "files": report.files, "bytes": report.bytes,
                                      "database": report.database}))

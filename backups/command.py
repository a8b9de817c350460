"""What `manage.py backup` and `manage.py restore` share: one folder argument, one JSON line on success
({"folder", "files", "bytes", "database"}), exit code 1 with the reason otherwise."""
import json
import subprocess

from django.core.management.base import BaseCommand, CommandError

from . import services


class FolderCommand(BaseCommand):
    """A subclass names its service (services.backup or services.restore) and its argument's help."""
    service = None
    folder_help = ""

    def add_arguments(self, parser):
        parser.add_argument("folder", help=self.folder_help)

    def handle(self, *args, folder, **options):
        try:
            report = self.service(folder)
        except services.BackupError as exc:
            raise CommandError(str(exc)) from None
        except subprocess.CalledProcessError as exc:
            raise CommandError(f"{exc.cmd[0]} failed: {exc.stderr.decode(errors='replace')}") from None
        self.stdout.write(json.dumps({"folder": str(report.folder), "files": report.files, "bytes": report.bytes,
                                      "database": report.database}))

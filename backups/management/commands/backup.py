"""`python manage.py backup FOLDER`: the database and every stored file, with a SHA-256 manifest
(backups.services). Prints one JSON line: {"folder", "files", "bytes", "database"}; exit code 1 on failure."""
from backups import services
from backups.command import FolderCommand


class Command(FolderCommand):
    help = "Backup of the database and of every stored file, with a SHA-256 manifest."
    service = staticmethod(services.backup)
    folder_help = "a new or empty folder"

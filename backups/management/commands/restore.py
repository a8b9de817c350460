"""`python manage.py restore FOLDER`: a backup (manage.py backup) brought back into an empty database and an
empty store; every file checked against the manifest before and after. Prints one JSON line like `backup`;
exit code 1 on failure (nothing is restored from a damaged backup)."""
from backups import services
from backups.command import FolderCommand


class Command(FolderCommand):
    help = "Restore a backup into an empty database and an empty store."
    service = staticmethod(services.restore)
    folder_help = "a folder written by manage.py backup"

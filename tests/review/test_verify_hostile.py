"""A crafted PDF sent to the reviewers' verification (page and `manage.py verify_application`) is parsed
in the bounded child that checks uploads (ot24portal.filestore.filechecks), never in the web worker: the worker's
own CPU stays near zero and the reviewer is told the file is too complex to check."""
import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import User
from ot24portal.filestore import filechecks
from tests.factories import UserFactory
from tests.hostile_pdfs import name_tree_bomb_pdf

pytestmark = pytest.mark.django_db
TOO_COMPLEX = "troppo complesso per essere controllato"


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """Catalogue in a 4 MiB object stream, name-tree leaves in 74 MB of object streams: ~80 KB on disk,
    several seconds of CPU and some 150 MB in pypdf when parsed in full."""
    data = name_tree_bomb_pdf()
    assert len(data) < 150_000
    filechecks.prepare_signatures()  # the parsers' imports: once per worker, not the file's cost
    return data


def test_the_verification_page_checks_a_crafted_pdf_in_the_bounded_child(client, bomb):
    client.force_login(UserFactory(role=User.Role.REVIEWER))
    client.get(reverse("verify_document"))  # the page's templates compiled: not the file's cost
    cpu, wall = time.process_time(), time.perf_counter()
    response = client.post(reverse("verify_document"), {"pdf": SimpleUploadedFile("bomba.pdf", bomb)})
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    assert response.status_code == 200
    page = response.content.decode()
    assert TOO_COMPLEX in page
    assert "Il documento NON è un PDF integro emesso dal portale." in page
    assert cpu < 0.5, f"the web worker itself spent {cpu:.2f} s of CPU parsing the file"
    assert filechecks.last_run["outcome"] in ("cpu", "memory", "deadline", "killed")
    assert wall < 4 * 1.0 + 2 + 3  # the child's deadline at the default budget, and a margin for a loaded machine


def test_verify_application_checks_a_crafted_pdf_in_the_bounded_child(bomb, tmp_path):
    path = tmp_path / "bomba.pdf"
    path.write_bytes(bomb)
    out = io.StringIO()
    cpu = time.process_time()
    with pytest.raises(CommandError, match="non è un documento integro"):
        call_command("verify_application", str(path), stdout=out)
    cpu = time.process_time() - cpu
    assert TOO_COMPLEX in out.getvalue()
    assert cpu < 0.5, f"the command itself spent {cpu:.2f} s of CPU parsing the file"

"""Two submissions of the same application at the same moment, in threads against PostgreSQL."""
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from applications import services
from applications.models import Application
from tests.factories import ready_to_submit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def ready(django_db_blocker):
    from django.core.management import call_command

    call_command("loaddata", "ot24", verbosity=0)
    app, rep = ready_to_submit()
    return app, rep


def test_two_simultaneous_submissions_make_one_receipt(ready):
    app, rep = ready
    barrier = threading.Barrier(2)
    outcomes = []

    def submit():
        try:
            barrier.wait()
            services.application_submit(user=rep, application=Application.objects.get(pk=app.pk), place="Roma",
                                        version=app.version,
                                        declarations=dict.fromkeys(Application.DECLARATIONS, True))
            outcomes.append("ok")
        except (PermissionDenied, ValidationError) as exc:
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(outcomes) == 2 and outcomes.count("ok") == 1, outcomes  # the other is refused, not crashed
    app.refresh_from_db()
    assert app.status == Application.Status.SUBMITTED
    assert Application.objects.filter(receipt_number__isnull=False).count() == 1
    assert app.pdf_sha256

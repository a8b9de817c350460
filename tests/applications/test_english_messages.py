"""Issue 34 (English): the errors the portal's services raise reach an English reader in English (they were
plain Italian strings, outside the catalogue)."""
import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from applications import services
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def test_a_stale_draft_is_explained_in_english():
    app = ApplicationFactory()
    with translation.override("en"), pytest.raises(ValidationError) as stale:
        services.application_save_section(user=app.created_by, application=app, section="A",
                                          version=app.version - 1, chosen={})
    assert stale.value.messages == ["The application was changed in another session: reload the page to see the "
                                    "current data."]

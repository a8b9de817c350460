import pytest
from django.urls import reverse

from interventions.models import Edition, Intervention
from interventions.selectors import edition_export

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_logged(client, django_user_model):
    admin = django_user_model.objects.create_superuser(email="root@example.com", password="x")
    client.force_login(admin)
    return client


def test_admin_lists_catalogue(admin_client_logged):
    response = admin_client_logged.get(reverse("admin:interventions_intervention_changelist"))
    assert response.status_code == 200
    assert "B2d" in response.content.decode()


def test_clone_action_copies_the_whole_edition(admin_client_logged):
    source = Edition.objects.get(code="ot24")
    response = admin_client_logged.post(
        reverse("admin:interventions_edition_changelist"),
        {"action": "clone_editions", "_selected_action": [source.pk]},
        follow=True,
    )
    assert response.status_code == 200
    clone = Edition.objects.get(code="ot24-copia")
    original = edition_export("ot24")
    copied = edition_export("ot24-copia")
    assert copied["interventions"] == original["interventions"]
    assert Intervention.objects.filter(section__edition=clone).count() == 56
    # The source is untouched.
    assert Intervention.objects.filter(section__edition=source).count() == 56

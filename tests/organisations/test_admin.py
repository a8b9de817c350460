import pytest
from django.urls import reverse

from tests.interventions.test_admin import admin_client_logged  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["organisations_company", "organisations_site", "organisations_mandate",
                                  "organisations_firm", "organisations_invitation", "organisations_joinrequest",
                                  "organisations_organisationevent",
                                  "applications_campaign", "applications_application"])
def test_application_admin_pages(admin_client_logged, name):
    assert admin_client_logged.get(reverse(f"admin:{name}_changelist")).status_code == 200


def test_company_admin_rejects_bad_partita_iva(admin_client_logged):
    response = admin_client_logged.post(reverse("admin:organisations_company_add"), {
        "ragione_sociale": "X", "codice_fiscale": "12345678901", "partita_iva": "12345678901", "codice_ditta": "1",
        "address": "a", "city": "b", "cap": "00100", "province": "RM",
        "sites-TOTAL_FORMS": 0, "sites-INITIAL_FORMS": 0, "memberships-TOTAL_FORMS": 0, "memberships-INITIAL_FORMS": 0,
        "mandates-TOTAL_FORMS": 0, "mandates-INITIAL_FORMS": 0,
    })
    assert response.status_code == 200
    assert "Partita IVA non valida" in response.content.decode()

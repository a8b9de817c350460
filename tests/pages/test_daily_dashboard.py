"""Issue 34, minor: a client without production sites still shows on the consultant's dashboard, with the
way to add its first site."""
import pytest
from django.urls import reverse

from tests.factories import CompanyFactory, SiteFactory, consultant, mandate
from tests.organisations.test_people_views import body

pytestmark = pytest.mark.django_db


def test_a_client_without_sites_shows_on_the_consultants_dashboard(client):
    bare = CompanyFactory(ragione_sociale="Senza Unità S.r.l.")
    with_site = SiteFactory(company__ragione_sociale="Con Unità S.r.l.").company
    adviser = consultant(bare)
    mandate(with_site, consultant=adviser)
    client.force_login(adviser)
    page = body(client.get(reverse("dashboard")))
    assert "Clienti senza unità produttive" in page
    section = page.split("Clienti senza unità produttive", 1)[1].split("</section>", 1)[0]
    assert "Senza Unità S.r.l." in section and reverse("site_create", args=[bare.pk]) in section
    assert "Con Unità S.r.l." not in section


def test_the_dashboard_names_what_it_counts_as_the_csv_does(client):
    from tests.factories import ready_to_submit

    app, rep = ready_to_submit()
    client.force_login(rep)
    page = body(client.get(reverse("dashboard")))
    csv_header = b"".join(client.get(reverse("dashboard_csv")).streaming_content).decode("utf-8-sig").splitlines()[0]
    assert "Interventi senza documentazione" in csv_header
    assert '<th scope="col">Interventi senza documentazione</th>' in page
    assert "Documentazione mancante" not in page

"""C5 and C6 event elaborations (issue 33): dated documents of the events of the calendar year before the
campaign, own staff (C5) or contractors and subcontractors with their list (C6), attached to the draft as
evidence; C6 refused without any contractor event; other years are not offered. Real PDFs (WeasyPrint)."""
import datetime as dt
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from evidence.models import EvidenceFile
from indicators import rules
from indicators.models import CorrectiveAction, Injury
from tests.factories import SiteFactory, draft_with, legal_rep, member, open_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    return SiteFactory(name="Stabilimento Nord")


@pytest.fixture
def rep(site):
    return legal_rep(site.company)


@pytest.fixture
def year():
    return open_campaign().reference_year


def event(site, day, **fields):
    return Injury.objects.create(site=site, event_date=day, **fields)


def register(site, year):
    own = event(site, dt.date(year, 3, 10), first_absence=dt.date(year, 3, 10), last_absence=dt.date(year, 3, 20),
                description="Caduta dalla scala", reported_by="Capo reparto", causes="Scala danneggiata")
    CorrectiveAction.objects.create(event=own, description="Sostituire le scale", owner="Ufficio acquisti",
                                    due_date=dt.date(year, 4, 30), done=True)
    event(site, dt.date(year, 5, 2), kind=rules.KIND_NEAR_MISS, description="Muletto senza segnalatore")
    event(site, dt.date(year, 6, 3), kind=rules.KIND_INJURY, party=rules.PARTY_CONTRACTOR,
          contractor="Edil Rossi srl", first_absence=dt.date(year, 6, 3), last_absence=dt.date(year, 6, 12),
          description="Taglio alla mano")
    event(site, dt.date(year, 7, 4), kind=rules.KIND_DANGEROUS, party=rules.PARTY_SUBCONTRACTOR,
          contractor="Ponteggi Verdi snc", description="Parapetto mancante")
    event(site, dt.date(year - 1, 9, 1), description="Evento dell'anno prima", first_absence=dt.date(year - 1, 9, 1),
          last_absence=dt.date(year - 1, 9, 30))
    event(site, dt.date(year - 1, 9, 2), party=rules.PARTY_CONTRACTOR, contractor="Vecchia Impresa spa",
          description="Appalto dell'anno prima", first_absence=dt.date(year - 1, 9, 2), last_absence=dt.date(year - 1, 9, 9))


def pdf_text(content: bytes) -> str:
    return " ".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split())


def test_c5_elaboration_covers_own_staff_events_of_the_year_before_the_campaign(client, site, rep, year):
    register(site, year)
    client.force_login(rep)
    response = client.get(reverse("indicators_events_pdf", args=[site.pk, "C5"]) + f"?dal={year - 1}&anno={year - 1}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Elaborazione dei dati degli eventi" in text and f"01/01/{year} – 31/12/{year}" in text
    assert "Caduta dalla scala" in text and "Muletto senza segnalatore" in text and "Quasi-infortunio" in text
    assert "Scala danneggiata" in text and "Sostituire le scale" in text and "Ufficio acquisti" in text
    assert "Taglio alla mano" not in text and "Parapetto mancante" not in text  # contractors: C6
    assert "Evento dell'anno prima" not in text  # another year, whatever the query asks
    assert "Il datore di lavoro" in text and "seed" not in text.lower()


def test_c6_elaboration_lists_the_contractors_and_their_events(client, site, rep, year):
    register(site, year)
    client.force_login(rep)
    text = pdf_text(client.get(reverse("indicators_events_pdf", args=[site.pk, "C6"])).content)
    assert "Edil Rossi srl" in text and "Ponteggi Verdi snc" in text
    assert "Taglio alla mano" in text and "Parapetto mancante" in text
    assert "Caduta dalla scala" not in text and "Vecchia Impresa spa" not in text
    assert client.get(reverse("indicators_events_pdf", args=[site.pk, "C7"])).status_code == 404


def test_attach_c5_and_c6_for_the_reference_year_only(client, site, rep, year):
    register(site, year)
    app = draft_with(site, rep, {"C": ["C5", "C6"]})
    client.force_login(member(site.company))
    url = reverse("indicators_attach", args=[site.pk])
    assert client.post(url, {"intervention": "C5", "dal": year - 3, "al": year - 1}).status_code == 302
    assert client.post(url, {"intervention": "C6"}).status_code == 302
    files = {f.evidence_item.intervention.code: f for f in EvidenceFile.objects.filter(application=app)}
    assert files["C5"].original_name == f"elaborazione-eventi-c5-stabilimento-nord-{year}.pdf"
    assert files["C6"].original_name == f"elaborazione-eventi-c6-stabilimento-nord-{year}.pdf"
    assert files["C5"].evidence_item.label.startswith("Elaborazioni")
    assert files["C6"].evidence_item.label.startswith("Elaborazioni")


def test_c6_without_contractor_events_in_the_year_is_refused(client, site, rep, year):
    event(site, dt.date(year, 3, 10), description="Solo personale proprio")
    event(site, dt.date(year - 1, 9, 2), party=rules.PARTY_CONTRACTOR, contractor="Vecchia Impresa spa")
    draft_with(site, rep, {"C": ["C6"]})
    client.force_login(rep)
    response = client.post(reverse("indicators_attach", args=[site.pk]), {"intervention": "C6"}, follow=True)
    body = response.content.decode()
    assert f"Nessun evento di imprese appaltatrici o subappaltatrici nel {year}" in body
    assert not EvidenceFile.objects.exists()
    page = client.get(reverse("indicators_site", args=[site.pk])).content.decode()
    assert f"Elaborazioni degli eventi del {year}" in page


def test_c6_elaboration_lists_the_site_contractors_and_when_the_procedure_was_sent(client, site, rep, year):
    """Seed 002, C6: the list of contractors and the evidence that the procedure was sent to them. The site's
    list (with the date and means of sending) joins the contractors named in the events (issue 33)."""
    from indicators.models import Contractor

    register(site, year)
    client.force_login(rep)
    url = reverse("indicators_contractors", args=[site.pk])
    assert client.post(url, {"name": "Impianti Blu srl", "party": rules.PARTY_SUBCONTRACTOR,
                             "procedure_sent_on": f"{year}-01-10", "procedure_sent_how": "PEC"}).status_code == 302
    assert client.post(url, {"name": " edil  rossi SRL ", "party": rules.PARTY_CONTRACTOR}).status_code == 302
    refused = client.post(url, {"name": "Impianti Blu SRL", "party": rules.PARTY_CONTRACTOR})
    assert refused.status_code == 400 and "è già nell&#x27;elenco" in refused.content.decode()
    page = client.get(url).content.decode()
    assert "Impianti Blu srl" in page and "non indicata" in page
    text = pdf_text(client.get(reverse("indicators_events_pdf", args=[site.pk, "C6"])).content)
    assert "Impianti Blu srl" in text and f"10/01/{year} — PEC" in text  # no events, on the list
    assert "Ponteggi Verdi snc" in text and "non indicata" in text  # in the events, sending not recorded
    c5 = pdf_text(client.get(reverse("indicators_events_pdf", args=[site.pk, "C5"])).content)
    assert "Impianti Blu srl" not in c5
    blu = Contractor.objects.get(name="Impianti Blu srl")
    assert client.post(reverse("indicators_contractor_delete", args=[blu.pk])).status_code == 302
    assert not Contractor.objects.filter(pk=blu.pk).exists()

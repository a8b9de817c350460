"""The register of events (issue 33): kinds of event, who was involved, who reported it, causes and
corrective actions; only the injuries of the company's own staff enter the indices. PostgreSQL, test client."""
import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators import rules, services
from indicators.models import CorrectiveAction, Injury, SiteYearHours
from indicators.selectors import site_results
from stress.register import register_indices
from tests.factories import SiteFactory, legal_rep

pytestmark = pytest.mark.django_db

OLD_FILE = (  # a register file of before issue 33: no event column
    "data_evento;primo_giorno_assenza;ultimo_giorno_assenza;in_itinere;mortale;invalidita_permanente;descrizione\n"
    "10/03/2024;11/03/2024;20/03/2024;no;no;0;Caduta dalla scala\n"
)
EVENTS_FILE = (
    "data_evento;primo_giorno_assenza;ultimo_giorno_assenza;in_itinere;mortale;invalidita_permanente;descrizione;"
    "tipo_evento;coinvolti;impresa;segnalato_da;cause;azione_correttiva;responsabile_azione;scadenza_azione;"
    "azione_eseguita\n"
    "10/03/2024;11/03/2024;20/03/2024;no;no;0;Caduta dalla scala;;;;;;;;;\n"
    "12/04/2024;;;;;;Muletto in retromarcia senza segnalatore;quasi-infortunio;personale_proprio;;Mario Rossi;"
    "Segnalatore acustico guasto;Riparare il segnalatore | Formazione carrellisti;Ufficio tecnico | RSPP;"
    "30/04/2024 | 30/06/2024;si | no\n"
    "05/05/2024;06/05/2024;25/05/2024;no;no;0;Taglio alla mano;infortunio;appaltatore;Edil Rossi srl;"
    "Preposto Edil Rossi;Lama senza protezione;;;;\n"
    "07/07/2024;;;;;;Scaffale instabile;situazione_pericolosa;;;Anna Bianchi;;;;;\n"
)


@pytest.fixture
def site():
    site = SiteFactory(name="Stabilimento Nord")
    SiteYearHours.objects.create(site=site, year=2024, hours=Decimal(100000))
    return site


@pytest.fixture
def rep(site):
    return legal_rep(site.company)


def test_existing_rows_are_injuries_of_own_staff():
    injury = Injury(site=SiteFactory(), event_date=dt.date(2024, 1, 2))
    assert (injury.kind, injury.party, injury.contractor) == (rules.KIND_INJURY, rules.PARTY_OWN, "")


def test_only_own_staff_injuries_enter_the_indices_and_the_stress_area_a(site, rep):
    services.import_rows(user=rep, site=site, kind="injuries", text=EVENTS_FILE)
    assert Injury.objects.filter(site=site).count() == 4
    (year,) = site_results(site, as_of=dt.date(2024, 12, 31))
    assert (year.injuries, year.days, year.excluded) == (1, 10, ())  # the contractor's 20 days do not count
    assert register_indices(company=site.company, site=site, years=[2024], as_of=dt.date(2024, 12, 31)) == {
        2024: (Decimal("10.00"), Decimal("0.10"))}


def test_import_reads_the_event_columns_and_old_files_still_import(site, rep):
    assert services.import_rows(user=rep, site=site, kind="injuries", text=OLD_FILE).saved == 1
    old = Injury.objects.get()
    assert (old.kind, old.party) == (rules.KIND_INJURY, rules.PARTY_OWN)
    result = services.import_rows(user=rep, site=site, kind="injuries", text=EVENTS_FILE)
    assert (result.saved, result.held) == (3, 1)
    near = Injury.objects.get(kind=rules.KIND_NEAR_MISS)
    assert (near.party, near.reported_by, near.causes) == (rules.PARTY_OWN, "Mario Rossi", "Segnalatore acustico guasto")
    assert [(a.description, a.owner, a.due_date, a.done) for a in near.actions.order_by("due_date")] == [
        ("Riparare il segnalatore", "Ufficio tecnico", dt.date(2024, 4, 30), True),
        ("Formazione carrellisti", "RSPP", dt.date(2024, 6, 30), False)]
    contractor = Injury.objects.get(party=rules.PARTY_CONTRACTOR)
    assert contractor.contractor == "Edil Rossi srl" and contractor.kind == rules.KIND_INJURY
    assert Injury.objects.get(kind=rules.KIND_DANGEROUS).reported_by == "Anna Bianchi"


@pytest.mark.parametrize("line,column", [
    ("12/04/2024;;;;;;x;quasi_infortunio;appaltatore;;;;;;;\n", "impresa"),
    ("12/04/2024;12/04/2024;20/04/2024;;;;x;quasi_infortunio;;;;;;;;\n", "primo_giorno_assenza"),
    ("12/04/2024;;;;;;x;evento strano;;;;;;;;\n", "tipo_evento"),
    ("12/04/2024;;;;;;x;;tutti;;;;;;;\n", "coinvolti"),
    ("12/04/2024;;;;;;x;quasi_infortunio;;;;;;RSPP;;\n", "azione_correttiva"),
    ("12/04/2024;;;;;;x;quasi_infortunio;;;;;Riparare;RSPP;31/02/2024;\n", "scadenza_azione"),
])
def test_import_errors_in_the_event_columns_name_row_and_column(site, rep, line, column):
    from indicators import csvio

    header = EVENTS_FILE.split("\n", 1)[0] + "\n"
    with pytest.raises(csvio.RegisterError) as caught:
        services.parse_import(site, "injuries", header + line, as_of=dt.date(2025, 1, 1))
    assert [(e.row, e.column) for e in caught.value.errors][:1] == [(2, column)]
    assert not Injury.objects.exists()


def test_export_carries_the_events_and_imports_back_adding_nothing(client, site, rep):
    services.import_rows(user=rep, site=site, kind="injuries", text=EVENTS_FILE)
    client.force_login(rep)
    text = client.get(reverse("indicators_export", args=[site.pk])).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    near = next(r for r in rows if r["tipo_evento"] == rules.KIND_NEAR_MISS)
    assert near["azione_correttiva"] == "Riparare il segnalatore | Formazione carrellisti"
    assert near["azione_eseguita"] == "si | no"
    assert services.import_rows(user=rep, site=site, kind="injuries", text=text) == (0, 4)


def test_event_form_with_contractor_and_corrective_actions(client, site, rep):
    client.force_login(rep)
    url = reverse("indicators_injury_create", args=[site.pk])
    data = {"kind": rules.KIND_NEAR_MISS, "event_date": "2024-04-12", "party": rules.PARTY_SUBCONTRACTOR,
            "contractor": "", "reported_by": "Mario Rossi", "description": "Carico sospeso oscillante",
            "causes": "Imbracatura errata", "disability": "0",
            "azioni-TOTAL_FORMS": "1", "azioni-INITIAL_FORMS": "0", "azioni-MIN_NUM_FORMS": "0",
            "azioni-MAX_NUM_FORMS": "50", "azioni-0-description": "Formazione imbracatori",
            "azioni-0-owner": "RSPP", "azioni-0-due_date": "2024-06-30"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Indicare la ragione sociale dell&#x27;impresa" in response.content.decode()
    assert not Injury.objects.exists()
    data["contractor"] = "Gru Bianchi snc"
    assert client.post(url, data).status_code == 302
    event = Injury.objects.get()
    assert (event.kind, event.party, event.contractor) == (rules.KIND_NEAR_MISS, rules.PARTY_SUBCONTRACTOR,
                                                           "Gru Bianchi snc")
    action = CorrectiveAction.objects.get()
    assert (action.event, action.owner, action.due_date, action.done) == (event, "RSPP", dt.date(2024, 6, 30), False)
    page = client.get(reverse("indicators_site", args=[site.pk])).content.decode()
    assert "Quasi-infortunio" in page and "Gru Bianchi snc" in page and "Formazione imbracatori" in page
    # Marked done from the edit page.
    edit = {**data, "azioni-TOTAL_FORMS": "2", "azioni-INITIAL_FORMS": "1", "azioni-0-id": str(action.pk),
            "azioni-0-event": str(event.pk), "azioni-0-done": "on"}
    assert client.post(reverse("indicators_injury_edit", args=[event.pk]), edit).status_code == 302
    action.refresh_from_db()
    assert action.done is True and CorrectiveAction.objects.count() == 1


def test_a_near_miss_with_days_of_absence_is_refused_next_to_the_field(client, site, rep):
    client.force_login(rep)
    response = client.post(reverse("indicators_injury_create", args=[site.pk]), {
        "kind": rules.KIND_DANGEROUS, "event_date": "2024-04-12", "party": rules.PARTY_OWN,
        "first_absence": "2024-04-12", "last_absence": "2024-04-20", "disability": "0"})
    assert response.status_code == 200
    assert "Un evento senza infortunio non ha giorni di assenza." in response.content.decode()
    assert not Injury.objects.exists()

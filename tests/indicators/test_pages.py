"""The injury register in the portal: models, services and pages (issue 19), through the test client on
PostgreSQL, real storage and the real PDF engine."""
import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import User
from operations.demo import minimal_pdf
from evidence import services as evidence_services
from evidence.models import EvidenceFile
from evidence.selectors import evidence_checklist
from indicators import services
from indicators.models import Injury, SiteYearHours
from interventions.models import EvidenceItem
from tests.factories import (
    PATFactory, SiteFactory, UserFactory, consultant, draft_with, legal_rep, member, open_campaign,
)

pytestmark = pytest.mark.django_db

REGISTER = (
    "data_evento;primo_giorno_assenza;ultimo_giorno_assenza;in_itinere;mortale;invalidita_permanente;descrizione\n"
    "10/03/2023;11/03/2023;20/03/2023;no;no;0;Caduta dalla scala\n"
    "05/06/2023;05/06/2023;06/06/2023;no;no;;Taglio lieve\n"
    "2024-02-01;2024-02-02;2024-02-11;si;no;;Incidente stradale\n"
    "2024-09-15;2024-09-16;2024-10-15;no;no;5;Schiacciamento\n"
)
HOURS = "anno;ore_lavorate\n2023;100000\n2024;125000\n"


def upload(name, text, encoding="utf-8"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def import_file(client, site, kind, text):
    url = reverse("indicators_import", args=[site.pk])
    preview = client.post(url, {"kind": kind, "file": upload(f"{kind}.csv", text)})
    return preview


def fill_register(site, rep):
    services.import_rows(user=rep, site=site, kind="hours", text=HOURS)
    services.import_rows(user=rep, site=site, kind="injuries", text=REGISTER)


# --- models and services ------------------------------------------------------------------------------


def test_hours_are_unique_per_site_and_year(site, rep):
    services.hours_save(user=rep, site=site, year=2024, hours=Decimal("1000"))
    services.hours_save(user=rep, site=site, year=2024, hours=Decimal("2000"))  # an update, not a second row
    assert list(SiteYearHours.objects.filter(site=site).values_list("year", "hours")) == [(2024, Decimal("2000"))]
    with pytest.raises(ValidationError):
        services.hours_save(user=rep, site=site, year=2024, hours=Decimal("0"))


def test_services_refuse_people_who_do_not_work_for_the_company(site):
    from django.core.exceptions import PermissionDenied

    outsider = legal_rep(SiteFactory().company)
    with pytest.raises(PermissionDenied):
        services.hours_save(user=outsider, site=site, year=2024, hours=Decimal("1000"))
    reviewer = UserFactory(role=User.Role.REVIEWER)
    with pytest.raises(PermissionDenied):
        services.import_rows(user=reviewer, site=site, kind="hours", text=HOURS)
    admin = UserFactory(role=User.Role.ADMIN, is_superuser=True, is_staff=True)
    assert not admin.has_perm("applications.view_indicators", site)


def test_site_results_use_the_pure_rules(site, rep):
    fill_register(site, rep)
    from indicators.selectors import site_results

    results = {r.year: r for r in site_results(site, as_of=dt.date(2025, 1, 31))}
    # 2023: one counted (10 days), one short absence excluded; 2024: commuting excluded, one counted (30 days).
    assert results[2023].injuries == 1 and results[2023].days == 10 and len(results[2023].excluded) == 1
    assert results[2024].injuries == 1 and results[2024].days == 30
    assert results[2023].frequency == Decimal(10)  # 1 * 1,000,000 / 100,000


# --- the register: create, edit, delete ---------------------------------------------------------------


def test_register_crud_with_italian_errors_next_to_the_field(client, site, rep):
    client.force_login(rep)
    create = reverse("indicators_injury_create", args=[site.pk])
    response = client.post(create, {"event_date": "2024-05-10", "first_absence": "2024-05-09",
                                    "last_absence": "", "disability": "0", "description": "x"})
    assert response.status_code == 200
    assert not Injury.objects.exists()
    assert "precedente alla data dell&#x27;evento" in response.content.decode()
    assert response.context["form"].errors["first_absence"]

    response = client.post(create, {"event_date": "10/05/2024", "first_absence": "11/05/2024",
                                    "last_absence": "20/05/2024", "disability": "0", "description": "Urto",
                                    "pat": site.pats.get().pk})
    assert response.status_code == 302
    injury = Injury.objects.get()
    assert (injury.event_date, injury.last_absence, injury.pat.number) == (dt.date(2024, 5, 10), dt.date(2024, 5, 20), "12345678")

    edit = reverse("indicators_injury_edit", args=[injury.pk])
    response = client.post(edit, {"event_date": "2024-05-10", "first_absence": "2024-05-11", "last_absence": "",
                                  "disability": "0", "description": "Urto, ancora assente"})
    assert response.status_code == 302
    injury.refresh_from_db()
    assert injury.last_absence is None and injury.description == "Urto, ancora assente"

    delete = reverse("indicators_injury_delete", args=[injury.pk])
    confirm = client.get(delete)
    assert "Eliminare" in confirm.content.decode() and Injury.objects.exists()  # a confirmation first
    assert client.post(delete).status_code == 302
    assert not Injury.objects.exists()


def test_a_pat_of_another_site_is_refused(client, site, rep):
    other = PATFactory(site=SiteFactory(company=site.company))
    client.force_login(rep)
    response = client.post(reverse("indicators_injury_create", args=[site.pk]),
                           {"event_date": "2024-05-10", "disability": "0", "pat": other.pk})
    assert response.status_code == 200 and response.context["form"].errors["pat"]
    assert not Injury.objects.exists()


def test_hours_page_saves_and_deletes_a_year(client, site, rep):
    client.force_login(rep)
    url = reverse("indicators_hours", args=[site.pk])
    assert client.post(url, {"year": "2024", "hours": "12500,5"}).status_code == 302
    assert SiteYearHours.objects.get(site=site, year=2024).hours == Decimal("12500.5")
    response = client.post(url, {"year": "2024", "hours": "0"})
    assert response.status_code == 200 and "maggiori di zero" in response.content.decode()
    assert client.post(url, {"delete": "2024"}).status_code == 302
    assert not SiteYearHours.objects.exists()


# --- import -------------------------------------------------------------------------------------------


def test_import_preview_then_confirm(client, site, rep):
    client.force_login(rep)
    preview = import_file(client, site, "injuries", REGISTER)
    assert preview.status_code == 200
    body = preview.content.decode()
    assert "Caduta dalla scala" in body and "Conferma importazione" in body
    assert not Injury.objects.exists()  # nothing saved before the confirmation
    done = client.post(reverse("indicators_import_confirm", args=[site.pk]))
    assert done.status_code == 302
    assert Injury.objects.filter(site=site).count() == 4
    # The preview is used once.
    again = client.post(reverse("indicators_import_confirm", args=[site.pk]))
    assert again.status_code == 302 and Injury.objects.count() == 4

    import_file(client, site, "hours", HOURS)
    client.post(reverse("indicators_import_confirm", args=[site.pk]))
    assert dict(SiteYearHours.objects.values_list("year", "hours")) == {2023: Decimal(100000), 2024: Decimal(125000)}


def test_import_errors_name_row_and_column_and_nothing_is_saved(client, site, rep):
    client.force_login(rep)
    bad = REGISTER + "31/02/2024;;;no;no;;Data impossibile\n2024-03-01;2024-03-02;;forse;no;;x\n" \
                     "2024-03-01;2024-03-02;2024-03-09;no;no;;PAT sbagliata\n"
    bad = bad.replace(";descrizione\n", ";descrizione;pat\n", 1).rstrip("\n") + ";99999999\n"
    response = import_file(client, site, "injuries", bad)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Riga 6, colonna data_evento" in body
    assert "Riga 7, colonna in_itinere" in body
    assert "Riga 8, colonna pat" in body
    assert "Conferma importazione" not in body
    assert client.post(reverse("indicators_import_confirm", args=[site.pk])).status_code == 302
    assert not Injury.objects.exists()


def test_import_refuses_a_file_too_big(client, site, rep, settings):
    settings.OT24_INDICATORS_MAX_IMPORT_BYTES = 100
    client.force_login(rep)
    response = import_file(client, site, "injuries", REGISTER)
    assert "supera" in response.content.decode() and not Injury.objects.exists()


# --- pages, export, chart -----------------------------------------------------------------------------


def test_site_page_shows_the_table_the_chart_and_the_exclusions(client, site, rep):
    fill_register(site, rep)
    client.force_login(rep)
    response = client.get(reverse("indicators_site", args=[site.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in body and 'role="img"' in body
    assert "10,00" in body  # IF 2023
    assert "Assenza di 3 giorni o meno" in body and "Infortunio in itinere" in body
    assert "× 1.000" in body  # the IG factor
    assert "Obiettivo Zero" in body


def test_the_chart_on_the_page_and_in_the_pdf_shows_the_points_labels_and_legend(client, site, rep):
    """The chart's template is included on the site page and in the elaboration's PDF: two years of IF and IG,
    each a marker with its value written beside it, the legend and the axis titles."""
    import xml.etree.ElementTree as ET
    from django.template.loader import render_to_string
    from indicators.pdf import analysis_context

    fill_register(site, rep)
    client.force_login(rep)
    page = client.get(reverse("indicators_site", args=[site.pk])).content.decode()
    printed = render_to_string("pdf/indicators.html", analysis_context(site, 2023, 2024))
    ns = "{http://www.w3.org/2000/svg}"
    for body in (page, printed):
        root = ET.fromstring(body[body.index("<svg"):body.index("</svg>") + 6])
        texts = ["".join(t.itertext()) for t in root.iter(f"{ns}text")]
        assert len(root.findall(f"{ns}circle")) == 2 and len(root.findall(f"{ns}rect")) == 2  # IF, IG markers
        assert len(root.findall(f"{ns}polyline")) == 2
        assert {"10,00", "8,00", "0,10", "0,24", "2023", "2024"} <= set(texts)  # values beside their points
        assert {"Indice di frequenza (IF)", "Indice di gravità (IG)", "Anno"} <= set(texts)
        for circle in root.iter(f"{ns}circle"):  # coordinates stay in '.' notation whatever the language
            assert "," not in circle.get("cx") and "," not in circle.get("cy")
    assert response_pdf_ok(client, site)


def response_pdf_ok(client, site) -> bool:
    response = client.get(reverse("indicators_pdf", args=[site.pk]) + "?dal=2023&al=2024")
    return response.status_code == 200 and response.content.startswith(b"%PDF")


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_page_and_pdf_name_the_source_of_each_rule_and_never_say_seed(client, site, rep):
    fill_register(site, rep)
    client.force_login(rep)
    body = _flat(client.get(reverse("indicators_site", args=[site.pk])).content.decode())
    response = client.get(reverse("indicators_pdf", args=[site.pk]) + "?dal=2023&al=2024")
    text = _flat("".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages))
    for shown in (body, text):
        assert "seed" not in shown.lower()
        # the conventional days are UNI 7249's, not the Obiettivo Zero regulation's
        assert "fissate dalla norma UNI 7249: 75 per punto di invalidità permanente, 7.500 per un infortunio mortale" in shown
        assert "anche mortali" in shown and "infortunio mortale sul lavoro è sempre conteggiato" in shown


def test_export_is_the_register_as_csv_and_imports_back(client, site, rep):
    fill_register(site, rep)
    client.force_login(rep)
    response = client.get(reverse("indicators_export", args=[site.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 4 and rows[0]["data_evento"] == "10/03/2023" and rows[0]["descrizione"] == "Caduta dalla scala"
    from indicators import csvio

    assert len(csvio.parse_register(text)) == 4


def test_company_page_lists_every_site(client, site, rep):
    second = SiteFactory(company=site.company, name="Magazzino Sud")
    fill_register(site, rep)
    services.hours_save(user=rep, site=second, year=2024, hours=Decimal(50000))
    client.force_login(rep)
    body = client.get(reverse("indicators_company", args=[site.company.pk])).content.decode()
    assert "Stabilimento Nord" in body and "Magazzino Sud" in body


def test_consultant_portfolio_sorted_paginated_and_csv(client, site, rep, settings):
    settings.OT24_PAGINATE_BY = 2
    adviser = consultant(site.company)
    other_site = SiteFactory(name="Cliente Due")
    from organisations.models import Mandate

    Mandate.objects.create(consultant=adviser, company=other_site.company, start_date=dt.date(2020, 1, 1),
                           status=Mandate.Status.ACTIVE, all_sites=True)
    third = SiteFactory(company=other_site.company, name="Cliente Tre")
    fill_register(site, rep)
    other_rep = legal_rep(other_site.company)
    services.hours_save(user=other_rep, site=other_site, year=2024, hours=Decimal(10000))
    services.hours_save(user=other_rep, site=third, year=2024, hours=Decimal(20000))
    unrelated = SiteFactory(name="Non mio")
    client.force_login(adviser)

    page1 = client.get(reverse("indicators_portfolio") + "?ordine=unita")
    assert [r["site"].name for r in page1.context["page"].object_list] == ["Cliente Due", "Cliente Tre"]
    page2 = client.get(reverse("indicators_portfolio") + "?ordine=unita&page=2")
    assert [r["site"].name for r in page2.context["page"].object_list] == ["Stabilimento Nord"]
    by_if = client.get(reverse("indicators_portfolio") + "?ordine=-if")
    assert by_if.context["page"].object_list[0]["site"].name == "Stabilimento Nord"

    response = client.get(reverse("indicators_portfolio_csv") + "?ordine=unita")
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Cliente Due" in text and "Stabilimento Nord" in text and unrelated.name not in text
    assert len(text.strip().splitlines()) == 4


# --- the analysis PDF and its attachment to the draft -------------------------------------------------


def test_pdf_renders_with_the_figures(client, site, rep):
    fill_register(site, rep)
    client.force_login(rep)
    response = client.get(reverse("indicators_pdf", args=[site.pk]) + "?dal=2023&al=2024")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Elaborazione dei dati infortunistici" in text
    assert "Stabilimento Nord" in text and "10,00" in text and "Il datore di lavoro" in text
    assert "1.000" in text


def c5_draft(site, rep):
    app = draft_with(site, rep, {"C": ["C5"]})
    for item in EvidenceItem.objects.filter(intervention__code="C5").exclude(label__startswith="Elaborazioni"):
        evidence_services.evidence_add(user=rep, application=app, evidence_item=item,
                                       uploaded_file=SimpleUploadedFile(f"doc{item.pk}.pdf", minimal_pdf("doc")))
    return app


def test_attach_creates_evidence_on_c5_da_firmare_and_signing_completes_the_checklist(client, site, rep):
    """Issue 33: the elaboration attaches "da firmare" and documents C5 only once the legal representative
    has signed it (here: the scan of the printed copy signed by hand)."""
    open_campaign()
    fill_register(site, rep)
    app = c5_draft(site, rep)
    assert not evidence_checklist(app, app.selections.all())[0].status.complete
    client.force_login(member(site.company))
    response = client.post(reverse("indicators_attach", args=[site.pk]),
                           {"intervention": "C5", "dal": "2023", "al": "2024"})
    assert response.status_code == 302
    assert ">Vai alla documentazione</a>" in client.get(response.url).content.decode()  # the message's link
    item = EvidenceItem.objects.get(intervention__code="C5", label__startswith="Elaborazioni")
    evidence = EvidenceFile.objects.get(application=app, evidence_item=item)
    assert evidence.content_type == "application/pdf" and len(evidence.sha256) == 64
    assert evidence.original_name.startswith("elaborazione-eventi-c5-")  # issue 33: the events of the reference year
    assert evidence.awaiting_signature
    row = evidence_checklist(app, app.selections.all())[0]
    assert row.intervention.code == "C5" and not row.status.complete and row.status.unsigned_item_ids == (item.pk,)
    page = client.get(reverse("application_step", args=[app.pk, "evidence"])).content.decode()
    assert "Da firmare" in page and evidence.original_name in page
    client.force_login(rep)
    response = client.post(reverse("evidence_sign", args=[app.pk, evidence.pk]), {
        "method": "autografa", "autografa-confirm": "on",
        "autografa-file": SimpleUploadedFile("scansione.pdf", minimal_pdf("firmato a mano"))})
    assert response.status_code == 302
    row = evidence_checklist(app, app.selections.all())[0]
    assert row.status.complete
    page = client.get(reverse("application_step", args=[app.pk, "evidence"])).content.decode()
    assert "Completa" in page and "Firmato a mano" in page


def test_attach_without_c5_or_c6_says_so_and_offers_section_c(client, site, rep):
    open_campaign()
    fill_register(site, rep)
    app = draft_with(site, rep, {"C": ["C4"]})
    client.force_login(rep)
    response = client.post(reverse("indicators_attach", args=[site.pk]), {"intervention": "C5"}, follow=True)
    body = response.content.decode()
    assert "non è selezionato" in body
    # the message's link, from templates/messages/_with_link.html, is a real link (not escaped text)
    assert f'<a href="{reverse("application_step", args=[app.pk, "C"])}">Vai alla sezione C</a>' in body
    assert not EvidenceFile.objects.exists()


def test_attach_without_a_draft_says_so(client, site, rep):
    open_campaign()
    fill_register(site, rep)
    client.force_login(rep)
    response = client.post(reverse("indicators_attach", args=[site.pk]), {"intervention": "C5"}, follow=True)
    assert "Nessuna domanda in bozza" in response.content.decode()
    assert not EvidenceFile.objects.exists()


def test_dashboard_and_site_page_link_to_the_indices(client, site, rep):
    open_campaign()
    client.force_login(rep)
    target = reverse("indicators_site", args=[site.pk])
    assert target in client.get(reverse("dashboard")).content.decode()
    assert target in client.get(reverse("site_edit", args=[site.pk])).content.decode()


def test_previews_never_confirmed_do_not_pile_up():
    import os
    import time

    first = services.stash("a;b\n")
    stale = services._stash_dir() / f"{first}.csv"
    day_ago = time.time() - 2 * 24 * 3600
    os.utime(stale, (day_ago, day_ago))
    second = services.stash("c;d\n")
    assert not stale.exists()
    assert services.unstash(second) == "c;d\n" and services.unstash(second) is None  # read once
    assert services.unstash("../../etc/passwd") is None


def test_import_bounds_10000_rows(client, site, rep):
    import time

    row = "10/03/2023;11/03/2023;20/03/2023;no;no;0;Caduta\n"
    header = REGISTER.splitlines()[0] + "\n"
    client.force_login(rep)
    too_many = import_file(client, site, "injuries", header + row * 10_000 + row.rstrip("\n"))
    assert "limite di 10.000 righe" in too_many.content.decode()
    started = time.perf_counter()
    preview = import_file(client, site, "injuries", header + row * 10_000)
    body = preview.content.decode()
    assert "Conferma importazione" in body and "prime 200 righe delle 10000 lette" in body
    assert client.post(reverse("indicators_import_confirm", args=[site.pk])).status_code == 302
    print(f"10,000 rows: preview + confirm {time.perf_counter() - started:.2f} s")
    assert Injury.objects.filter(site=site).count() == 10_000

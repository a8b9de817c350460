"""The whole flow with Django's test client on PostgreSQL: start, scheda, sections, evidence, review,
submit; the refusals on the way; what another tenant sees."""
import datetime as dt
import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from operations.demo import minimal_pdf
from applications.models import Application, Campaign
from ot24portal.filestore import storage
from evidence.models import EvidenceFile
from interventions.models import EvidenceItem
from tests.factories import DEFAULT_PASSWORD, PATFactory, SiteFactory, consultant, legal_rep, member, open_campaign

pytestmark = pytest.mark.django_db


def step(app, name):
    return reverse("application_step", args=[app.pk, name])


def login(client, user):
    assert client.login(email=user.email, password=DEFAULT_PASSWORD)
    return client


SCHEDA = {
    "ragione_sociale": "Edil Prova S.r.l.", "codice_ditta": "1234567", "codice_sede": "01",
    "unita_produttiva": "Cantiere", "indirizzo": "Via Roma 2", "citta": "Roma", "cap": "00100",
    "matricola_inps": "12345678", "sector": "costruzioni", "workers": "12",
    "signatory_name": "Mario Rossi", "signatory_codice_fiscale": "RSSMRA70E17H501S",
    "signatory_birth_place": "Roma", "signatory_birth_date": "1970-05-17", "signatory_role": "Legale rappresentante",
}


@pytest.fixture
def setup():
    campaign = open_campaign()
    site = SiteFactory(workers=12, sector="costruzioni")
    pat = PATFactory(site=site)
    rep = legal_rep(site.company)
    return campaign, site, pat, rep


def start(client, site):
    response = client.post(reverse("application_start", args=[site.pk]))
    assert response.status_code == 302
    return Application.objects.get(site=site)


def post_scheda(client, app, pat, **overrides):
    data = {**SCHEDA, "pats": [pat.pk], "version": Application.objects.get(pk=app.pk).version, **overrides}
    return client.post(step(app, "scheda"), data)


def post_section(client, app, letter, data):
    return client.post(step(app, letter), {"version": Application.objects.get(pk=app.pk).version, **data})


def upload(client, app, item, name="doc.pdf", content=None):
    content = minimal_pdf("prova") if content is None else content
    return client.post(step(app, "evidence"), {"evidence_item": item.pk, "file": SimpleUploadedFile(name, content)})


def test_full_flow_from_dashboard_to_receipt(client, setup):
    campaign, site, pat, rep = setup
    login(client, rep)
    dashboard = client.get(reverse("dashboard"))
    assert site.name in dashboard.content.decode()

    app = start(client, site)
    assert app.is_draft and app.ragione_sociale == site.company.ragione_sociale  # pre-filled
    assert list(app.pats.all()) == [pat]

    # Scheda: a wrong CAP is refused next to its field, and what was typed is kept.
    response = post_scheda(client, app, pat, cap="ABC", ragione_sociale="Tenuto")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Il CAP è formato da 5 cifre." in body and 'value="Tenuto"' in body
    assert post_scheda(client, app, pat).status_code == 302

    # Section B: B2d with 3 options is refused, the reason shown by the intervention, nothing saved.
    response = post_section(client, app, "B", {"sel_B2d": "on", "sub_B2d": ["1", "2", "3"]})
    assert response.status_code == 200
    assert "Selezionare almeno 4 opzioni tra quelle previste (selezionate: 3)." in response.content.decode()
    assert not app.selections.exists()

    # Section C: C1 (up to 15 workers, we have 12) and C4; section D: D1 and D4 for costruzioni.
    assert post_section(client, app, "C", {"sel_C1": "on", "sel_C4": "on"}).status_code == 302
    response = post_section(client, app, "D", {"sel_D1": "on", "sel_D4": "on"})
    assert response.status_code == 302
    page = client.get(step(app, "evidence")).content.decode()
    assert "Punteggio conteggiato: 160 su 100" in page  # 30 + 40 + 40 + 50

    # Review lists missing evidence as a blocking problem with a link to the step that fixes it.
    review = client.get(step(app, "review")).content.decode()
    assert "manca la documentazione probante" in review
    assert step(app, "evidence") in review

    # Upload every required item (first alternative set) of every selected intervention.
    for selection in app.selections.select_related("intervention"):
        for item in selection.intervention.evidence_items.filter(alternative=1, condition=""):
            assert upload(client, app, item, name=f"{item.pk}.pdf", content=minimal_pdf(str(item.pk))).status_code == 302
    review = client.get(step(app, "review")).content.decode()
    assert "La domanda è completa e può essere firmata e inviata." in review
    assert "18%" in review  # 11.50 lavoratori-anno: over 10, up to 50
    # Submit: declarations and password.
    response = client.post(step(app, "submit"), {
        "version": Application.objects.get(pk=app.pk).version, "declares_obligations": "on",
        "declares_compliance": "on", "declares_art76": "on", "declares_privacy": "on",
        "place": "Roma", "password": DEFAULT_PASSWORD,
    })
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == Application.Status.SUBMITTED
    assert app.receipt_number == f"OT24-{campaign.filing_year}-{app.pk:06d}"
    submit_event = app.events.get()
    assert (submit_event.action, submit_event.from_status, submit_event.to_status) == ("submit", "draft", "submitted")
    receipt = client.get(step(app, "review")).content.decode()
    assert app.receipt_number in receipt and "non è più modificabile" in receipt

    # Read-only now: steps redirect to the summary, writes are refused, files stay.
    assert client.get(step(app, "C")).status_code == 302
    assert post_section(client, app, "C", {}).status_code in (302, 403)
    assert app.selections.count() == 4
    f = app.evidence_files.first()
    assert client.post(reverse("evidence_remove", args=[app.pk, f.pk])).status_code == 302
    assert EvidenceFile.objects.filter(pk=f.pk).exists()


def test_benefit_table_uses_the_pat_band(client, setup):
    campaign, site, pat, rep = setup
    login(client, rep)
    app = start(client, site)
    review = client.get(step(app, "review")).content.decode()
    assert "18%" in review and "€ 8.640,00" in review  # 11.50 lavoratori-anno, premium 48000 (Italian format)
    client.cookies["django_language"] = "en"
    assert "€ 8,640.00" in client.get(step(app, "review")).content.decode()


def test_worker_limit_and_declaration_refusals(client, setup):
    campaign, site, pat, rep = setup
    login(client, rep)
    app = start(client, site)
    post_scheda(client, app, pat, workers="40")
    response = post_section(client, app, "C", {"sel_C1": "on", "sel_C3": "on"})
    body = response.content.decode()
    assert "non più di 15 lavoratori" in body
    assert "Occorre confermare la dichiarazione" in body
    assert not app.selections.exists()
    assert post_section(client, app, "C", {"sel_C3": "on", "decl_C3": "on"}).status_code == 302
    assert app.selections.get().declaration_confirmed


def test_alternatives_refused_together(client, setup):
    campaign, site, pat, rep = setup
    login(client, rep)
    app = start(client, site)
    body = post_section(client, app, "A", {"sel_A1a": "on", "sel_A1b": "on"}).content.decode()
    assert "Alternativo a A1a" in body
    assert not app.selections.exists()


def test_member_cannot_submit_but_consultant_can(client, setup):
    campaign, site, pat, rep = setup
    clerk = member(site.company)
    login(client, clerk)
    app = start(client, site)
    page = client.get(step(app, "submit")).content.decode()
    assert "Solo il legale rappresentante" in page
    assert client.post(step(app, "submit"), {"version": 1}).status_code == 403
    client.logout()
    adviser = consultant(site.company)
    login(client, adviser)
    assert client.get(step(app, "scheda")).status_code == 200


def test_submission_refused_under_100_and_after_deadline(client, setup):
    campaign, site, pat, rep = setup
    login(client, rep)
    app = start(client, site)
    post_scheda(client, app, pat)
    post_section(client, app, "C", {"sel_C23": "on"})  # 60 points, no evidence needed
    data = {"declares_obligations": "on", "declares_compliance": "on", "declares_art76": "on",
            "declares_privacy": "on", "place": "Roma", "password": DEFAULT_PASSWORD}
    response = client.post(step(app, "submit"), {**data, "version": Application.objects.get(pk=app.pk).version})
    assert "Il punteggio conteggiato è 60: ne servono almeno 100." in response.content.decode()
    post_section(client, app, "A", {"sel_A6": "on"})  # +50, no evidence needed
    Campaign.objects.filter(pk=campaign.pk).update(filing_year=2020)
    response = client.post(step(app, "submit"), {**data, "version": Application.objects.get(pk=app.pk).version})
    assert "è scaduto" in response.content.decode()
    assert Application.objects.get(pk=app.pk).is_draft


def test_wrong_password_refuses_submission(client, setup):
    campaign, site, pat, rep = setup
    login(client, rep)
    app = start(client, site)
    response = client.post(step(app, "submit"), {"version": 1, "password": "nope", "place": "Roma"})
    assert "Password non corretta." in response.content.decode()


def test_stale_version_is_refused_and_nothing_overwritten(client, setup):
    campaign, site, pat, rep = setup
    login(client, rep)
    app = start(client, site)
    old_version = Application.objects.get(pk=app.pk).version
    assert post_section(client, app, "C", {"sel_C4": "on"}).status_code == 302
    response = client.post(step(app, "C"), {"version": old_version, "sel_C5": "on"})
    assert "modificata da un'altra sessione" in html.unescape(response.content.decode())
    assert list(app.selections.values_list("intervention__code", flat=True)) == ["C4"]


def test_evidence_checks_type_by_content(client, setup):
    campaign, site, pat, rep = setup
    login(client, rep)
    app = start(client, site)
    post_section(client, app, "C", {"sel_C4": "on"})
    item = EvidenceItem.objects.filter(intervention__code="C4", intervention__section__edition__code="ot24").first()
    before = sorted(p.name for p in storage.root().rglob("*"))
    for name, content, message in [
        ("virus.pdf", b"MZ\x90\x00 not a pdf", "Tipo di file non ammesso"),
        ("doc.png", minimal_pdf("x"), "rinominare il file"),
        ("empty.pdf", b"", "vuoto"),
    ]:
        response = upload(client, app, item, name=name, content=content)
        assert message in response.content.decode(), name
    assert not app.evidence_files.exists()
    assert sorted(p.name for p in storage.root().rglob("*")) == before
    assert upload(client, app, item).status_code == 302
    f = app.evidence_files.get()
    download = client.get(reverse("evidence_download", args=[app.pk, f.pk]))
    assert download.status_code == 200
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    # Removing the intervention removes its files.
    post_section(client, app, "C", {})
    assert not app.evidence_files.exists()


def test_other_tenants_get_404(client, setup):
    campaign, site, pat, rep = setup
    login(client, rep)
    app = start(client, site)
    post_section(client, app, "C", {"sel_C4": "on"})
    item = EvidenceItem.objects.filter(intervention__code="C4").first()
    upload(client, app, item)
    f = app.evidence_files.get()
    client.logout()
    outsider_site = SiteFactory()
    for outsider in (legal_rep(outsider_site.company), consultant(), consultant(site.company, start_days_ago=50, end_days_ago=2)):
        login(client, outsider)
        for url in (reverse("application_detail", args=[app.pk]), step(app, "scheda"), step(app, "review"),
                    reverse("evidence_download", args=[app.pk, f.pk])):
            assert client.get(url).status_code == 404, url
        assert client.post(reverse("application_start", args=[site.pk])).status_code == 404
        assert client.post(reverse("evidence_remove", args=[app.pk, f.pk])).status_code == 404
        assert site.company.ragione_sociale not in client.get(reverse("dashboard")).content.decode()
        assert site.company.ragione_sociale not in client.get(reverse("dashboard_csv")).getvalue().decode()
        client.logout()


def test_consultant_dashboard_search_and_csv(client, setup):
    campaign, site, pat, rep = setup
    other = SiteFactory(name="=HYPERLINK(1)")
    adviser = consultant(site.company)
    from organisations.models import Mandate
    Mandate.objects.create(consultant=adviser, company=other.company, start_date=dt.date(2020, 1, 1),
                           status=Mandate.Status.ACTIVE, all_sites=True)
    login(client, adviser)
    page = client.get(reverse("dashboard")).content.decode()
    assert site.name in page and other.company.ragione_sociale in page
    filtered = client.get(reverse("dashboard"), {"q": site.company.ragione_sociale}).content.decode()
    assert site.name in filtered and other.name not in filtered
    csv_text = b"".join([client.get(reverse("dashboard_csv")).getvalue()]).decode("utf-8-sig")
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("Azienda;Codice fiscale")
    assert len(lines) == 3
    assert "'=HYPERLINK(1)" in csv_text  # formulas neutralised
    start(client, site)
    assert "Riprendi" in client.get(reverse("dashboard")).content.decode()


def test_dashboard_paginates(client, setup, settings):
    campaign, site, pat, rep = setup
    settings.OT24_PAGINATE_BY = 2
    for _ in range(3):
        SiteFactory(company=site.company)
    login(client, rep)
    page1 = client.get(reverse("dashboard")).content.decode()
    assert "Pagina 1 di 2" in page1
    assert client.get(reverse("dashboard"), {"page": 2}).status_code == 200


def test_a_drafts_counted_points_are_kept_current_at_every_save(client, setup):
    """declared_total follows a draft's counted points at every save of a section or of the scheda
    (section D's points depend on the sector), so the dashboard can sort drafts in the database."""
    from applications.selectors import application_score

    campaign, site, pat, rep = setup
    login(client, rep)
    app = start(client, site)
    assert post_section(client, app, "C", {"sel_C4": "on", "sel_C1": "on"}).status_code == 302
    assert Application.objects.get(pk=app.pk).declared_total == 70
    assert post_section(client, app, "D", {"sel_D1": "on"}).status_code == 302
    app.refresh_from_db()
    assert app.declared_total == application_score(app).total == 110  # D1 is worth 40 in costruzioni
    assert post_scheda(client, app, pat, sector="chimica").status_code == 302
    app.refresh_from_db()
    assert app.declared_total == application_score(app).total == 90  # and 20 elsewhere


def test_the_migration_scores_drafts_saved_before_totals_were_kept(client, setup):
    import importlib

    from django.apps import apps

    campaign, site, pat, rep = setup
    login(client, rep)
    app = start(client, site)
    post_section(client, app, "C", {"sel_C4": "on", "sel_C1": "on"})
    Application.objects.filter(pk=app.pk).update(declared_total=None)
    importlib.import_module("applications.migrations.0005_draft_totals").score_existing_drafts(apps, None)
    assert Application.objects.get(pk=app.pk).declared_total == 70


def _site_names_in_order(page: str, names) -> list[str]:
    return sorted((n for n in names if f">{n}</a>" in page), key=lambda n: page.index(f">{n}</a>"))


def test_the_dashboard_sorts_by_urgency_across_pages_and_scores_only_its_page(client, setup, settings):
    """Drafts first (fewest points first), then sites without an application, then the rest, each group
    by company and site name; the order comes from the database, so a page reads and scores only its
    own rows (a consultant with 300 client sites waited 170 ms for every page when all were scored)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    campaign, site, pat, rep = setup
    settings.OT24_PAGINATE_BY = 2
    site.name = "Zeta"
    site.save()
    sites = {name: SiteFactory(company=site.company, name=name) for name in ["Alfa", "Beta", "Gamma", "Delta", "Epsilon"]}
    names = [*sites, "Zeta"]
    login(client, rep)
    post_section(client, start(client, sites["Alfa"]), "C", {"sel_C4": "on", "sel_C1": "on"})  # 70 points
    start(client, sites["Beta"])  # 0 points
    Application.objects.filter(pk=start(client, sites["Gamma"]).pk).update(status=Application.Status.SUBMITTED)
    with CaptureQueriesContext(connection) as ctx:
        first = client.get(reverse("dashboard")).content.decode()
    queries_for_six_sites = len(ctx.captured_queries)
    pages = [first] + [client.get(reverse("dashboard"), {"page": n}).content.decode() for n in (2, 3)]
    assert [_site_names_in_order(p, names) for p in pages] == [["Beta", "Alfa"], ["Delta", "Epsilon"], ["Zeta", "Gamma"]]
    assert "Pagina 1 di 3" in first
    assert _site_names_in_order(client.get(reverse("dashboard"), {"status": "draft"}).content.decode(), names) == ["Beta", "Alfa"]
    assert _site_names_in_order(client.get(reverse("dashboard"), {"status": "none"}).content.decode(), names) == ["Delta", "Epsilon"]
    assert _site_names_in_order(client.get(reverse("dashboard"), {"status": "submitted", "q": "a"}).content.decode(), names) == ["Gamma"]
    # Applications on later pages are neither read nor scored for the first: its queries stay as many.
    for n in range(6):
        later = SiteFactory(company=site.company, name=f"Omega {n}")
        Application.objects.filter(pk=start(client, later).pk).update(status=Application.Status.SUBMITTED)
    with CaptureQueriesContext(connection) as ctx:
        again = client.get(reverse("dashboard")).content.decode()
    assert _site_names_in_order(again, names) == ["Beta", "Alfa"]
    assert len(ctx.captured_queries) == queries_for_six_sites


def test_section_preview_scores_without_saving(client, setup):
    campaign, site, pat, rep = setup
    login(client, rep)
    app = start(client, site)
    url = reverse("section_preview", args=[app.pk, "C"])
    data = client.get(url, {"version": 1, "sel_C4": "on", "sel_C1": "on"}).json()
    assert data["total"] == 70 and data["label"] == "Punteggio conteggiato: 70 su 100"
    data = client.get(url, {"version": 1, "sel_C3": "on"}).json()
    assert data["total"] == 0 and data["lines"]["C3"]["errors"][0].startswith("Occorre confermare")
    assert not app.selections.exists()
    client.logout()
    login(client, legal_rep(SiteFactory().company))
    assert client.get(url, {"version": 1}).status_code == 404


def test_dashboard_queries_do_not_grow_with_applications(client, setup):
    """One query budget for 1 and for 6 applications: no per-row queries (exact counts come with issue 8)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    campaign, site, pat, rep = setup
    login(client, rep)
    app = start(client, site)
    post_section(client, app, "C", {"sel_C4": "on", "sel_C5": "on"})
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("dashboard")).status_code == 200
    for _ in range(5):
        other = SiteFactory(company=site.company)
        a = start(client, other)
        post_section(client, a, "C", {"sel_C4": "on"})
    with CaptureQueriesContext(connection) as six:
        page = client.get(reverse("dashboard")).content.decode()
    assert page.count("Riprendi") == 6
    assert len(six.captured_queries) == len(one.captured_queries)


def test_summary_queries_do_not_grow_with_interventions(client, setup):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    campaign, site, pat, rep = setup
    login(client, rep)
    app = start(client, site)
    post_section(client, app, "C", {"sel_C4": "on"})
    with CaptureQueriesContext(connection) as one:
        client.get(step(app, "review"))
    post_section(client, app, "C", {f"sel_C{n}": "on" for n in (4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16, 17)})
    post_section(client, app, "B", {"sel_B2d": "on", "sub_B2d": ["1", "2", "3", "4"], "sel_B2b": "on", "sub_B2b": ["1"]})
    with CaptureQueriesContext(connection) as many:
        client.get(step(app, "review"))
    assert app.selections.count() == 15
    assert len(many.captured_queries) == len(one.captured_queries)


def test_a_company_without_a_confirmed_legal_representative_prepares_drafts_but_nobody_submits(client, setup):
    campaign, site, pat, rep = setup
    site.company.legal_rep_confirmed = False
    site.company.save()
    adviser = consultant(site.company)
    login(client, adviser)
    app = start(client, site)
    assert post_scheda(client, app, pat).status_code == 302  # the draft is prepared
    page = html.unescape(client.get(step(app, "submit")).content.decode())
    assert "nessuno può inviarla finché il legale rappresentante non si registra" in page
    assert client.post(step(app, "submit"), {"version": Application.objects.get(pk=app.pk).version}).status_code == 403

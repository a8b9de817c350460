"""The consultants' CSV export (issue 21, goal 6): streamed row by row, the sites read in chunks and each
chunk's applications, selections and evidence read in bulk, so a portfolio of thousands of sites is never
scored in memory at once. Its bytes are those of the export it replaced."""
import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from django.core.files.uploadedfile import SimpleUploadedFile

from review.selectors import open_clarifications
from operations.demo import minimal_pdf
from applications.models import Application
from applications.selectors import dashboard_rows
from pages import dashboard as dashboard_views
from evidence.services import evidence_add
from interventions.models import EvidenceItem
from review.models import Clarification
from tests.factories import (CompanyFactory, PATFactory, SiteFactory, UserFactory, consultant, draft_with, legal_rep,
                             mandate, open_campaign)

pytestmark = pytest.mark.django_db


def previous_export(user, campaign) -> bytes:
    """The export as it was written before streaming (one HttpResponse, every site scored in memory):
    the reference the streamed bytes must equal."""
    rows = dashboard_rows(user, campaign)
    deadlines = open_clarifications([row.application for row in rows])
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    writer.writerow([_("Azienda"), _("Codice fiscale"), _("Unità produttiva"), _("Città"), _("Stato"), _("Ricevuta"),
                     _("Punteggio"), _("Interventi senza documentazione"), _("Giorni alla scadenza"),
                     _("Termine per i chiarimenti")])
    for row in rows:
        application = row.application
        submitted = application is not None and not application.is_draft
        deadline = deadlines.get(getattr(application, "pk", None))
        writer.writerow([
            dashboard_views._safe(row.site.company.ragione_sociale), row.site.company.codice_fiscale,
            dashboard_views._safe(row.site.name), dashboard_views._safe(row.site.city),
            application.get_status_display() if application else _("Non avviata"),
            (application.receipt_number or "") if application else "",
            "" if row.total is None else row.total,
            "" if row.missing_evidence is None else row.missing_evidence,
            "" if submitted else row.days_left,
            deadline.strftime("%d/%m/%Y") if deadline else "",
        ])
    return out.getvalue().encode("utf-8")


def _portfolio(n_companies: int, adviser=None):
    """A consultant with `n_companies` clients of two sites each: a scored draft (interventions selected,
    evidence missing), and a submitted application, a clarification request or no application at all."""
    campaign = open_campaign()
    adviser = adviser or UserFactory(role="consultant")
    start = CompanyFactory._meta.model.objects.count()
    for n in range(n_companies):
        company = CompanyFactory(ragione_sociale=("=Formula " if n % 4 == 0 else "Impresa ") + f"{start + n} S.r.l.")
        mandate(company, consultant=adviser)
        rep = legal_rep(company)
        first = SiteFactory(company=company, name=f"Sede {start + n}", city="Forlì")
        PATFactory(site=first)
        app = draft_with(first, rep, {"A": ["A6"], "C": ["C4", "C23"]})
        if n % 2 == 0:  # C4's evidence given on some drafts: fewer interventions without documents
            for item in EvidenceItem.objects.filter(intervention__code="C4", intervention__section__edition__code="ot24"):
                evidence_add(user=rep, application=app, evidence_item=item,
                             uploaded_file=SimpleUploadedFile("verbale.pdf", minimal_pdf("verbale")))
        second = SiteFactory(company=company, name=f"+Reparto {start + n}")
        if n % 3 == 1:
            app = draft_with(second, rep, {})
            status = Application.Status.CLARIFICATION_REQUESTED if n % 2 else Application.Status.SUBMITTED
            Application.objects.filter(pk=app.pk).update(status=status, receipt_number=f"OT24-T-{start + n}",
                                                         submitted_at=timezone.now())
            if status == Application.Status.CLARIFICATION_REQUESTED:
                Clarification.objects.create(application=app, requested_by=UserFactory(role="reviewer"),
                                             request="Fattura", deadline=timezone.localdate() + dt.timedelta(days=9 + n))
    return campaign, adviser


def test_the_export_streams_the_same_bytes_as_before(client, monkeypatch):
    monkeypatch.setattr(dashboard_views, "CSV_CHUNK", 3)  # several chunks, one ending mid-company
    campaign, adviser = _portfolio(5)
    client.force_login(adviser)
    response = client.get(reverse("dashboard_csv"))
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="domande-ot24.csv"'
    body = response.getvalue()
    assert body == previous_export(adviser, campaign)
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1 + 10
    assert {r[4] for r in rows[1:]} >= {"Bozza", "Non avviata"}
    assert any(r[6] not in ("", "0") for r in rows[1:])  # drafts scored
    assert len({r[7] for r in rows[1:] if r[4] == "Bozza"}) == 2  # with and without C4's evidence


def test_the_export_keeps_filters(client):
    campaign, adviser = _portfolio(3)
    client.force_login(adviser)
    body = client.get(reverse("dashboard_csv"), {"status": "draft", "q": "Formula"}).getvalue().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))[1:]
    assert rows and all(r[4] == "Bozza" and "Formula" in r[0] for r in rows)


def _export_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("dashboard_csv"))
        response.getvalue()  # the rows are read while the body streams
    return len([q for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]])


def test_queries_per_chunk_do_not_grow_with_sites(client, monkeypatch):
    monkeypatch.setattr(dashboard_views, "CSV_CHUNK", 4)
    campaign, adviser = _portfolio(2)  # 4 sites: one chunk
    client.force_login(adviser)
    client.get(reverse("dashboard_csv")).getvalue()  # warm: the catalogue loaded in this process
    one_chunk = _export_queries(client)
    _portfolio(2, adviser)  # 8 sites: two chunks
    two_chunks = _export_queries(client)
    _portfolio(2, adviser)  # 12 sites: three chunks
    three_chunks = _export_queries(client)
    # A chunk reads its applications, their selections and evidence rows, and (if any is asked for)
    # the open clarification requests' deadlines: at most 4 queries, whatever its sites hold.
    assert 0 < two_chunks - one_chunk <= 4 and 0 < three_chunks - two_chunks <= 4, (one_chunk, two_chunks, three_chunks)
    monkeypatch.setattr(dashboard_views, "CSV_CHUNK", 1000)
    assert _export_queries(client) == one_chunk  # 12 sites in one chunk: as many queries as 4

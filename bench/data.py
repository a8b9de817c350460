"""Data for the benchmark. Realistic objects are made once through the services (so they are valid);
volume is made in PostgreSQL by cloning a template row with INSERT ... SELECT over generate_series (a
million rows in seconds, where the ORM would take an hour)."""
from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.utils import timezone


def clone_rows(model, template_pk: int, count: int, overrides: dict[str, str], *, start: int = 1) -> tuple[int, int]:
    """Insert `count` copies of one row of `model`; `overrides` maps a column to an SQL expression of
    g (1..count, shifted by `start`). Returns the (first, last) new primary keys."""
    table = model._meta.db_table
    columns = [f.column for f in model._meta.concrete_fields if not f.primary_key]
    select = ", ".join(overrides.get(c, f't."{c}"') for c in columns).replace("%", "%%")  # not a parameter
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "{table}" ({", ".join(chr(34) + c + chr(34) for c in columns)}) '
            f'SELECT {select} FROM "{table}" t, generate_series({start}, {start + count - 1}) g WHERE t.id = %s '
            f"RETURNING id",
            [template_pk],
        )
        ids = [row[0] for row in cursor.fetchall()]
    return min(ids), max(ids)


def analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def settle() -> None:
    """The database at rest after a bulk load, as a production database is between bursts: vacuumed
    (autovacuum would otherwise start on the new rows during the measurement), analysed, and its dirty
    pages written out by a checkpoint (otherwise written while pages are timed)."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("CHECKPOINT")


@dataclass
class Draft:
    """One company with a legal representative and a draft application for the current campaign."""

    application: object
    rep: object
    company: object


def make_draft(campaign, *, interventions: str = "one", files: int = 1, sector: str = "costruzioni") -> Draft:
    """A complete draft through the services: scheda filled, C4 (or every intervention of the catalogue)
    selected, `files` evidence rows (all pointing at one stored PDF: storage is content-addressed)."""
    from applications import services
    from operations.demo import minimal_pdf
    from applications.models import Application, Selection
    from applications.selectors import application_score
    from django.core.files.uploadedfile import SimpleUploadedFile
    from evidence import services as evidence_services
    from evidence.models import EvidenceFile
    from interventions.models import Intervention
    from tests.factories import PATFactory, SiteFactory, legal_rep

    site = SiteFactory(sector=sector, workers=8)
    pat = PATFactory(site=site)
    rep = legal_rep(site.company)
    app = services.application_start(user=rep, site=site, campaign=campaign)
    app.pats.add(pat)
    services.application_save_section(user=rep, application=app, section="C", chosen={"C4": (frozenset(), False)},
                                      version=app.version)
    app.refresh_from_db()
    if interventions == "all":
        # Every intervention of the form, as rows (the services would refuse alternatives chosen together).
        existing = set(app.selections.values_list("intervention_id", flat=True))
        Selection.objects.bulk_create([
            Selection(application=app, intervention=i, suboptions=list(range(1, i.min_suboptions + 1)),
                      declaration_confirmed=True)
            for i in Intervention.objects.filter(section__edition=campaign.edition) if i.pk not in existing
        ])
        Application.objects.filter(pk=app.pk).update(declared_total=application_score(app).total)  # as a save keeps it
    first_item = app.selections.get(intervention__code="C4").intervention.evidence_items.first()
    stored = evidence_services.evidence_add(user=rep, application=app, evidence_item=first_item,
                                   uploaded_file=SimpleUploadedFile("verbale.pdf", minimal_pdf("verbale")))
    if files > 1:
        items = [e for s in app.selections.select_related("intervention") for e in s.intervention.evidence_items.all()]
        clone_rows(EvidenceFile, stored.pk, files - 1, {
            "evidence_item_id": f"(ARRAY[{','.join(str(e.pk) for e in items)}])[1 + (g % {len(items)})]",
            "original_name": "'documento-' || g || '.pdf'",
        })
    app.refresh_from_db()
    return Draft(application=app, rep=rep, company=site.company)


PROVINCE = "(ARRAY['RM','MI','NA','TO','BA'])[1 + g % 5]"


def submit_rows(application, n: int, *, start: int = 1) -> None:
    """`n` submitted applications cloned from `application`, each on its own new site, five sites per new
    company, spread over the queue's states, sectors, provinces and the last months."""
    from applications.models import Application
    from organisations.models import Company, Site

    companies = max(1, n // 5)
    company_first, _ = clone_rows(Company, application.site.company_id, companies, {
        "ragione_sociale": "'Impresa ' || g || ' S.r.l.'",
        "codice_fiscale": "lpad((80000000000 + g)::text, 11, '0')",
        "partita_iva": "lpad((80000000000 + g)::text, 11, '0')",  # unique too
        "legal_representative_id": "NULL",
    }, start=start)
    site_first, _ = clone_rows(Site, application.site_id, n, {
        "company_id": f"{company_first} + (g - {start}) % {companies}",
        "name": "'Sede ' || g",
        "province": PROVINCE,
    }, start=start)
    clone_rows(Application, application.pk, n, {
        "site_id": f"{site_first - start} + g",
        "province": PROVINCE,  # the site's (Application.province is its copy for the queue filter)
        "status": "(ARRAY['submitted','in_review','clarification_requested','approved','rejected'])[1 + g % 5]",
        "receipt_number": f"'B-{application.campaign.filing_year}-' || g",
        "submitted_at": "now() - (g % 200) * interval '1 day'",
        "declared_total": "100 + g % 90",
        "sector": "(ARRAY['costruzioni','altri','trasporti','metalmeccanica'])[1 + g % 4]",
        "version": "1",
    }, start=start)


def minimal_pdf_file(path):
    from operations.demo import minimal_pdf

    path.write_bytes(minimal_pdf("piccolo"))
    return path


def now():
    return timezone.now()

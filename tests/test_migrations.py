"""A database at the schema before the models moved out of applications (applications 0006) keeps every row
and relation once migrated to the new layout: the tables are the same, only Django's state and the content
types change (applications 0007-0008, organisations/evidence/review 0001-0002)."""
import datetime as dt
from decimal import Decimal

import pytest
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django_test_migrations import sql
from django_test_migrations.signals import mute_migrate_signals

BEFORE = [
    ("applications", "0006_pat_number_per_company"),
    ("notifications", "0001_initial"),
    ("interventions", "0002_edition_revision"),
    ("accounts", "0001_initial"),
]
AFTER = [
    ("applications", "0008_content_types_follow_the_models"),
    ("organisations", "0001_initial"),
    ("evidence", "0002_initial"),
    ("review", "0001_initial"),
    ("notifications", "0001_initial"),
]
MOVED = {"organisations": ["Company", "Membership", "Mandate", "Site", "PAT"], "evidence": ["EvidenceFile"],
         "review": ["Clarification", "Verdict"]}


def _fill(apps) -> dict:
    """One row of every moved model (and of what they point to), written with the models of the old state."""
    get = apps.get_model
    User = get("accounts", "User")
    rep = User.objects.create(email="rep@example.com", password="!")
    consultant = User.objects.create(email="consulente@example.com", password="!", role="consultant")
    reviewer = User.objects.create(email="revisore@example.com", password="!", role="reviewer")
    edition = get("interventions", "Edition").objects.create(code="prova", title="Prova")
    section = get("interventions", "Section").objects.create(edition=edition, letter="A", title="Sezione A")
    intervention = get("interventions", "Intervention").objects.create(section=section, code="A-1", order=1,
                                                                       text="Intervento", points=100)
    item = get("interventions", "EvidenceItem").objects.create(intervention=intervention, order=1, label="Documento")
    company = get("applications", "Company").objects.create(
        ragione_sociale="Alfa S.r.l.", codice_fiscale="01234567890", partita_iva="01234567890", codice_ditta="123",
        address="Via Roma 1", city="Roma", cap="00100", province="RM", legal_representative=rep)
    membership = get("applications", "Membership").objects.create(user=rep, company=company)
    mandate = get("applications", "Mandate").objects.create(consultant=consultant, company=company,
                                                             start_date=dt.date(2025, 1, 1))
    site = get("applications", "Site").objects.create(company=company, name="Stabilimento", address="Via Po 2",
                                                      city="Roma", cap="00100", province="RM", workers=12)
    pat = get("applications", "PAT").objects.create(site=site, number="1234567", voce_di_tariffa="0722",
                                                    lavoratori_anno=Decimal("11.50"), premium=Decimal("9000.00"))
    campaign = get("applications", "Campaign").objects.create(edition=edition, filing_year=2026)
    application = get("applications", "Application").objects.create(
        campaign=campaign, site=site, status="clarification_requested", province="RM", reviewer=reviewer,
        submitted_at=timezone.now(), unita_produttiva="Stabilimento")
    application.pats.add(pat)
    get("applications", "Selection").objects.create(application=application, intervention=intervention, suboptions=[1])
    clarification = get("applications", "Clarification").objects.create(
        application=application, requested_by=reviewer, request="Inviare il verbale", deadline=dt.date(2026, 12, 1))
    clarification.interventions.add(intervention)
    evidence = get("applications", "EvidenceFile").objects.create(
        application=application, evidence_item=item, clarification=clarification, storage_name="ab/cd", sha256="0" * 64,
        size=10, content_type="application/pdf", original_name="verbale.pdf", uploaded_by=rep)
    verdict = get("applications", "Verdict").objects.create(application=application, intervention=intervention,
                                                            evidence_file=evidence, outcome="idoneo", reviewer=reviewer)
    get("applications", "Event").objects.create(application=application, actor=reviewer, action="assign")
    # The admin's permissions hang on the content types, which move with the models.
    ContentType = get("contenttypes", "ContentType")
    company_type = ContentType.objects.create(app_label="applications", model="company")
    ContentType.objects.create(app_label="applications", model="application")
    get("auth", "Permission").objects.create(codename="change_company", name="Can change azienda",
                                             content_type=company_type)
    return {"company": company.pk, "membership": membership.pk, "mandate": mandate.pk, "site": site.pk, "pat": pat.pk,
            "application": application.pk, "clarification": clarification.pk, "evidence": evidence.pk,
            "verdict": verdict.pk, "intervention": intervention.pk, "rep": rep.pk, "consultant": consultant.pk}


def _migrate_from_scratch_to(targets):
    """Only the migrations these targets need (Migrator.apply_initial_migration would also apply whatever
    the full plan orders before the last target, here the move itself)."""
    sql.drop_models_tables(DEFAULT_DB_ALIAS, no_style())
    sql.flush_django_migrations_table(DEFAULT_DB_ALIAS, no_style())
    executor = MigrationExecutor(connection)
    with mute_migrate_signals():
        return executor.migrate(targets, plan=executor.migration_plan(targets, clean_start=True))


def test_every_row_of_the_moved_models_is_kept_with_its_relations(migrator):
    old_state = _migrate_from_scratch_to(BEFORE)
    assert ("applications", "company") in old_state.models
    ids = _fill(old_state.apps)

    new_state = migrator.apply_tested_migration(AFTER)
    get = new_state.apps.get_model
    for app_label, names in MOVED.items():
        assert ("applications", names[0].lower()) not in new_state.models
        for name in names:
            assert get(app_label, name).objects.count() == 1, name

    company = get("organisations", "Company").objects.get(pk=ids["company"])
    assert (company.ragione_sociale, company.legal_representative_id) == ("Alfa S.r.l.", ids["rep"])
    assert list(company.members.values_list("pk", flat=True)) == [ids["rep"]]
    assert get("organisations", "Membership").objects.get(pk=ids["membership"]).company_id == company.pk
    assert get("organisations", "Mandate").objects.get(pk=ids["mandate"]).consultant_id == ids["consultant"]
    site = get("organisations", "Site").objects.get(pk=ids["site"])
    assert (site.company_id, site.name, site.workers) == (company.pk, "Stabilimento", 12)
    pat = get("organisations", "PAT").objects.get(pk=ids["pat"])
    assert (pat.site_id, pat.number, pat.lavoratori_anno, pat.premium) == (site.pk, "1234567", Decimal("11.50"),
                                                                         Decimal("9000.00"))

    application = get("applications", "Application").objects.get(pk=ids["application"])
    assert application.site_id == site.pk and application.site.company.pk == company.pk
    assert list(application.pats.values_list("pk", flat=True)) == [pat.pk]
    assert application.selections.count() == 1 and application.events.count() == 1

    clarification = get("review", "Clarification").objects.get(pk=ids["clarification"])
    assert clarification.application_id == application.pk
    assert list(clarification.interventions.values_list("pk", flat=True)) == [ids["intervention"]]
    evidence = get("evidence", "EvidenceFile").objects.get(pk=ids["evidence"])
    assert (evidence.application_id, evidence.clarification_id, evidence.sha256) == (application.pk, clarification.pk,
                                                                                     "0" * 64)
    assert list(clarification.files.values_list("pk", flat=True)) == [evidence.pk]
    verdict = get("review", "Verdict").objects.get(pk=ids["verdict"])
    assert (verdict.application_id, verdict.evidence_file_id, verdict.outcome) == (application.pk, evidence.pk, "idoneo")

    ContentType = get("contenttypes", "ContentType")
    company_type = ContentType.objects.get(model="company")
    assert company_type.app_label == "organisations"
    assert ContentType.objects.get(model="application").app_label == "applications"
    assert get("auth", "Permission").objects.get(codename="change_company").content_type_id == company_type.pk


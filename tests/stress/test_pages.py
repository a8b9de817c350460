"""The stress assessment through its pages and services: scope, compilers, area A, result, plan, attach."""
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from evidence.models import EvidenceFile
from stress import services
from stress.models import Assessment, Measure
from tests.factories import PATFactory, SiteFactory, UserFactory, legal_rep, member
from accounts.models import User

from . import seed_example
from .pages import (ASSESSED_ON, CHECKLIST, LOWER, add_compilation, create, draft_with_b2d, figures, fill_area,
                    post_figures, seed_answers_of)

pytestmark = pytest.mark.django_db


@pytest.fixture
def company_user(client):
    site = SiteFactory()
    PATFactory(site=site)
    rep = legal_rep(site.company)
    client.force_login(rep)
    return site, rep


def six_compilers(client, company):
    people = [(f"Persona {n}", role) for n, role in enumerate(["datore", "rspp", "rls", "medico", "consulente", "altro"])]
    assessment = create(client, company, people=people)
    for n, participant in enumerate(assessment.participants.order_by("pk")):
        compilation = add_compilation(client, assessment, participant)
        answers = seed_answers_of(n)
        assert fill_area(client, assessment, compilation, "B", answers).status_code == 302
        assert fill_area(client, assessment, compilation, "C", answers).status_code == 302
    return assessment


def test_scope_site_needs_a_site_and_errors_keep_the_input(client, company_user):
    site, _rep = company_user
    response = client.post(reverse("stress_create", args=[site.company.pk]), {
        "scope": "site", "date": "2025-01-15", "year": "2024", "method": "x", "people-TOTAL_FORMS": "1",
        "people-INITIAL_FORMS": "0", "people-0-name": "Mario Rossi", "people-0-role": "datore"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Indicare l&#x27;unità produttiva valutata." in body
    assert 'value="Mario Rossi"' in body  # nothing lost
    assert not Assessment.objects.exists()
    assessment = create(client, site.company, scope="site", site=site)
    assert assessment.site == site and assessment.participants.count() == 3
    assert site.name in assessment.scope_label


def test_group_scope_and_a_future_year_refused(client, company_user):
    site, _rep = company_user
    response = client.post(reverse("stress_create", args=[site.company.pk]), {
        "scope": "group", "group": "", "date": "2025-01-15", "year": "2026", "method": "x",
        "people-TOTAL_FORMS": "1", "people-INITIAL_FORMS": "0", "people-0-name": "A", "people-0-role": "rspp"})
    body = response.content.decode()
    assert "Indicare il gruppo omogeneo di mansioni valutato." in body
    assert "non può essere successivo" in body
    assessment = create(client, site.company, scope="group", group="Autisti")
    assert assessment.scope_label == "Gruppo omogeneo di mansioni: Autisti"


def test_six_compilers_through_the_pages_give_the_seed_result(client, company_user):
    site, _rep = company_user
    assessment = six_compilers(client, site.company)
    # Area A from figures: every indicator decreased -> 0, as the seed prints it.
    assert post_figures(client, assessment, LOWER, figures()).status_code == 302
    assessment.refresh_from_db()
    assert assessment.level == "basso"
    assert assessment.total == Decimal("10")
    assert assessment.area_scores == {"A": 0.0, "B": 4.0, "C": 6.0}
    page = client.get(reverse("stress_detail", args=[assessment.pk])).content.decode()
    assert "Rischio basso" in page and "Punteggio totale: 10,00 (compilatori: 6)" in page
    assert "3,00" in page  # evoluzione della carriera, 2.67 rounded up to the half point
    assert CHECKLIST.level("basso").note[:60] in page


def test_partial_area_is_saved_and_resumable(client, company_user):
    site, _rep = company_user
    assessment = create(client, site.company)
    compilation = add_compilation(client, assessment, assessment.participants.first())
    url = reverse("stress_checklist", args=[assessment.pk, compilation.pk, "B"])
    response = client.post(url, {"B1.1": "sì", "B1.2": "no", "save": "1"}, follow=True)
    assert "mancano 28 risposte" in response.content.decode()
    compilation.refresh_from_db()
    assert compilation.answers == {"B1.1": "sì", "B1.2": "no"}
    page = client.get(url).content.decode()
    assert 'value="sì" id="id_B1.1_0" checked' in page
    assert client.post(url, {"B1.1": "forse"}).status_code == 200  # invalid value: error, nothing saved
    compilation.refresh_from_db()
    assert compilation.answers["B1.1"] == "sì"
    assessment.refresh_from_db()
    assert assessment.level == ""


def test_joint_compilation_stands_alone(client, company_user):
    site, rep = company_user
    assessment = create(client, site.company)
    add_compilation(client, assessment, None)
    response = client.post(reverse("stress_compilation_add", args=[assessment.pk]),
                           {"compiler": assessment.participants.first().pk}, follow=True)
    assert "compilazione congiunta" in response.content.decode()
    assert assessment.compilations.count() == 1


def test_area_a_from_figures_unchanged_and_errors(client, company_user):
    site, _rep = company_user
    assessment = create(client, site.company)
    response = post_figures(client, assessment, figures(contractual_hours="-5"), figures())
    assert response.status_code == 200 and "maggiore o uguale a 0" in response.content.decode()
    assert post_figures(client, assessment, figures(), figures()).status_code == 302
    from stress.selectors import assessment_state
    state = assessment_state(assessment)
    assert set(state.area_a.values()) == {"inalterato"}
    # Zero workers: the engine's own error is shown.
    response = post_figures(client, assessment, figures(workers="0"), figures(), )
    assert "Il numero di lavoratori deve essere maggiore di zero." in client.get(
        reverse("stress_detail", args=[assessment.pk])).content.decode()


def test_area_a_injury_indices_from_the_register_pure_part():
    from indicators.rules import Injury
    from stress.register import indices_from_register

    injuries = [Injury(dt.date(2023, 3, 1), dt.date(2023, 3, 1), dt.date(2023, 3, 20)),
                Injury(dt.date(2024, 5, 1), dt.date(2024, 5, 2), dt.date(2024, 5, 3))]  # 2 days: not counted
    indices = indices_from_register(injuries, {2023: Decimal(100000), 2024: Decimal(100000)}, [2024, 2023],
                                    as_of=dt.date(2024, 12, 31))
    assert indices[2023] == (Decimal("10.00"), Decimal("0.20"))
    assert indices[2024] == (Decimal("0.00"), Decimal("0.00"))


def test_without_the_register_the_user_types_the_indices(client, company_user):
    from stress.register import register_indices

    site, _rep = company_user
    assessment = create(client, site.company)
    assert register_indices(company=site.company, site=None, years=[2024, 2023]) is None  # no hours in the register
    page = client.get(reverse("stress_figures", args=[assessment.pk])).content.decode()
    assert 'name="y2024-injury_frequency"' in page and "disabled" not in page


def test_improvement_plan_proposals_once_and_edit(client, company_user):
    site, _rep = company_user
    assessment = create(client, site.company)
    url = reverse("stress_plan", args=[assessment.pk])
    client.post(url, {"proposals": "1"})
    client.post(url, {"proposals": "1"})
    measures = list(assessment.measures.all())
    assert len(measures) == 5
    assert {m.owner for m in measures} == {"Mario Rossi"}
    assert max(m.deadline for m in measures) == dt.date(2027, 1, 15)  # 24 months
    data = {"measures-TOTAL_FORMS": "6", "measures-INITIAL_FORMS": "5"}
    for n, m in enumerate(assessment.measures.order_by("deadline", "pk")):
        data.update({f"measures-{n}-id": m.pk, f"measures-{n}-title": m.title, f"measures-{n}-owner": m.owner,
                     f"measures-{n}-deadline": m.deadline.isoformat(), f"measures-{n}-status": "in_progress",
                     f"measures-{n}-objective": m.objective})
    data.update({"measures-5-title": "Sportello di ascolto", "measures-5-owner": "", "measures-5-deadline": "",
                 "measures-5-status": "planned"})
    response = client.post(url, data)
    assert response.status_code == 200 and "Questo campo è obbligatorio." in response.content.decode()
    data.update({"measures-5-owner": "Anna Bianchi", "measures-5-deadline": "2025-06-30"})
    assert client.post(url, data).status_code == 302
    assert assessment.measures.count() == 6
    assert assessment.measures.filter(status="in_progress").count() == 5


def test_deleting_asks_first(client, company_user):
    site, _rep = company_user
    assessment = create(client, site.company)
    url = reverse("stress_delete", args=[assessment.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Conferma l'eliminazione" in page.content.decode()
    assert Assessment.objects.filter(pk=assessment.pk).exists()
    client.post(url)
    assert not Assessment.objects.filter(pk=assessment.pk).exists()


def test_history_chart_compares_the_same_scope(client, company_user):
    site, _rep = company_user
    for year, lower in ((2023, False), (2025, True)):
        a = create(client, site.company, date=dt.date(year, 2, 1))
        c = add_compilation(client, a, None)
        answers = seed_answers_of(0 if lower else 5)
        fill_area(client, a, c, "B", answers)
        fill_area(client, a, c, "C", answers)
        post_figures(client, a, LOWER if lower else figures(), figures() if lower else LOWER)
    other = create(client, site.company, scope="site", site=site, date=dt.date(2024, 2, 1))
    page = client.get(reverse("stress_detail", args=[a.pk])).content.decode()
    assert page.count("<svg") == 1 and 'role="img"' in page
    assert "01/02/2023: area A" in page and "01/02/2025: area A" in page
    assert "01/02/2024" not in page.split("<svg")[1].split("</svg>")[0]
    assert "Nessuna valutazione completa da confrontare." in client.get(
        reverse("stress_detail", args=[other.pk])).content.decode()


def test_pdf_renders_the_results(client, company_user):
    site, _rep = company_user
    assessment = six_compilers(client, site.company)
    post_figures(client, assessment, LOWER, figures())
    client.post(reverse("stress_plan", args=[assessment.pk]), {"proposals": "1"})
    response = client.get(reverse("stress_pdf", args=[assessment.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for expected in ("Identificazione", "Metodo e persone coinvolte", "Risultati per area", "Rischio basso",
                     "Evoluzione della", "Formazione sulla comunicazione", "Firme", "Persona 1", "10,00"):
        assert expected in text, expected


def test_attach_creates_the_evidence_on_b2d_point_6(client, company_user):
    site, rep = company_user
    assessment = six_compilers(client, site.company)
    post_figures(client, assessment, LOWER, figures())
    in_reference_year(assessment)  # issue 33: only an assessment dated in the reference year is offered
    app = draft_with_b2d(site, rep)
    response = client.post(reverse("stress_attach", args=[assessment.pk]), {"application": app.pk}, follow=True)
    assert "Relazione allegata" in response.content.decode()
    evidence = EvidenceFile.objects.get(application=app)
    assert evidence.evidence_item.intervention.code == "B2d"
    assert evidence.evidence_item.alternative == 2  # issue 33: the alternative documents, not the questionnaires
    assert evidence.content_type == "application/pdf" and len(evidence.sha256) == 64
    assert assessment.attachments.get().evidence_file == evidence
    # Issue 33: the report arrives "da firmare"; the message and the assessment's page link to signing it.
    sign_url = reverse("evidence_sign", args=[app.pk, evidence.pk])
    assert evidence.awaiting_signature and sign_url in response.content.decode()
    assert "Da firmare" in client.get(reverse("stress_detail", args=[assessment.pk])).content.decode()


def test_attach_without_b2d_says_so_and_links_section_b(client, company_user):
    site, rep = company_user
    assessment = six_compilers(client, site.company)
    post_figures(client, assessment, LOWER, figures())
    in_reference_year(assessment)  # issue 33: only an assessment dated in the reference year is offered
    from applications import services as app_services
    from tests.factories import open_campaign
    app = app_services.application_start(user=rep, site=site, campaign=open_campaign())
    response = client.post(reverse("stress_attach", args=[assessment.pk]), {"application": app.pk}, follow=True)
    body = response.content.decode()
    assert "non è selezionato l&#x27;intervento B2d" in body
    assert f'<a href="{reverse("application_step", args=[app.pk, "B"])}">Vai alla sezione B</a>' in body
    assert not EvidenceFile.objects.exists()
    app4 = draft_with_b2d(SiteFactory(company=site.company), rep, suboptions={1, 2, 3, 4})
    body = client.post(reverse("stress_attach", args=[assessment.pk]), {"application": app4.pk}, follow=True).content.decode()
    assert "punto 6" in body and not EvidenceFile.objects.exists()


def test_reviewer_refused_until_attached_then_reads_the_pdf_as_evidence(client, company_user):
    from applications.models import Application
    site, rep = company_user
    assessment = six_compilers(client, site.company)
    post_figures(client, assessment, LOWER, figures())
    in_reference_year(assessment)  # issue 33: only an assessment dated in the reference year is offered
    reviewer = UserFactory(role=User.Role.REVIEWER)
    app = draft_with_b2d(site, rep)
    services.attach_report(user=rep, assessment=assessment, application=app)
    evidence = EvidenceFile.objects.get(application=app)
    client.force_login(reviewer)
    download = reverse("evidence_download", args=[app.pk, evidence.pk])
    assert client.get(download).status_code == 404  # a draft: not yet INAIL's to read
    Application.objects.filter(pk=app.pk).update(status=Application.Status.SUBMITTED, receipt_number="OT24-X-9")
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content if response.streaming else [response.content]).startswith(b"%PDF")
    for name in ("stress_detail", "stress_pdf"):
        assert client.get(reverse(name, args=[assessment.pk])).status_code == 404


def test_other_tenants_cannot_touch_it(client, company_user):
    site, _rep = company_user
    assessment = create(client, site.company)
    stranger = legal_rep(SiteFactory().company)
    with pytest.raises(Exception):
        services.assessment_delete(user=stranger, assessment=assessment)
    client.force_login(stranger)
    assert client.get(reverse("stress_detail", args=[assessment.pk])).status_code == 404
    assert client.post(reverse("stress_delete", args=[assessment.pk])).status_code == 404
    assert Assessment.objects.filter(pk=assessment.pk).exists()
    list_page = client.get(reverse("stress_list")).content.decode()
    assert site.company.ragione_sociale not in list_page


def test_compiler_choices_follow_what_exists(client, company_user):
    from stress.forms import CompilationAddForm

    site, _rep = company_user
    assessment = create(client, site.company)
    choices = lambda: [v for v, _l in CompilationAddForm(assessment=assessment).fields["compiler"].choices]  # noqa: E731
    assert "joint" in choices() and len(choices()) == 4
    add_compilation(client, assessment, assessment.participants.first())
    assert "joint" not in choices() and len(choices()) == 2


def test_an_attached_draft_is_not_offered_again_and_the_dashboard_links_here(client, company_user):
    from stress.selectors import attachable_drafts

    site, rep = company_user
    assessment = six_compilers(client, site.company)
    post_figures(client, assessment, LOWER, figures())
    in_reference_year(assessment)  # issue 33: only an assessment dated in the reference year is offered
    app = draft_with_b2d(site, rep)
    assert list(attachable_drafts(assessment)) == [app]
    services.attach_report(user=rep, assessment=assessment, application=app)
    assert list(attachable_drafts(assessment)) == []
    assert reverse("stress_list") in client.get(reverse("dashboard")).content.decode()


def test_removing_the_evidence_in_the_wizard_offers_the_draft_again(client, company_user):
    from evidence import services as evidence_services
    from stress.selectors import attachable_drafts

    site, rep = company_user
    assessment = six_compilers(client, site.company)
    post_figures(client, assessment, LOWER, figures())
    in_reference_year(assessment)  # issue 33: only an assessment dated in the reference year is offered
    app = draft_with_b2d(site, rep)
    evidence = services.attach_report(user=rep, assessment=assessment, application=app)
    evidence_services.evidence_remove(user=rep, evidence=evidence)
    assert not assessment.attachments.exists()
    assert list(attachable_drafts(assessment)) == [app]


def test_area_a_injury_indices_come_from_the_register(company_user):
    """With hours and injuries in the injury register (indicators), the indices are computed from it."""
    from indicators.models import Injury, SiteYearHours
    from stress.register import register_indices

    site, _rep = company_user
    SiteYearHours.objects.create(site=site, year=2023, hours=Decimal(100000))
    SiteYearHours.objects.create(site=site, year=2024, hours=Decimal(100000))
    Injury.objects.create(site=site, event_date=dt.date(2023, 3, 1), first_absence=dt.date(2023, 3, 1),
                          last_absence=dt.date(2023, 3, 20))
    Injury.objects.create(site=site, event_date=dt.date(2024, 5, 1), first_absence=dt.date(2024, 5, 2),
                          last_absence=dt.date(2024, 5, 3))  # 2 days: not counted
    indices = register_indices(company=site.company, site=None, years=[2024, 2023], as_of=dt.date(2024, 12, 31))
    assert indices[2023] == (Decimal("10.00"), Decimal("0.20"))
    assert indices[2024] == (Decimal("0.00"), Decimal("0.00"))


def test_area_a_trend_on_one_scale_when_the_register_has_only_one_year(client, company_user):
    """The register has hours for 2023 only: its IG is per thousand hours; the 2024 indices are typed on the
    same scale (the page says which), so an unchanged injury record gives "inalterato", not "diminuito"."""
    from indicators.models import Injury, SiteYearHours
    from stress.selectors import assessment_state

    site, _rep = company_user
    SiteYearHours.objects.create(site=site, year=2023, hours=Decimal(100000))
    Injury.objects.create(site=site, event_date=dt.date(2023, 3, 1), first_absence=dt.date(2023, 3, 1),
                          last_absence=dt.date(2023, 3, 20))  # 20 days: IF 10.00, IG 0.20 (per thousand hours)
    assessment = create(client, site.company)
    page = " ".join(client.get(reverse("stress_figures", args=[assessment.pk])).content.decode().split())
    assert "per milione di ore lavorate" in page and "per mille ore lavorate" in page
    assert "× 1.000.000 / ore lavorate" not in page.split("gravità")[-1]  # IG is never shown per million
    # 2023 as the page prefills it from the register (editable); 2024 typed as the register would give it:
    # 1 injury of 20 days on 100,000 hours.
    assert 'value="10,00"' in page and 'value="0,20"' in page
    assert post_figures(client, assessment, figures(injury_frequency="10", injury_severity="0.2"),
                        figures(injury_frequency="10,00", injury_severity="0,20")).status_code == 302
    state = assessment_state(assessment)
    injuries_item = next(i for i in CHECKLIST.area("A").items() if i.indicator == "injuries")
    assert state.area_a[injuries_item.id] == "inalterato"


def test_severity_index_of_area_a_is_per_thousand_hours():
    from stress.scoring import severity_index

    assert severity_index(45, 160000) == Decimal("0.28")  # as indicators.rules: × 1,000


def in_reference_year(assessment):
    """Date the assessment inside the reference year of the open campaign (the year before its filing)."""
    from tests.factories import open_campaign

    Assessment.objects.filter(pk=assessment.pk).update(date=dt.date(open_campaign().reference_year, 1, 15))
    assessment.refresh_from_db()
    return assessment


def test_b2d_report_goes_under_the_alternative_documents_and_says_what_it_is(client, company_user):
    site, rep = company_user
    assessment = six_compilers(client, site.company)
    post_figures(client, assessment, LOWER, figures())
    in_reference_year(assessment)
    app = draft_with_b2d(site, rep)
    evidence = services.attach_report(user=rep, assessment=assessment, application=app)
    item = evidence.evidence_item
    assert item.intervention.code == "B2d" and item.alternative == 2
    assert item.label.startswith("Procedure e piani operativi, datati e firmati dal datore di lavoro")
    client.force_login(rep)
    first_page = PdfReader(io.BytesIO(client.get(reverse("stress_pdf", args=[assessment.pk])).content)).pages[0]
    text = " ".join(first_page.extract_text().split())
    year = app.campaign.reference_year
    assert "rilevazione e monitoraggio del benessere organizzativo" in text
    assert f"anno di riferimento {year}" in text and "B2d" in text


def test_an_assessment_dated_outside_the_reference_year_is_not_offered(client, company_user):
    from django.core.exceptions import ValidationError

    from stress.selectors import attachable_drafts

    site, rep = company_user
    assessment = six_compilers(client, site.company)  # dated 15/01/2025
    post_figures(client, assessment, LOWER, figures())
    app = draft_with_b2d(site, rep)
    assert app.campaign.reference_year != 2025
    assert list(attachable_drafts(assessment)) == []
    with pytest.raises(ValidationError, match="anno di riferimento"):
        services.attach_report(user=rep, assessment=assessment, application=app)
    assert not EvidenceFile.objects.exists()
    assert list(attachable_drafts(in_reference_year(assessment))) == [app]

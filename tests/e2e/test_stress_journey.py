"""Stress assessment in a real browser: three compilers fill in the check-list, the area A figures are
entered, the level appears, and the report is attached to the draft as B2d evidence (point 6).
Screenshots in Italian at 1280 px and 390 px."""
import pytest
from playwright.sync_api import expect

from evidence.models import EvidenceFile
from stress import scoring
from stress.checklist import load_checklist
from tests.factories import PATFactory, SiteFactory, legal_rep, open_campaign
from tests.stress.pages import LOWER, draft_with_b2d, figures, seed_answers_of

from tests.e2e.login import log_in

pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE = [("Mario Rossi", "datore"), ("Anna Bianchi", "rspp"), ("Luca Verdi", "rls")]


@pytest.fixture
def company(django_db_blocker):
    from django.core.management import call_command

    call_command("loaddata", "ot24", verbosity=0)
    open_campaign()
    site = SiteFactory(name="Sede di Brescia", workers=12, sector="costruzioni")
    PATFactory(site=site)
    rep = legal_rep(site.company)
    app = draft_with_b2d(site, rep)
    return site, rep, app


def expected_level():
    checklist = load_checklist()
    answers = {i.id: "diminuito" for i in checklist.area("A").items()}
    per_compiler = [seed_answers_of(n) for n in range(len(PEOPLE))]
    for item_id in per_compiler[0]:
        answers[item_id] = [a[item_id] for a in per_compiler]
    return str(scoring.score(checklist, answers).level.title)  # a lazy text (stress.checklist.shown)


def test_three_compilers_level_and_b2d_attachment(page, live_server, company, shot):
    site, rep, app = company
    log_in(page, live_server, rep)
    page.locator("#main").get_by_role("link", name="Stress lavoro-correlato").click()
    expect(page.get_by_role("heading", name="Valutazioni dello stress lavoro-correlato")).to_be_visible()
    page.get_by_role("link", name=f"Nuova valutazione per {site.company.ragione_sociale}").click()

    # Scope, date and people; a site scope without its site is refused next to the field, nothing typed is lost.
    page.get_by_label("Ambito").select_option("site")
    year = app.campaign.reference_year  # issue 33: only an assessment dated in the reference year is offered
    page.get_by_label("Data della valutazione").fill(f"{year}-01-15")
    page.get_by_label("Anno degli indicatori").fill(str(year - 1))
    for n, (name, role) in enumerate(PEOPLE):
        page.locator(f"#id_people-{n}-name").fill(name)
        page.locator(f"#id_people-{n}-role").select_option(role)
    page.get_by_role("button", name="Salva").click()
    expect(page.get_by_text("Indicare l'unità produttiva valutata.")).to_be_visible()
    expect(page.locator("#id_people-2-name")).to_have_value("Luca Verdi")
    shot("01-form-error")
    page.get_by_label("Ambito").select_option("company")
    page.get_by_role("button", name="Salva").click()
    expect(page.get_by_role("heading", name="Valutazione dello stress lavoro-correlato")).to_be_visible()

    # Area A figures: this year lower than the year before.
    page.get_by_role("link", name="Inserisci gli indicatori").click()
    for figures_year, values in ((year - 1, LOWER), (year - 2, figures())):
        for field, value in values.items():
            page.locator(f"#id_y{figures_year}-{field}").fill(value)
    shot("02-figures")
    page.get_by_role("button", name="Salva").click()
    expect(page.get_by_text("Indicatori aziendali salvati.")).to_be_visible()

    # Three compilers, each area saved on its own.
    for n, (name, _role) in enumerate(PEOPLE):
        page.locator("#id_compiler").select_option(label=f"{name} ({dict(datore='Datore di lavoro', rspp='RSPP', rls='RLS')[_role]})")
        page.get_by_role("button", name="Compila la check-list").click()
        answers = seed_answers_of(n)
        for area, button in (("B", "Salva e passa all'area C"), ("C", "Salva e torna alla valutazione")):
            for item_id, value in answers.items():
                if item_id.startswith(area):
                    page.locator(f"input[name='{item_id}'][value='{value}'] + label").click()
            if n == 0 and area == "B":
                shot("03-checklist-b")
            page.get_by_role("button", name=button).click()

    level = page.locator("#stress-level")
    expect(level).to_contain_text(expected_level())
    expect(level).to_contain_text("compilatori: 3")
    shot("04-result")

    # The improvement plan: the check-list's five measures in one click, then back.
    page.get_by_role("link", name="Gestisci il piano").click()
    page.get_by_role("button", name="Aggiungi le 5 misure proposte").click()
    expect(page.get_by_text("5 misure proposte aggiunte al piano.")).to_be_visible()
    shot("05-plan")
    page.get_by_role("link", name="Torna alla valutazione").click()

    page.locator("#id_application").select_option(str(app.pk))
    page.get_by_role("button", name="Allega la relazione come documentazione B2d").click()
    expect(page.get_by_text("Relazione allegata alla domanda di Sede di Brescia")).to_be_visible()
    evidence = EvidenceFile.objects.get(application=app)
    assert evidence.evidence_item.intervention.code == "B2d" and evidence.evidence_item.alternative == 2
    expect(page.get_by_role("button", name="Allega la relazione come documentazione B2d")).to_have_count(0)
    shot("06-attached")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    shot("07-result-390")
    before = page.url
    page.locator("table a").first.click()
    page.wait_for_url(lambda url: url != before)
    shot("08-checklist-390")

    # axe-core: no serious or critical violation on any stress page.
    from stress.models import Assessment

    from .test_accessibility import serious

    page.set_viewport_size({"width": 1280, "height": 900})
    assessment = Assessment.objects.get(company=site.company)
    compilation = assessment.compilations.first()
    problems = {}
    for path in ["/stress/", f"/stress/aziende/{site.company.pk}/nuova/", f"/stress/{assessment.pk}/",
                 f"/stress/{assessment.pk}/modifica/", f"/stress/{assessment.pk}/indicatori/",
                 f"/stress/{assessment.pk}/compilazioni/{compilation.pk}/area/B/", f"/stress/{assessment.pk}/piano/",
                 f"/stress/{assessment.pk}/elimina/"]:
        page.goto(f"{live_server.url}{path}")
        problems[path] = serious(page)
    assert not any(problems.values()), {k: v for k, v in problems.items() if v}

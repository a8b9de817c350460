"""The review screen and queue in a real browser (issue 18, items 9-12): visible inputs, one form for
every verdict, what the company declared, forms that match the state, the timeline in words, the queue's
default filter, supervisors' workload and "select all"."""
import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from operations.demo import minimal_pdf
from interventions.models import Intervention
from review import services as review_services
from review.models import Verdict
from tests.e2e.login import log_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def submit_four(name="Officina Quattro"):
    """A submitted application with four interventions (A6, B2d with options 2, 3, 5, 7, C23, D4), made by
    ApplicationFactory as the review tests make it (tests/review/conftest.py)."""
    from tests.review.conftest import submitted_four_interventions

    return submitted_four_interventions(name)


@pytest.fixture
def world():
    from django.core.management import call_command

    call_command("loaddata", "ot24", verbosity=0)
    app, rep = submit_four()
    reviewer = UserFactory(role=User.Role.REVIEWER, first_name="Rita", last_name="Revisori")
    return app, rep, reviewer


def border(locator) -> float:
    return float(locator.evaluate("e => parseFloat(getComputedStyle(e).borderTopWidth) + parseFloat(getComputedStyle(e).borderLeftWidth)"))


def test_review_screen_one_form_declared_facts_and_state(page, live_server, world, shot):
    app, rep, reviewer = world
    page.on("dialog", lambda dialog: dialog.accept())
    page.context.clear_cookies()
    log_in(page, live_server, reviewer)

    # Item 9: the queue's text filters show their border without focus.
    for label in ("Campagna", "Prov.", "Punti da", "a"):
        assert border(page.get_by_label(label, exact=True)) > 0, label
    # Item 12: the queue opens on the work to do.
    expect(page.get_by_label("Stato")).to_have_value("open")
    expect(page.get_by_label("Revisore", exact=True)).to_have_value("me_or_none")
    page.get_by_role("button", name="Prendi in carico").click()
    expect(page.get_by_text("Domanda presa in carico.")).to_be_visible()

    # Item 11: what the company declared, B2d's options included.
    declared = page.locator("section", has_text="B2d —").locator(".ot24-declared")
    expect(declared).to_contain_text("tipologie di orario flessibile")
    expect(declared).to_contain_text("sportello di ascolto")
    expect(declared).not_to_contain_text("agevolazioni per i dipendenti")
    expect(page.get_by_text("ne dipendono i punti di C1 e C2")).to_be_visible()

    # Item 9: every "Motivazione" field shows its border.
    reasons = page.locator("input[id^=reason-]")
    assert reasons.count() == 4 + 4  # four interventions, four files
    assert all(border(reasons.nth(i)) > 0 for i in range(reasons.count()))

    # Item 10: one form. A refused item keeps every value and saves nothing.
    file_key = page.locator("select[id^=outcome-f]").first.get_attribute("id")
    for code in ("A6", "B2d", "C23", "D4"):
        page.locator("section", has_text=f"{code} —").get_by_label("Esito dell'intervento").select_option("idoneo")
    page.locator(f"#{file_key}").select_option("non_idoneo")
    page.get_by_role("button", name="Salva i giudizi").click()
    expect(page.get_by_text("Nessun giudizio salvato")).to_be_visible()
    expect(page.locator(f"#err-{file_key.removeprefix('outcome-')}")).to_have_text("Indicare la motivazione del giudizio.")
    expect(page.locator(f"#{file_key}")).to_have_value("non_idoneo")
    expect(page.locator("section", has_text="D4 —").get_by_label("Esito dell'intervento")).to_have_value("idoneo")
    assert Verdict.objects.filter(application=app).count() == 0
    shot("01-error-by-item")
    page.locator(f"#{file_key.replace('outcome-', 'reason-')}").fill("Fattura illeggibile.")
    page.locator("section", has_text="D4 —").get_by_label("Esito dell'intervento").select_option("non_idoneo")
    page.locator("section", has_text="D4 —").get_by_label("Motivazione (obbligatoria se non idoneo)").fill("Dispositivi non documentati.")
    page.get_by_role("button", name="Salva i giudizi").click()
    expect(page.get_by_text("Giudizi registrati.")).to_be_visible()
    assert Verdict.objects.filter(application=app).count() == 5  # one submit for five verdicts
    expect(page.locator(f"#{file_key}")).to_have_value("non_idoneo")  # no spring back to "Idoneo"
    expect(page.locator("section", has_text="D4 —").get_by_label("Esito dell'intervento")).to_have_value("non_idoneo")
    expect(page.get_by_text("Punteggio validato: 150 su 100 (dichiarato: 200)")).to_be_visible()

    # The preview opens beside the verdicts.
    page.locator(".ot24-preview-link").first.click()
    frame = page.frame(name="ot24-preview")
    frame.wait_for_url("**/anteprima/")
    assert "/anteprima/" in frame.url
    # Chromium's PDF viewer (a chrome-extension:// frame) opens inside the sandboxed preview: not blocked by it
    for _ in range(150):
        if any(f.url.startswith("chrome-extension://") for f in page.frames):
            break
        page.wait_for_timeout(100)
    else:
        pytest.fail("the PDF viewer did not open in the preview pane")
    shot("02-verdicts-saved-1280")

    # Item 12: no second clarification form while one is pending; the timeline in words.
    page.get_by_label("Documenti e chiarimenti richiesti").fill("Inviare la fattura leggibile.")
    page.get_by_role("button", name="Invia la richiesta").click()
    expect(page.get_by_text("Richiesta di chiarimenti inviata.")).to_be_visible()
    expect(page.get_by_role("button", name="Invia la richiesta")).to_have_count(0)
    expect(page.get_by_role("heading", name="Richiesta di chiarimenti in corso")).to_be_visible()
    timeline = page.locator(".ot24-timeline")
    for words in ("Domanda inviata", "Presa in carico", "Chiarimenti richiesti"):
        expect(timeline).to_contain_text(words)
    expect(timeline).not_to_contain_text("→")
    expect(timeline).not_to_contain_text("submit")

    # Decided: nothing left to do on the screen.
    review_services.clarification_answer(user=rep, application=app, answer="Ecco la fattura.")
    page.reload()
    page.get_by_role("button", name="Adotta il provvedimento").click()
    expect(page.get_by_text("Provvedimento adottato.")).to_be_visible()
    for button in ("Salva i giudizi", "Invia la richiesta", "Adotta il provvedimento"):
        expect(page.get_by_role("button", name=button)).to_have_count(0)
    expect(page.locator("select[id^=outcome-]")).to_have_count(0)
    expect(page.locator(".ot24-timeline")).to_contain_text("Domanda accolta")
    shot("03-decided-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot("04-decided-390")


def test_supervisor_sees_workloads_and_selects_all(page, live_server, world, shot):
    app, rep, reviewer = world
    second, _ = submit_four("Seconda Unità")
    review_services.review_take(user=reviewer, application=second)
    supervisor = UserFactory(role=User.Role.SUPERVISOR, first_name="Sara", last_name="Supervisori")
    page.context.clear_cookies()
    log_in(page, live_server, supervisor)
    workload = page.locator("section", has=page.get_by_role("heading", name="Carico di lavoro dei revisori"))
    expect(workload.locator("tr", has_text="Rita Revisori")).to_contain_text("1")
    expect(workload.locator("tr", has_text="Non assegnate")).to_contain_text("1")
    page.get_by_label("Revisore", exact=True).select_option("")  # every open application, assigned or not
    page.get_by_role("button", name="Filtra").click()
    page.wait_for_url(re.compile(r"[?&]reviewer=(&|$)"))  # the filtered page loaded (select-all.js is deferred)
    page.get_by_label("Seleziona tutte le domande della pagina").check()
    boxes = page.locator("input[name=applications]")
    assert boxes.count() == 2
    for i in range(boxes.count()):
        expect(boxes.nth(i)).to_be_checked()
    page.locator("input[name=applications]").first.uncheck()
    assert page.get_by_label("Seleziona tutte le domande della pagina").evaluate("e => e.indeterminate")
    page.get_by_label("Seleziona tutte le domande della pagina").check()
    page.get_by_label("Assegna le selezionate a").select_option(label="Rita Revisori (1 aperta)")
    page.get_by_role("button", name="Assegna", exact=True).click()
    expect(page.get_by_text("2 domande assegnate a Rita Revisori.")).to_be_visible()
    expect(workload.locator("tr", has_text="Rita Revisori")).to_contain_text("2")
    expect(page.get_by_label("Revisore", exact=True)).to_have_value("")  # the filter chosen is kept
    expect(page.locator("input[name=applications]")).to_have_count(2)
    shot("01-workload-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    shot("02-workload-390")


@pytest.mark.parametrize("width", [1280, 390])
def test_company_answers_a_clarification_from_the_dashboard(page, live_server, world, shot, tmp_path, width):
    app, rep, reviewer = world
    page.on("dialog", lambda dialog: dialog.accept())
    review_services.review_take(user=reviewer, application=app)
    d4 = Intervention.objects.get(code="D4", section__edition__code="ot24")
    original = app.evidence_files.get(evidence_item__intervention=d4)
    review_services.verdict_record(user=reviewer, application=app, intervention=d4, evidence_file=original,
                                   outcome="non_idoneo", reason="Fattura illeggibile.")
    clarification = review_services.clarification_request(user=reviewer, application=app, interventions=[d4],
                                                          request="Inviare la fattura leggibile.")
    page.set_viewport_size({"width": width, "height": 900})
    page.context.clear_cookies()
    log_in(page, live_server, rep)
    row = page.locator("tr.ot24-clarification-row")
    expect(row).to_contain_text(f"Rispondere entro il {clarification.deadline:%d/%m/%Y}")
    shot(f"01-dashboard-{width}")
    row.get_by_role("link", name="Rispondi").click()
    box = page.locator("section.ot24-clarification")
    expect(box).to_contain_text("Fattura illeggibile.")
    # Issue 34: the request lands in view, not under the sticky score bar.
    page.wait_for_timeout(300)
    bar = page.locator(".ot24-total").first.bounding_box()
    heading = page.locator("#clar-title").bounding_box()
    assert heading["y"] >= bar["y"] + bar["height"], (heading, bar)
    expect(box).to_contain_text("Non idoneo")
    expect(box).to_contain_text(d4.evidence_items.get().label)
    wrong = tmp_path / "foto-sbagliata.pdf"
    wrong.write_bytes(minimal_pdf("sbagliata"))
    box.locator("input[type=file]").first.set_input_files(str(wrong))
    box.get_by_role("button", name="Carica").first.click()
    expect(page.get_by_text("File caricato.")).to_be_visible()
    page.locator("section.ot24-clarification").get_by_role("button", name="Rimuovi foto-sbagliata.pdf").click()
    expect(page.get_by_text("File rimosso.")).to_be_visible()
    expect(page.locator("section.ot24-clarification")).not_to_contain_text("foto-sbagliata.pdf")
    right = tmp_path / "fattura-leggibile.pdf"
    right.write_bytes(minimal_pdf("leggibile"))
    page.locator("section.ot24-clarification input[type=file]").first.set_input_files(str(right))
    page.locator("section.ot24-clarification").get_by_role("button", name="Carica").first.click()
    expect(page.locator("section.ot24-clarification")).to_contain_text("fattura-leggibile.pdf")
    shot(f"02-answer-{width}")
    page.get_by_label("Risposta").fill("Allegata la fattura leggibile.")
    page.get_by_role("button", name="Invia i chiarimenti").click()
    expect(page.get_by_text("Chiarimenti inviati.")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width

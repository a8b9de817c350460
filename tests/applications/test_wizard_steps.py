"""The wizard's evidence and review steps as a person sees them: every selected intervention with its evidence
items, their files (a link to each, its size, a remove button for those who may edit), an upload form per item
and a refused upload's reason next to its item; the review's problems each with a link to the step that fixes
it, the declared interventions with points, counted or not, evidence complete or missing, the counted total
and the benefit per PAT; in Italian and English, with HTML-special characters in every user-entered value."""
import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from evidence.forms import EvidenceUploadForm
from evidence.checklist import ItemState, evidence_status
from evidence.models import EvidenceFile
from evidence.selectors import EvidenceRow
from interventions.selectors import edition_catalogue
from tests.applications.html import by_id, checked, parse, text
from tests.factories import evidence_draft

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert(1)</script> & \"quoted\" 'single'.pdf"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot; &#x27;single&#x27;.pdf"


def rows_of(application, user):
    """A row for every intervention of the catalogue that has evidence items, with files on some items."""
    catalogue = edition_catalogue(application.campaign.edition)
    rows, n = [], 0
    for i, intervention in enumerate(catalogue.interventions):
        items = []
        for j, item in enumerate(intervention.evidence_items.all()):
            files = []
            for k in range((i + j) % 3):
                n += 1
                files.append(EvidenceFile(pk=1000 + n, application=application, evidence_item=item, uploaded_by=user,
                                          original_name=HOSTILE if n % 2 else f"verbale-{n}.pdf",
                                          size=[582, 1536, 5 * 1024 * 1024 + 7][n % 3], sha256=f"{n:064x}"))
            items.append((item, files))
        status = evidence_status(ItemState(item.pk, item.alternative, bool(item.condition), len(files))
                                 for item, files in items)
        rows.append(EvidenceRow(intervention=intervention, items=items, status=status))
    return rows


def evidence_rows(application, rows, *, can_edit=True, failed_item="", upload_form=None, language="it"):
    with translation.override(language):
        html = render_to_string("evidence/_rows.html", {
            "application": application, "rows": rows, "can_edit": can_edit, "csrf_token": "tok",
            "failed_item": failed_item, "upload_form": upload_form or EvidenceUploadForm(),
            "max_file_bytes": 209715200, "max_file_mb": 200})
    return html, parse(f"<div>{html}</div>")


@pytest.mark.parametrize("can_edit", [True, False])
def test_every_item_shows_its_files_and_who_may_edit_can_upload_and_remove(can_edit):
    application, rep, _item = evidence_draft()
    rows = rows_of(application, rep)
    html, doc = evidence_rows(application, rows, can_edit=can_edit)
    assert "<script>" not in html and ESCAPED in html
    sections = doc.xpath("//section")
    assert len(sections) == len(rows)
    for row, section in zip(rows, sections):
        heading = text(section.xpath(".//h2")[0])
        assert heading.startswith(f"{row.intervention.code} — ")
        badge = "Documentazione mancante" if not row.status.complete else (
            "Nessun documento richiesto" if row.status.needs_no_evidence else "Completa")
        assert heading.endswith(badge)
        for item, files in row.items:
            li = by_id(doc, f"item-{item.pk}")
            mark = text(li.xpath('.//span[@class="ot24-item-mark"]')[0])
            assert mark.startswith("✔" if files else ("✘" if item.pk in row.status.missing_item_ids else "·"))
            links = li.xpath('.//ul[contains(@class,"ot24-files")]/li/a')
            assert [a.text_content() for a in links] == [f.original_name for f in files]
            assert [a.get("href") for a in links] == [reverse("evidence_download", args=[application.pk, f.pk])
                                                      for f in files]
            removes = li.xpath('.//form[contains(@action,"/")][button[text()="Rimuovi"]]')
            assert len(removes) == (len(files) if can_edit else 0)
            uploads = li.xpath('.//form[contains(@class,"ot24-upload")]')
            assert len(uploads) == (1 if can_edit else 0)
            if can_edit:
                assert uploads[0].xpath('.//input[@name="evidence_item"]')[0].get("value") == str(item.pk)
                assert uploads[0].get("data-json-url") == reverse("evidence_upload_json", args=[application.pk])
                assert uploads[0].get("data-too-big-text") == "Il file supera il limite di 200 MB."
    alternatives = doc.xpath('//li[@class="fw-semibold my-2"]')
    assert alternatives and text(alternatives[0]) == "In alternativa ai documenti di cui sopra:"
    sizes = " ".join(text(li) for li in doc.xpath('//ul[contains(@class,"ot24-files")]/li'))
    assert "582 byte" in sizes and "1,5 KB" in sizes and "5,0 MB" in sizes


def test_a_refused_upload_says_why_next_to_its_item():
    application, rep, item = evidence_draft()
    form = EvidenceUploadForm({"evidence_item": item.pk}, {})
    assert not form.is_valid()
    _html, doc = evidence_rows(application, rows_of(application, rep), failed_item=str(item.pk), upload_form=form)
    alerts = doc.xpath('//*[@role="alert"]')
    assert len(alerts) == 1
    assert text(alerts[0]) == "Scegliere un file da caricare."
    assert alerts[0].xpath(f'ancestor::li[@id="item-{item.pk}"]')


@pytest.mark.parametrize("language,empty", [("it", "Nessun intervento selezionato: scegliere gli interventi nelle sezioni A–D."),
                                            ("en", None)])
def test_no_rows_says_what_to_do(language, empty):
    application, _rep, _item = evidence_draft()
    html, doc = evidence_rows(application, [], language=language)
    assert not doc.xpath("//section")
    message = text(doc.xpath("//p")[0])
    assert message == empty if empty else message and "sezioni" not in message


def test_the_evidence_page_shows_file_names_escaped(client):
    application, rep, item = evidence_draft()
    EvidenceFile.objects.create(application=application, evidence_item=item, uploaded_by=rep, original_name=HOSTILE,
                                storage_name="x", sha256="a" * 64, size=10, content_type="application/pdf")
    client.force_login(rep)
    page = client.get(reverse("application_step", args=[application.pk, "evidence"])).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot; &#x27;single&#x27;.pdf" in page
    assert "<script>alert(1)" not in page


def review_context(application):
    from decimal import Decimal

    from applications.selectors import DeclaredPAT, Problem
    from applications import wizard
    from applications.views.wizard import _problems
    from evidence.checklist import InterventionEvidence
    from interventions.scoring import Benefit, Line

    catalogue = edition_catalogue(application.campaign.edition)
    a1, c4, d1 = catalogue.by_code["A6"], catalogue.by_code["C4"], catalogue.by_code["D1"]
    complete = EvidenceRow(intervention=c4, items=[], status=InterventionEvidence(True, (), False))
    missing = EvidenceRow(intervention=d1, items=[], status=InterventionEvidence(False, (1,), False))
    lines = [
        {"line": Line("A6", 12, True), "intervention": a1, "evidence": None, "suboptions": [HOSTILE, "Sì & no"]},
        {"line": Line("C4", 1234, False, (HOSTILE, "seconda")), "intervention": c4, "evidence": complete, "suboptions": []},
        {"line": Line("D1", 0, True), "intervention": d1, "evidence": missing, "suboptions": []},
    ]
    pats = [DeclaredPAT(number=HOSTILE, voce_di_tariffa="0722", lavoratori_anno=Decimal("12.5"), premium=None),
            DeclaredPAT(number="12345678", voce_di_tariffa="0722", lavoratori_anno=Decimal("3"), premium=Decimal("1234567.891"))]
    benefits = [(pats[0], Benefit(Decimal("12.5"), Decimal("18"), None, None)),
                (pats[1], Benefit(Decimal("3"), Decimal("28"), Decimal("1234567.891"), Decimal("345678.81")))]
    problems = [Problem(HOSTILE, "scheda"), Problem("C4: manca", "evidence"), Problem("Termine", "review"),
                Problem("altro", "A")]
    overview = type("Overview", (), {"problems": problems})()
    return {"application": application, "steps": wizard.links(application, wizard.REVIEW), "lines": lines,
            "benefits": benefits, "overview": overview, "problems": _problems(application, overview)}


def review(context, language="it"):
    with translation.override(language):
        html = render_to_string("applications/wizard/_review_summary.html", context)
        problems = render_to_string("applications/wizard/_problems.html", context)
    return html, parse(f"<div>{html}</div>"), parse(f"<ul>{problems}</ul>")


@pytest.mark.parametrize("can_edit", [True, False])
def test_each_problem_links_to_the_step_that_fixes_it(can_edit):
    application, _rep, _item = evidence_draft()
    context = {**review_context(application), "can_edit": can_edit}
    _html, _doc, problems = review(context)
    items = problems.xpath("//li")
    assert [text(li).removesuffix(" Correggi") for li in items] == [p.message for p in context["overview"].problems]
    links = [li.xpath("./a") for li in items]
    if not can_edit:
        assert links == [[], [], [], []]
        return
    assert [a[0].get("href") for a in links] == [reverse("application_step", args=[application.pk, step])
                                                 for step in ("scheda", "evidence", "review", "A")]


def test_the_review_lists_the_declared_interventions_the_total_and_the_benefits():
    from interventions.scoring import ScoreResult

    application, _rep, _item = evidence_draft()
    context = {**review_context(application), "can_edit": True}
    context["overview"].score = ScoreResult(edition="ot24", sector="x", workers=10, threshold=100, lines=())
    html, doc, _problems = review(context)
    assert "<script>" not in html and ESCAPED in html
    tables = doc.xpath("//table")
    rows = [[text(td) for td in tr.xpath("./td")] for tr in tables[0].xpath("./tbody/tr")]
    assert [r[0] for r in rows] == ["A6", "C4", "D1"]
    assert [r[2:] for r in rows] == [["12", "sì", "mancante"], ["1234", "no", "completa"], ["0", "sì", "mancante"]]
    a6 = tables[0].xpath("./tbody/tr")[0]
    assert [text(li) for li in a6.xpath(".//ul/li")] == [HOSTILE, "Sì & no"]
    c4_errors = [text(d) for d in tables[0].xpath("./tbody/tr")[1].xpath('.//div[contains(@class,"text-danger")]')]
    assert c4_errors == [HOSTILE, "seconda"]
    assert [text(th) for th in tables[0].xpath("./tfoot//th")] == ["Totale conteggiato", "0 / 100"]
    benefits = [[text(td) for td in tr.xpath("./td")] for tr in tables[1].xpath("./tbody/tr")]
    assert benefits == [[HOSTILE, "12,5", "18%", "—", "—"], ["12345678", "3", "28%", "€ 1.234.567,89", "€ 345.678,81"]]


def test_an_empty_review_says_so_in_each_table():
    application, _rep, _item = evidence_draft()
    context = {**review_context(application), "can_edit": True, "lines": [], "benefits": []}
    _html, doc, _problems = review(context, language="en")
    tables = doc.xpath("//table")
    assert text(tables[0].xpath("./tbody")[0]) and text(tables[0].xpath("./tbody")[0]) != "Nessun intervento selezionato."
    assert len(tables[1].xpath("./tbody/tr")) == 1
    dl = {text(dt): text(dd) for dt, dd in zip(doc.xpath("//dt"), doc.xpath("//dd"))}
    assert dl["PAT"] == "—"


@pytest.mark.parametrize("variant", ["full", "sparse"])
def test_the_review_summary_shows_the_scheda(variant):
    import datetime as dt

    application, _rep, _item = evidence_draft()
    context = {**review_context(application), "can_edit": True}
    if variant == "full":
        application.codice_sede, application.matricola_inps = "02", "99887766"
        application.signatory_birth_place, application.signatory_role = "Roma", "Titolare"
        application.signatory_birth_date, application.workers, application.sector = dt.date(1970, 5, 7), 1234, "costruzioni"
    else:
        application.codice_sede = application.matricola_inps = application.signatory_birth_place = ""
        application.signatory_role, application.signatory_birth_date, application.workers = "", None, None
        application.sector = ""
    _html, doc, _problems = review(context)
    dl = {text(dt): text(dd) for dt, dd in zip(doc.xpath("//dt"), doc.xpath("//dd"))}
    assert dl["Denominazione o ragione sociale"] == application.ragione_sociale
    if variant == "full":
        assert dl["Codice ditta / codice sede"] == f"{application.codice_ditta} / 02"
        assert dl["Matricola INPS"] == "99887766"
        assert dl["Il sottoscritto"] == f"{application.signatory_name}, nato a Roma il 07/05/1970, in qualità di Titolare"
        assert dl["Settore e lavoratori"] == f"{application.get_sector_display()}, 1234"
    else:
        assert dl["Codice ditta / codice sede"] == f"{application.codice_ditta} / —"
        assert dl["Matricola INPS"] == "—"
        assert dl["Il sottoscritto"] == application.signatory_name
        assert dl["Settore e lavoratori"] == "—, —"


def test_the_review_page_shows_user_values_escaped(client):
    from applications.models import Application

    application, rep, _item = evidence_draft()
    Application.objects.filter(pk=application.pk).update(ragione_sociale=HOSTILE, unita_produttiva=HOSTILE)
    client.force_login(rep)
    page = client.get(reverse("application_step", args=[application.pk, "review"])).content.decode()
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot; &#x27;single&#x27;.pdf") >= 2
    assert "<script>alert(1)" not in page


def test_the_scheda_refuses_a_pat_of_another_site_and_shows_the_sites_own(client):
    """The posted PATs are checked against the site's (the form's queryset, set for a posted form only); the page
    as it loads shows the site's PATs with the covered ones ticked."""
    from applications.models import Application
    from tests.applications.test_wizard_flow import SCHEDA
    from tests.factories import PATFactory

    application, rep, _item = evidence_draft()
    own = application.site.pats.get()
    foreign = PATFactory()
    client.force_login(rep)
    url = reverse("application_step", args=[application.pk, "scheda"])
    page = client.get(url).content.decode()
    assert f'value="{own.pk}"' in page and f'value="{foreign.pk}"' not in page
    assert checked(parse(page), "pats", str(own.pk))
    response = client.post(url, {**SCHEDA, "pats": [foreign.pk], "version": application.version})
    assert response.status_code == 200
    assert list(Application.objects.get(pk=application.pk).pats.all()) == [own]


@pytest.mark.parametrize("status", ["draft", "withdrawn", "submitted"])
def test_the_reviewers_part_shows_only_once_submitted(status, client):
    """The applicant's view of the review ({% applicant_review %}) appears on a submitted application only."""
    from applications.models import Application

    application, rep, _item = evidence_draft()
    Application.objects.filter(pk=application.pk).update(status=status)
    client.force_login(rep)
    page = client.get(reverse("application_step", args=[application.pk, "review"])).content.decode()
    assert ("Cosa succede ora" in page) == (status == "submitted")
    assert ("Da completare prima dell" in page or "La domanda è completa" in page) == (status == "draft")

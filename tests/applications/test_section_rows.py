"""A wizard section as a person sees it (applications/section_rows.py builds the rows' data,
templates/applications/wizard/_section_rows.html shows them): one card per intervention with its points in
the application's sector, the saved or posted ticks on the intervention, its sub-options and its declaration,
the errors in the card they are about; nothing of one user reaches another; language and catalogue changes show
at once."""
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from applications.forms import SectionForm
from django.template.loader import render_to_string

from applications.section_rows import section_rows
from tests.applications.html import by_id, checked, parse, text
from interventions.models import Intervention
from interventions.selectors import edition_catalogue
from tests.factories import PATFactory, SiteFactory, draft_with, legal_rep

pytestmark = pytest.mark.django_db


def _draft(sections, sector="costruzioni"):
    site = SiteFactory(sector=sector, workers=8)
    PATFactory(site=site)
    rep = legal_rep(site.company)
    return draft_with(site, rep, sections, sector=sector, workers=8), rep


def _page(client, app, letter):
    response = client.get(reverse("application_step", args=[app.pk, letter]))
    assert response.status_code == 200
    return response.content.decode()


def _checked(page: str, name: str) -> bool:
    tag = re.search(rf'<input type="checkbox"[^>]*name="{name}"[^>]*>', page)
    assert tag, name
    return " checked" in tag.group(0)


def _form(app, letter, data=None, selections=None):
    catalogue = edition_catalogue(app.campaign.edition)
    form = SectionForm(data, interventions=catalogue.of_section(letter), selections=selections or {},
                       version=app.version)
    if data is not None:
        form.is_valid()
    return catalogue, form


def _rows(catalogue, letter, sector, form, line_errors, **kwargs):
    return parse(render_to_string("applications/wizard/_section_rows.html",
                                  {"rows": section_rows(catalogue, letter, sector, form, line_errors, **kwargs),
                                   "catalogue": catalogue}))  # as the page: the catalogue's details cached


@pytest.mark.parametrize("letter", ["A", "B", "C", "D"])
def test_posted_ticks_and_errors_show_on_their_card(letter):
    app, _rep = _draft({})
    catalogue = edition_catalogue(app.campaign.edition)
    items = catalogue.of_section(letter)
    item = next((i for i in items if list(i.suboptions.all())), None)
    other = next(i for i in items if i is not item)
    posted = {"version": app.version, f"sel_{other.code}": "on"}
    if item is not None:
        posted[f"sub_{item.code}"] = ["1", "2"]  # sub-options without their intervention: refused next to it
    _c, bound = _form(app, letter, data=posted)
    line_errors = {code: [m] for code, m in getattr(bound, "orphans", {}).items()}
    line_errors.setdefault(other.code, []).append("Un errore <di prova> & altro.")
    doc = _rows(catalogue, letter, "costruzioni", bound, line_errors)
    assert len(doc.xpath('//div[contains(@class,"ot24-intervention")]')) == len(items)
    assert checked(doc, f"sel_{other.code}")
    card = by_id(doc, f"int-{other.code}")
    assert "is-selected" in card.get("class").split() and "has-error" in card.get("class").split()
    error = by_id(doc, f"err-{other.code}")
    assert "d-none" not in error.get("class") and text(error) == "Un errore <di prova> & altro."
    assert doc.xpath(f'//input[@name="sel_{other.code}"]')[0].get("aria-describedby") == f"err-{other.code}"
    quiet = [i for i in items if i.code not in line_errors]
    for i in quiet:
        assert "d-none" in by_id(doc, f"err-{i.code}").get("class")
        assert doc.xpath(f'//input[@name="sel_{i.code}"]')[0].get("aria-describedby") is None
    if item is not None:
        assert not checked(doc, f"sel_{item.code}")
        assert checked(doc, f"sub_{item.code}", "1") and checked(doc, f"sub_{item.code}", "2")
        assert "spuntare anche l'intervento" in text(by_id(doc, f"err-{item.code}"))


def test_one_users_ticks_and_errors_never_reach_another():
    chosen, rep1 = _draft({"C": ["C4"], "B": ["B1"]})
    empty, rep2 = _draft({})
    first, second = Client(), Client()
    first.force_login(rep1)
    second.force_login(rep2)
    for letter, name in (("C", "sel_C4"), ("B", "sel_B1")):
        assert _checked(_page(first, chosen, letter), name)
        page = _page(second, empty, letter)  # same edition, section, sector and language: the cached rows
        assert not _checked(page, name)
        assert "is-selected" not in page and " checked" not in page.split('id="section-form"')[1]
        assert _checked(_page(first, chosen, letter), name)  # and back


def test_rows_follow_the_language():
    app, rep = _draft({"C": ["C4"]})
    client = Client()
    client.force_login(rep)
    italian = _page(client, app, "C")
    client.cookies["django_language"] = "en"
    english = _page(client, app, "C")
    assert "Documenti da caricare" in italian and "Documenti da caricare" not in english
    assert "Alternatively:" in english or "Notes" in english
    client.cookies["django_language"] = "it"
    assert "Documenti da caricare" in _page(client, app, "C")
    with translation.override("en"):
        catalogue, form = _form(app, "C")
        english = text(_rows(catalogue, "C", "costruzioni", form, {}))
    assert "Documenti da caricare" not in english and " points" in english


def test_rows_follow_the_sector():
    """Section D's points depend on the sector: each sector's rows have their own points."""
    app, _rep = _draft({})
    catalogue, form = _form(app, "D")
    item = next(i for i in catalogue.of_section("D") if list(i.sector_points.all()))
    sector = item.sector_points.all()[0]
    assert sector.points != item.points
    def badge(sector):
        card = by_id(_rows(catalogue, "D", sector, form, {}), f"int-{item.code}")
        return text(card.xpath('.//span[contains(@class,"badge")]')[0])

    assert badge(sector.sector).startswith(f"{sector.points} ")
    assert badge("altri").startswith(f"{item.points} ")


def test_a_catalogue_change_shows_at_once():
    app, rep = _draft({"C": ["C4"]})
    client = Client()
    client.force_login(rep)
    assert "Testo cambiato dall'amministratore" not in _page(client, app, "C")
    c4 = Intervention.objects.get(code="C4", section__edition=app.campaign.edition)
    c4.text = "Testo cambiato dall'amministratore"
    c4.save()  # a new revision of the edition (interventions/signals.py)
    assert "Testo cambiato dall&#x27;amministratore" in _page(client, app, "C")


@pytest.mark.parametrize("letter", ["A", "B", "C", "D"])
def test_the_saved_selections_show_ticked_as_the_page_loads(letter, client):
    from applications.models import Selection

    app, rep = _draft({})
    catalogue = edition_catalogue(app.campaign.edition)
    items = catalogue.of_section(letter)
    with_subs = [i for i in items if list(i.suboptions.all())]
    with_decl = [i for i in items if list(i.declarations.all())]
    picked = {items[0].code: items[0], **{i.code: i for i in with_subs[:2]}, **{i.code: i for i in with_decl[:1]}}
    numbers = {}
    for n, item in enumerate(picked.values()):
        numbers[item.code] = [s.number for s in item.suboptions.all()][: 1 + n % 2]
        Selection.objects.create(application=app, intervention=item, suboptions=numbers[item.code],
                                 declaration_confirmed=item in with_decl)
    client.force_login(rep)
    doc = parse(_page(client, app, letter))
    for item in items:
        assert checked(doc, f"sel_{item.code}") == (item.code in picked), item.code
        for sub in item.suboptions.all():
            assert checked(doc, f"sub_{item.code}", str(sub.number)) == (sub.number in numbers.get(item.code, ())), \
                (item.code, sub.number)
        if list(item.declarations.all()):
            assert checked(doc, f"decl_{item.code}") == (item in with_decl[:1] and item.code in picked)


def test_an_intervention_s_details_change_at_once_though_rendered_once_per_catalogue():
    """The notes and documents under each intervention are rendered once per catalogue revision and language
    (interventions/templatetags/catalogue_fragments.py): a catalogue write shows at the next request."""
    app, rep = _draft({"C": ["C4"]})
    client = Client()
    client.force_login(rep)
    assert "Nota cambiata dall&#x27;amministratore" not in _page(client, app, "C")
    assert "Nota cambiata dall&#x27;amministratore" not in _page(client, app, "C")  # the details cached
    c4 = Intervention.objects.get(code="C4", section__edition=app.campaign.edition)
    c4.notes = "Nota cambiata dall'amministratore"
    c4.save()
    assert "Nota cambiata dall&#x27;amministratore" in _page(client, app, "C")

"""The wizard's section rows are rendered once per edition revision, section, sector and language and filled
with each user's ticks and errors (applications/section_rows.py): the result equals rendering them
directly, and nothing of one user, language, sector or catalogue revision reaches another."""
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from applications.forms import SectionForm
from applications.section_rows import render_rows, section_rows
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


@pytest.mark.parametrize("letter", ["A", "B", "C", "D"])
def test_cached_rows_equal_rows_rendered_directly(letter):
    app, _rep = _draft({"A": ["A6"], "B": ["B1"], "C": ["C4"]})
    selections = {s.intervention.code: s for s in app.selections.select_related("intervention")}
    catalogue, form = _form(app, letter, selections=selections)
    errors = {i.code: ["Un errore <di prova> & altro."] for i in catalogue.of_section(letter)[:2]}
    # Warm the cache with another state first: the second state must not inherit anything from it.
    _c, other = _form(app, letter, data={"version": app.version})
    section_rows(catalogue, letter, "costruzioni", other, {})
    assert section_rows(catalogue, letter, "costruzioni", form, errors) == render_rows(catalogue, letter, "costruzioni", form, errors)
    assert section_rows(catalogue, letter, "costruzioni", other, {}) == render_rows(catalogue, letter, "costruzioni", other, {})
    # A posted form: sub-options ticked without their intervention (orphans), a declaration.
    item = next((i for i in catalogue.of_section(letter) if list(i.suboptions.all())), catalogue.of_section(letter)[0])
    posted = {"version": app.version, f"sub_{item.code}": ["1", "2"], f"sel_{item.code}": "", "sel_X": "on"}
    _c, bound = _form(app, letter, data=posted)
    line_errors = {code: [m] for code, m in getattr(bound, "orphans", {}).items()}
    assert section_rows(catalogue, letter, "costruzioni", bound, line_errors) == \
        render_rows(catalogue, letter, "costruzioni", bound, line_errors)


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
        assert section_rows(catalogue, "C", "costruzioni", form, {}) == render_rows(catalogue, "C", "costruzioni", form, {})


def test_rows_follow_the_sector():
    """Section D's points depend on the sector: each sector's rows have their own points."""
    app, _rep = _draft({})
    catalogue, form = _form(app, "D")
    item = next(i for i in catalogue.of_section("D") if list(i.sector_points.all()))
    sector = item.sector_points.all()[0]
    assert sector.points != item.points
    theirs = str(section_rows(catalogue, "D", sector.sector, form, {}))
    others = str(section_rows(catalogue, "D", "altri", form, {}))
    card = re.compile(rf'id="int-{item.code}".*?badge bg-primary ms-1">([^<]+)<', re.S)
    assert card.search(theirs).group(1).startswith(f"{sector.points} ")
    assert card.search(others).group(1).startswith(f"{item.points} ")


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
def test_rows_from_saved_selections_equal_an_unbound_forms(letter):
    """A section's page as it loads builds no form of the section's fields: its rows come from the saved
    selections (section_rows with `selections`) and must equal those of the unbound form built from them."""
    from applications.models import Selection

    app, _rep = _draft({})
    catalogue = edition_catalogue(app.campaign.edition)
    items = catalogue.of_section(letter)
    with_subs = [i for i in items if list(i.suboptions.all())]
    with_decl = [i for i in items if list(i.declarations.all())]
    picked = {items[0].code: items[0], **{i.code: i for i in with_subs[:2]}, **{i.code: i for i in with_decl[:1]}}
    for n, item in enumerate(picked.values()):
        numbers = [s.number for s in item.suboptions.all()][: 1 + n % 2]
        Selection.objects.create(application=app, intervention=item, suboptions=numbers,
                                 declaration_confirmed=item in with_decl)
    selections = {s.intervention.code: s for s in app.selections.select_related("intervention")}
    _c, form = _form(app, letter, selections=selections)
    errors = {items[-1].code: ["Un errore <di prova> & altro."]}
    for line_errors in ({}, errors):
        assert section_rows(catalogue, letter, "costruzioni", None, line_errors, selections=selections) == \
            render_rows(catalogue, letter, "costruzioni", form, line_errors)
    saved = str(section_rows(catalogue, letter, "costruzioni", None, {}, selections=selections))
    assert saved.count(" checked") + saved.count('"checked') >= len(picked)

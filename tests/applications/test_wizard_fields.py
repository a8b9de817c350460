"""The scheda as a person sees it: every field with its label (an asterisk when required) and its saved value,
the site's PATs with the covered ones ticked, errors next to the field they are about, nothing lost on bad
input, the texts in the user's language, user values escaped. The fields are crispy-forms' bootstrap5 templates
(templates/applications/wizard/scheda.html)."""
import pytest
from django.urls import reverse

from applications.forms import SchedaForm
from tests.applications.html import by_id, checked, parse, text
from tests.factories import PATFactory, ready_to_submit

pytestmark = pytest.mark.django_db


def _page(client, app, data=None, language="it"):
    client.cookies["django_language"] = language
    url = reverse("application_step", args=[app.pk, "scheda"])
    response = client.get(url) if data is None else client.post(url, data)
    assert response.status_code == 200
    return parse(response.content.decode())


def _data(app, **changes) -> dict:
    data = {name: getattr(app, name) for name in SchedaForm.Meta.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data.update({"version": app.version, "pats": [p.pk for p in app.pats.all()], **changes})
    return data


def test_every_field_shows_its_label_and_saved_value(client):
    app, rep = ready_to_submit()
    client.force_login(rep)
    doc = _page(client, app)
    for name in SchedaForm.Meta.fields:
        field = by_id(doc, f"div_id_{name}")
        label = field.xpath(".//label")[0]
        assert label.get("for") == f"id_{name}"
        assert text(label).endswith("*") == SchedaForm(application=app).fields[name].required, name
    assert by_id(doc, "id_ragione_sociale").get("value") == app.ragione_sociale
    assert by_id(doc, "id_signatory_birth_date").get("value") == app.signatory_birth_date.isoformat()
    sector = by_id(doc, "id_sector")
    assert sector.xpath("./option[@selected]")[0].get("value") == app.sector
    assert doc.xpath('//input[@name="version"][@type="hidden"]')[0].get("value") == str(app.version)


def test_the_sites_pats_are_listed_with_the_covered_ones_ticked(client):
    app, rep = ready_to_submit()
    covered = app.pats.get()
    other = PATFactory(site=app.site)
    client.force_login(rep)
    doc = _page(client, app)
    assert checked(doc, "pats", str(covered.pk)) and not checked(doc, "pats", str(other.pk))
    legend = by_id(doc, "div_id_pats").xpath(".//legend|.//label[contains(@class,'form-label')]")[0]
    assert text(legend) == "PAT coperte dalla domanda (al massimo 3)*"


def test_errors_show_next_to_their_field_and_nothing_typed_is_lost(client):
    app, rep = ready_to_submit()
    client.force_login(rep)
    doc = _page(client, app, _data(app, ragione_sociale="", workers="0", cap="12", citta="L'Aquila <i>", pats=[]))
    assert "Questo campo è obbligatorio." in text(by_id(doc, "div_id_ragione_sociale"))
    assert "Indicare almeno 1 lavoratore." in text(by_id(doc, "div_id_workers"))
    assert "Selezionare almeno una PAT." in text(by_id(doc, "div_id_pats"))
    assert "is-invalid" in by_id(doc, "id_workers").get("class")
    assert "is-invalid" not in by_id(doc, "id_citta").get("class")
    assert by_id(doc, "id_citta").get("value") == "L'Aquila <i>"  # escaped in the markup, kept as typed
    assert by_id(doc, "id_cap").get("value") == "12"


def test_the_scheda_follows_the_language(client):
    app, rep = ready_to_submit()
    client.force_login(rep)
    italian, english = _page(client, app), _page(client, app, language="en")
    assert text(by_id(italian, "div_id_workers").xpath(".//label")[0]) == "Numero di lavoratori*"
    assert text(by_id(english, "div_id_workers").xpath(".//label")[0]) != "Numero di lavoratori*"
    assert text(english.xpath("//h1")[0]) != text(italian.xpath("//h1")[0])

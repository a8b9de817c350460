"""The scheda's fields rendered by applications' wizard_field filter carry the same markup as crispy-forms'
as_crispy_field (bootstrap5): same elements, attributes in the same order, same texts; whitespace aside."""
from html.parser import HTMLParser

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field

from applications.forms import SchedaForm
from applications.models import Application
from applications.templatetags.wizard_fields import wizard_field
from tests.factories import PATFactory, ready_to_submit

pytestmark = pytest.mark.django_db


class Tokens(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.tokens = []

    def handle_starttag(self, tag, attrs):
        self.tokens.append(("start", tag, attrs))

    def handle_endtag(self, tag):
        self.tokens.append(("end", tag))

    def handle_data(self, data):
        if data.split():
            self.tokens.append(("data", " ".join(data.split())))

    def handle_entityref(self, name):
        self.tokens.append(("entity", name))

    def handle_charref(self, name):
        self.tokens.append(("char", name))


def tokens(html: str) -> list:
    parser = Tokens()
    parser.feed(str(html))
    parser.close()
    return parser.tokens


def _data(app, **changes) -> dict:
    data = {name: getattr(app, name) for name in SchedaForm.Meta.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data.update({"version": app.version, "pats": [p.pk for p in app.pats.all()], **changes})
    return data


def _forms(app, data):
    app_a = Application.objects.get(pk=app.pk)
    app_b = Application.objects.get(pk=app.pk)
    crispy, ours = SchedaForm(data, application=app_a), SchedaForm(data, application=app_b)
    if data is not None:
        crispy.is_valid(), ours.is_valid()
    return crispy, ours


@pytest.mark.parametrize("state", ["unbound", "valid", "invalid", "escaped"])
def test_every_scheda_field_renders_as_crispy_does(state):
    app, _rep = ready_to_submit()
    PATFactory(site=app.site)  # two PATs: one checked, one not
    data = {
        "unbound": None,
        "valid": _data(app),
        "invalid": _data(app, ragione_sociale="", workers="0", codice_ditta="x12", sector="", pats=[],
                         signatory_birth_date="31/31/2020"),
        "escaped": _data(app, ragione_sociale='A & B "<b>" S.r.l.', citta="L'Aquila <i>"),
    }[state]
    crispy, ours = _forms(app, data)
    assert state == "unbound" or crispy.is_valid() == (state in ("valid", "escaped"))
    names = [name for name in crispy.fields if name != "version"]
    assert {"pats", "sector", "workers", "signatory_birth_date", "codice_ditta"} <= set(names)
    for name in names:
        expected, got = tokens(as_crispy_field(crispy[name])), tokens(wizard_field(ours[name]))
        assert got == expected, name
        assert expected  # something was rendered


def test_field_with_errors_shows_them_next_to_it():
    app, _rep = ready_to_submit()
    _crispy, ours = _forms(app, _data(app, workers="0", pats=[]))
    html = str(wizard_field(ours["workers"]))
    assert 'class="numberinput form-control is-invalid"' in html and "Indicare almeno 1 lavoratore." in html
    assert "Selezionare almeno una PAT." in str(wizard_field(ours["pats"]))


@pytest.mark.parametrize("data", [None, {"version": "7"}, {"version": ""}, {"version": "x<y"}, {}])
def test_hidden_widget_equals_djangos_rendering(data):
    """`{{ form.version|wizard_widget }}`: the hidden input exactly as `{{ form.version }}` renders it
    (Django's widget templates), unbound, posted, empty, unsafe and missing."""
    from applications.forms import VersionedForm
    from applications.templatetags.wizard_fields import wizard_widget

    form = VersionedForm(data, initial={"version": 4}) if data is not None else VersionedForm(initial={"version": 4})
    assert str(wizard_widget(form["version"])) == str(form["version"])


def test_lazy_texts_follow_the_language_in_one_process():
    """Labels, help texts and fixed choices' labels are translated once per language and process: rendering
    the scheda in Italian, English and Italian again gives crispy's markup in each language."""
    from django.utils import translation

    app, _rep = ready_to_submit()
    seen = {}
    for language in ("it", "en", "it"):
        with translation.override(language):
            crispy, ours = _forms(app, None)
            page = ""
            for name in [name for name in crispy.fields if name != "version"]:
                got = str(wizard_field(ours[name]))
                assert tokens(got) == tokens(as_crispy_field(crispy[name])), (language, name)
                page += got
            assert seen.setdefault(language, page) == page
    assert seen["it"] != seen["en"]
    with translation.override("en"):
        assert str(SchedaForm.base_fields["pats"].label) in seen["en"]

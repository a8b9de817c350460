"""Issue 34, minor: the scheda takes the signatory's birth date from the codice fiscale when it is left
empty (the birth place: tests/applications/test_daily_birth_place.py)."""
import datetime as dt

import pytest

from applications.models import Application
from tests.applications.test_wizard_flow import login, post_scheda, setup, start  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def test_the_birth_date_comes_from_the_codice_fiscale(client, setup):  # noqa: F811
    campaign, site, pat, rep = setup
    login(client, rep)
    app = start(client, site)
    response = post_scheda(client, app, pat, signatory_birth_date="", signatory_codice_fiscale="RSSMRA70E17H501S")
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Application.objects.get(pk=app.pk).signatory_birth_date == dt.date(1970, 5, 17)


def test_what_the_person_wrote_is_kept(client, setup):  # noqa: F811
    campaign, site, pat, rep = setup
    login(client, rep)
    app = start(client, site)
    post_scheda(client, app, pat, signatory_birth_date="1970-05-18")  # not the code's date: the person's
    assert Application.objects.get(pk=app.pk).signatory_birth_date == dt.date(1970, 5, 18)


def test_errors_are_summarised_at_the_top_with_links_to_the_fields(client, setup):  # noqa: F811
    import html

    campaign, site, pat, rep = setup
    login(client, rep)
    app = start(client, site)
    page = html.unescape(post_scheda(client, app, pat, ragione_sociale="", cap="").content.decode())
    summary = page.split('id="scheda-errors"', 1)[1].split("</div>", 1)[0]
    assert 'href="#id_ragione_sociale"' in summary and 'href="#id_cap"' in summary
    assert page.index('id="scheda-errors"') < page.index('id="id_ragione_sociale"')

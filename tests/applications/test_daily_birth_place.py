"""Issue 34, minor: the scheda takes the signatory's birth place from the codice fiscale when it is left
empty (the cadastral code at positions 12-15, looked up in accounts/data/belfiore.csv for the birth date),
and keeps what the person wrote."""
import pytest
from stdnum.it.codicefiscale import calc_check_digit

from accounts.birthplace import birth_place_from_codice_fiscale
from applications.models import Application
from tests.applications.test_wizard_flow import login, post_scheda, setup, start  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def cf(first15: str) -> str:
    return first15 + calc_check_digit(first15)


@pytest.mark.parametrize("code,place", [
    ("RSSMRA70E17H501S", "Roma (RM)"),
    (cf("RSSMRA70E17H50M"), "Roma (RM)"),  # omocodia: the place's last digit written as a letter
    (cf("BNCLCU85T10F205"), "Milano (MI)"),
    (cf("RSSMRA70E17A001"), "Abano Terme (PD)"),  # the code's municipality on the birth date
    (cf("RSSMRA20E17A001"), "Abano (PD)"),  # renamed in 1924: born before, born in Abano
    (cf("RSSMRA70E17Z100"), "Albania"),  # born abroad: the country
])
def test_the_place_of_the_code(code, place):
    assert birth_place_from_codice_fiscale(code) == place


@pytest.mark.parametrize("code", ["", "RSSMRA70E17H501", "RSSMRA70E17H501X", cf("RSSMRA70E17A000"), "12345678901"])
def test_no_place_from_a_code_it_cannot_read(code):
    assert birth_place_from_codice_fiscale(code) is None


def test_the_birth_place_comes_from_the_codice_fiscale(client, setup):  # noqa: F811
    campaign, site, pat, rep = setup
    login(client, rep)
    app = start(client, site)
    response = post_scheda(client, app, pat, signatory_birth_place="", signatory_codice_fiscale="RSSMRA70E17H501S")
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Application.objects.get(pk=app.pk).signatory_birth_place == "Roma (RM)"


def test_the_birth_place_the_person_wrote_is_kept(client, setup):  # noqa: F811
    campaign, site, pat, rep = setup
    login(client, rep)
    app = start(client, site)
    post_scheda(client, app, pat, signatory_birth_place="Ostia", signatory_codice_fiscale="RSSMRA70E17H501S")
    assert Application.objects.get(pk=app.pk).signatory_birth_place == "Ostia"

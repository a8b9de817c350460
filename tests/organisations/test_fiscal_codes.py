"""Issue 28, finding 5: a company (or firm) is one codice fiscale and one partita IVA, whatever way they are
typed. "IT" before the number, full-width digits, separators, lower case, or another company's VAT number
as the codice fiscale all name the same company: no second registration, one stored form (NFKC, then
python-stdnum's compact), lookups on that same form, and the database refusing duplicates."""
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import User
from operations.demo import codice_fiscale, partita_iva
from organisations import services
from organisations.forms import MandateGrantForm, MandateRequestForm
from organisations.models import Company, Firm, Membership, Role
from tests.factories import CompanyFactory, UserFactory, consultant, firm_with, legal_rep

pytestmark = pytest.mark.django_db

PIVA = partita_iva("0712345058")
OTHER = partita_iva("0812345058")
PERSON = codice_fiscale("RSSMRA70E17H501")


def absolute(path):
    return "http://testserver" + path


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


VARIANTS = {
    "it_prefix": "IT" + PIVA,
    "lower_it_prefix_spaced": f" it {PIVA[:5]} {PIVA[5:]} ",
    "full_width": full_width(PIVA),
    "full_width_it_prefix": full_width("IT" + PIVA),
    "dashes": f"{PIVA[:3]}-{PIVA[3:7]}-{PIVA[7:]}",
}


def company_data(**kw):
    return {"ragione_sociale": "Edil Rossi S.r.l.", "codice_fiscale": PIVA, "partita_iva": PIVA,
            "codice_ditta": "7654321", "address": "Via Roma 1", "city": "Roma", "cap": "00100", "province": "RM", **kw}


@pytest.fixture
def edil_rossi():
    company = CompanyFactory(ragione_sociale="Edil Rossi S.r.l.", codice_fiscale=PIVA, partita_iva=PIVA)
    legal_rep(company)
    return company


@pytest.mark.parametrize("variant", VARIANTS.values(), ids=VARIANTS.keys())
def test_compact_fiscal_code_folds_every_spelling_to_the_digits(variant):
    from accounts.validators import compact_fiscal_code

    assert compact_fiscal_code(variant) == PIVA
    assert compact_fiscal_code(full_width(PERSON.lower())) == PERSON
    assert compact_fiscal_code("IT" + PERSON) == "IT" + PERSON  # "IT" is a VAT prefix only: a person's stays invalid


@pytest.mark.parametrize("field", ["codice_fiscale", "partita_iva"])
@pytest.mark.parametrize("variant", VARIANTS.values(), ids=VARIANTS.keys())
def test_the_attacker_cannot_register_the_company_again_as_legal_representative(client, edil_rossi, variant, field):
    attacker = UserFactory()
    client.force_login(attacker)
    data = company_data(**{field: variant})
    if field == "partita_iva":  # a new codice fiscale, the real VAT number
        data["codice_fiscale"] = OTHER
    response = client.post(reverse("company_register"), {**data, "declared_role": Role.LEGAL_REP, "declaration": "on",
                                                        "person_codice_fiscale": codice_fiscale("BNCGLI80A41H501")})
    assert response.status_code == 200
    assert "è già registrata" in response.content.decode()
    assert Company.objects.count() == 1
    assert not Membership.objects.filter(user=attacker).exists()


def test_the_codice_fiscale_of_a_company_cannot_be_another_companys_vat_number(edil_rossi):
    """A company whose codice fiscale (16 characters, a sole trader) differs from its VAT number: neither
    number may become the codice fiscale or the VAT number of a second company."""
    sole_trader = CompanyFactory(codice_fiscale=PERSON, partita_iva=OTHER)
    for cf, piva in ((OTHER, partita_iva("0912345058")), ("IT" + OTHER, partita_iva("0912345058")),
                     (partita_iva("0912345058"), PERSON.lower())):
        company = Company(**company_data(codice_fiscale=cf, partita_iva=piva))
        with pytest.raises(ValidationError, match="già registrata"):
            services.company_register(user=UserFactory(), company=company, role=Role.LEGAL_REP,
                                      person_codice_fiscale=codice_fiscale("BNCGLI80A41H501"), absolute=absolute)
    assert services.company_exists("it" + OTHER) == sole_trader
    assert services.company_exists(full_width(PERSON)) == sole_trader
    assert Company.objects.count() == 2


@pytest.mark.parametrize("variant", VARIANTS.values(), ids=VARIANTS.keys())
def test_a_consultant_cannot_register_a_registered_company_as_a_new_client(edil_rossi, variant):
    with pytest.raises(ValidationError, match="già registrata"):
        services.client_register(user=consultant(), company=Company(**company_data(codice_fiscale=variant)),
                                 legal_rep_email="rep@example.com", start_date=edil_rossi.legal_representative.date_joined.date(),
                                 end_date=None, absolute=absolute)
    assert Company.objects.count() == 1


def test_a_company_is_stored_and_found_in_its_compact_form(client):
    client.force_login(UserFactory())
    response = client.post(reverse("company_register"), {
        **company_data(codice_fiscale=VARIANTS["full_width_it_prefix"], partita_iva="it" + PIVA),
        "declared_role": Role.LEGAL_REP, "declaration": "on", "person_codice_fiscale": full_width(PERSON.lower())})
    assert response.status_code == 302, response.context["form"].errors
    company = Company.objects.get()
    assert (company.codice_fiscale, company.partita_iva) == (PIVA, PIVA)
    assert company.legal_representative.codice_fiscale == PERSON
    for variant in VARIANTS.values():
        assert Company.objects.get(codice_fiscale=variant) == company
        assert services.company_exists(variant) == company


def test_the_database_refuses_a_second_company_with_the_same_numbers(edil_rossi):
    """Whatever bypasses the services (the admin, a script) meets the same stored form and constraints."""
    with pytest.raises(IntegrityError), transaction.atomic():
        CompanyFactory(codice_fiscale=VARIANTS["full_width_it_prefix"], partita_iva=OTHER)
    with pytest.raises(IntegrityError), transaction.atomic():
        CompanyFactory(codice_fiscale=OTHER, partita_iva="IT" + PIVA)
    firm = firm_with()
    with pytest.raises(IntegrityError), transaction.atomic():
        Firm.objects.create(name="Copia", codice_fiscale="IT" + firm.codice_fiscale)


@pytest.mark.parametrize("variant", VARIANTS.values(), ids=VARIANTS.keys())
def test_a_firm_cannot_be_created_twice(variant):
    owner = UserFactory(role=User.Role.CONSULTANT)
    services.firm_create(user=owner, firm=Firm(name="Studio Sicuro", codice_fiscale=PIVA))
    with pytest.raises(ValidationError, match="già registrato"):
        services.firm_create(user=UserFactory(role=User.Role.CONSULTANT),
                             firm=Firm(name="Studio Sicuro bis", codice_fiscale=variant))
    assert Firm.objects.count() == 1


def test_mandates_find_companies_firms_and_consultants_by_any_spelling(edil_rossi):
    firm = firm_with()
    person = consultant()
    person.codice_fiscale = PERSON
    person.save()
    form = MandateRequestForm({"codice_fiscale": VARIANTS["full_width_it_prefix"], "start_date": "2026-12-07"},
                              user=person)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["codice_fiscale"] == edil_rossi
    for holder, expected in ((" it" + firm.codice_fiscale, (firm, None)), (full_width(PERSON.lower()), (None, person))):
        form = MandateGrantForm({"holder": holder, "start_date": "2026-12-07", "all_sites": "on"}, company=edil_rossi)
        assert form.is_valid(), form.errors
        assert form.cleaned_data["holder"] == expected


def test_the_profile_stores_the_personal_codice_fiscale_compact(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("account_profile"), {"first_name": "Mario", "last_name": "Rossi", "language": "it",
                                                "codice_fiscale": full_width(PERSON.lower()), "phone": ""})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.codice_fiscale == PERSON


BEFORE = ("organisations", "0002_people_firms_mandates")
COMPACTED = ("organisations", "0003_compact_fiscal_codes")


def _company(apps, cf, piva):
    return apps.get_model("organisations", "Company").objects.create(
        ragione_sociale="Edil Rossi S.r.l.", codice_fiscale=cf, partita_iva=piva, codice_ditta="1", address="Via Roma 1",
        city="Roma", cap="00100", province="RM")


@pytest.mark.django_db(transaction=True)
def test_the_migration_compacts_the_stored_numbers(migrator):
    apps = migrator.apply_initial_migration(BEFORE).apps
    company = _company(apps, full_width("IT" + PIVA), full_width(PIVA))
    firm = apps.get_model("organisations", "Firm").objects.create(name="Studio", codice_fiscale=f" {OTHER[:5]} {OTHER[5:]}")
    user = apps.get_model("accounts", "User").objects.create(email="rep@example.com", codice_fiscale=full_width(PERSON))
    apps = migrator.apply_tested_migration(COMPACTED).apps
    company = apps.get_model("organisations", "Company").objects.get(pk=company.pk)
    assert (company.codice_fiscale, company.partita_iva) == (PIVA, PIVA)
    assert apps.get_model("organisations", "Firm").objects.get(pk=firm.pk).codice_fiscale == OTHER
    assert apps.get_model("accounts", "User").objects.get(pk=user.pk).codice_fiscale == PERSON


@pytest.mark.django_db(transaction=True)
def test_the_migration_stops_on_a_company_registered_twice(migrator):
    apps = migrator.apply_initial_migration(BEFORE).apps
    _company(apps, PIVA, PIVA)
    _company(apps, "IT" + PIVA, OTHER)
    with pytest.raises(RuntimeError, match=f"{PIVA}: "):
        migrator.apply_tested_migration(COMPACTED)
    apps.get_model("organisations", "Company").objects.all().delete()  # the clean-up migrates forward again


def test_a_codice_fiscale_held_by_two_consultants_names_nobody(edil_rossi):
    """Anybody may type any codice fiscale in their profile: a mandate by codice fiscale never picks one
    of two consultants who hold it (the e-mail says who)."""
    for _ in range(2):
        person = consultant()
        person.codice_fiscale = PERSON
        person.save()
    form = MandateGrantForm({"holder": PERSON, "start_date": "2026-12-07", "all_sites": "on"}, company=edil_rossi)
    assert not form.is_valid() and "Più consulenti" in str(form.errors["holder"])

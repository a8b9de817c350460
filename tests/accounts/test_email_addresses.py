"""One canonical form for e-mail addresses (accounts/addresses.py), and look-alike addresses (issue 28,
finding 2). On PostgreSQL a case-insensitive lookup folds the dotless `ı` into `I`, so an account
`admın@ot24.example` used to turn every log-in of `admin@ot24.example` into a 500
(MultipleObjectsReturned), give extra lock-out budgets and let a look-alike spelling log in. Run these
on PostgreSQL (scripts/with-postgres.sh, `make test`): that is where the bug lives."""
import pytest
from allauth.account.models import EmailAddress
from axes.models import AccessAttempt
from django.urls import reverse

from accounts.addresses import AddressError, canonical_email
from accounts.models import User
from accounts.throttling import axes_username
from ot24portal.settings.base import AUTHENTICATION_BACKENDS as ALL_BACKENDS
from tests.accounts.conftest import outbox
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ADMIN = "admin@ot24.example"
# Each one only looks like ADMIN: dotless ı, dotted İ, Cyrillic а in the domain, dotless ı in the domain.
LOOK_ALIKES = ["admın@ot24.example", "ADMİN@ot24.example", "admin@ot24.exаmple", "admin@ot24.exampıe"]
# Each one is ADMIN itself, spelled differently: case, spaces.
SAME_ADDRESS = ["Admin@OT24.example", " admin@ot24.example ", "ADMIN@OT24.EXAMPLE", "admin@ot24.example"]


@pytest.mark.parametrize("raw, canonical", [
    (" Admin@OT24.Example ", "admin@ot24.example"),
    ("ａｄｍｉｎ@ot24.example", "admin@ot24.example"),  # NFKC: full-width letters are the ASCII ones
    ("\u212aappa@ot24.example", "kappa@ot24.example"),  # KELVIN SIGN -> K by NFKC
    ("\u017ftudio@ot24.example", "studio@ot24.example"),  # LONG S -> s by NFKC
    ("mario@caffè.it", "mario@xn--caff-8oa.it"),  # internationalised domain: its IDNA (A-label) form
    ("Mario@CAFFÈ.IT", "mario@xn--caff-8oa.it"),
    ("mario@xn--caff-8oa.it", "mario@xn--caff-8oa.it"),
    ("a.b+c@sub.example.it", "a.b+c@sub.example.it"),
])
def test_canonical_form(raw, canonical):
    assert canonical_email(raw) == canonical
    assert canonical_email(canonical) == canonical  # idempotent


@pytest.mark.parametrize("raw, code", [
    ("admın@ot24.example", "local_part"), ("ADMİN@ot24.example", "local_part"), ("crème@example.it", "local_part"),
    ("admin@ot24.exаmple", "confusable"), ("admin@ot24.exampıe", "confusable"), ("admin@gοοgle.com", "confusable"),
    ("", "invalid"), ("senza-chiocciola", "invalid"), ("a@", "invalid"), ("@b.it", "invalid"),
    ("a\x00b@example.it", "invalid"), ("a@b@example.it", "invalid"), ("a@-x-.it", "invalid"),
    ("x" * 250 + "@example.it", "invalid"), ("mario@" + "è" * 60 + ".it", "invalid"), (None, "invalid"),
])
def test_what_has_no_canonical_form(raw, code):
    with pytest.raises(AddressError) as error:
        canonical_email(raw)
    assert error.value.code == code


def test_lock_out_counts_every_spelling_of_an_address_as_one():
    spellings = [*SAME_ADDRESS, "ａｄｍｉｎ@ot24.example", "ADMIN@ot24.EXAMPLE"]
    assert {axes_username(None, {"email": spelling}) for spelling in spellings} == {ADMIN}


def signup(client, email, password="Cantiere-Sicuro-2027"):
    return client.post(reverse("account_signup"), {"email": email, "password1": password, "password2": password,
                                                   "role": "company"})


def log_in(client, email, password=DEFAULT_PASSWORD, ip="192.0.2.1"):
    return client.post(reverse("login"), {"login": email, "password": password}, REMOTE_ADDR=ip)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("look_alike", LOOK_ALIKES)
def test_signup_with_a_look_alike_is_refused_and_the_owner_still_logs_in(client, look_alike):
    owner = UserFactory(email=ADMIN)
    response = signup(client, look_alike)
    assert response.status_code == 200
    assert "caratteri" in response.content.decode()  # the reason, next to the field
    assert list(User.objects.values_list("email", flat=True)) == [ADMIN]
    assert not outbox()
    response = log_in(client, ADMIN)
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(owner.pk)


@pytest.mark.parametrize("look_alike", LOOK_ALIKES)
def test_adding_a_look_alike_on_the_email_page_is_refused(client, look_alike):
    UserFactory(email=ADMIN)
    intruder = UserFactory(email="intruso@example.com")
    client.force_login(intruder)
    response = client.post(reverse("account_email"), {"email": look_alike, "action_add": ""})
    assert response.status_code == 200 and "caratteri" in response.content.decode()
    assert list(EmailAddress.objects.filter(user=intruder).values_list("email", flat=True)) == ["intruso@example.com"]
    assert not outbox()


def test_a_stored_look_alike_never_makes_the_owners_log_in_fail(client):
    """A look-alike row written before this fix (or by hand) is only ever found by its exact spelling."""
    owner = UserFactory(email=ADMIN)
    User.objects.bulk_create([User(email="admın@ot24.example", password="!")])
    response = log_in(client, ADMIN)
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(owner.pk)
    client.logout()
    response = client.post(reverse("account_reset_password"), {"email": ADMIN})
    assert response.status_code == 302 and [m.recipients for m in outbox()] == [[ADMIN]]


@pytest.mark.parametrize("look_alike", LOOK_ALIKES)
def test_a_look_alike_spelling_does_not_log_in(client, look_alike):
    UserFactory(email=ADMIN)
    response = log_in(client, look_alike)
    assert response.status_code == 200 and not logged_in(client)
    assert not outbox()  # and no confirmation goes to the look-alike's domain


@pytest.mark.parametrize("address, spelling", [(ADMIN, s) for s in SAME_ADDRESS] + [
    ("kappa@ot24.example", "\u212aappa@ot24.example"), ("studio@ot24.example", "\u017ftudio@ot24.example")])
def test_every_spelling_of_the_address_logs_in(client, address, spelling):
    """Case, spaces and the compatibility letters that NFKC makes ASCII (the Kelvin sign, the long s)."""
    owner = UserFactory(email=address)
    response = log_in(client, spelling)
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(owner.pk)


def test_look_alikes_and_spellings_count_against_the_one_account(client, settings):
    """django-axes records every failed spelling under the canonical address; a look-alike is refused by
    the form before any password is checked, so it is neither a guess nor a budget of its own."""
    settings.AUTHENTICATION_BACKENDS = ALL_BACKENDS
    UserFactory(email=ADMIN)
    for i, spelling in enumerate(SAME_ADDRESS + LOOK_ALIKES):
        log_in(client, spelling, password="sbagliata", ip=f"198.51.100.{i + 1}")
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {ADMIN}
    assert sum(AccessAttempt.objects.values_list("failures_since_start", flat=True)) == 4


def test_password_reset_of_a_look_alike_sends_nothing(client):
    UserFactory(email=ADMIN)
    for look_alike in LOOK_ALIKES:
        response = client.post(reverse("account_reset_password"), {"email": look_alike})
        assert response.status_code in (200, 302)
    assert not outbox()


def test_addresses_are_stored_canonical(client):
    user = User.objects.create_user(email=" Mario@CAFFÈ.it ", password=DEFAULT_PASSWORD)
    assert user.email == "mario@xn--caff-8oa.it"
    assert EmailAddress.objects.get(user=user).email == "mario@xn--caff-8oa.it"
    signup(client, "Nuova@Caffè.IT")
    assert User.objects.filter(email="nuova@xn--caff-8oa.it").exists()
    assert log_in(client, "mario@caffè.it").status_code == 302 and logged_in(client)


def test_existing_rows_are_made_canonical():
    """The data migration (accounts 0004): every row that has a canonical form gets it; a look-alike or a
    row whose canonical form another row already has is left as it is (and reported)."""
    from accounts.addresses import canonicalise_stored_addresses

    User.objects.bulk_create([User(email=e, password="!") for e in (
        "Primo@Example.IT", "mario@CAFFÈ.it", "admın@ot24.example", "doppio@example.it", "DOPPIO@example.it")])
    left = canonicalise_stored_addresses(User, EmailAddress)
    assert sorted(User.objects.values_list("email", flat=True)) == sorted([
        "primo@example.it", "mario@xn--caff-8oa.it", "admın@ot24.example", "doppio@example.it",
        "DOPPIO@example.it"])
    assert sorted(left) == ["DOPPIO@example.it", "admın@ot24.example"]

"""organisations 0002 keeps what existing rows meant: mandates active for every site with the right to
submit, companies with a confirmed legal representative, the legal representative's membership in that role."""
import datetime as dt

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_existing_mandates_and_memberships_keep_their_behaviour(migrator):
    old = migrator.apply_initial_migration([("organisations", "0001_initial"), ("accounts", "0001_initial")])
    get = old.apps.get_model
    User = get("accounts", "User")
    rep = User.objects.create(email="rep@example.com", password="!")
    clerk = User.objects.create(email="clerk@example.com", password="!")
    adviser = User.objects.create(email="adv@example.com", password="!", role="consultant")
    company = get("organisations", "Company").objects.create(
        ragione_sociale="Alfa", codice_fiscale="01234567890", partita_iva="01234567890", codice_ditta="1",
        address="Via Roma 1", city="Roma", cap="00100", province="RM", legal_representative=rep)
    Membership = get("organisations", "Membership")
    Membership.objects.create(user=rep, company=company)
    Membership.objects.create(user=clerk, company=company)
    mandate = get("organisations", "Mandate").objects.create(consultant=adviser, company=company,
                                                              start_date=dt.date(2025, 1, 1))

    new = migrator.apply_tested_migration(("organisations", "0002_people_firms_mandates"))
    get = new.apps.get_model
    migrated = get("organisations", "Mandate").objects.get(pk=mandate.pk)
    assert (migrated.status, migrated.all_sites, migrated.can_submit) == ("active", True, True)
    assert get("organisations", "Company").objects.get(pk=company.pk).legal_rep_confirmed
    roles = dict(get("organisations", "Membership").objects.values_list("user__email", "role"))
    assert roles == {"rep@example.com": "legal_rep", "clerk@example.com": "member"}

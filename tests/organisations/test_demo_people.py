"""The demo data speaks the new model: roles, active mandates (one ended), the demo consultant's firm."""
import pytest
from django.core.management import call_command

from accounts.models import User
from organisations.models import Firm, Mandate, Membership
from organisations.selectors import companies_for

pytestmark = pytest.mark.django_db


def test_demo_people_firm_and_mandates():
    call_command("demo_data", verbosity=0)
    call_command("demo_data", verbosity=0)  # idempotent
    studio = Firm.objects.get(name="Studio Sicuro")
    adviser = User.objects.get(email="consulente@studiosicuro.example")
    assert studio.memberships.get(user=adviser).is_owner
    roles = dict(Membership.objects.filter(company__ragione_sociale="Edil Rossi S.r.l.")
                 .values_list("user__email", "role"))
    assert roles == {"legale@edilrossi.example": "legal_rep", "ufficio@edilrossi.example": "member"}
    assert set(Mandate.objects.filter(consultant=adviser).values_list("status", flat=True)) == {"active"}
    assert companies_for(adviser).count() == 3  # the ended mandate gives nothing

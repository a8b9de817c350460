"""Demo data for `make run`: idempotent, safe to run on every start."""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from interventions.models import Edition

from .models import Campaign

DEMO_PASSWORD = "ot24-demo-2027"


def _user(email: str, role: str, first: str, last: str, **extra) -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"role": role, "first_name": first, "last_name": last, **extra}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def demo_campaign() -> Campaign:
    """The campaign of the next filing year, on the seed edition."""
    year = timezone.localdate().year + 1
    campaign, _ = Campaign.objects.get_or_create(filing_year=year, defaults={"edition": Edition.objects.get(code="ot24")})
    return campaign


@transaction.atomic
def load_demo() -> list[tuple[str, str]]:
    demo_campaign()
    _user("admin@ot24.example", User.Role.ADMIN, "Ada", "Amministratrice", is_staff=True, is_superuser=True)
    return [("admin@ot24.example", "administrator (also /admin/)")]

"""What most indicator tests start from: a site with one PAT and its company's legal representative (a module
may define its own `site`, which then wins)."""
import pytest

from tests.factories import PATFactory, SiteFactory, legal_rep


@pytest.fixture
def site():
    site = SiteFactory(name="Stabilimento Nord")
    PATFactory(site=site, number="12345678")
    return site


@pytest.fixture
def rep(site):
    return legal_rep(site.company)

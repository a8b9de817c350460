"""The review tests' shared set-up: applications in a state come from tests.factories.ApplicationFactory."""
import pytest

from tests.factories import ApplicationFactory, PATFactory, SiteFactory

# A6 (50, no evidence), B2d with options 2, 3, 5, 7, C23, D4: a submission with four interventions, two of
# them documented (B2d's first set of items, D4's invoice).
FOUR = {"A": ["A6"], "B": {"B2d": {2, 3, 5, 7}}, "C": ["C23"], "D": ["D4"]}


def submitted_four_interventions(name="Officina Quattro"):
    """(application, its legal representative): FOUR submitted by a costruzioni site of 12 workers."""
    site = SiteFactory(sector="costruzioni", workers=12, name=name)
    PATFactory(site=site, lavoratori_anno="8.00")
    app = ApplicationFactory(submitted=True, site=site, sections=FOUR, evidence=True)
    return app, app.created_by


@pytest.fixture
def submitted_four():
    return submitted_four_interventions()

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The catalogue is loaded once, as `make run` loads it."""
    with django_db_blocker.unblock():
        call_command("loaddata", "ot24", verbosity=0)


@pytest.fixture
def catalogue(db):
    from interventions.selectors import catalogue_get

    return catalogue_get("ot24")


@pytest.fixture(autouse=True)
def _fresh_catalogue_cache():
    """Each test reads the catalogue from its own database state (the cache is per process)."""
    from interventions.selectors import edition_catalogue_clear

    edition_catalogue_clear()
    yield
    edition_catalogue_clear()

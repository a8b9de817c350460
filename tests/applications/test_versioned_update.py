"""The save's versioned UPDATE (services.bump_version: filter(pk, version).update(version=F + 1,
updated_at, declared_total)) writes the version, time and total, and refuses a stale version writing
nothing; the section form built from the catalogue's cached spec has the fields it had."""
import pytest
from django.utils import timezone

from applications import services
from applications.forms import SectionForm
from applications.models import Application
from interventions.selectors import edition_catalogue
from tests.factories import ready_to_submit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("total", [None, 0, 57])
def test_bump_version_writes_version_time_and_total(total):
    application, _rep = ready_to_submit()
    Application.objects.filter(pk=application.pk).update(declared_total=11)
    before = Application.objects.get(pk=application.pk)
    services.bump_version(application, before.version, declared_total=total)
    after = Application.objects.get(pk=application.pk)
    assert after.version == before.version + 1 == application.version
    assert after.updated_at == application.updated_at and after.updated_at > before.updated_at
    assert after.declared_total == (11 if total is None else total)
    assert abs((timezone.now() - after.updated_at).total_seconds()) < 60


def test_bump_version_refuses_a_stale_version_and_writes_nothing():
    application, _rep = ready_to_submit()
    before = Application.objects.get(pk=application.pk)
    with pytest.raises(services.StaleVersion):
        services.bump_version(application, before.version - 1, declared_total=99)
    after = Application.objects.get(pk=application.pk)
    assert (after.version, after.updated_at, after.declared_total) == (before.version, before.updated_at, before.declared_total)


@pytest.mark.parametrize("letter", ["A", "B", "C", "D"])
def test_section_form_from_the_catalogue_has_the_same_fields(letter):
    application, _rep = ready_to_submit()
    catalogue = edition_catalogue(application.campaign.edition)
    interventions = catalogue.of_section(letter)
    data = {"version": "3", **{f"sel_{i.code}": "on" for i in interventions[:2]}}

    def shape(form):
        return [(name, type(f).__name__, str(f.label), f.initial, list(getattr(f, "choices", []))) for name, f in form.fields.items()]

    for _ in range(2):  # the spec built, then reused
        cached = SectionForm(data, interventions=interventions, selections={}, version=3, catalogue=catalogue)
        plain = SectionForm(data, interventions=interventions, selections={}, version=3)
        assert shape(cached) == shape(plain)
        assert cached.is_valid() == plain.is_valid() and cached.chosen() == plain.chosen()

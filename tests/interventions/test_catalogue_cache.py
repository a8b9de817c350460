"""The catalogue is read once per process and edition revision; every catalogue write invalidates it."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from interventions.models import Edition, EvidenceItem, Intervention, SectorPoints, SubOption
from interventions.selectors import edition_catalogue

pytestmark = pytest.mark.django_db


def _edition():
    return Edition.objects.get(code="ot24")


def test_warm_catalogue_costs_no_query():
    edition_catalogue(_edition())
    edition = _edition()
    with CaptureQueriesContext(connection) as ctx:
        catalogue = edition_catalogue(edition)
        [i.suboptions.all() for i in catalogue.interventions]
    assert len(ctx.captured_queries) == 0
    assert len(catalogue.interventions) == 56 and catalogue.sections["D"].letter == "D"


@pytest.mark.parametrize("change", ["points", "sector_points", "suboption", "evidence", "delete"])
def test_every_catalogue_write_is_seen_on_the_next_read(change):
    before = edition_catalogue(_edition())
    a6 = Intervention.objects.get(code="A6", section__edition__code="ot24")
    d1 = Intervention.objects.get(code="D1", section__edition__code="ot24")
    if change == "points":
        a6.points = 7
        a6.save()
    elif change == "sector_points":
        sp = SectorPoints.objects.filter(intervention=d1).first()
        sp.points += 1
        sp.save()
    elif change == "suboption":
        SubOption.objects.create(intervention=a6, number=99, label="Nuova opzione")
    elif change == "evidence":
        EvidenceItem.objects.filter(intervention=d1).first().delete()
    else:
        a6.delete()
    after = edition_catalogue(_edition())
    assert after is not before and after.revision != before.revision
    if change == "points":
        assert after.scoring.get("A6").points["altri"] == 7
    elif change == "sector_points":
        assert after.scoring.get("D1").points[sp.sector] == sp.points
    elif change == "suboption":
        assert "Nuova opzione" in after.scoring.get("A6").suboptions
    elif change == "evidence":
        assert len(after.by_code["D1"].evidence_items.all()) == len(before.by_code["D1"].evidence_items.all()) - 1
    else:
        assert "A6" not in after.by_code


def test_a_stale_process_copy_is_rebuilt_from_the_revision_in_the_database():
    """Another worker changed the catalogue: this process only learns it from the edition row it reads."""
    stale_edition = _edition()
    edition_catalogue(stale_edition)
    Intervention.objects.filter(code="A6", section__edition=stale_edition).update(points=9)  # bypasses signals
    from interventions.signals import catalogue_changed

    catalogue_changed(stale_edition.pk)
    assert edition_catalogue(stale_edition).scoring.get("A6").points["altri"] != 9  # old row: old revision
    assert edition_catalogue(_edition()).scoring.get("A6").points["altri"] == 9


def test_a_fragment_is_built_once_per_cached_catalogue_and_dropped_with_it():
    catalogue = edition_catalogue(_edition())
    built = []
    make = lambda: built.append(1) or {"made": len(built)}
    assert catalogue.fragment(("test", 1), make) == {"made": 1}
    assert catalogue.fragment(("test", 1), make) is catalogue.fragment(("test", 1), make)
    assert built == [1]
    Intervention.objects.filter(code="A6", section__edition__code="ot24").update(points=31)
    a6 = Intervention.objects.get(code="A6", section__edition__code="ot24")
    a6.save()  # a catalogue write: a new catalogue, without the old one's fragments
    assert edition_catalogue(_edition()).fragment(("test", 1), make) == {"made": 2}

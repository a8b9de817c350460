import pytest

from interventions.sectors import GRANDE_GRUPPO_SECTORS, candidate_sectors, suggest_sector


@pytest.mark.parametrize(
    "voce,expected",
    [
        ("1100", ("alimenti",)), ("2195", ("chimica",)), ("3110", ("costruzioni",)),
        ("4100", ("energia", "comunicazioni")), ("5310", ("legno",)), ("6210", ("metallurgia", "metalmeccanica")),
        ("7100", ("mineraria", "ceramica", "vetro")), ("8100", ("tessile",)), ("9121", ("trasporti",)),
        ("0511", ("altri",)), ("", ()), ("x12", ()),
    ],
)
def test_candidate_sectors(voce, expected):
    assert candidate_sectors(voce) == expected


def test_every_grande_gruppo_is_mapped():
    assert sorted(GRANDE_GRUPPO_SECTORS) == list("0123456789")


def test_suggest_sector_takes_the_most_frequent_group():
    assert suggest_sector(["3110", "6210", "3620"]) == "costruzioni"
    assert suggest_sector(["6210"]) == "metallurgia"
    assert suggest_sector([]) is None
    assert suggest_sector(["abc"]) is None

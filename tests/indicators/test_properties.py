"""Property tests: the indices never depend on the order of the register's rows, and an absence split
across calendar years keeps its total days."""
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.rules import Injury, compute

AS_OF = date(2025, 12, 31)
HOURS = {year: Decimal(50_000 + 1_000 * (year - 2019)) for year in range(2019, 2026)}


@st.composite
def injuries(draw):
    event = draw(st.dates(min_value=date(2019, 1, 1), max_value=date(2025, 12, 31)))
    fatal = draw(st.booleans())
    if draw(st.booleans()):
        first = event + timedelta(days=draw(st.integers(0, 3)))
        open_ = not fatal and draw(st.booleans())
        last = None if open_ else first + timedelta(days=draw(st.integers(0, 500)))
    else:
        first = last = None
    return Injury(event, first, last, commuting=draw(st.booleans()), fatal=fatal,
                  disability=draw(st.integers(0, 100)))


def summary(results):
    return [(r.as_dict(), r.frequency, r.severity, r.severity_uni, r.reduction_pct, r.mean_duration,
             sorted((e.injury.event_date, e.reason) for e in r.excluded)) for r in results]


@settings(max_examples=150, deadline=None)
@given(st.lists(injuries(), max_size=25), st.data())
def test_indices_do_not_depend_on_row_order(register, data):
    shuffled = data.draw(st.permutations(register))
    assert summary(compute(register, HOURS, as_of=AS_OF)) == summary(compute(shuffled, HOURS, as_of=AS_OF))


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(2019, 1, 1), max_value=date(2024, 12, 31)), st.integers(0, 1500),
       st.booleans())
def test_an_absence_split_across_years_keeps_its_total_days(first, length, still_open):
    last = first + timedelta(days=length)
    as_of = last if still_open else date(2030, 12, 31)
    injury = Injury(first, first, None if still_open else last)
    total = length + 1
    assert injury.total_days(as_of) == total
    years = range(first.year, last.year + 1)
    assert sum(injury.days_in_year(y, as_of) for y in years) == total
    results = compute([injury], {y: Decimal(1) for y in years}, as_of=as_of)
    if total > 3:  # counted: every day lands in exactly one year
        assert sum(r.days for r in results) == total
    else:
        assert sum(r.days for r in results) == 0

"""The one place where the stress assessment reads the injury register (issue 19, the `indicators` app).

Area A's first indicator compares the injury frequency and severity indices of the assessment's year with
the year before. When the register is there (the `indicators` app is installed and has its models), the
indices come from it through the pure `indicators.rules.compute`; otherwise the user types them.

The register's models, as read here:
`indicators.models.Injury` with `site`, `event_date`, `first_absence`, `last_absence`, `commuting`,
`fatal`, `disability`; `indicators.models.SiteYearHours` with `site`, `year`, `hours`. Any other shape
is treated as "no register" (the user types the indices), never as an error."""
from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal
from typing import Iterable, Mapping

from django.apps import apps
from django.core.exceptions import FieldError

from indicators import rules as indicator_rules

logger = logging.getLogger(__name__)


def indices_from_register(injuries: Iterable[indicator_rules.Injury], hours: Mapping[int, Decimal],
                          years: Iterable[int], *, as_of: dt.date) -> dict[int, tuple[Decimal, Decimal]]:
    """{year: (IF, IG)} for each of `years` that has hours, by indicators.rules.compute (pure)."""
    wanted = [y for y in years if hours.get(y)]
    if not wanted:
        return {}
    results = indicator_rules.compute(list(injuries), {y: Decimal(hours[y]) for y in wanted}, as_of=as_of)
    return {r.year: (indicator_rules.round2(r.frequency), indicator_rules.round2(r.severity)) for r in results}


def register_indices(*, company, site, years: Iterable[int], as_of: dt.date | None = None
                     ) -> dict[int, tuple[Decimal, Decimal]] | None:
    """IF and IG per year from the register of `site` (or of every site of `company` when site is None,
    hours summed), or None when there is no register to read. Years without hours are left out."""
    if not apps.is_installed("indicators"):
        return None
    try:
        from indicators.models import Injury, SiteYearHours  # noqa: PLC0415 - optional app
    except ImportError:
        return None
    years = list(years)
    as_of = as_of or dt.date(max(years), 12, 31)
    sites = [site.pk] if site is not None else list(company.sites.values_list("pk", flat=True))
    try:
        hours: dict[int, Decimal] = {}
        for year, value in SiteYearHours.objects.filter(site_id__in=sites, year__in=years).values_list("year", "hours"):
            hours[year] = hours.get(year, Decimal(0)) + Decimal(value)
        injuries = [
            indicator_rules.Injury(event_date=row.event_date, first_absence=row.first_absence,
                                   last_absence=row.last_absence, commuting=row.commuting, fatal=row.fatal,
                                   disability=row.disability or 0)
            for row in Injury.objects.filter(site_id__in=sites, event_date__lte=as_of)
            # the register's other events (near misses, contractors' events) do not enter the indices
            if indicator_rules.enters_indices(getattr(row, "kind", indicator_rules.KIND_INJURY),
                                              getattr(row, "party", indicator_rules.PARTY_OWN))
        ]
    except (FieldError, AttributeError, TypeError) as exc:
        logger.warning("The injury register has an unexpected shape (%s): indices typed by hand", exc)
        return None
    if not any(hours.get(y) for y in years):
        return None  # a register without hours for these years: nothing to compute, the user types the indices
    try:
        return indices_from_register(injuries, hours, years, as_of=as_of)
    except indicator_rules.IndicatorInputError:
        return {}

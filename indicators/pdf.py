""""Elaborazione dei dati infortunistici": the dated analysis of a site's register for a range of years,
rendered with WeasyPrint from templates/pdf/indicators.html (the table, the chart as inline SVG, the
method, a line for the employer's signature)."""
from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from weasyprint import HTML

from . import rules
from .chart import chart_data, points_from
from .selectors import contractors_of, elaboration_events, site_results, today, year_rows

DEFAULT_YEARS = 5


def year_range(results, first_year: int | None, last_year: int | None) -> tuple[int | None, int | None]:
    """The years asked for, within the years with hours; by default the latest five."""
    years = [r.year for r in results]
    if not years:
        return first_year, last_year
    last = last_year if last_year is not None else years[-1]
    first = first_year if first_year is not None else max(years[0], last - DEFAULT_YEARS + 1)
    if first > last:
        first, last = last, first
    return first, last


def exclusions(site, results) -> list[dict]:
    """The excluded injuries of the years shown, each with its reason and its register row."""
    by_pk = {i.pk: i for i in site.injuries.all()}
    return [{"year": r.year, "injury": by_pk.get(e.injury.ref), "reason": e.label}
            for r in results for e in r.excluded]


def analysis_context(site, first_year: int | None, last_year: int | None) -> dict:
    as_of = today()
    results = site_results(site, as_of=as_of)
    first, last = year_range(results, first_year, last_year)
    shown = [r for r in results if first is not None and first <= r.year <= last]
    return {
        "site": site, "company": site.company, "first_year": first, "last_year": last,
        "rows": year_rows(shown),
        "exclusions": exclusions(site, shown),
        "chart": chart_data(points_from(shown), id_prefix="grafico-pdf"),
        "as_of": as_of, "printed_at": timezone.localtime(),
        "frequency_factor": rules.FREQUENCY_FACTOR, "severity_factor": rules.SEVERITY_FACTOR,
        "short_days": rules.SHORT_ABSENCE_MAX_DAYS,
    }


def render_analysis_pdf(site, first_year: int | None = None, last_year: int | None = None) -> tuple[bytes, int, int]:
    context = analysis_context(site, first_year, last_year)
    html = render_to_string("pdf/indicators.html", context)
    return HTML(string=html).write_pdf(), context["first_year"], context["last_year"]


def analysis_filename(site, first_year, last_year) -> str:
    years = f"{first_year}-{last_year}" if first_year != last_year else f"{first_year}"
    return f"elaborazione-dati-infortunistici-{slugify(site.name)[:60]}-{years}.pdf"


# --- C5 and C6: the elaboration of the events of one calendar year (issue 33) --------------------------

ELABORATION_TITLES = {
    "C5": "infortuni e incidenti avvenuti al personale dell'azienda",
    "C6": "infortuni e incidenti avvenuti al personale di imprese appaltatrici e subappaltatrici nei luoghi di "
          "lavoro dell'azienda",
}


def events_context(site, code: str, year: int) -> dict:
    events = list(elaboration_events(site, code, year))
    by_kind = [{"label": label, "count": sum(1 for e in events if e.kind == kind)}
               for kind, label in site.injuries.model.KIND_CHOICES]
    actions = [a for e in events for a in e.actions.all()]
    context = {
        "site": site, "company": site.company, "code": code, "year": year, "about": ELABORATION_TITLES[code],
        "events": events, "by_kind": by_kind,
        "contractors": contractors_of(events, site.contractors.all() if code == "C6" else ()),
        "actions_total": len(actions), "actions_done": sum(1 for a in actions if a.done),
        "printed_at": timezone.localtime(), "as_of": today(),
    }
    if code == "C5":  # the indices of the year, from the injuries of the company's own staff
        context["rows"] = year_rows([r for r in site_results(site) if r.year == year])
    return context


def render_events_pdf(site, code: str, year: int) -> bytes:
    """The document goes to INAIL: in Italian, whatever the user's language."""
    with translation.override("it"):
        html = render_to_string("pdf/events.html", events_context(site, code, year))
    return HTML(string=html).write_pdf()


def events_filename(site, code: str, year: int) -> str:
    return f"elaborazione-eventi-{code.lower()}-{slugify(site.name)[:60]}-{year}.pdf"

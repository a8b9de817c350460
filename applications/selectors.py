"""Reads of applications: which ones a user may see (the twin of rules' view_application), one
application's selections, PATs, facts, score and blocking problems, the dashboard. Companies and sites:
organisations.selectors; evidence: evidence.selectors (supplied here through applications.hooks); the reviewers'
queue: review.selectors."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils.translation import gettext, ngettext

from interventions import scoring
from interventions.selectors import EditionCatalogue, edition_catalogue
from organisations.models import PAT, Site
from organisations.selectors import site_filter_for

from . import hooks, wizard
from .models import Application, Campaign, Selection


def application_signatories(application: Application) -> list[str]:
    """Who may sign and submit an application: the company's legal representative and the consultants
    with a current mandate (the twin of the rule applications.submit_application, for drafts)."""
    from organisations.models import Mandate

    company = application.site.company
    emails = set(Mandate.objects.current().filter(company=company).values_list("consultant__email", flat=True))
    if company.legal_representative_id:
        emails.add(company.legal_representative.email)
    return sorted(e for e in emails if e)


def current_campaign() -> Campaign | None:
    """The open campaign (the latest filing year), with its edition."""
    return Campaign.objects.filter(is_open=True).select_related("edition").order_by("-filing_year").first()


def applications_for(user) -> QuerySet[Application]:
    """Applications the user may view. Mirrors the `applications.view_application` permission."""
    if not user.is_authenticated:
        return Application.objects.none()
    qs = Application.objects.with_context()
    if user.is_superuser:
        return qs
    visible = site_filter_for(user, prefix="site__", subqueries=True)
    if user.is_reviewer:
        visible |= ~Q(status__in=[Application.Status.DRAFT, Application.Status.WITHDRAWN])
    return qs.filter(visible)


# --- one application: its score, evidence checklist and blocking problems -------------------------


def application_catalogue(application: Application) -> scoring.Catalogue:
    return edition_catalogue(application.campaign.edition).scoring


def with_catalogue_interventions(selections, catalogue: EditionCatalogue) -> list[Selection]:
    """Attach to each selection its intervention from the cached catalogue instead of joining it."""
    selections = list(selections)
    for s in selections:
        intervention = catalogue.by_id.get(s.intervention_id)
        if intervention is not None:
            s.intervention = intervention
    return selections


def application_selections(application: Application) -> list[Selection]:
    """The application's Selection rows in the catalogue's order, each with its intervention from the
    cached catalogue instead of a join. Read once per application object (kept as Django keeps a
    prefetch_related: refresh_from_db() reads them again)."""
    catalogue = edition_catalogue(application.campaign.edition)
    prefetch_related_objects([application], Prefetch("selections", queryset=Selection.objects.order_by()))
    rows = with_catalogue_interventions(application.selections.all(), catalogue)
    rows.sort(key=lambda s: s.intervention.order)
    return rows


def to_scoring_selections(selections) -> list[scoring.Selection]:
    return [scoring.Selection(code=s.intervention.code, suboptions=frozenset(s.suboptions)) for s in selections]


@dataclass(frozen=True)
class DeclaredPAT:
    """A PAT as frozen in a submission's snapshot: what was declared, whatever the live row says now."""

    number: str
    voce_di_tariffa: str
    lavoratori_anno: Decimal
    premium: Decimal | None


def _frozen(application: Application) -> dict | None:
    return application.snapshot if (not application.is_draft and application.snapshot) else None


def application_pats(application: Application) -> list:
    """The PATs of the application: a draft's live rows; after submission, the frozen ones."""
    frozen = _frozen(application)
    if frozen is None:
        return list(application.pats.all())
    return [DeclaredPAT(number=p["number"], voce_di_tariffa=p["voce_di_tariffa"],
                        lavoratori_anno=Decimal(p["lavoratori_anno"]),
                        premium=None if p.get("premium") is None else Decimal(p["premium"]))
            for p in frozen.get("pats", [])]


def application_facts(application: Application) -> tuple[str, int]:
    """(sector, workers) that section D's points and C1/C2 depend on; after submission, the frozen ones."""
    frozen = _frozen(application)
    facts = frozen.get("facts", {}) if frozen else {"sector": application.sector, "workers": application.workers}
    return facts.get("sector") or "altri", facts.get("workers") or 0


def application_score(
    application: Application, catalogue: scoring.Catalogue | None = None, selections: list[Selection] | None = None,
    *, chosen: dict[str, tuple[frozenset[int], bool]] | None = None,
) -> scoring.ScoreResult:
    """The one call of the scoring engine: the application's facts (frozen after submission) with these
    Selection rows (by default its own) and, for a section not saved yet, `chosen` (code -> (sub-options,
    declaration confirmed))."""
    catalogue = catalogue or application_catalogue(application)
    selections = application_selections(application) if selections is None else selections
    chosen = chosen or {}
    sector, workers = application_facts(application)
    return scoring.score(
        catalogue,
        sector=sector,
        workers=workers,
        declarations=[s.intervention.code for s in selections if s.declaration_confirmed]
        + [code for code, (_, declared) in chosen.items() if declared],
        selections=to_scoring_selections(selections)
        + [scoring.Selection(code=code, suboptions=subs) for code, (subs, _) in chosen.items()],
    )


@dataclass
class Problem:
    message: str
    step: str


@dataclass
class ApplicationOverview:
    application: Application
    score: scoring.ScoreResult
    evidence: list  # the evidence checklist's rows (applications.hooks, evidence.selectors.EvidenceRow)
    selections: list[Selection] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def missing_evidence(self) -> int:
        return sum(1 for row in self.evidence if not row.status.complete)

    @property
    def can_submit(self) -> bool:
        return not self.problems


def application_overview(application: Application, today: dt.date | None = None, *,
                         pats: list | None = None) -> ApplicationOverview:
    """Everything the review step, the dashboards and submission need to know about one application.
    pats: a draft's live PATs (application_pats), when the caller has read them."""
    selections = application_selections(application)
    result = application_score(application, selections=selections)
    evidence = hooks.evidence_checklist().rows(application, selections)
    problems: list[Problem] = []
    if not application.scheda_completed or any(
        getattr(application, name) in ("", None) for name in Application.SCHEDA_REQUIRED
    ):
        problems.append(Problem(gettext("Completare la scheda informativa generale (dati dell'azienda e del sottoscritto)."), wizard.SCHEDA))
    if not (bool(pats) if pats is not None else application.pats.exists()):
        problems.append(Problem(gettext("Indicare almeno una PAT coperta dalla domanda."), wizard.SCHEDA))
    for line in result.lines:
        for error in line.errors:
            problems.append(Problem(f"{line.code}: {error}", line.code[0]))
    if not result.eligible:
        problems.append(
            Problem(gettext("Il punteggio conteggiato è %(total)s: ne servono almeno %(threshold)s.")
                    % {"total": result.total, "threshold": result.threshold}, wizard.SECTIONS[0])
        )
    for row in evidence:
        if row.status.awaiting_signature:
            # A generated document is attached but not signed yet: say so, rather than "missing".
            problems.append(Problem(gettext(
                "%(code)s: il documento generato dal portale è allegato ma da firmare: va firmato dal legale "
                "rappresentante o da un procuratore con potere di firma (firma digitale qualificata o copia firmata "
                "a mano), altrimenti non documenta l'intervento.") % {"code": row.intervention.code}, wizard.EVIDENCE))
        elif not row.status.complete:
            problems.append(
                Problem(ngettext("%(code)s: manca la documentazione probante (%(n)s documento).",
                                 "%(code)s: manca la documentazione probante (%(n)s documenti).", len(row.status.missing_item_ids))
                        % {"code": row.intervention.code, "n": len(row.status.missing_item_ids)}, wizard.EVIDENCE)
            )
    if application.campaign.is_past_deadline(today):
        problems.append(Problem(gettext("Il termine di presentazione (%(deadline)s) è scaduto.")
                                % {"deadline": f"{application.campaign.deadline:%d/%m/%Y}"}, wizard.REVIEW))
    return ApplicationOverview(application=application, score=result, evidence=evidence, selections=selections,
                               problems=problems)


@dataclass
class DashboardRow:
    """One site of the dashboard (and a line of its CSV export): the campaign's application of the site if
    any, its counted points and how many selected interventions still lack evidence."""

    site: Site
    application: Application | None
    total: int | None
    missing_evidence: int | None
    days_left: int
    clarification_deadline: dt.date | None = None  # of the application's open clarification request
    unsigned_documents: int = 0  # generated documents attached but not signed yet (they document nothing)


def dashboard_sites(user, campaign, *, query: str = "", status: str = "", company: str = "", sort: str = "",
                    visibility=None) -> QuerySet[Site]:
    """The sites the user works for, searched, filtered and sorted for the dashboard: see
    applications.dashboard.dashboard_sites. Sorted in the database by the drafts' kept totals, so a page
    reads and scores only its own rows (when every site was scored to be sorted, a consultant with 300
    client sites waited ~170 ms for any page, ~0.5 ms more per site; bench: scale, portfolio table)."""
    from .dashboard import dashboard_sites as sites

    return sites(user, campaign, query=query, status=status, company=company, sort=sort, visibility=visibility)


@dataclass(frozen=True)
class SelectionRow:
    """A Selection read as values, with its intervention from the cached catalogue: what scoring and the
    evidence checklist read of one. The dashboard's page and the CSV export read their rows this way because
    building Selection instances was most of a 5,000-site export's time (bench: csv, 1.3-1.5 s as values against
    2.5 s as instances)."""

    intervention: object
    intervention_id: int
    suboptions: list
    declaration_confirmed: bool


def dashboard_selections(applications, catalogue: EditionCatalogue) -> dict[int, list[SelectionRow]]:
    """Application id -> its selections as SelectionRow, in the catalogue's order, in one query."""
    by_app: dict[int, list[SelectionRow]] = {}
    rows = list(Selection.objects.filter(application__in=[a.pk for a in applications]).order_by().values_list(
        "application_id", "intervention_id", "suboptions", "declaration_confirmed"))
    interventions = catalogue.by_id  # shared between requests: read, never changed
    unknown = {intervention_id for _, intervention_id, _, _ in rows} - interventions.keys()
    if unknown:  # not in the campaign's catalogue (its edition changed after saving): read as the relation would
        from interventions.models import Intervention

        interventions = {**interventions, **Intervention.objects.in_bulk(unknown)}
    for application_id, intervention_id, suboptions, declared in rows:
        by_app.setdefault(application_id, []).append(
            SelectionRow(interventions[intervention_id], intervention_id, suboptions, declared))
    for selections in by_app.values():
        selections.sort(key=lambda s: s.intervention.order)
    return by_app


def dashboard_rows_for(sites: list[Site], campaign) -> list[DashboardRow]:
    """The rows of these sites (a page of dashboard_sites, a chunk of the CSV export), in their order."""
    apps = {a.site_id: a for a in Application.objects.for_dashboard(campaign, [site.pk for site in sites])}
    edition = edition_catalogue(campaign.edition)
    selections_of = dashboard_selections(apps.values(), edition)
    missing_evidence = hooks.evidence_checklist().missing
    unsigned_documents = hooks.evidence_checklist().unsigned
    days_left = campaign.days_left()
    rows = []
    for site in sites:
        application = apps.get(site.pk)
        total = missing = None
        unsigned = 0
        if application is not None:
            selections = selections_of.get(application.pk, [])
            total = application_score(application, edition.scoring, selections).total
            missing = missing_evidence(application, selections, edition)
            unsigned = unsigned_documents(application)
        rows.append(DashboardRow(site=site, application=application, total=total, missing_evidence=missing,
                                 days_left=days_left, unsigned_documents=unsigned))
    return rows


def dashboard_rows(user, campaign, *, query: str = "", status: str = "", company: str = "", sort: str = "") -> list[DashboardRow]:
    """Every row, in the dashboard's order, built in memory at once (`make bench` csv compares the streamed
    export with it)."""
    return dashboard_rows_for(list(dashboard_sites(user, campaign, query=query, status=status, company=company, sort=sort)),
                              campaign)

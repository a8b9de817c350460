"""Reads of applications: which ones a user may see (the twin of rules' view_application), one
application's selections, PATs, facts, score and blocking problems, the dashboard. Companies and sites:
organisations.selectors; evidence: evidence.selectors; the reviewers' queue: review.selectors."""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet, TextField
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.utils.translation import gettext, ngettext

from evidence.models import EvidenceFile
from evidence.selectors import EvidenceRow, evidence_checklist, evidence_items_by_intervention, missing_evidence_count
from interventions import scoring
from interventions.selectors import EditionCatalogue, edition_catalogue
from organisations.models import PAT, Site
from organisations.selectors import site_filter_for
from ot24portal.compiled_query import AnyOf, CompiledQuery

from . import wizard
from .models import Application, Selection


def application_signatories(application: Application) -> list[str]:
    """Who may sign and submit an application: the company's legal representative and the consultants
    with a current mandate (the twin of the rule applications.submit_application, for drafts)."""
    from organisations.models import Mandate

    company = application.site.company
    emails = set(Mandate.objects.current().filter(company=company).values_list("consultant__email", flat=True))
    if company.legal_representative_id:
        emails.add(company.legal_representative.email)
    return sorted(e for e in emails if e)


def applications_for(user) -> QuerySet[Application]:
    """Applications the user may view. Mirrors the `applications.view_application` permission."""
    if not user.is_authenticated:
        return Application.objects.none()
    qs = Application.objects.select_related("site__company", "campaign__edition")
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


_selections = CompiledQuery(lambda application_id: Selection.objects.filter(application_id=application_id).order_by())

_SELECTION_FIELDS = ["id", "application_id", "intervention_id", "suboptions", "declaration_confirmed"]


def selection_rows_sql() -> RawSQL:
    """An application's Selection rows as one JSON text (PostgreSQL), to annotate a query of applications
    with (as `selection_rows`): [[id, intervention id, sub-options, declared], ...], or NULL when there
    are none. Text, not json: the driver does not parse it for the pages that never read it."""
    table, column = Selection._meta.db_table, Application._meta.db_table
    return RawSQL(f'(SELECT json_agg(json_build_array(s.id, s.intervention_id, s.suboptions, s.declaration_confirmed))'
                  f'::text FROM "{table}" s WHERE s.application_id = "{column}"."id")', (), output_field=TextField())


def _carried_selections(application: Application) -> list[Selection] | None:
    """The Selection rows read with the application (selection_rows_sql), or None if they were not: as
    the ORM would make them, without a query. A refreshed application (refresh_from_db) drops them."""
    text = application.__dict__.get("selection_rows", _NOT_READ)
    if text is _NOT_READ:
        return None
    alias = application._state.db
    return [Selection.from_db(alias, _SELECTION_FIELDS, (pk, application.pk, intervention_id, suboptions, declared))
            for pk, intervention_id, suboptions, declared in (json.loads(text) if text else ())]


_NOT_READ = object()


def application_selections(application: Application) -> list[Selection]:
    """The application's Selection rows, each with its intervention from the cached catalogue, in the
    model's order (the interventions' order). Read without the join the model's ordering needs and
    sorted here by the catalogue's order, with SQL made once per process (ot24portal.compiled_query):
    making the queryset's SQL cost five times as much as running it (bench: wizard_profile). An
    application opened by a page (views.common.get_application) carries them already: no query."""
    catalogue = edition_catalogue(application.campaign.edition)
    if "selections" in getattr(application, "_prefetched_objects_cache", {}):
        return with_catalogue_interventions(application.selections.all(), catalogue)
    rows = _carried_selections(application)
    if rows is None:
        rows = _selections.all(application_id=application.pk)
    if any(s.intervention_id not in catalogue.by_id for s in rows):
        # Never expected (a selection is of its campaign's edition): the model's own query, as before.
        return with_catalogue_interventions(application.selections.all(), catalogue)
    rows.sort(key=lambda s: catalogue.by_id[s.intervention_id].order)
    return with_catalogue_interventions(rows, catalogue)


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


# application.pats.all(), its SQL made once per process (ot24portal.compiled_query).
_live_pats = CompiledQuery(lambda application_id: PAT.objects.filter(applications=application_id))


def application_pats(application: Application) -> list:
    """The PATs of the application: a draft's live rows; after submission, the frozen ones."""
    frozen = _frozen(application)
    if frozen is None:
        if "pats" in getattr(application, "_prefetched_objects_cache", {}):
            return list(application.pats.all())
        return _live_pats.all(application_id=application.pk)
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


# One row of the application's PATs (application.pats.exists()), its SQL made once per process.
_pat_link = CompiledQuery(lambda application_id: Application.pats.through.objects.filter(application_id=application_id)
                          .order_by()[:1])


def _has_pats(application: Application) -> bool:
    if "pats" in getattr(application, "_prefetched_objects_cache", {}):
        return application.pats.exists()  # the prefetched rows, no query
    return bool(_pat_link.all(application_id=application.pk))


@dataclass
class Problem:
    message: str
    step: str


@dataclass
class ApplicationOverview:
    application: Application
    score: scoring.ScoreResult
    evidence: list[EvidenceRow]
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
    evidence = evidence_checklist(application, selections)
    problems: list[Problem] = []
    if not application.scheda_completed or any(
        getattr(application, name) in ("", None) for name in Application.SCHEDA_REQUIRED
    ):
        problems.append(Problem(gettext("Completare la scheda informativa generale (dati dell'azienda e del sottoscritto)."), wizard.SCHEDA))
    if not (bool(pats) if pats is not None else _has_pats(application)):
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
        if not row.status.complete:
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
    site: Site
    application: Application | None
    total: int | None
    missing_evidence: int | None
    days_left: int




def dashboard_sites(user, campaign, *, query: str = "", status: str = "", company: str = "", sort: str = "",
                    visibility=None) -> QuerySet[Site]:
    """The sites the user works for, searched, filtered and sorted for the dashboard: see
    applications.dashboard.dashboard_sites. Sorted in the database by the drafts' kept totals, so a page
    reads and scores only its own rows (when every site was scored to be sorted, a consultant with 300
    client sites waited ~170 ms for any page, ~0.5 ms more per site; bench: scale, portfolio table)."""
    from .dashboard import dashboard_sites as sites

    return sites(user, campaign, query=query, status=status, company=company, sort=sort, visibility=visibility)


def dashboard_rows_for(sites: list[Site], campaign) -> list[DashboardRow]:
    """The rows of these sites (a page of dashboard_sites), in their order: each site's application of
    the campaign with its counted points and how many selected interventions still lack evidence."""
    apps = {
        a.site_id: a
        for a in Application.objects.filter(campaign=campaign, site_id__in=[site.pk for site in sites]).prefetch_related(
            "selections",
            Prefetch("evidence_files", queryset=EvidenceFile.objects.only("id", "application_id", "evidence_item_id")),
        ).select_related("campaign__edition", "site__company").order_by()  # a dict: the sites give the order
    }
    edition = edition_catalogue(campaign.edition)
    catalogue = edition.scoring
    evidence_items = evidence_items_by_intervention(edition)
    days_left = campaign.days_left()
    rows = []
    for site in sites:
        application = apps.get(site.pk)
        total = missing = None
        if application is not None:
            selections = with_catalogue_interventions(application.selections.all(), edition)
            total = application_score(application, catalogue, selections).total
            missing = missing_evidence_count(selections, list(application.evidence_files.all()), evidence_items)
        rows.append(DashboardRow(site=site, application=application, total=total, missing_evidence=missing, days_left=days_left))
    return rows


def dashboard_rows(user, campaign, *, query: str = "", status: str = "", company: str = "", sort: str = "") -> list[DashboardRow]:
    """Every row, in the dashboard's order, built in memory at once (what the CSV export did before it streamed:
    the export's tests and `make bench` csv compare with it)."""
    return dashboard_rows_for(list(dashboard_sites(user, campaign, query=query, status=status, company=company, sort=sort)),
                              campaign)


@dataclass(frozen=True)
class _ExportSelection:
    """The fields of a Selection that scoring and the evidence count read, without a model instance."""

    intervention: object
    intervention_id: int
    suboptions: list
    declaration_confirmed: bool


@dataclass(frozen=True)
class _ExportFile:
    evidence_item_id: int


def _export_reads_orm(sites: list[Site], campaign) -> tuple[dict, dict, dict]:
    """_export_reads() in three queries with IN lists (SQLite, `make run`: no arrays)."""
    apps = {
        a.site_id: a
        for a in Application.objects.filter(campaign=campaign, site_id__in=[site.pk for site in sites]).only(
            *_EXPORT_APPLICATION_FIELDS).order_by()
    }
    by_app: dict[int, list[tuple]] = {}
    decoded: dict[str, list] = {}  # the sub-options as stored: few distinct lists, each decoded once
    for application_id, intervention_id, text, declared in Selection.objects.filter(
            application_id__in=[a.pk for a in apps.values()]).order_by().values_list(
            "application_id", "intervention_id", Cast("suboptions", TextField()), "declaration_confirmed"):
        if text not in decoded:
            decoded[text] = json.loads(text) if text is not None else None
        by_app.setdefault(application_id, []).append((intervention_id, decoded[text], declared))
    files: dict[int, dict[int, int]] = {}
    for application_id, item_id in EvidenceFile.objects.filter(application_id__in=[a.pk for a in apps.values()]) \
            .order_by().values_list("application_id", "evidence_item_id"):
        counts = files.setdefault(application_id, {})
        counts[item_id] = counts.get(item_id, 0) + 1
    return apps, by_app, files


_EXPORT_APPLICATION_FIELDS = ("id", "site_id", "campaign_id", "status", "receipt_number", "snapshot", "sector", "workers")


def _export_applications(campaign_id, site_ids):
    """The applications of these sites for the campaign, each with its selections (JSON text of
    [intervention id, sub-options, declared] triples) and its evidence files' item ids (JSON text), in
    one query: the site ids are one array parameter, so its SQL is the same for any list (PostgreSQL)."""
    quote = connection.ops.quote_name
    application = f"{quote(Application._meta.db_table)}.{quote('id')}"
    selections = RawSQL(
        "(SELECT json_agg(json_build_array(s.intervention_id, s.suboptions, s.declaration_confirmed))::text"
        f" FROM {quote(Selection._meta.db_table)} s WHERE s.application_id = {application})", (),
        output_field=TextField())
    files = RawSQL(
        f"(SELECT json_agg(f.evidence_item_id)::text FROM {quote(EvidenceFile._meta.db_table)} f"
        f" WHERE f.application_id = {application})", (), output_field=TextField())
    return (Application.objects.filter(AnyOf("site_id", site_ids), campaign_id=campaign_id)
            .only(*_EXPORT_APPLICATION_FIELDS).annotate(export_selections=selections, export_files=files)
            .order_by())


_export_query = CompiledQuery(_export_applications)


def _export_reads(sites: list[Site], campaign) -> tuple[dict, dict, dict]:
    """Site id -> its application of the campaign (the fields the rows read); application id -> its
    selections as (intervention id, sub-options, declared); application id -> {evidence item id: files}."""
    if connection.vendor != "postgresql":
        return _export_reads_orm(sites, campaign)
    apps, by_app, files = {}, {}, {}
    for a in _export_query.all(campaign_id=campaign.pk, site_ids=[site.pk for site in sites]):
        apps[a.site_id] = a
        if a.export_selections is not None:
            by_app[a.pk] = [tuple(row) for row in json.loads(a.export_selections)]
        if a.export_files is not None:
            counts = files[a.pk] = {}
            for item_id in json.loads(a.export_files):
                counts[item_id] = counts.get(item_id, 0) + 1
        del a.export_selections, a.export_files
    return apps, by_app, files


def export_rows_for(sites: list[Site], campaign) -> list[DashboardRow]:
    """dashboard_rows_for() for the CSV export, which reads thousands of sites chunk by chunk, and for the
    dashboard's page: the same rows, with the selections and evidence rows read as JSON in the
    applications' one query instead of model instances (a 5,000-site export built 85,000 instances
    through prefetch_related, two thirds of its time), and the evidence completeness of each
    intervention worked out once per set of items holding files (bench: csv, wizard_profile)."""
    from interventions.models import Intervention

    apps, by_app, files = _export_reads(sites, campaign)
    edition = edition_catalogue(campaign.edition)
    interventions = dict(edition.by_id)
    unknown = {row[0] for rows in by_app.values() for row in rows} - interventions.keys()
    if unknown:  # not in the campaign's catalogue: read as the model's relation would
        interventions.update(Intervention.objects.in_bulk(unknown))
    evidence_items = evidence_items_by_intervention(edition)
    complete: dict[tuple[int, frozenset[int]], bool] = {}

    def is_complete(intervention_id: int, counts: dict[int, int]) -> bool:
        """missing_evidence_count()'s test for one intervention: it depends only on which of the
        intervention's items hold a file, so it is worked out once per such set."""
        key = (intervention_id, frozenset(i for i, *_ in evidence_items.get(intervention_id, []) if counts.get(i)))
        if key not in complete:
            complete[key] = missing_evidence_count([_ExportSelection(None, intervention_id, [], False)],
                                                   [_ExportFile(i) for i in key[1]], evidence_items) == 0
        return complete[key]

    days_left = campaign.days_left()
    rows = []
    for site in sites:
        application = apps.get(site.pk)
        total = missing = None
        if application is not None:
            selections = [_ExportSelection(interventions[i], i, subs, declared)
                          for i, subs, declared in by_app.get(application.pk, [])]
            total = application_score(application, edition.scoring, selections).total
            counts = files.get(application.pk, {})
            missing = sum(1 for s in selections if not is_complete(s.intervention_id, counts))
        rows.append(DashboardRow(site=site, application=application, total=total, missing_evidence=missing, days_left=days_left))
    return rows

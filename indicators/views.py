"""Pages of the injury register and the safety indices: per site (table, chart, exclusions, register,
hours, import, export, analysis PDF and its attachment to the draft), per company, and the portfolio of
everything a user works for (sortable, paginated, streamed CSV)."""
from __future__ import annotations

import csv

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from applications import wizard
from applications.views.common import pdf_response

from . import csvio, rules, services
from .chart import chart_data, points_from
from .forms import ContractorForm, CorrectiveActionFormSet, HoursForm, ImportForm, InjuryForm, RangeForm
from .models import Injury
from .pdf import analysis_filename, events_filename, exclusions, render_analysis_pdf, render_events_pdf, year_range
from .selectors import (
    ELABORATION_CODES, company_for, company_sites, elaboration_events, elaboration_year, portfolio, site_for,
    site_results, today, year_rows,
)
from .text import number

SESSION_KEY = "indicators_import"
EDIT = "applications.edit_indicators"


def _fail(request, exc: ValidationError):
    messages.error(request, " ".join(exc.messages))


@login_required
def site_page(request, site_pk: int):
    site = site_for(request.user, site_pk)
    results = site_results(site)
    first, last = year_range(results, None, None)
    draft = services.open_draft(site)
    return render(request, "indicators/site.html", {
        "site": site, "rows": year_rows(results), "chart": chart_data(points_from(results)),
        "exclusions": exclusions(site, results),
        "injuries": site.injuries.select_related("pat").prefetch_related("actions").order_by("-event_date", "-id"),
        "can_edit": request.user.has_perm(EDIT, site), "as_of": today(),
        "range_form": RangeForm(initial={"dal": first, "al": last}), "draft": draft,
        "short_days": rules.SHORT_ABSENCE_MAX_DAYS, "elaborations": _elaborations(site),
    })


def _elaborations(site) -> dict | None:
    """The C5 and C6 elaborations the page offers: the reference year of the current campaign only."""
    year = elaboration_year()
    if year is None:
        return None
    return {"year": year, "items": [
        {"code": code, "events": elaboration_events(site, code, year).count()} for code in ELABORATION_CODES]}


def _injury_form(request, site, injury):
    form = InjuryForm(request.POST or None, instance=injury, site=site)
    posted = request.method == "POST"
    # A post without the actions' management form (an older client, a script) leaves the actions as they are.
    with_actions = not posted or "azioni-TOTAL_FORMS" in request.POST
    actions = CorrectiveActionFormSet(request.POST if posted else None, instance=injury, prefix="azioni")
    if posted and form.is_valid() and (not with_actions or actions.is_valid()):
        try:
            services.injury_save(user=request.user, injury=form.save(commit=False),
                                 actions=actions if with_actions else None)
        except PermissionDenied:
            raise Http404
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Evento salvato."))
            return redirect("indicators_site", site_pk=site.pk)
    return render(request, "indicators/injury_form.html", {"site": site, "form": form, "injury": injury,
                                                           "actions": actions})


@login_required
def injury_create(request, site_pk: int):
    site = site_for(request.user, site_pk, EDIT)
    return _injury_form(request, site, Injury(site=site))


def _injury_for(request, pk: int) -> Injury:
    injury = Injury.objects.select_related("site__company", "pat").filter(pk=pk).first()
    if injury is None or not request.user.has_perm(EDIT, injury.site):
        raise Http404
    return injury


@login_required
def injury_edit(request, pk: int):
    injury = _injury_for(request, pk)
    return _injury_form(request, injury.site, injury)


@login_required
def injury_delete(request, pk: int):
    injury = _injury_for(request, pk)
    if request.method == "POST":
        services.injury_delete(user=request.user, injury=injury)
        messages.success(request, _("Evento eliminato."))
        return redirect("indicators_site", site_pk=injury.site_id)
    return render(request, "indicators/injury_delete.html", {"site": injury.site, "injury": injury})


@login_required
def hours_page(request, site_pk: int):
    site = site_for(request.user, site_pk, EDIT)
    form = HoursForm(request.POST or None) if "delete" not in request.POST else HoursForm()
    if request.method == "POST":
        try:
            if "delete" in request.POST:
                year = int(request.POST["delete"]) if request.POST["delete"].isdigit() else None
                if year is not None:
                    services.hours_delete(user=request.user, site=site, year=year)
                    messages.success(request, _("Ore lavorate del %(year)s eliminate.") % {"year": year})
                return redirect("indicators_hours", site_pk=site.pk)
            if form.is_valid():
                year = form.cleaned_data["year"]
                services.hours_save(user=request.user, site=site, year=year, hours=form.cleaned_data["hours"])
                messages.success(request, _("Ore lavorate del %(year)s salvate.") % {"year": year})
                return redirect("indicators_hours", site_pk=site.pk)
        except ValidationError as exc:
            form.add_error("hours", exc)
    return render(request, "indicators/hours.html", {
        "site": site, "form": form, "years": year_rows(site_results(site))})


@login_required
def import_page(request, site_pk: int):
    """GET: the form. POST: the file parsed and shown as a table (or every error, by row and column);
    kept server-side until "Conferma importazione"."""
    site = site_for(request.user, site_pk, EDIT)
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"site": site, "form": form, "max_rows": number(services.MAX_IMPORT_ROWS, 0),
               "max_mb": services.max_import_bytes() / (1024 * 1024), "columns": csvio.REGISTER_COLUMNS,
               "optional": csvio.OPTIONAL_COLUMNS, "event_columns": csvio.EVENT_COLUMNS,
               "hours_columns": csvio.HOURS_COLUMNS}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        kind = form.cleaned_data["kind"]
        try:
            # Read at most one byte past the limit: decode_upload refuses anything longer.
            text = services.decode_upload(upload.read(services.max_import_bytes() + 1))
            parsed = services.parse_import(site, kind, text, as_of=today())
        except ValidationError as exc:
            form.add_error("file", exc)
        except csvio.RegisterError as exc:
            context["errors"] = exc.errors
        except rules.IndicatorInputError as exc:
            form.add_error("file", str(exc))
        else:
            previous = request.session.get(SESSION_KEY)
            if previous:
                services.discard(previous.get("token"))
            request.session[SESSION_KEY] = {"site": site.pk, "kind": kind, "token": services.stash(text),
                                            "name": upload.name[-100:]}
            context.update(parsed=parsed, kind=kind, file_name=upload.name, held_count=len(parsed.held))
    return render(request, "indicators/import.html", context)


@login_required
@require_POST
def import_confirm(request, site_pk: int):
    site = site_for(request.user, site_pk, EDIT)
    pending = request.session.get(SESSION_KEY) or {}
    if pending.get("site") != site.pk:
        messages.error(request, _("Nessuna importazione da confermare: caricare di nuovo il file."))
        return redirect("indicators_import", site_pk=site.pk)
    request.session.pop(SESSION_KEY, None)
    text = services.unstash(pending.get("token"))
    if text is None:
        messages.error(request, _("Nessuna importazione da confermare: caricare di nuovo il file."))
        return redirect("indicators_import", site_pk=site.pk)
    try:
        result = services.import_rows(user=request.user, site=site, kind=pending["kind"], text=text)
    except ValidationError as exc:
        _fail(request, exc)
        return redirect("indicators_import", site_pk=site.pk)
    done = ngettext("Importazione completata: %(count)s riga salvata.",
                    "Importazione completata: %(count)s righe salvate.", result.saved) % {"count": result.saved}
    if result.held:
        done += " " + ngettext("%(count)s riga già nel registro non è stata importata di nuovo.",
                               "%(count)s righe già nel registro non sono state importate di nuovo.",
                               result.held) % {"count": result.held}
    messages.success(request, done)
    return redirect("indicators_site", site_pk=site.pk)


def _safe(value: str) -> str:
    """Neutralise spreadsheet formulas in user-typed cells (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _flag(value: bool) -> str:
    return "si" if value else "no"


def _day(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


@login_required
def export_register(request, site_pk: int):
    """The register as the import reads it (same columns, ; separator, dd/mm/yyyy, UTF-8 with BOM)."""
    site = site_for(request.user, site_pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="registro-infortuni-{site.pk}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow([*csvio.REGISTER_COLUMNS, *csvio.OPTIONAL_COLUMNS, *csvio.EVENT_COLUMNS])
    for i in site.injuries.select_related("pat").prefetch_related("actions").order_by("event_date", "id"):
        event = [_day(i.event_date), _day(i.first_absence), _day(i.last_absence), _flag(i.commuting),
                 _flag(i.fatal), i.disability, i.pat.printed_number if i.pat else "", _safe(i.description),
                 _safe(i.reference), i.kind, i.party, _safe(i.contractor), _safe(i.reported_by), _safe(i.causes)]
        actions = list(i.actions.all())
        sep = f" {csvio.ACTION_SEPARATOR} "  # several actions: one per |, in the same order in each column
        writer.writerow([*event, sep.join(_safe(a.description) for a in actions), sep.join(_safe(a.owner) for a in actions),
                         sep.join(_day(a.due_date) for a in actions), sep.join(_flag(a.done) for a in actions)])
    return response


@login_required
def analysis_pdf(request, site_pk: int):
    site = site_for(request.user, site_pk)
    form = RangeForm(request.GET or None)
    first = last = None
    if form.is_valid():
        first, last = form.cleaned_data["dal"], form.cleaned_data["al"]
    pdf, first, last = render_analysis_pdf(site, first, last)
    return pdf_response(pdf, analysis_filename(site, first, last), inline=True)


@login_required
def events_pdf(request, site_pk: int, code: str):
    """The C5 or C6 elaboration of the current campaign's reference year (no other year is offered)."""
    site = site_for(request.user, site_pk)
    year = elaboration_year()
    if code not in ELABORATION_CODES or year is None:
        raise Http404
    return pdf_response(render_events_pdf(site, code, year), events_filename(site, code, year), inline=True)


@login_required
@require_POST
def attach(request, site_pk: int):
    site = site_for(request.user, site_pk)
    form = RangeForm(request.POST)
    first = last = None
    if form.is_valid():
        first, last = form.cleaned_data["dal"], form.cleaned_data["al"]
    code = request.POST.get("intervention", "C5")
    try:
        application, evidence = services.attach_analysis(user=request.user, site=site, code=code,
                                                         first_year=first, last_year=last)
    except PermissionDenied:
        raise Http404
    except services.NotSelected as exc:
        messages.error(request, render_to_string("messages/_with_link.html", {
            "text": exc.messages[0], "url": reverse("application_step", args=[exc.application.pk, "C"]),
            "label": _("Vai alla sezione C")}))
        return redirect("indicators_site", site_pk=site.pk)
    except ValidationError as exc:
        _fail(request, exc)
        return redirect("indicators_site", site_pk=site.pk)
    messages.success(request, render_to_string("messages/_with_link.html", {
        "text": _("Elaborazione allegata alla domanda come documentazione di %(code)s.") % {"code": code},
        "url": wizard.url(application, wizard.EVIDENCE) + f"#item-{evidence.evidence_item_id}",
        "label": _("Vai alla documentazione"),
        "then_text": _("È da firmare: documenta l'intervento solo dopo la firma del legale rappresentante o di un "
                       "procuratore con potere di firma."),
        "then_url": reverse("evidence_sign", args=[application.pk, evidence.pk]),
        "then_label": _("Firma il documento")}))
    return redirect("indicators_site", site_pk=site.pk)


@login_required
def company_page(request, company_pk: int):
    company = company_for(request.user, company_pk)
    years, table = company_sites(company, request.user)
    return render(request, "indicators/company.html", {"company": company, "years": years, "table": table})


SORT_COLUMNS = [("azienda", gettext_lazy("Azienda")), ("unita", gettext_lazy("Unità produttiva")),
                ("anno", gettext_lazy("Ultimo anno")), ("infortuni", gettext_lazy("Infortuni")),
                ("if", gettext_lazy("IF")), ("ig", gettext_lazy("IG")), ("riduzione", gettext_lazy("Riduzione IF"))]


def _portfolio_for(request):
    if not request.user.is_authenticated or request.user.is_superuser or request.user.is_reviewer:
        raise Http404  # INAIL staff do not see the registers
    order = request.GET.get("ordine", "azienda")[:20]
    return order, portfolio(request.user, order=order)


@login_required
def portfolio_page(request):
    order, rows = _portfolio_for(request)
    page = Paginator(rows, settings.OT24_PAGINATE_BY).get_page(request.GET.get("page"))
    columns = [{"key": key, "label": label, "active": order.lstrip("-") == key,
                "descending": order.startswith("-") and order.lstrip("-") == key,
                "next": f"-{key}" if order == key else key} for key, label in SORT_COLUMNS]
    return render(request, "indicators/portfolio.html", {"page": page, "order": order, "columns": columns})


class _Echo:
    def write(self, value):
        return value


@login_required
def portfolio_csv(request):
    order, rows = _portfolio_for(request)
    writer = csv.writer(_Echo(), delimiter=";")

    def lines():
        yield "\ufeff"
        yield writer.writerow(["Azienda", "Codice fiscale", "Unità produttiva", "Anno", "Ore lavorate", "Infortuni",
                               "Esclusi", "Giornate", "IF", "IG", "IG UNI 7249", "Durata media", "Riduzione IF %",
                               "Obiettivo Zero"])
        for row in rows:
            site, latest = row["site"], row["latest"]
            figures = ["", "", "", "", "", "", "", "", "", "", ""] if latest is None else [
                latest.year, latest.hours, latest.injuries, len(latest.excluded), latest.days, latest.frequency,
                latest.severity, latest.severity_uni, latest.mean_duration,
                latest.reduction.removesuffix(" %"), "si" if latest.obiettivo_zero else "no"]
            yield writer.writerow([_safe(site.company.ragione_sociale), site.company.codice_fiscale,
                                   _safe(site.name), *figures])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="indici-infortunistici.csv"'
    return response


@login_required
def contractors_page(request, site_pk: int):
    """The contractors and subcontractors working in the site's places, with when and how the event-analysis
    procedure was sent to each (C6); the C6 elaboration lists them."""
    site = site_for(request.user, site_pk, EDIT)
    form = ContractorForm(request.POST or None, site=site)
    if request.method == "POST" and form.is_valid():
        contractor = services.contractor_add(user=request.user, form=form)
        messages.success(request, _("Impresa aggiunta: %(name)s.") % {"name": contractor.name})
        return redirect("indicators_contractors", site_pk=site.pk)
    return render(request, "indicators/contractors.html", {
        "site": site, "form": form, "contractors": site.contractors.all(),
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def contractor_delete(request, pk: int):
    from .models import Contractor

    contractor = Contractor.objects.select_related("site__company").filter(pk=pk).first()
    if contractor is None:
        raise Http404
    site_for(request.user, contractor.site_id, EDIT)  # 404 for who may not edit the site's register
    services.contractor_delete(user=request.user, contractor=contractor)
    messages.success(request, _("Impresa rimossa dall'elenco: %(name)s.") % {"name": contractor.name})
    return redirect("indicators_contractors", site_pk=contractor.site_id)

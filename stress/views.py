"""The stress assessment's pages: list, create and edit (scope and people), area A figures, one check-list
area per compiler (saved area by area, resumable), the result with history chart, the improvement plan,
the PDF report and its attachment to a draft as B2d evidence. Only who works on what the assessment covers
(stress.rules: its site, or the whole company): anyone else gets 404, so ids of other tenants and of sites
outside a consultant's mandate reveal nothing."""
from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from applications.views.common import pdf_response
from ot24portal.pagination import BoundedPaginator
from organisations.selectors import companies_for

from . import services
from .chart import HistoryChart, HistoryPoint, history_data
from .checklist import load_checklist
from .forms import (AreaForm, AssessmentForm, AttachForm, CompilationAddForm, MeasureFormSet, ParticipantFormSet,
                    PeriodFiguresForm)
from .models import Assessment, Compilation, Measure
from .register import register_indices
from .selectors import (as_decimal_text, assessment_state, assessments_for, attachable_drafts, compilation_progress,
                        figures_of, history)

AREAS = ("B", "C")


def get_assessment(request, pk: int) -> Assessment:
    assessment = get_object_or_404(assessments_for(request.user), pk=pk)
    if not request.user.has_perm("applications.manage_stress", assessment):
        raise Http404
    return assessment


@login_required
def stress_list(request):
    companies = list(companies_for(request.user)) if not request.user.is_superuser else []
    if not companies:
        raise Http404
    qs = assessments_for(request.user).order_by("company__ragione_sociale", "-date", "-pk")
    company_pk = request.GET.get("azienda", "")
    if company_pk.isdigit():
        qs = qs.filter(company_id=int(company_pk))
    page = BoundedPaginator(qs, settings.OT24_PAGINATE_BY).get_page(request.GET.get("page"))
    return render(request, "stress/list.html", {"page": page, "companies": companies, "company_pk": company_pk,
                                                "checklist": load_checklist()})


def _edit(request, assessment: Assessment, company):
    form = AssessmentForm(request.POST or None, instance=assessment, company=company, user=request.user)
    formset = ParticipantFormSet(request.POST or None, instance=assessment, prefix="people")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        assessment = services.assessment_save(user=request.user, form=form, formset=formset, company=company)
        messages.success(request, _("Valutazione salvata."))
        return redirect("stress_detail", pk=assessment.pk)
    return render(request, "stress/form.html", {"form": form, "formset": formset, "company": company,
                                                "assessment": assessment if assessment.pk else None})


@login_required
def stress_create(request, company_pk: int):
    company = get_object_or_404(companies_for(request.user), pk=company_pk)
    if not request.user.has_perm("applications.start_stress", company):
        raise Http404
    return _edit(request, Assessment(company=company), company)


@login_required
def stress_edit(request, pk: int):
    assessment = get_assessment(request, pk)
    return _edit(request, assessment, assessment.company)


def result_rows(checklist, state):
    """Per area: its families with value, score, level and band table; the area's score, points, level."""
    result = state.result
    rows = []
    for area in checklist.areas:
        families = []
        for family in area.families:
            fr = result.families[family.key]
            families.append({"family": family, "result": fr, "value": as_decimal_text(fr.value),
                             "score": as_decimal_text(fr.score), "points": as_decimal_text(fr.points),
                             "items": [(item, as_decimal_text(result.items[item.id])) for item in family.items]})
        ar = result.areas[area.key]
        rows.append({"area": area, "families": families, "result": ar, "score": as_decimal_text(ar.score),
                     "points": as_decimal_text(ar.points)})
    return rows


def history_chart(assessment: Assessment, past: list[Assessment] | None = None) -> HistoryChart | None:
    """The history chart's view-model (templates/stress/_history_chart.html draws it), None without a completed
    assessment. past: history(assessment), if already read."""
    points = [HistoryPoint(a.date, a.area_scores, a.level) for a in (history(assessment) if past is None else past)]
    return history_data(points, id_prefix=f"storico-{assessment.pk}") if points else None


@login_required
def stress_detail(request, pk: int):
    assessment = get_assessment(request, pk)
    prefetch_related_objects([assessment], "participants")  # the people listed and the compilers offered
    checklist = load_checklist()
    state = assessment_state(assessment)
    compilations = [(c, compilation_progress(c, checklist)) for c in state.compilations]
    drafts = attachable_drafts(assessment, request.user)
    offered = list(drafts)  # read once: the form's choices are listed from these rows
    past = history(assessment)
    return render(request, "stress/detail.html", {
        "assessment": assessment, "checklist": checklist, "state": state, "compilations": compilations,
        "rows": result_rows(checklist, state) if state.result else [],
        "level": checklist.level(assessment.level) if assessment.level else None,
        "add_form": CompilationAddForm(assessment=assessment),
        "attach_form": AttachForm(drafts=drafts) if offered else None,
        "attach_choices": [(a.pk, f"{a.campaign} — {a.site.name}") for a in offered],
        "attachments": assessment.attachments.select_related("evidence_file__application__site"),
        "chart": history_chart(assessment, past), "history": past,
        "measures": assessment.measures.all(), "areas": AREAS,
    })


@login_required
@require_POST
def stress_compilation_add(request, pk: int):
    assessment = get_assessment(request, pk)
    form = CompilationAddForm(request.POST, assessment=assessment)
    if not form.is_valid():
        messages.error(request, _("Scegliere chi compila la check-list."))
        return redirect("stress_detail", pk=pk)
    choice = form.cleaned_data["compiler"]
    participant = None if choice == "joint" else assessment.participants.get(pk=int(choice))
    try:
        compilation = services.compilation_add(user=request.user, assessment=assessment, participant=participant)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("stress_detail", pk=pk)
    return redirect("stress_checklist", pk=pk, compilation_pk=compilation.pk, area="B")


@login_required
def stress_checklist(request, pk: int, compilation_pk: int, area: str):
    assessment = get_assessment(request, pk)
    if area not in AREAS:
        raise Http404
    compilation = get_object_or_404(Compilation.objects.select_related("participant"), pk=compilation_pk,
                                    assessment=assessment)
    checklist = load_checklist()
    form = AreaForm(request.POST or None, area=checklist.area(area), answers=compilation.answers)
    if request.method == "POST" and form.is_valid():
        services.compilation_save_area(user=request.user, compilation=compilation, area_key=area,
                                       answers=form.cleaned_data)
        compilation.refresh_from_db()
        answered, items = compilation_progress(compilation, checklist)[area]
        left = items - answered
        if left:
            messages.warning(request, ngettext("Area %(area)s salvata: manca %(n)s risposta.",
                                               "Area %(area)s salvata: mancano %(n)s risposte.", left)
                             % {"area": area, "n": left})
        else:
            messages.success(request, _("Area %(area)s salvata: tutte le risposte sono date.") % {"area": area})
        if "next" in request.POST and area == "B":
            return redirect("stress_checklist", pk=pk, compilation_pk=compilation.pk, area="C")
        if "next" in request.POST:
            return redirect("stress_detail", pk=pk)
        return redirect("stress_checklist", pk=pk, compilation_pk=compilation.pk, area=area)
    return render(request, "stress/checklist.html", {
        "assessment": assessment, "compilation": compilation, "form": form, "area": checklist.area(area),
        "areas": AREAS, "progress": compilation_progress(compilation, checklist)})


@login_required
def stress_figures(request, pk: int):
    assessment = get_assessment(request, pk)
    current, previous = figures_of(assessment)
    years = (assessment.year, assessment.year - 1)
    register = register_indices(company=assessment.company, site=assessment.site, years=years)
    forms = [PeriodFiguresForm(request.POST or None, instance=row, prefix=f"y{year}",
                               register=(register or {}).get(year))
             for row, year in zip((current, previous), years)]
    if request.method == "POST" and all(f.is_valid() for f in forms):
        services.figures_save(user=request.user, assessment=assessment, forms=forms)
        state = assessment_state(assessment)
        if state.area_a is None:
            for problem in state.missing[:1]:
                messages.error(request, problem)
        else:
            messages.success(request, _("Indicatori aziendali salvati."))
        return redirect("stress_detail", pk=pk)
    checklist = load_checklist()
    # Each row: the figure of each year, with what the register gives for it (None: nothing).
    rows = [tuple((f[name], f.register_notes.get(name)) for f in forms) for name in forms[0].fields]
    return render(request, "stress/figures.html", {
        "assessment": assessment, "forms": forms, "rows": rows, "years": years, "register": register,
        "items": checklist.area("A").items()})


@login_required
def stress_plan(request, pk: int):
    assessment = get_assessment(request, pk)
    if request.method == "POST" and "proposals" in request.POST:
        added = services.measures_add_proposals(user=request.user, assessment=assessment)
        messages.success(request, ngettext("%(n)s misura proposta aggiunta al piano.",
                                           "%(n)s misure proposte aggiunte al piano.", added) % {"n": added})
        return redirect("stress_plan", pk=pk)
    formset = MeasureFormSet(request.POST or None, instance=assessment, prefix="measures")
    if request.method == "POST" and formset.is_valid():
        services.measures_save(user=request.user, assessment=assessment, formset=formset)
        messages.success(request, _("Piano di miglioramento salvato."))
        return redirect("stress_plan", pk=pk)
    present = set(assessment.measures.exclude(seed_number=None).values_list("seed_number", flat=True))
    proposals = [m for m in load_checklist().measures if m.number not in present]
    return render(request, "stress/plan.html", {"assessment": assessment, "formset": formset,
                                                "proposals": proposals})


def _confirm(request, assessment, *, what, cancel, delete):
    if request.method == "POST":
        delete()
        messages.success(request, _("%(what)s eliminata.") % {"what": what})
        return True
    return render(request, "stress/confirm_delete.html", {"assessment": assessment, "what": what, "cancel": cancel})


@login_required
def stress_delete(request, pk: int):
    assessment = get_assessment(request, pk)
    done = _confirm(request, assessment, what=_("La valutazione del %(date)s") % {"date": f"{assessment.date:%d/%m/%Y}"},
                    cancel=assessment, delete=lambda: services.assessment_delete(user=request.user, assessment=assessment))
    return redirect("stress_list") if done is True else done


@login_required
def stress_compilation_delete(request, pk: int, compilation_pk: int):
    assessment = get_assessment(request, pk)
    compilation = get_object_or_404(Compilation, pk=compilation_pk, assessment=assessment)
    done = _confirm(request, assessment, what=_("La compilazione di %(who)s") % {"who": compilation}, cancel=assessment,
                    delete=lambda: services.compilation_delete(user=request.user, compilation=compilation))
    return redirect("stress_detail", pk=pk) if done is True else done


@login_required
def stress_measure_delete(request, pk: int, measure_pk: int):
    assessment = get_assessment(request, pk)
    measure = get_object_or_404(Measure, pk=measure_pk, assessment=assessment)
    done = _confirm(request, assessment, what=_("La misura «%(title)s»") % {"title": measure.title}, cancel=assessment,
                    delete=lambda: services.measure_delete(user=request.user, measure=measure))
    return redirect("stress_plan", pk=pk) if done is True else done


@login_required
def stress_pdf(request, pk: int):
    from .pdf import render_stress_pdf

    assessment = get_assessment(request, pk)
    return pdf_response(render_stress_pdf(assessment), services.report_filename(assessment), inline=True)


@login_required
@require_POST
def stress_attach(request, pk: int):
    assessment = get_assessment(request, pk)
    form = AttachForm(request.POST, drafts=attachable_drafts(assessment, request.user))
    if not form.is_valid():
        messages.error(request, _("Scegliere una domanda in bozza della campagna in corso."))
        return redirect("stress_detail", pk=pk)
    application = form.cleaned_data["application"]
    try:
        evidence = services.attach_report(user=request.user, assessment=assessment, application=application)
    except services.NotAttachable as exc:
        messages.error(request, render_to_string("messages/_with_link.html", {
            "text": exc.messages[0], "url": exc.link, "label": _("Vai alla sezione B")}))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, render_to_string("messages/_with_link.html", {
            "text": " ".join((
                _("Relazione allegata alla domanda di %(site)s come documentazione B2d (punto 6).")
                % {"site": application.site.name},
                _("È da firmare: documenta l'intervento solo dopo la firma del legale rappresentante o di un procuratore "
                  "con potere di firma."))),
            "url": reverse("evidence_sign", args=[application.pk, evidence.pk]), "label": _("Firma il documento")}))
    return redirect("stress_detail", pk=pk)

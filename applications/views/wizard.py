"""The application wizard: one page per step, saved to the database at every step."""
from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ot24portal.filestore import storage, uploads
from interventions.scoring import benefit
from interventions.sectors import SECTORS, suggest_sector
from interventions.selectors import edition_catalogue
from organisations.selectors import sites_for

from .. import pdf, services, wizard, workflow
from ..forms import (QualifiedPrepareForm, SchedaForm, SectionForm, SignedPdfForm, SubmitForm,
                     VersionedForm)
from ..models import Campaign, Event
from ..section_rows import section_rows
from ..selectors import application_overview, application_pats, application_score, application_selections
from .common import altered_response, get_application, pdf_response, perform, user_can

logger = logging.getLogger(__name__)


def _problems(application, overview) -> list[dict]:
    """What to complete before submission, each with the URL of the step that fixes it."""
    return [{"message": p.message, "url": wizard.get(p.step).url(application)} for p in overview.problems]


def render_step(request, application, step: wizard.Step, *, score=None, **extra):
    """The step's template with what every step shows: the header (steps, title, running total). Every step's
    handler answers with it, those registered by other apps too (evidence.views.evidence_step)."""
    score = score or application_score(application)
    return render(request, step.template, {
        "application": application,
        "steps": wizard.links(application, step.key),
        "step": step.key,
        "step_title": step.title,
        "score": score,
        "can_edit": user_can(request, "applications.edit_application", application),
        **extra,
    })


@login_required
@require_POST
def application_start(request, site_pk: int):
    site = get_object_or_404(sites_for(request.user), pk=site_pk)
    campaign = Campaign.objects.filter(is_open=True).order_by("-filing_year").first()
    if campaign is None:
        messages.error(request, _("Nessuna campagna aperta."))
        return redirect("dashboard")
    try:
        application = services.application_start(user=request.user, site=site, campaign=campaign)
    except PermissionDenied:
        raise Http404
    return redirect(wizard.STEPS[0].url(application))


@login_required
def application_detail(request, pk: int):
    """"Riprendi"/"Apri": a draft opens, for those who may edit it, at the step where it was left
    (applications.wizard.resume_step); anything else at its review."""
    application = get_application(request, pk)
    if application.is_draft and user_can(request, "applications.edit_application", application):
        return redirect(wizard.resume_step(application_overview(application)).url(application))
    return redirect(wizard.url(application, wizard.REVIEW))


@login_required
def application_step(request, pk: int, step: str):
    """Every step of the wizard: found in the registry (applications/wizard.py), entered if its
    preconditions let the person in, handled by its view."""
    application = get_application(request, pk)
    current = wizard.get(step)
    visit = wizard.Visit(request, application, user_can(request, "applications.edit_application", application))
    turned_away = wizard.enter(current, visit)
    if turned_away is not None:
        return turned_away
    return current.view(request, application, current)


def _save_and_go(request, application, step, *, before=None, after=None, saved=None):
    """After a save: say what was saved and, when the counted total moved, what the change invalidated."""
    saved = saved or _("Dati salvati.")
    if before is not None and after is not None:
        warning, text = services.save_message(before, after, saved=saved)
        (messages.warning if warning else messages.success)(request, text)
    else:
        messages.success(request, saved)
    target = request.POST.get("go")
    if target in {s.key for s in wizard.STEPS}:
        return redirect(wizard.url(application, target))
    return redirect(wizard.next_step(step.key).url(application))


def _stale(request, form, exc):
    form.add_error(None, exc.messages[0])


def scheda_step(request, application, step: wizard.Step):
    # Before the form: validating a ModelForm writes the posted values onto the instance.
    before = application_score(application) if request.method == "POST" else None
    form = SchedaForm(request.POST or None, application=application)
    suggested = suggest_sector([pat.voce_di_tariffa for pat in form.site_pats])  # Site.suggested_sector, PATs read
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.application_update_scheda(
                user=request.user, application=application, data=data,
                pats=list(form.cleaned_data["pats"]), version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            _stale(request, form, exc)
        else:
            application.refresh_from_db()
            return _save_and_go(request, application, step, before=before, after=application_score(application))
    return render_step(request, application, step, form=form, suggested_sector=SECTORS[suggested] if suggested else None)


def section_step(request, application, step: wizard.Step):
    letter = step.key
    catalogue = edition_catalogue(application.campaign.edition)
    interventions = catalogue.of_section(letter)
    line_errors: dict[str, list[str]] = {}
    if request.method == "POST":
        # A bound form shows what was posted: no saved selections needed for it, nor read before the save
        # (the service reads them under its lock and scores them before and after).
        form = SectionForm(request.POST, interventions=interventions, selections={}, version=application.version,
                           catalogue=catalogue)
        if not form.is_valid():
            line_errors = {code: [message] for code, message in getattr(form, "orphans", {}).items()}
            if line_errors:
                form.add_error(None, _("Alcune scelte non sono valide: vedere i messaggi accanto agli interventi. Nulla è stato salvato."))
        else:
            try:
                before, result = services.application_save_section_scored(
                    user=request.user, application=application, section=letter,
                    chosen=form.chosen(), version=form.cleaned_data["version"],
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    line_errors = {code: [e.message for e in errs] for code, errs in exc.error_dict.items()}
                    form.add_error(None, _("Alcune scelte non sono valide: vedere i messaggi accanto agli interventi. Nulla è stato salvato."))
                else:
                    _stale(request, form, exc)
            else:
                return _save_and_go(request, application, step, before=before, after=result,
                                    saved=_("Sezione %(letter)s salvata.") % {"letter": letter})
    chosen = application_selections(application)
    selections = {s.intervention.code: s for s in chosen}
    saved_score = application_score(application, selections=chosen)
    if request.method != "POST":
        # As it loads, the page needs no form of the section's fields: the rows show the saved ticks
        # (section_rows with `selections`, equal to an unbound SectionForm's), the form only its version.
        form = VersionedForm(initial={"version": application.version})
        # The saved problems of this section, shown as it loads (e.g. C1 after the workers were raised).
        line_errors = {line.code: list(line.errors) for line in saved_score.lines
                       if line.errors and line.code.startswith(letter)}
    rows = section_rows(catalogue, letter, application.sector or "altri",
                        form if request.method == "POST" else None, line_errors, selections=selections)
    section = catalogue.sections[letter]
    return render_step(request, application, step, score=saved_score, form=form, rows=rows, section=section,
                       catalogue=catalogue)


@login_required
def section_preview(request, pk: int, step: str):
    """The running total as it would be with the section's boxes as currently ticked (nothing saved)."""
    application = get_application(request, pk)
    if step not in wizard.SECTIONS or not request.user.has_perm("applications.edit_application", application):
        raise Http404
    catalogue = edition_catalogue(application.campaign.edition)
    form = SectionForm(request.GET, interventions=catalogue.of_section(step), selections={}, version=application.version,
                       catalogue=catalogue)
    if not form.is_valid() and not form.only_orphan_errors():
        return JsonResponse({"error": _("Dati non validi.")}, status=400)
    result = services.section_check(application=application, section=step, chosen=form.chosen())
    orphans = getattr(form, "orphans", {})
    return JsonResponse({
        "total": result.total, "threshold": result.threshold, "eligible": result.eligible, "missing": result.missing,
        "label": _("Punteggio conteggiato: %(total)s su %(threshold)s") % {"total": result.total, "threshold": result.threshold},
        "lines": {**{code: {"counted": False, "errors": [message]} for code, message in orphans.items()},
                  **{line.code: {"counted": line.counted, "errors": list(line.errors)} for line in result.lines
                     if line.code.startswith(step)}},
    })


@login_required
def application_pdf(request, pk: int):
    """The application as printed; a draft carries the BOZZA watermark."""
    application = get_application(request, pk)
    if application.pdf_storage_name:
        # What was signed: the bytes stored at submission, checked against their hash.
        if not storage.matches_hash(application.pdf_storage_name, application.pdf_sha256):
            return altered_response(f"signed PDF of application {application.pk}",
                            _("Il PDF firmato risulta alterato. Contattare l'assistenza."))
        content = storage.read_bytes(application.pdf_storage_name)
    else:
        content = pdf.render_application_pdf(application)
    name = f"OT24-{application.campaign.filing_year}-{application.pk}{'-bozza' if application.is_draft else ''}.pdf"
    return pdf_response(content, name)


@login_required
@require_POST
def application_withdraw(request, pk: int):
    application = get_application(request, pk)
    perform(request, lambda: services.application_withdraw(user=request.user, application=application),
            success=_("Domanda ritirata."))
    return redirect(wizard.url(application, wizard.REVIEW))


@login_required
@require_POST
def qualified_prepare(request, pk: int):
    """Download the final PDF to sign with one's own qualified signature."""
    from .. import qualified

    application = get_application(request, pk)
    form = QualifiedPrepareForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, _("Spuntare tutte le dichiarazioni e indicare il luogo prima di scaricare il PDF da firmare."))
        return redirect(wizard.url(application, wizard.SUBMIT))
    try:
        data = qualified.qualified_prepare(user=request.user, application=application, declarations=form.declarations(),
                                           place=form.cleaned_data["place"], version=form.cleaned_data["version"])
    except PermissionDenied:
        raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(wizard.url(application, wizard.SUBMIT))
    return pdf_response(data, f"OT24-{application.campaign.filing_year}-{application.pk}-da-firmare.pdf")


@login_required
@require_POST
def qualified_upload(request, pk: int):
    from .. import qualified

    application = get_application(request, pk)
    form = SignedPdfForm(request.POST, request.FILES)
    uploads.explain_refusals(request, form)
    if not form.is_valid():
        return _refuse_signed_pdf(request, application, " ".join(e for errs in form.errors.values() for e in errs))
    upload = form.cleaned_data["signed_pdf"]
    if upload.size > settings.OT24_MAX_FILE_BYTES:
        return _refuse_signed_pdf(request, application, _("Il file è troppo grande."))
    try:
        qualified.qualified_submit(user=request.user, application=application, signed=upload.read())
    except PermissionDenied:
        raise Http404
    except ValidationError as exc:
        return _refuse_signed_pdf(request, application, " ".join(exc.messages))
    messages.success(request, _("Domanda inviata con firma digitale qualificata."))
    return redirect(wizard.url(application, wizard.REVIEW))


def _signed_pdf_error_key(application) -> str:
    return f"signed_pdf_error_{application.pk}"


def _refuse_signed_pdf(request, application, message: str):
    """The reason an uploaded signed PDF was refused, shown once next to the upload field of the submit
    step (kept in the session across the redirect)."""
    request.session[_signed_pdf_error_key(application)] = str(message)
    return redirect(wizard.url(application, wizard.SUBMIT))


@login_required
@require_POST
def application_notify_signatories(request, pk: int):
    """A member who prepared the draft tells the legal representative (and consultants) it is ready."""
    application = get_application(request, pk)
    if not _can_notify(request, application):
        raise Http404
    link = request.build_absolute_uri(wizard.url(application, wizard.SUBMIT))
    try:
        recipients = services.application_notify_signatories(user=request.user, application=application, link=link)
    except PermissionDenied:
        raise Http404
    except ValidationError as exc:
        messages.info(request, " ".join(exc.messages))
    else:
        messages.success(request, ngettext("%(count)d persona avvisata per e-mail: %(who)s.",
                                           "%(count)d persone avvisate per e-mail: %(who)s.",
                                           len(recipients)) % {"count": len(recipients), "who": ", ".join(recipients)})
    return redirect(wizard.url(application, wizard.REVIEW))


def _can_notify(request, application) -> bool:
    return (application.is_draft and user_can(request, "applications.edit_application", application)
            and not user_can(request, "applications.submit_application", application))


def _timeline(request, application):
    """The application's timeline, each event with its actor."""
    events = list(Event.objects.filter(application_id=application.pk).select_related("actor"))
    if not request.user.is_reviewer:
        events = [e for e in events if not e.internal]  # reviewers' internal notes: never shown to applicants
    for event in events:
        event.application = application  # as application.events' queryset sets it
    return events


def _benefits(pats):
    return [(pat, benefit(pat.lavoratori_anno, pat.premium)) for pat in pats]


def review_step(request, application, step: wizard.Step):
    # The PATs read once: a draft's overview asks whether it has any, the benefits list them.
    pats = application_pats(application)
    overview = application_overview(application, pats=pats if application.is_draft else None)
    catalogue = edition_catalogue(application.campaign.edition)
    selections = {s.intervention.code: s for s in overview.selections}
    evidence = {row.intervention.code: row for row in overview.evidence}
    lines = []
    for line in overview.score.lines:
        sel = selections[line.code]
        intervention = catalogue.by_code[line.code]
        subs = {s.number: s.label for s in intervention.suboptions.all()}
        lines.append({"line": line, "intervention": intervention, "evidence": evidence.get(line.code),
                      "suboptions": [subs[n] for n in sel.suboptions if n in subs]})
    return render_step(request, application, step, score=overview.score, overview=overview, lines=lines,
                   problems=_problems(application, overview), submit_url=wizard.url(application, wizard.SUBMIT),
                   benefits=_benefits(pats), timeline=_timeline(request, application),
                   can_withdraw=workflow.allowed(request.user, application, "withdraw"),
                   can_notify=_can_notify(request, application),
                   clarification_days=settings.OT24_CLARIFICATION_DAYS)


def submit_step(request, application, step: wizard.Step):
    overview = application_overview(application)
    can_submit = user_can(request, "applications.submit_application", application)
    form = SubmitForm(request.POST or None, user=request.user, request=request, initial={"version": application.version, "place": application.place})
    if request.method == "POST":
        if not can_submit:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.application_submit(
                    user=request.user, application=application, declarations=form.declarations(),
                    place=form.cleaned_data["place"], version=form.cleaned_data["version"],
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("Domanda inviata."))
                return redirect(wizard.url(application, wizard.REVIEW))
    return render_step(request, application, step, score=overview.score, form=form, overview=overview,
                   problems=_problems(application, overview), can_submit=can_submit,
                   can_notify=_can_notify(request, application),
                   prepared=bool(application.presign_storage_name and application.presign_version == application.version),
                   signed_pdf_error=request.session.pop(_signed_pdf_error_key(application), ""))

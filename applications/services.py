"""Writes. Every change to an application goes through one of these functions: keyword arguments,
one place that checks permission and state, `transaction.atomic`."""
from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.utils.translation import gettext

from interventions import scoring

from ot24portal.filestore import references, storage
from organisations.models import PAT, Site
from ot24portal import metrics

from . import hooks, timeline, workflow
from .models import Application, Campaign, Selection
from .selectors import application_overview, application_score, application_selections
from .snapshot import build_snapshot


logger = logging.getLogger(__name__)


class StaleVersion(ValidationError):
    pass


def require_permission(user, perm: str, obj) -> None:
    """Refuse (PermissionDenied, with the reason in Italian) unless `user` has `perm` on `obj`; a submitted
    application can no longer be edited or submitted whatever the permission. Public: evidence's services use
    it for the application they change."""
    if isinstance(obj, Application) and perm in ("applications.edit_application", "applications.submit_application") \
            and not obj.is_draft:
        raise PermissionDenied(gettext("La domanda è già stata inviata e non può più essere modificata."))
    if not user.has_perm(perm, obj):
        raise PermissionDenied(gettext("Operazione non consentita per questo utente."))


def bump_version(application: Application, expected_version: int | None, *, declared_total: int | None = None) -> None:
    """Optimistic locking: refuse a save based on an older copy of the application. With
    `declared_total`, the same UPDATE keeps the draft's total: a draft's declared_total is its counted points,
    kept at every save (the dashboard sorts drafts by it in the database); submission freezes it."""
    if expected_version is not None:
        now = timezone.now()
        updated = _versioned_update(application.pk, expected_version, now, declared_total)
        if not updated:
            raise StaleVersion(_(
                "La domanda è stata modificata da un'altra sessione: ricaricare la pagina per vedere i dati aggiornati."
            ))
        # Exactly what the UPDATE wrote: no need to read it back.
        application.version, application.updated_at = expected_version + 1, now
        return
    else:
        Application.objects.filter(pk=application.pk).update(version=F("version") + 1, updated_at=timezone.now())
    application.refresh_from_db(fields=["version", "updated_at"])


def _versioned_update(pk: int, expected_version: int, now, declared_total: int | None) -> int:
    """One UPDATE of the application's row if it still has the expected version: the version bumped, the
    time of the save and, when given, the draft's total. Returns the number of rows updated (0: stale)."""
    values = {"version": F("version") + 1, "updated_at": now}
    if declared_total is not None:
        values["declared_total"] = declared_total
    return Application.objects.filter(pk=pk, version=expected_version).update(**values)


@transaction.atomic
def application_start(*, user, site: Site, campaign: Campaign) -> Application:
    """Create the draft for a site and campaign (or return the existing one), pre-filled from the records."""
    require_permission(user, "applications.start_application", site)  # a mandate may cover chosen sites only
    existing = Application.objects.filter(site=site, campaign=campaign).first()
    if existing:
        return existing
    company = site.company
    rep = company.legal_representative
    records = {"company": company, "site": site}
    application = Application.objects.create(
        campaign=campaign,
        site=site,
        created_by=user,
        **{name: getattr(records[record], field) for name, (record, field) in Application.FROM_RECORDS.items()},
        sector=site.sector or (site.suggested_sector() or ""),
        signatory_name=rep.get_full_name() if rep else "",
        signatory_codice_fiscale=rep.codice_fiscale if rep else "",
        signatory_role="Legale rappresentante" if rep else "",
    )
    application.pats.set(site.pats.all()[: Application.MAX_PATS])
    return application


@transaction.atomic
def application_update_scheda(*, user, application: Application, data: dict, pats: list[PAT], version: int) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    require_permission(user, "applications.edit_application", application)
    if len(pats) > Application.MAX_PATS:
        raise ValidationError(gettext("Una domanda copre al massimo %(n)s PAT.") % {"n": Application.MAX_PATS})
    if any(p.site_id != application.site_id for p in pats):
        raise ValidationError(gettext("Le PAT devono appartenere all'unità produttiva della domanda."))
    bump_version(application, version)
    for name, value in data.items():
        setattr(application, name, value)
    application.scheda_completed = True
    application.declared_total = application_score(application).total  # a draft's total: section D follows the sector
    application.save()
    application.pats.set(pats)
    return application


def lost_lines(before: scoring.ScoreResult, after: scoring.ScoreResult) -> list[scoring.Line]:
    """The interventions that counted before a change and no longer do (with the reasons in their errors)."""
    counted_before = {line.code for line in before.lines if line.counted}
    return [line for line in after.lines if line.code in counted_before and not line.counted]


def save_message(before: scoring.ScoreResult, after: scoring.ScoreResult, *, saved: str) -> tuple[bool, str]:
    """(is a warning, text) after a save: what was saved, how the counted total moved and, by name and
    reason, every intervention the change stopped counting (a warning then)."""
    lost = lost_lines(before, after)
    totals = {"before": number_format(before.total), "after": number_format(after.total),
              "threshold": number_format(after.threshold)}
    if lost:
        reasons = "; ".join(f"{line.code}: {' '.join(line.errors)}" for line in lost)
        text = ngettext(
            "%(saved)s Attenzione: %(count)d intervento non viene più conteggiato (%(reasons)s). "
            "Punteggio conteggiato: da %(before)s a %(after)s su %(threshold)s.",
            "%(saved)s Attenzione: %(count)d interventi non vengono più conteggiati (%(reasons)s). "
            "Punteggio conteggiato: da %(before)s a %(after)s su %(threshold)s.",
            len(lost),
        ) % {"saved": saved, "count": len(lost), "reasons": reasons, **totals}
        return True, text
    if before.total != after.total:
        return False, _("%(saved)s Punteggio conteggiato: da %(before)s a %(after)s su %(threshold)s.") % {
            "saved": saved, **totals}
    return False, _("%(saved)s Punteggio conteggiato: %(after)s su %(threshold)s.") % {"saved": saved, **totals}


def section_check(
    *, application: Application, section: str, chosen: dict[str, tuple[frozenset[int], bool]]
) -> scoring.ScoreResult:
    """Score the application as it would be with `chosen` (code -> (sub-options, declaration)) replacing
    this section's selections. Pure read: used to validate a section before saving it."""
    others = [s for s in application_selections(application) if s.intervention.section.letter != section]
    return application_score(application, selections=others, chosen=chosen)


@transaction.atomic
def application_save_section(
    *, user, application: Application, section: str, chosen: dict[str, tuple[frozenset[int], bool]], version: int
) -> scoring.ScoreResult:
    """Replace one section's selections. Refused, with the reasons per intervention, when any chosen
    intervention would not count; nothing is saved then.

    Every write to an application's selections locks the application's row first, so the selections read
    under the lock are current: only what changed is written (a save of an unchanged section, the most
    common, writes the application's row alone)."""
    return application_save_section_scored(user=user, application=application, section=section, chosen=chosen,
                                           version=version)[1]


@transaction.atomic
def application_save_section_scored(
    *, user, application: Application, section: str, chosen: dict[str, tuple[frozenset[int], bool]], version: int
) -> tuple[scoring.ScoreResult, scoring.ScoreResult]:
    """application_save_section, returning the score before the save (of the selections read under the
    lock) with the score after it: the wizard's message compares them without reading the selections
    itself first."""
    from interventions.selectors import edition_catalogue

    # Site, company, campaign and edition joined (the rules and the scoring read them); only the
    # application's row locked.
    application = Application.objects.with_context().select_for_update(of=("self",)).order_by().get(pk=application.pk)
    require_permission(user, "applications.edit_application", application)
    current = application_selections(application)
    before = application_score(application, selections=current)
    others = [s for s in current if s.intervention.section.letter != section]
    result = application_score(application, selections=others, chosen=chosen)  # section_check on these rows
    errors = {line.code: line.errors for line in result.lines if line.code in chosen and line.errors}
    if errors:
        raise ValidationError({code: list(msgs) for code, msgs in errors.items()})
    interventions = {i.code: i for i in edition_catalogue(application.campaign.edition).of_section(section)}
    unknown = set(chosen) - set(interventions)
    bump_version(application, version, declared_total=None if unknown else result.total)
    if unknown:
        raise ValidationError(gettext("Interventi non appartenenti alla sezione %(section)s: %(codes)s.")
                              % {"section": section, "codes": ", ".join(sorted(unknown))})
    mine = {s.intervention.code: s for s in current if s.intervention.section.letter == section}
    removed = [s for code, s in mine.items() if code not in chosen]
    if removed:
        # Files of evidence items of removed interventions go with them (evidence's receiver, in this transaction).
        hooks.selections_removed.send(sender=Application, application=application,
                                      intervention_ids=[s.intervention_id for s in removed])
        Selection.objects.filter(pk__in=[s.pk for s in removed]).delete()
    new = []
    for code, (subs, declared) in chosen.items():
        row = mine.get(code)
        if row is None:
            new.append(Selection(application=application, intervention=interventions[code], suboptions=sorted(subs),
                                 declaration_confirmed=declared))
        elif list(row.suboptions) != sorted(subs) or row.declaration_confirmed != declared:
            Selection.objects.filter(pk=row.pk).update(suboptions=sorted(subs), declaration_confirmed=declared)
    if new:
        Selection.objects.bulk_create(new)
    application.declared_total = result.total
    return before, result


READY_TO_SIGN = "ready_to_sign"  # the Event.action of application_notify_signatories
NOTIFY_INTERVAL = dt.timedelta(hours=1)


@transaction.atomic
def application_notify_signatories(*, user, application: Application, link: str) -> list[str]:
    """A user who edits a draft but may not submit it tells those who may (legal representative,
    consultants with a current mandate) by e-mail that it is ready, with a link to the signature step.
    Once per hour per draft; recorded on the timeline."""
    from notifications.services import email_addresses

    from .models import Event
    from .selectors import application_signatories

    application = Application.objects.select_for_update().get(pk=application.pk)
    require_permission(user, "applications.edit_application", application)
    if user.has_perm("applications.submit_application", application):
        raise PermissionDenied("Chi può firmare non ha bisogno di avvisare sé stesso.")
    if application.events.filter(action=READY_TO_SIGN, created_at__gte=timezone.now() - NOTIFY_INTERVAL).exists():
        raise ValidationError(_("Chi firma è già stato avvisato nell'ultima ora: non serve avvisarlo di nuovo."))
    recipients = application_signatories(application)
    if not recipients:
        raise ValidationError(_("L'azienda non ha ancora un legale rappresentante o un consulente con delega in corso "
                                "a cui scrivere."))
    name = application.unita_produttiva or application.site.name
    score = application_score(application)
    email_addresses(recipients, "ready_to_sign", {
        "who": user.get_full_name() or user.email, "year": application.campaign.filing_year,
        "company": application.ragione_sociale or application.site.company.ragione_sociale, "name": name,
        "link": link, "total": score.total, "threshold": score.threshold})
    params = timeline.message_params(READY_TO_SIGN, who=", ".join(recipients))
    with translation.override(settings.LANGUAGE_CODE):
        message = timeline.render_message(READY_TO_SIGN, params)
    Event.objects.create(application=application, actor=user, action=READY_TO_SIGN, message=message,
                         message_code=READY_TO_SIGN, message_params=params)
    return recipients


def _receipt_number(application: Application) -> str:
    return f"OT24-{application.campaign.filing_year}-{application.pk:06d}"


@metrics.count_outcomes(metrics.SUBMISSIONS)  # ot24_submissions_total{outcome}: accepted, refused, error
@transaction.atomic
def application_submit(*, user, application: Application, declarations: dict[str, bool], place: str, version: int) -> Application:
    """Freeze the application: refused when the total is under the threshold, evidence is missing,
    the deadline has passed, a declaration is not ticked, or the user may not submit for the company."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    require_permission(user, "applications.submit_application", application)
    if settings.OT24_REQUIRE_VERIFIED_SIGNATORY and not user.codice_fiscale_verified:
        # issue 32: the signatory's codice fiscale must come from SPID/CIE (a qualified signature proves it
        # by its certificate instead: applications.qualified)
        raise ValidationError(gettext("Per firmare e inviare la domanda con la password il tuo codice fiscale deve "
                                      "essere verificato: collega SPID o CIE dal tuo profilo, oppure firma con la "
                                      "firma digitale qualificata."))
    if not all(declarations.get(k) for k in Application.DECLARATIONS):
        raise ValidationError(gettext("Occorre spuntare tutte le dichiarazioni per inviare la domanda."))
    overview = application_overview(application)
    if overview.problems:
        raise ValidationError([p.message for p in overview.problems])
    bump_version(application, version)
    for name in Application.DECLARATIONS:
        setattr(application, name, True)
    application.place = place
    # The receipt before the transition: its e-mail, written now, carries the number (issue 34).
    application.receipt_number = _receipt_number(application)
    workflow.transition(application, "submit", user=user)
    application.submitted_at = timezone.now()
    application.submitted_by = user
    application.snapshot = build_snapshot(application, overview)
    application.declared_total = overview.score.total
    application.save()
    try:
        _store_signed_pdf(application)
    except Exception:
        # Everything above is rolled back with this transaction: the application stays a draft.
        logger.exception("Rendering or sealing the PDF failed for application %s", application.pk)
        raise ValidationError(_(
            "Non è stato possibile generare il PDF firmato: la domanda NON è stata inviata ed è rimasta in bozza. "
            "Riprovare tra qualche minuto."
        )) from None
    return application


def _store_signed_pdf(application: Application) -> None:
    """Render the submitted application once and keep those bytes: later downloads serve them, never a
    new rendering. If anything after the write fails, the transaction rolls back and the file goes."""
    from . import pdf, signing

    sealed = signing.seal_pdf(
        pdf.render_application_pdf(application),
        reason=f"Domanda OT24 {application.campaign.filing_year} n. {application.receipt_number}",
    )
    stored = storage.save_stream([sealed], "domanda.pdf", max_bytes=len(sealed), untrusted=False)
    try:
        Application.objects.filter(pk=application.pk).update(pdf_storage_name=stored.storage_name,
                                                             pdf_sha256=stored.sha256)
    except Exception:
        # The bytes this call just wrote (a seal's timestamp makes them unique), referenced by nothing: the
        # only place an issued document is ever removed.
        if not references.in_use(stored.storage_name):
            storage.discard(stored.storage_name)
        raise
    application.pdf_storage_name, application.pdf_sha256 = stored.storage_name, stored.sha256


@transaction.atomic
def application_withdraw(*, user, application: Application) -> Application:
    """The signatory withdraws a submitted application before the review starts."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    workflow.transition(application, "withdraw", user=user)
    return application

"""Writes: a company's productive units, its people (registration, join requests, invitations, removal),
consultancy firms and mandates. Each service checks its permission, runs in one transaction, records an
OrganisationEvent and queues its e-mails (notifications outbox: sent after the commit).

E-mails carry a link to the page where the person acts: the views pass `absolute`, a function turning a
path into an absolute URL (request.build_absolute_uri)."""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Callable

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.conf import settings
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from accounts.addresses import AddressError, canonical_email, canonical_email_or_none
from accounts.validators import compact_fiscal_code
from notifications.services import email_addresses

from . import history
from .models import (STAFF_REFUSED, Company, Firm, FirmMembership, Invitation, JoinRequest, Mandate, Membership,
                     OrganisationEvent, Role, Site, is_inail_staff)
from .selectors import company_known_as

Absolute = Callable[[str], str]


def _require(user, perm: str, obj) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def record(*, actor, action: str, code: str, company: Company | None = None, firm: Firm | None = None, **params):
    """One history event: its code and parameters (organisations.history), and its text in Italian."""
    with translation.override(settings.LANGUAGE_CODE):
        message = history.render(code, params)
    return OrganisationEvent.objects.create(company=company, firm=firm, actor=actor, action=action, message=message,
                                            code=code, params=params)


def _refuse_staff(user) -> None:
    """INAIL staff review the applications: they are nobody's people nor consultants (issue 28)."""
    if is_inail_staff(user):
        raise ValidationError(STAFF_REFUSED, code="staff")


_who = history.person


def legal_rep_emails(company: Company) -> list[str]:
    emails = set(company.memberships.filter(role=Role.LEGAL_REP).values_list("user__email", flat=True))
    if company.legal_representative_id:
        emails.add(company.legal_representative.email)
    return sorted(emails)


def _holder_emails(mandate: Mandate) -> list[str]:
    if mandate.consultant_id:
        return [mandate.consultant.email]
    return list(mandate.firm.memberships.values_list("user__email", flat=True))


@transaction.atomic
def site_save(*, form, formset, company) -> Site:
    """Save a valid SiteForm and its PATFormSet for the company, together."""
    site = form.save(commit=False)
    site.company = company
    site.save()
    formset.instance = site
    formset.save()
    return site


# --- companies ------------------------------------------------------------------------------------------


def company_exists(*numbers: str) -> Company | None:
    """The registered company whose codice fiscale or partita IVA is one of these numbers, however typed."""
    return company_known_as(*numbers)


@transaction.atomic
def company_register(*, user, company: Company, role: str, person_codice_fiscale: str = "",
                     legal_rep_email: str = "", absolute: Absolute) -> Company:
    """A signed-up user registers their company (an unsaved, validated Company) and declares their role in
    it under DPR 445/2000: as legal representative (their own codice fiscale is required, and becomes
    the signatory's on applications) or as employee (the company waits for a legal representative: an
    invitation goes to legal_rep_email if given)."""
    if user.is_consultant or user.is_reviewer or user.is_superuser:
        raise PermissionDenied
    if company_exists(company.codice_fiscale, company.partita_iva):
        raise ValidationError(_("Un'azienda con questo codice fiscale è già registrata: chiedere di farne parte."),
                              code="exists")
    if role == Role.LEGAL_REP:
        if person_codice_fiscale and not user.codice_fiscale:
            user.codice_fiscale = compact_fiscal_code(person_codice_fiscale)
            user.save(update_fields=["codice_fiscale"])
        if not user.codice_fiscale:
            raise ValidationError(_("Il legale rappresentante deve indicare il proprio codice fiscale."), code="cf")
        company.legal_representative = user
        company.legal_rep_confirmed = True
    else:
        role = Role.MEMBER
        company.legal_representative = None
        company.legal_rep_confirmed = False
    try:
        with transaction.atomic():
            company.save()
    except IntegrityError as exc:  # registered by someone else meanwhile
        raise ValidationError(_("Un'azienda con questo codice fiscale è già registrata: chiedere di farne parte."),
                              code="exists") from exc
    Membership.objects.create(user=user, company=company, role=role)
    record(company=company, actor=user, action="company_registered", code="company_registered",
           who=_who(user), role=str(role))
    if role == Role.MEMBER and legal_rep_email:
        invitation_create(user=user, company=company, email=legal_rep_email, role=Role.LEGAL_REP, absolute=absolute,
                          check=False)
    return company


@transaction.atomic
def join_request_create(*, user, company: Company, absolute: Absolute) -> JoinRequest:
    _refuse_staff(user)
    if company.memberships.filter(user=user).exists():
        raise ValidationError(_("Fai già parte di questa azienda."), code="member")
    request = JoinRequest.objects.filter(company=company, user=user, status=JoinRequest.Status.REQUESTED).first()
    if request:
        return request
    request = JoinRequest.objects.create(company=company, user=user)
    record(company=company, actor=user, action="join_requested", code="join_requested", who=_who(user))
    link = absolute(reverse("join_request_decide", args=[request.pk]))
    email_addresses(legal_rep_emails(company), "join_requested",
                    {"who": _who(user), "company": company.ragione_sociale, "link": link})
    return request


@transaction.atomic
def join_request_decide(*, user, join_request: JoinRequest, accept: bool) -> JoinRequest:
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    company = join_request.company
    _require(user, "applications.manage_company", company)
    if join_request.status != JoinRequest.Status.REQUESTED:
        raise ValidationError(_("Questa richiesta è già stata decisa."), code="decided")
    join_request.status = JoinRequest.Status.ACCEPTED if accept else JoinRequest.Status.REFUSED
    join_request.decided_by, join_request.decided_at = user, timezone.now()
    join_request.save()
    if accept:
        _refuse_staff(join_request.user)  # asked before becoming staff
        Membership.objects.get_or_create(user=join_request.user, company=company, defaults={"role": Role.MEMBER})
    action = "join_accepted" if accept else "join_refused"
    record(company=company, actor=user, action=action, code=action, who=_who(user), whom=_who(join_request.user))
    email_addresses([join_request.user.email], "join_decided", {"company": company.ragione_sociale, "accept": accept})
    return join_request


# --- invitations ----------------------------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_lookup(token: str) -> Invitation | None:
    """The invitation of a link's token (only its hash is stored), whatever its state."""
    if not token or len(token) > 100:
        return None
    return Invitation.objects.select_related("company", "firm", "mandate").filter(token_hash=token_hash(token)).first()


def invitation_create(*, user, email: str, role: str = Role.MEMBER, absolute: Absolute, company: Company | None = None,
                      firm: Firm | None = None, mandate: Mandate | None = None, check: bool = True) -> Invitation:
    """Invite somebody by e-mail to a company (with a role) or to a firm. The link holds a random token
    (secrets.token_urlsafe(32)); only its hash is kept. Valid Invitation.VALID_DAYS days, once."""
    try:
        email = canonical_email(email)
    except AddressError as error:
        raise error.as_validation_error() from None
    if check:
        if company is not None:
            _require(user, "applications.manage_company", company)
        else:
            _require_firm_owner(user, firm)
    already = (company.memberships.filter(user__email=email) if company
               else firm.memberships.filter(user__email=email))
    if already.exists():
        raise ValidationError(_("Questa persona ne fa già parte."), code="member")
    invited = get_user_model().objects.filter(email__iexact=email).first()
    if invited is not None:
        _refuse_staff(invited)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        company=company, firm=firm, email=email, role=role if company else Role.MEMBER, token_hash=token_hash(token),
        mandate=mandate, created_by=user, expires_at=timezone.now() + dt.timedelta(days=Invitation.VALID_DAYS))
    where = company.ragione_sociale if company else firm.name
    record(company=company, firm=firm, actor=user, action="invitation_sent", code="invitation_sent",
           who=_who(user), email=email, role=str(invitation.role) if company else history.FIRM_CONSULTANT)
    email_addresses([email], "invitation", {
        "who": _who(user), "where": where, "role": Role(invitation.role).label if company else "",
        "holder": mandate.holder if mandate is not None else "", "days": Invitation.VALID_DAYS,
        "link": absolute(reverse("invitation_accept", args=[token]))})
    return invitation


def invitation_problem(invitation: Invitation | None, user=None) -> str | None:
    """Why this invitation cannot be accepted (by this user), in Italian; None if it can."""
    if invitation is None:
        return _("Questo collegamento di invito non è valido.")
    if invitation.accepted_at:
        return _("Questo invito è già stato utilizzato.")
    if invitation.revoked_at:
        return _("Questo invito è stato revocato.")
    if invitation.expires_at <= timezone.now():
        return _("Questo invito è scaduto: chiedere un nuovo invito.")
    if user is not None and canonical_email_or_none(user.email) != canonical_email_or_none(invitation.email):
        return _("Questo invito è stato inviato a un altro indirizzo e-mail: accedere con l'indirizzo invitato.")
    if user is not None and is_inail_staff(user):
        return str(STAFF_REFUSED)
    return None


@transaction.atomic
def invitation_accept(*, user, invitation: Invitation, declared: bool = False, person_codice_fiscale: str = "",
                      confirm_mandate: bool = True) -> Invitation:
    """The invited person (logged in with the invited e-mail) accepts: joins the company with the role or
    the firm. A legal representative declares the role (DPR 445/2000) with their codice fiscale, which
    confirms the company; with the invitation's pending mandate they confirm (or refuse) it."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    problem = invitation_problem(invitation, user)
    if problem:
        raise ValidationError(problem, code="invalid")
    _refuse_staff(user)
    now = timezone.now()
    if invitation.firm_id:
        if not user.is_consultant:
            raise ValidationError(_("Solo i consulenti possono far parte di uno studio."), code="role")
        FirmMembership.objects.get_or_create(user=user, firm=invitation.firm)
        record(firm=invitation.firm, actor=user, action="invitation_accepted", code="firm_invitation_accepted",
               who=_who(user))
    else:
        company = Company.objects.select_for_update().get(pk=invitation.company_id)
        if invitation.role == Role.LEGAL_REP:
            if not declared:
                raise ValidationError(_("Per accettare come legale rappresentante occorre la dichiarazione."),
                                      code="declaration")
            if person_codice_fiscale and not user.codice_fiscale:
                user.codice_fiscale = compact_fiscal_code(person_codice_fiscale)
                user.save(update_fields=["codice_fiscale"])
            if not user.codice_fiscale:
                raise ValidationError(_("Il legale rappresentante deve indicare il proprio codice fiscale."), code="cf")
            if company.legal_representative_id is None:
                company.legal_representative = user
            company.legal_rep_confirmed = True
            company.save(update_fields=["legal_representative", "legal_rep_confirmed"])
        membership, created = Membership.objects.get_or_create(user=user, company=company,
                                                               defaults={"role": invitation.role})
        if not created and membership.role != invitation.role:
            membership.role = invitation.role
            membership.save(update_fields=["role"])
        record(company=company, actor=user, action="invitation_accepted", code="invitation_accepted",
               who=_who(user), role=str(invitation.role))
        mandate = invitation.mandate
        if mandate is not None and mandate.status == Mandate.Status.PENDING:
            _decide(user=user, mandate=mandate, accept=confirm_mandate, now=now)
    invitation.accepted_by, invitation.accepted_at = user, now
    invitation.save(update_fields=["accepted_by", "accepted_at"])
    return invitation


@transaction.atomic
def invitation_revoke(*, user, invitation: Invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.company_id:
        _require(user, "applications.manage_company", invitation.company)
    else:
        _require_firm_owner(user, invitation.firm)
    if invitation.accepted_at or invitation.revoked_at:
        raise ValidationError(_("Questo invito non è più in sospeso."), code="closed")
    invitation.revoked_by, invitation.revoked_at = user, timezone.now()
    invitation.save(update_fields=["revoked_by", "revoked_at"])
    if invitation.mandate_id and invitation.mandate.status == Mandate.Status.PENDING:
        Mandate.objects.filter(pk=invitation.mandate_id).update(status=Mandate.Status.REVOKED, revoked_by=user,
                                                                revoked_at=invitation.revoked_at)
    record(company=invitation.company, firm=invitation.firm, actor=user, action="invitation_revoked",
           code="invitation_revoked", who=_who(user), email=invitation.email)
    return invitation


# --- people -----------------------------------------------------------------------------------------------


@transaction.atomic
def membership_remove(*, user, membership: Membership) -> None:
    """Remove a person from a company (legal representatives) or leave it (oneself). The last legal
    representative can neither leave nor be removed."""
    company = Company.objects.select_for_update().get(pk=membership.company_id)
    leaving = membership.user_id == user.pk
    if not leaving:
        _require(user, "applications.manage_company", company)
    reps = company.memberships.filter(role=Role.LEGAL_REP).exclude(pk=membership.pk)
    is_rep = membership.role == Role.LEGAL_REP or company.legal_representative_id == membership.user_id
    if is_rep and not reps.exists():
        raise ValidationError(_("L'ultimo legale rappresentante non può lasciare l'azienda né esserne rimosso: "
                                "invitare prima un altro legale rappresentante."), code="last_rep")
    if company.legal_representative_id == membership.user_id:
        company.legal_representative = reps.first().user
        company.save(update_fields=["legal_representative"])
    person = membership.user
    membership.delete()
    if leaving:
        record(company=company, actor=user, action="member_left", code="company_left", who=_who(person))
    else:
        record(company=company, actor=user, action="member_removed", code="member_removed", who=_who(user),
               whom=_who(person))


# --- firms ------------------------------------------------------------------------------------------------


def _require_firm_owner(user, firm: Firm) -> None:
    if not (user.is_authenticated and firm.memberships.filter(user=user, is_owner=True).exists()):
        raise PermissionDenied


@transaction.atomic
def firm_create(*, user, firm: Firm) -> Firm:
    if not user.is_consultant:
        raise PermissionDenied
    exists = ValidationError(_("Uno studio con questo codice fiscale è già registrato: chiedere al titolare un invito."),
                             code="exists")
    if Firm.objects.filter(codice_fiscale=compact_fiscal_code(firm.codice_fiscale)).exists():
        raise exists
    try:
        with transaction.atomic():
            firm.save()
    except IntegrityError as err:  # created by someone else meanwhile
        raise exists from err
    FirmMembership.objects.create(firm=firm, user=user, is_owner=True)
    record(firm=firm, actor=user, action="firm_created", code="firm_created", who=_who(user))
    return firm


@transaction.atomic
def firm_member_remove(*, user, membership: FirmMembership) -> None:
    firm = Firm.objects.select_for_update().get(pk=membership.firm_id)
    leaving = membership.user_id == user.pk
    if not leaving:
        _require_firm_owner(user, firm)
    if membership.is_owner and not firm.memberships.filter(is_owner=True).exclude(pk=membership.pk).exists():
        raise ValidationError(_("L'ultimo titolare non può lasciare lo studio."), code="last_owner")
    person = membership.user
    membership.delete()
    if leaving:
        record(firm=firm, actor=user, action="member_left", code="firm_left", who=_who(person))
    else:
        record(firm=firm, actor=user, action="member_removed", code="member_removed", who=_who(user),
               whom=_who(person))


# --- mandates ---------------------------------------------------------------------------------------------


def _describe(mandate: Mandate) -> str:
    return history.describe_mandate(history.mandate_terms(mandate))


def _described(mandate: Mandate):
    """_describe(mandate) for an e-mail's template, made when the template shows it: in the language each
    recipient's copy is rendered in (notifications.services)."""
    return lazy(_describe, str)(mandate)


def _new_mandate(*, company, firm, consultant, start_date, end_date, all_sites, sites, can_submit, **extra) -> Mandate:
    if (firm is None) == (consultant is None):
        raise ValidationError(_("La delega va a uno studio oppure a un consulente."), code="holder")
    if end_date and end_date < start_date:
        raise ValidationError(_("La data di fine precede quella di inizio."), code="dates")
    sites = list(sites or [])
    if not all_sites and not sites:
        raise ValidationError(_("Scegliere almeno un'unità produttiva o tutte."), code="sites")
    if any(site.company_id != company.pk for site in sites):
        raise PermissionDenied
    if consultant is not None:
        _refuse_staff(consultant)
        if not consultant.is_consultant:
            raise ValidationError(_("La delega va a un consulente registrato come tale."), code="holder")
    else:
        for person in get_user_model().objects.filter(firm_memberships__firm=firm):
            _refuse_staff(person)
    mandate = Mandate.objects.create(company=company, firm=firm, consultant=consultant, start_date=start_date,
                                     end_date=end_date, all_sites=all_sites, can_submit=can_submit, **extra)
    if not all_sites:
        mandate.sites.set(sites)
    return mandate


@transaction.atomic
def mandate_grant(*, user, company: Company, firm: Firm | None = None, consultant=None, start_date: dt.date,
                  end_date: dt.date | None, all_sites: bool = True, sites=(), can_submit: bool = False,
                  absolute: Absolute) -> Mandate:
    """The legal representative grants a mandate to a firm or a consultant: active at once."""
    _require(user, "applications.manage_company", company)
    now = timezone.now()
    mandate = _new_mandate(company=company, firm=firm, consultant=consultant, start_date=start_date,
                           end_date=end_date, all_sites=all_sites, sites=sites, can_submit=can_submit,
                           status=Mandate.Status.ACTIVE, granted_by=user, granted_at=now)
    record(company=company, firm=firm, actor=user, action="mandate_granted", code="mandate_granted",
           who=_who(user), what=history.mandate_terms(mandate))
    email_addresses(_holder_emails(mandate), "mandate_granted", {
        "company": company.ragione_sociale, "what": _described(mandate), "link": absolute(reverse("clients"))})
    return mandate


@transaction.atomic
def mandate_request(*, user, company: Company, firm: Firm | None = None, start_date: dt.date,
                    end_date: dt.date | None, can_submit: bool = True, absolute: Absolute) -> Mandate:
    """A consultant asks a registered company for a mandate (for all its sites), to themselves or to their
    firm; the legal representative approves or refuses from the e-mail's link."""
    if not user.is_consultant:
        raise PermissionDenied
    if firm is not None and not firm.memberships.filter(user=user).exists():
        raise PermissionDenied
    mandate = _new_mandate(company=company, firm=firm, consultant=None if firm else user, start_date=start_date,
                           end_date=end_date, all_sites=True, sites=(), can_submit=can_submit,
                           status=Mandate.Status.REQUESTED, requested_by=user, requested_at=timezone.now())
    record(company=company, firm=firm, actor=user, action="mandate_requested", code="mandate_requested",
           who=_who(user), what=history.mandate_terms(mandate))
    email_addresses(legal_rep_emails(company), "mandate_requested", {
        "company": company.ragione_sociale, "who": _who(user), "what": _described(mandate),
        "link": absolute(reverse("mandate_decide", args=[mandate.pk]))})
    return mandate


def _decide(*, user, mandate: Mandate, accept: bool, now) -> None:
    mandate.status = Mandate.Status.ACTIVE if accept else Mandate.Status.REFUSED
    mandate.granted_by, mandate.granted_at = (user, now) if accept else (None, None)
    if not accept:
        mandate.revoked_by, mandate.revoked_at = user, now
    mandate.save(update_fields=["status", "granted_by", "granted_at", "revoked_by", "revoked_at"])
    record(company=mandate.company, firm=mandate.firm, actor=user,
           action="mandate_granted" if accept else "mandate_refused",
           code="mandate_approved" if accept else "mandate_refused", who=_who(user),
           what=history.mandate_terms(mandate))
    email_addresses(_holder_emails(mandate), "mandate_decided", {
        "company": mandate.company.ragione_sociale, "accept": accept, "what": _described(mandate)})


@transaction.atomic
def mandate_decide(*, user, mandate: Mandate, accept: bool) -> Mandate:
    mandate = Mandate.objects.select_for_update().get(pk=mandate.pk)
    _require(user, "applications.manage_company", mandate.company)
    if mandate.status != Mandate.Status.REQUESTED:
        raise ValidationError(_("Questa richiesta di delega è già stata decisa."), code="decided")
    _decide(user=user, mandate=mandate, accept=accept, now=timezone.now())
    return mandate


@transaction.atomic
def mandate_revoke(*, user, mandate: Mandate) -> Mandate:
    """The legal representative revokes a mandate at any time; its history stays."""
    mandate = Mandate.objects.select_for_update().get(pk=mandate.pk)
    _require(user, "applications.manage_company", mandate.company)
    if mandate.status not in (Mandate.Status.ACTIVE, Mandate.Status.PENDING):
        raise ValidationError(_("Questa delega non è in corso."), code="closed")
    mandate.status, mandate.revoked_by, mandate.revoked_at = Mandate.Status.REVOKED, user, timezone.now()
    mandate.save(update_fields=["status", "revoked_by", "revoked_at"])
    record(company=mandate.company, firm=mandate.firm, actor=user, action="mandate_revoked", code="mandate_revoked",
           who=_who(user), what=history.mandate_terms(mandate))
    email_addresses(_holder_emails(mandate), "mandate_revoked", {
        "company": mandate.company.ragione_sociale, "what": _described(mandate)})
    return mandate


@transaction.atomic
def client_register(*, user, company: Company, legal_rep_email: str, firm: Firm | None = None,
                    start_date: dt.date, end_date: dt.date | None, can_submit: bool = True,
                    absolute: Absolute) -> Mandate:
    """A consultant registers a client not yet in the portal: the company waits for its legal
    representative (invited by e-mail), the mandate is pending until they confirm it. Meanwhile the
    consultant prepares drafts; nobody submits."""
    if not user.is_consultant:
        raise PermissionDenied
    if firm is not None and not firm.memberships.filter(user=user).exists():
        raise PermissionDenied
    exists = ValidationError(_("L'azienda è già registrata nel portale: chiedere la delega al suo legale "
                               "rappresentante."), code="exists")
    if company_exists(company.codice_fiscale, company.partita_iva):
        raise exists
    company.legal_representative = None
    company.legal_rep_confirmed = False
    try:
        with transaction.atomic():
            company.save()
    except IntegrityError as err:  # registered by someone else meanwhile
        raise exists from err
    mandate = _new_mandate(company=company, firm=firm, consultant=None if firm else user, start_date=start_date,
                           end_date=end_date, all_sites=True, sites=(), can_submit=can_submit,
                           status=Mandate.Status.PENDING, requested_by=user, requested_at=timezone.now())
    record(company=company, firm=firm, actor=user, action="client_registered", code="client_registered",
           who=_who(user), what=history.mandate_terms(mandate))
    invitation_create(user=user, company=company, email=legal_rep_email, role=Role.LEGAL_REP, mandate=mandate,
                      absolute=absolute, check=False)
    return mandate

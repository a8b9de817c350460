"""Company users and consultants keep their productive units and PATs up to date."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from interventions.sectors import SECTORS, suggest_sector

from . import services
from .forms import PATFormSet, SiteForm
from .models import Site
from .selectors import companies_for, sites_for


def _edit(request, site: Site, *, company):
    if not request.user.has_perm("applications.manage_sites", site if site.pk else company):
        raise Http404
    form = SiteForm(request.POST or None, instance=site)
    formset = PATFormSet(request.POST or None, instance=site, prefix="pats")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        site = services.site_save(form=form, formset=formset, company=company)
        messages.success(request, _("Unità produttiva salvata."))
        return redirect("site_edit", site_pk=site.pk)
    voci = [f.instance.voce_di_tariffa for f in formset.forms if f.instance.pk]
    suggested = suggest_sector(voci)
    return render(request, "organisations/site_form.html", {
        "form": form, "formset": formset, "company": company, "site": site if site.pk else None,
        "suggested_sector": SECTORS.get(suggested) if suggested else None,
    })


@login_required
def site_create(request, company_pk: int):
    company = get_object_or_404(companies_for(request.user), pk=company_pk)
    return _edit(request, Site(company=company), company=company)


@login_required
def site_edit(request, site_pk: int):
    site = get_object_or_404(sites_for(request.user), pk=site_pk)
    return _edit(request, site, company=site.company)


# --- companies, people, firms, mandates ---------------------------------------------------------------

from django.conf import settings  # noqa: E402
from django.contrib.auth.views import redirect_to_login  # noqa: E402
from django.core.exceptions import PermissionDenied, ValidationError  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.views.decorators.http import require_POST  # noqa: E402

from ot24portal.pagination import BoundedPaginator  # noqa: E402

from . import selectors  # noqa: E402
from .forms import (AcceptForm, ClientForm, CompanyForm, FirmForm, FirmInvitationForm, InvitationForm,  # noqa: E402
                    JoinForm, MandateGrantForm, MandateRequestForm)
from .models import Company, Firm, FirmMembership, Invitation, JoinRequest, Mandate, Membership  # noqa: E402


INVITATION_SESSION_KEY = "ot24_invitation"  # the invitation opened before logging in (its pk)


def _absolute(request):
    return request.build_absolute_uri


def _form_errors(form, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)


def _page(request, queryset):
    return BoundedPaginator(queryset, settings.OT24_PAGINATE_BY).get_page(request.GET.get("page"))


def _company_for(request, pk: int, perm: str = "applications.view_company") -> Company:
    """The company if the user may see it (perm); 404 otherwise: ids of other tenants reveal nothing."""
    company = Company.objects.filter(pk=pk).select_related("legal_representative").first()
    if company is None or not request.user.has_perm(perm, company):
        raise Http404
    return company


@login_required
def company_register(request):
    if request.user.is_consultant or request.user.is_reviewer or request.user.is_superuser:
        raise Http404
    form = CompanyForm(request.POST or None, user=request.user)
    existing = None
    if request.method == "POST" and form.is_valid():
        existing = services.company_exists(form.cleaned_data["codice_fiscale"], form.cleaned_data["partita_iva"])
        if existing is None:
            try:
                company = services.company_register(
                    user=request.user, company=form.save(commit=False), role=form.cleaned_data["declared_role"],
                    person_codice_fiscale=form.cleaned_data.get("person_codice_fiscale", ""),
                    legal_rep_email=form.cleaned_data.get("legal_rep_email", ""), absolute=_absolute(request))
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("Azienda registrata: ora aggiungi la prima unità produttiva."))
                return redirect("company_detail", pk=company.pk)
    return render(request, "organisations/company_register.html", {
        "form": form, "existing": existing,
        "join_form": JoinForm(initial={"codice_fiscale": existing.codice_fiscale}) if existing else None})


@login_required
@require_POST
def company_join(request):
    form = JoinForm(request.POST)
    company = services.company_exists(form.data.get("codice_fiscale", "")) if form.is_valid() else None
    if company is None:
        raise Http404
    try:
        services.join_request_create(user=request.user, company=company, absolute=_absolute(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Richiesta inviata al legale rappresentante dell'azienda: riceverai un'e-mail con "
                                    "la sua decisione."))
    return redirect("dashboard")


@login_required
def company_detail(request, pk: int):
    """The company's page: its people and mandates; its history for legal representatives and INAIL staff."""
    company = Company.objects.filter(pk=pk).select_related("legal_representative").first()
    if company is None or not (request.user.has_perm("applications.view_company", company)
                               or request.user.has_perm("applications.view_company_events", company)):
        raise Http404
    user = request.user
    manages = user.has_perm("applications.manage_company", company)
    context = {
        "company": company, "manages": manages,
        "people": selectors.company_people(company),
        "mandates": _page(request, selectors.company_mandates(company)) if manages else None,
        "invitations": selectors.company_open_invitations(company) if manages else [],
        "join_requests": company.join_requests.filter(status=JoinRequest.Status.REQUESTED).select_related("user")
        if manages else [],
        "events": selectors.company_events(company)[:50]
        if user.has_perm("applications.view_company_events", company) else None,
        "own_membership": company.memberships.filter(user=user).first(),
        "sites": list(sites_for(user).filter(company=company).order_by("name")[:200]),
        "can_add_site": user.has_perm("applications.manage_sites", company),
        "invitation_form": InvitationForm() if manages else None,
        "today": timezone.localdate(),
    }
    return render(request, "organisations/company_detail.html", context)


@login_required
@require_POST
def company_invite(request, pk: int):
    company = _company_for(request, pk, "applications.manage_company")
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            services.invitation_create(user=request.user, company=company, email=form.cleaned_data["email"],
                                       role=form.cleaned_data["role"], absolute=_absolute(request))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Invito inviato a %(email)s.") % {"email": form.cleaned_data["email"]})
    else:
        messages.error(request, _("Indicare un indirizzo e-mail valido e un ruolo."))
    return redirect("company_detail", pk=company.pk)


@login_required
@require_POST
def invitation_revoke(request, pk: int):
    invitation = get_object_or_404(Invitation, pk=pk)
    try:
        services.invitation_revoke(user=request.user, invitation=invitation)
    except PermissionDenied:
        raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Invito revocato."))
    if invitation.company_id:
        return redirect("company_detail", pk=invitation.company_id)
    return redirect("firm_detail", pk=invitation.firm_id)


def invitation_accept(request, token: str):
    """The invitation's link: log in (or sign up) with the invited address, then accept. A used, revoked,
    expired or unknown link gives a clear page; whether the address is registered is never said."""
    invitation = services.invitation_lookup(token)
    problem = services.invitation_problem(invitation)
    if problem:
        return render(request, "organisations/invitation_problem.html", {"problem": problem}, status=410 if invitation else 404)
    if not request.user.is_authenticated:
        # Remembered for after the log-in, which may come only after signing up and confirming the address
        # (the dashboard brings the person back here once: pages.dashboard).
        request.session[INVITATION_SESSION_KEY] = invitation.pk
        return render(request, "organisations/invitation_login.html", {
            "invitation": invitation, "login_url": _login_url(request),
            "signup_url": _signup_url(request, invitation.email)})
    problem = services.invitation_problem(invitation, request.user)
    if problem:
        return render(request, "organisations/invitation_problem.html", {"problem": problem}, status=403)
    return _invitation_answer(request, invitation)


@login_required
def invitation_open(request, pk: int):
    """An open invitation to the logged-in person's address, opened from their dashboard (the address,
    confirmed at sign-up, stands for the link's token). Anybody else's, or a closed one: 404."""
    invitation = Invitation.objects.select_related("company", "firm", "mandate").filter(pk=pk).first()
    if invitation is None or services.invitation_problem(invitation, request.user):
        raise Http404
    return _invitation_answer(request, invitation)


def _invitation_answer(request, invitation):
    request.session.pop(INVITATION_SESSION_KEY, None)
    form = AcceptForm(request.POST if request.method == "POST" else None, invitation=invitation, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_accept(user=request.user, invitation=invitation,
                                       declared=form.cleaned_data.get("declaration", False),
                                       person_codice_fiscale=form.cleaned_data.get("person_codice_fiscale", ""),
                                       confirm_mandate=form.cleaned_data.get("confirm_mandate", True))
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Invito accettato."))
            if invitation.firm_id:
                return redirect("firm_detail", pk=invitation.firm_id)
            return redirect("company_detail", pk=invitation.company_id)
    return render(request, "organisations/invitation_accept.html", {"invitation": invitation, "form": form})


def _login_url(request) -> str:
    return redirect_to_login(request.get_full_path()).url


def _signup_url(request, email: str) -> str | None:
    """The sign-up page with the invited address filled in (allauth's ?email=), back here afterwards."""
    from urllib.parse import urlencode

    from django.urls import NoReverseMatch

    try:
        return f"{reverse('account_signup')}?{urlencode({'email': email, 'next': request.get_full_path()})}"
    except NoReverseMatch:  # sign-up arrives with the accounts branch (django-allauth)
        return None


@login_required
@require_POST
def membership_remove(request, pk: int):
    membership = Membership.objects.filter(pk=pk).select_related("company").first()
    if membership is None or not (membership.user_id == request.user.pk
                                  or request.user.has_perm("applications.manage_company", membership.company)):
        raise Http404
    leaving = membership.user_id == request.user.pk
    try:
        services.membership_remove(user=request.user, membership=membership)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("company_detail", pk=membership.company_id)
    if leaving:
        messages.success(request, _("Hai lasciato l'azienda."))
        return redirect("dashboard")
    messages.success(request, _("Persona rimossa."))
    return redirect("company_detail", pk=membership.company_id)


@login_required
def join_request_decide(request, pk: int):
    join_request = JoinRequest.objects.filter(pk=pk).select_related("company", "user").first()
    if join_request is None or not request.user.has_perm("applications.manage_company", join_request.company):
        raise Http404
    if request.method == "POST":
        try:
            services.join_request_decide(user=request.user, join_request=join_request,
                                         accept=request.POST.get("decision") == "accept")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Decisione registrata."))
        return redirect("company_detail", pk=join_request.company_id)
    return render(request, "organisations/join_request.html", {"join_request": join_request})


# --- mandates ---


@login_required
def mandate_grant(request, pk: int):
    company = _company_for(request, pk, "applications.manage_company")
    form = MandateGrantForm(request.POST or None, company=company,
                            initial={"start_date": timezone.localdate(), "all_sites": True})
    if request.method == "POST" and form.is_valid():
        firm, consultant = form.cleaned_data["holder"]
        try:
            services.mandate_grant(user=request.user, company=company, firm=firm, consultant=consultant,
                                   start_date=form.cleaned_data["start_date"], end_date=form.cleaned_data["end_date"],
                                   all_sites=form.cleaned_data["all_sites"], sites=form.cleaned_data["sites"],
                                   can_submit=form.cleaned_data["can_submit"], absolute=_absolute(request))
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Delega concessa."))
            return redirect("company_detail", pk=company.pk)
    return render(request, "organisations/mandate_grant.html", {"form": form, "company": company})


@login_required
def mandate_decide(request, pk: int):
    mandate = Mandate.objects.filter(pk=pk).select_related("company", "firm", "consultant", "requested_by").first()
    if mandate is None or not request.user.has_perm("applications.manage_company", mandate.company):
        raise Http404
    if request.method == "POST":
        try:
            services.mandate_decide(user=request.user, mandate=mandate, accept=request.POST.get("decision") == "accept")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Decisione registrata."))
        return redirect("company_detail", pk=mandate.company_id)
    return render(request, "organisations/mandate_decide.html", {"mandate": mandate})


@login_required
@require_POST
def mandate_revoke(request, pk: int):
    mandate = Mandate.objects.filter(pk=pk).select_related("company").first()
    if mandate is None or not request.user.has_perm("applications.manage_company", mandate.company):
        raise Http404
    try:
        services.mandate_revoke(user=request.user, mandate=mandate)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Delega revocata."))
    return redirect("company_detail", pk=mandate.company_id)


def _consultant_only(request):
    if not request.user.is_consultant:
        raise Http404


@login_required
def mandate_request(request):
    _consultant_only(request)
    form = MandateRequestForm(request.POST or None, user=request.user, initial={"start_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.mandate_request(user=request.user, company=form.cleaned_data["codice_fiscale"],
                                     firm=form.cleaned_data["firm"], start_date=form.cleaned_data["start_date"],
                                     end_date=form.cleaned_data["end_date"], can_submit=form.cleaned_data["can_submit"],
                                     absolute=_absolute(request))
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Richiesta di delega inviata al legale rappresentante dell'azienda."))
            return redirect("clients")
    return render(request, "organisations/mandate_request.html", {"form": form})


@login_required
def client_register(request):
    _consultant_only(request)
    form = ClientForm(request.POST or None, user=request.user, initial={"start_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.client_register(user=request.user, company=form.save(commit=False),
                                     legal_rep_email=form.cleaned_data["legal_rep_email"], firm=form.cleaned_data["firm"],
                                     start_date=form.cleaned_data["start_date"], end_date=form.cleaned_data["end_date"],
                                     can_submit=form.cleaned_data["can_submit"], absolute=_absolute(request))
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Cliente registrato: il legale rappresentante riceverà l'invito per confermare "
                                        "la delega. Nel frattempo puoi preparare le domande, ma non inviarle."))
            return redirect("clients")
    return render(request, "organisations/client_register.html", {"form": form})


@login_required
def clients(request):
    _consultant_only(request)
    return render(request, "organisations/clients.html", {
        "page": _page(request, selectors.consultant_mandates(request.user)),
        "firms": FirmMembership.objects.filter(user=request.user).select_related("firm"),
        "today": timezone.localdate(),
    })


# --- firms ---


@login_required
def firm_create(request):
    _consultant_only(request)
    form = FirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            firm = services.firm_create(user=request.user, firm=form.save(commit=False))
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Studio creato."))
            return redirect("firm_detail", pk=firm.pk)
    return render(request, "organisations/firm_form.html", {"form": form})


def _firm_for(request, pk: int) -> tuple[Firm, FirmMembership]:
    membership = FirmMembership.objects.filter(firm_id=pk, user=request.user).select_related("firm").first()
    if membership is None:
        raise Http404
    return membership.firm, membership


@login_required
def firm_detail(request, pk: int):
    firm, own = _firm_for(request, pk)
    return render(request, "organisations/firm_detail.html", {
        "firm": firm, "own": own, "people": firm.memberships.select_related("user").order_by("-is_owner", "user__email"),
        "invitations": firm.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True,
                                               expires_at__gt=timezone.now()) if own.is_owner else [],
        "form": FirmInvitationForm() if own.is_owner else None,
        "events": firm.events.select_related("actor")[:50] if own.is_owner else None,
    })


@login_required
@require_POST
def firm_invite(request, pk: int):
    firm, own = _firm_for(request, pk)
    if not own.is_owner:
        raise Http404
    form = FirmInvitationForm(request.POST)
    if form.is_valid():
        try:
            services.invitation_create(user=request.user, firm=firm, email=form.cleaned_data["email"],
                                       absolute=_absolute(request))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Invito inviato a %(email)s.") % {"email": form.cleaned_data["email"]})
    else:
        messages.error(request, _("Indicare un indirizzo e-mail valido."))
    return redirect("firm_detail", pk=firm.pk)


@login_required
@require_POST
def firm_member_remove(request, pk: int):
    membership = FirmMembership.objects.filter(pk=pk).select_related("firm").first()
    if membership is None:
        raise Http404
    firm, own = _firm_for(request, membership.firm_id)
    if not (own.is_owner or membership.user_id == request.user.pk):
        raise Http404
    try:
        services.firm_member_remove(user=request.user, membership=membership)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("firm_detail", pk=firm.pk)
    if membership.user_id == request.user.pk:
        messages.success(request, _("Hai lasciato lo studio."))
        return redirect("clients")
    messages.success(request, _("Consulente rimosso dallo studio."))
    return redirect("firm_detail", pk=firm.pk)

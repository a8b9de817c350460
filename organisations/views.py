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
    if not request.user.has_perm("applications.manage_sites", company):
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

"""Writes: a company's productive unit with its PATs (the views have checked manage_sites)."""
from __future__ import annotations

from django.db import transaction

from .models import Site


@transaction.atomic
def site_save(*, form, formset, company) -> Site:
    """Save a valid SiteForm and its PATFormSet for the company, together."""
    site = form.save(commit=False)
    site.company = company
    site.save()
    formset.instance = site
    formset.save()
    return site

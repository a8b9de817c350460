"""A productive unit and its PATs, as companies and consultants keep them."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PAT, Site


class SiteForm(forms.ModelForm):
    class Meta:
        model = Site
        fields = ["name", "address", "city", "cap", "province", "codice_sede", "workers", "sector"]

    def clean_province(self):
        return (self.cleaned_data.get("province") or "").upper()


class BasePATFormSet(forms.BaseInlineFormSet):
    """A PAT named in a submitted application is frozen (the submission depends on its figures): it can
    be neither changed nor deleted, and the company adds a new PAT instead. A company lists each PAT
    number once; another company may list the same number (reviewers see the conflict)."""

    def clean(self):
        super().clean()
        for form in self.forms:
            pat = form.instance
            if not pat.pk or not (form in self.deleted_forms or form.has_changed()):
                continue
            if pat.is_frozen():
                original = PAT.objects.get(pk=pat.pk)
                error = original.frozen_error()
                if form in self.deleted_forms:
                    raise forms.ValidationError(error)
                form.add_error(None, error)
        company_id = self.instance.company_id
        seen: set[str] = set()
        for form in self.forms:
            if form in self.deleted_forms or not hasattr(form, "cleaned_data"):
                continue
            number = form.cleaned_data.get("number")
            if not number:
                continue
            elsewhere = PAT.objects.filter(site__company_id=company_id, number=number)
            if form.instance.pk:
                elsewhere = elsewhere.exclude(pk=form.instance.pk)
            if number in seen or (company_id and elsewhere.exists()):
                form.add_error("number", forms.ValidationError(
                    _("La PAT %(n)s è già indicata per questa azienda."), params={"n": number}))
            seen.add(number)


PATFormSet = forms.inlineformset_factory(
    Site, PAT, formset=BasePATFormSet, fields=["number", "voce_di_tariffa", "lavoratori_anno", "premium"],
    extra=1, can_delete=True, max_num=20, validate_max=True, localized_fields=["lavoratori_anno", "premium"],
)

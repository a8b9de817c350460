"""A productive unit and its PATs, as companies and consultants keep them."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.formats import get_format, number_format
from django.utils.translation import gettext_lazy as _

from . import provinces
from .inail_codes import normalise_pat, parse_amount
from .models import PAT, Site


class ProvinceField(forms.ChoiceField):
    """The official sigle as a list; a typed sigla or name (a form posted without the list) is accepted."""

    def __init__(self, **kwargs):
        super().__init__(choices=[("", _("Scegliere la provincia"))] + provinces.CHOICES,
                         error_messages={"invalid_choice": _("Scegliere una provincia dall'elenco.")}, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return provinces.normalise(value) or value


class AmountInput(forms.TextInput):
    """Amounts shown with grouping in the user's language ("18.500,00"), typed on a phone's number pad."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, (Decimal, int, float)):
            return number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)
        return super().format_value(value)


class AmountField(forms.DecimalField):
    """A DecimalField that takes amounts as people write them: "€ 18.500,00", "18500,5", "8,5"."""

    widget = AmountInput

    def to_python(self, value):
        if isinstance(value, str):
            value = parse_amount(value, decimal_separator=get_format("DECIMAL_SEPARATOR"),
                                 thousand_separator=get_format("THOUSAND_SEPARATOR"))
            if value == "":
                return None
            try:
                return Decimal(value)
            except InvalidOperation:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        return super().to_python(value)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("step", None)  # a text input: no spinner, no browser-side number format
        return attrs


class SiteForm(forms.ModelForm):
    province = ProvinceField(label=_("Provincia"))

    class Meta:
        model = Site
        fields = ["name", "address", "city", "cap", "province", "codice_sede", "workers", "sector"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workers"].widget.attrs["min"] = 1
        self.fields["workers"].validators.append(_at_least_one_worker)


def _at_least_one_worker(value):
    if value is not None and value < 1:
        raise forms.ValidationError(_("Indicare almeno 1 lavoratore."), code="min_value")


class PATForm(forms.ModelForm):
    lavoratori_anno = AmountField(label=_("Lavoratori-anno"), max_digits=10, decimal_places=2, min_value=0)
    premium = AmountField(label=_("Premio annuo (€)"), max_digits=12, decimal_places=2, min_value=0, required=False)

    class Meta:
        model = PAT
        fields = ["number", "voce_di_tariffa", "lavoratori_anno", "premium"]
        help_texts = {"number": _("8 cifre, eventualmente seguite dalle 2 cifre di controllo (12345678/90).")}
        widgets = {"number": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
                   "voce_di_tariffa": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].max_length = 14  # "12345678/90" with spaces: stored as 8 or 10 digits
        self.fields["number"].widget.attrs["maxlength"] = 14
        self.fields["number"].validators = []  # the format check is clean_number's, on the normalised text
        self.fields["premium"].widget.attrs.update({"class": "form-control", "placeholder": "18.500,00"})

    def clean_number(self):
        number = normalise_pat(self.cleaned_data.get("number") or "")
        if number is None:
            raise forms.ValidationError(
                _("Il numero PAT è di 8 cifre, eventualmente seguite dalle 2 cifre di controllo (es. 12345678 o 12345678/90)."))
        return number


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
    Site, PAT, form=PATForm, formset=BasePATFormSet, fields=["number", "voce_di_tariffa", "lavoratori_anno", "premium"],
    extra=3, can_delete=True, max_num=20, validate_max=True,
)

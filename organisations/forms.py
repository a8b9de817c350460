"""A productive unit and its PATs, as companies and consultants keep them."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ot24portal.numbers import LocalizedDecimalField, LocalizedNumberInput

from . import provinces
from .inail_codes import normalise_pat, printed_pat
from .models import PAT, Site


class ProvinceField(forms.ChoiceField):
    """The official sigle as a list; a typed sigla or name (a form posted without the list) is accepted."""

    def __init__(self, **kwargs):
        super().__init__(choices=[("", _("Scegliere la provincia"))] + provinces.CHOICES,
                         error_messages={"invalid_choice": _("Scegliere una provincia dall'elenco.")}, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return provinces.normalise(value) or value


class AmountInput(LocalizedNumberInput):
    """Amounts shown with grouping and two decimals in the user's language ("18.500,00")."""

    def __init__(self, attrs=None):
        super().__init__(attrs, decimal_places=2)


class AmountField(LocalizedDecimalField):
    """A DecimalField that takes amounts as people write them: "€ 18.500,00", "18500,5", "8,5"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", AmountInput())
        super().__init__(**kwargs)


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
        if self.instance.pk:  # shown as INAIL prints it, stored as digits (clean_number)
            self.initial["number"] = self.instance.printed_number

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
                    _("La PAT %(n)s è già indicata per questa azienda."), params={"n": printed_pat(number)}))
            seen.add(number)


PATFormSet = forms.inlineformset_factory(
    Site, PAT, form=PATForm, formset=BasePATFormSet, fields=["number", "voce_di_tariffa", "lavoratori_anno", "premium"],
    extra=3, can_delete=True, max_num=20, validate_max=True,
)


# --- companies, people, firms, mandates ---------------------------------------------------------------

from django.contrib.auth import get_user_model  # noqa: E402

from accounts.addresses import canonical_email_or_none  # noqa: E402
from accounts.validators import compact_fiscal_code, validate_codice_fiscale_persona  # noqa: E402

from .models import Company, Firm, Role  # noqa: E402
from .selectors import company_known_as  # noqa: E402

ART76 = _("Consapevole delle sanzioni penali previste dall'art. 76 del D.P.R. 445/2000 in caso di dichiarazioni "
          "mendaci, falsità negli atti e uso di atti falsi, dichiaro che quanto indicato corrisponde al vero.")


DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})  # the ISO date the browser's picker reads


def _upper(value: str) -> str:
    """A codice fiscale or partita IVA as stored and compared: see accounts.validators.compact_fiscal_code."""
    return compact_fiscal_code(value)


class CompanyFieldsForm(forms.ModelForm):
    """The company's own fields, as a registration or a consultant's new client enters them. An existing
    codice fiscale is not a field error: the views and services say what to do instead (ask to join)."""

    class Meta:
        model = Company
        fields = ["ragione_sociale", "codice_fiscale", "partita_iva", "codice_ditta", "address", "city", "cap",
                  "province"]

    def clean_codice_fiscale(self):
        return _upper(self.cleaned_data.get("codice_fiscale"))

    def clean_partita_iva(self):
        return _upper(self.cleaned_data.get("partita_iva"))

    def clean_province(self):
        return (self.cleaned_data.get("province") or "").upper()

    def validate_unique(self):
        pass


class CompanyForm(CompanyFieldsForm):
    """A company's registration by one of its people, who declares their role (DPR 445/2000)."""

    declared_role = forms.ChoiceField(
        label=_("Il tuo ruolo nell'azienda"), widget=forms.RadioSelect,
        choices=[(Role.LEGAL_REP, _("Legale rappresentante")), (Role.MEMBER, _("Dipendente o collaboratore"))])
    person_codice_fiscale = forms.CharField(
        label=_("Il tuo codice fiscale (legale rappresentante)"), required=False, max_length=16,
        validators=[validate_codice_fiscale_persona],
        help_text=_("Deve coincidere con quello del certificato di firma digitale con cui firmerai le domande."))
    legal_rep_email = forms.EmailField(label=_("E-mail del legale rappresentante (da invitare)"), required=False,
                                       help_text=_("Solo se non sei tu il legale rappresentante."))
    declaration = forms.BooleanField(label=ART76, required=True,
                                     error_messages={"required": _("La dichiarazione è obbligatoria.")})

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user is not None and user.codice_fiscale:
            self.fields["person_codice_fiscale"].widget = forms.HiddenInput()

    def clean_person_codice_fiscale(self):
        return _upper(self.cleaned_data.get("person_codice_fiscale"))

    def clean(self):
        data = super().clean()
        if (data.get("declared_role") == Role.LEGAL_REP and not (self.user and self.user.codice_fiscale)
                and not data.get("person_codice_fiscale") and "person_codice_fiscale" not in self.errors):
            self.add_error("person_codice_fiscale", _("Il legale rappresentante deve indicare il proprio codice fiscale."))
        return data


class ClientForm(CompanyFieldsForm):
    """A consultant's new client, not yet in the portal, with its legal representative's e-mail."""

    legal_rep_email = forms.EmailField(label=_("E-mail del legale rappresentante"))
    firm = forms.ModelChoiceField(label=_("Delega a"), queryset=Firm.objects.none(), required=False,
                                  empty_label=_("a me personalmente"))
    start_date = forms.DateField(label=_("Inizio della delega"), widget=DATE)
    end_date = forms.DateField(label=_("Fine della delega"), required=False,
                               widget=DATE)
    can_submit = forms.BooleanField(label=_("Con facoltà di inviare le domande per l'azienda"), required=False,
                                    initial=True)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["firm"].queryset = Firm.objects.filter(memberships__user=user) if user else Firm.objects.none()

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", _("La data di fine precede quella di inizio."))
        return data


class JoinForm(forms.Form):
    codice_fiscale = forms.CharField(widget=forms.HiddenInput)


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    role = forms.ChoiceField(label=_("Ruolo"), choices=Role.choices, initial=Role.MEMBER)


class FirmInvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail del collega"))


class AcceptForm(forms.Form):
    """Accepting an invitation; as legal representative with the declaration and the codice fiscale; with a
    pending mandate, its confirmation."""

    declaration = forms.BooleanField(label=ART76, required=False)
    person_codice_fiscale = forms.CharField(label=_("Il tuo codice fiscale"), required=False, max_length=16,
                                            validators=[validate_codice_fiscale_persona])
    # A choice the person makes, nothing pre-selected (issue 34): confirming or refusing the consultant's mandate.
    confirm_mandate = forms.TypedChoiceField(
        label=_("La delega al consulente"), widget=forms.RadioSelect, coerce=lambda value: value == "yes",
        choices=[("yes", _("Confermo la delega al consulente")), ("no", _("Non confermo la delega"))],
        error_messages={"required": _("Indicare se confermi la delega al consulente.")})

    def __init__(self, *args, invitation=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation, self.user = invitation, user
        as_rep = invitation is not None and invitation.company_id and invitation.role == Role.LEGAL_REP
        self.as_rep = bool(as_rep)  # the page then shows the company's data the declaration covers
        if not as_rep:
            del self.fields["declaration"], self.fields["person_codice_fiscale"]
        elif user is not None and user.codice_fiscale:
            del self.fields["person_codice_fiscale"]
        if invitation is None or invitation.mandate_id is None:
            del self.fields["confirm_mandate"]

    def clean_person_codice_fiscale(self):
        return _upper(self.cleaned_data.get("person_codice_fiscale"))

    def clean(self):
        data = super().clean()
        if "declaration" in self.fields and not data.get("declaration"):
            self.add_error("declaration", _("La dichiarazione è obbligatoria per il legale rappresentante."))
        if "person_codice_fiscale" in self.fields and not data.get("person_codice_fiscale") \
                and "person_codice_fiscale" not in self.errors:
            self.add_error("person_codice_fiscale", _("Il legale rappresentante deve indicare il proprio codice fiscale."))
        return data


class FirmForm(forms.ModelForm):
    class Meta:
        model = Firm
        fields = ["name", "codice_fiscale"]

    def clean_codice_fiscale(self):
        return _upper(self.cleaned_data.get("codice_fiscale"))

    def validate_unique(self):
        """The service says what to do with an existing firm."""


class MandateFields(forms.Form):
    start_date = forms.DateField(label=_("Inizio"), widget=DATE)
    end_date = forms.DateField(label=_("Fine"), required=False, widget=DATE,
                               help_text=_("Vuota: fino a revoca."))
    can_submit = forms.BooleanField(label=_("Con facoltà di inviare le domande per l'azienda"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", _("La data di fine precede quella di inizio."))
        return data


class MandateGrantForm(MandateFields):
    """The legal representative grants a mandate to a firm or a consultant, found by e-mail or codice fiscale."""

    holder = forms.CharField(label=_("Studio o consulente"), max_length=254,
                             help_text=_("E-mail del consulente, oppure codice fiscale o partita IVA dello studio o "
                                         "del consulente."))
    all_sites = forms.BooleanField(label=_("Per tutte le unità produttive"), required=False, initial=True)
    sites = forms.ModelMultipleChoiceField(label=_("Oppure per queste unità produttive"), required=False,
                                           queryset=None, widget=forms.CheckboxSelectMultiple)
    field_order = ["holder", "start_date", "end_date", "all_sites", "sites", "can_submit"]

    def __init__(self, *args, company=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sites"].queryset = company.sites.all() if company else None

    def clean_holder(self):
        value = self.cleaned_data["holder"].strip()
        users = get_user_model().objects.filter(role="consultant", is_active=True)
        if "@" in value:
            canonical = canonical_email_or_none(value)
            consultant = users.filter(email=canonical).first() if canonical else None
            if consultant:
                return None, consultant
        else:
            value = _upper(value)
            firm = Firm.objects.filter(codice_fiscale=value).first()
            if firm:
                return firm, None
            consultants = list(users.filter(codice_fiscale=value)[:2]) if value else []
            if len(consultants) > 1:  # two profiles with one codice fiscale: the e-mail says who
                raise forms.ValidationError(_("Più consulenti hanno questo codice fiscale: indicare l'e-mail del "
                                              "consulente."))
            if consultants:
                return None, consultants[0]
        raise forms.ValidationError(_("Nessuno studio o consulente registrato con questo dato."))

    def clean(self):
        data = super().clean()
        if not data.get("all_sites") and not data.get("sites"):
            self.add_error("sites", _("Scegliere almeno un'unità produttiva o tutte."))
        return data


class MandateRequestForm(MandateFields):
    """A consultant asks a registered company (by its codice fiscale) for a mandate."""

    codice_fiscale = forms.CharField(label=_("Codice fiscale dell'azienda"), max_length=16)
    firm = forms.ModelChoiceField(label=_("Delega a"), queryset=Firm.objects.none(), required=False,
                                  empty_label=_("a me personalmente"))
    field_order = ["codice_fiscale", "firm", "start_date", "end_date", "can_submit"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["firm"].queryset = Firm.objects.filter(memberships__user=user) if user else Firm.objects.none()
        self.fields["can_submit"].initial = True

    def clean_codice_fiscale(self):
        company = company_known_as(self.cleaned_data["codice_fiscale"])
        if company is None:
            raise forms.ValidationError(_("Nessuna azienda registrata con questo codice fiscale: puoi registrarla "
                                          "tu come nuovo cliente."))
        return company

from __future__ import annotations

from django import forms
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils.translation import gettext_lazy as _

from accounts.birthplace import birth_place_from_codice_fiscale
from accounts.validators import compact_fiscal_code, validate_codice_fiscale_persona
from organisations.inail_codes import normalise_codice_ditta
from organisations.models import PAT

from .models import Application

SCHEDA_FIELDS = [
    "ragione_sociale", "codice_ditta", "codice_sede", "unita_produttiva", "indirizzo", "citta", "cap",
    "matricola_inps", "sector", "workers",
    "signatory_name", "signatory_codice_fiscale", "signatory_birth_place", "signatory_birth_date", "signatory_role",
]


class BootstrapClassesMixin:
    """The Bootstrap classes crispy-forms' `crispy_field` tag puts on a widget, set once by the form: the
    widget's class name in lower case, then `form-select` (a select) or `form-control`, and `is-invalid`
    when the field has errors. Fields rendered with templates/applications/wizard/_field.html (the scheda)
    get the same markup as `|as_crispy_field` gave them, without crispy's generic field template: under
    cProfile the scheda's 16 `as_crispy_field` calls were 21 of its 37 ms; bench/server_cpu.py measured the
    scheda at 22.5 -> 18.0 ms of CPU per request (docs/performance.md). Checkboxes, radio buttons,
    multiple choices and files are left to crispy-forms."""

    def set_bootstrap_classes(self, names) -> None:
        for name in names:
            widget = self.fields[name].widget
            classes = widget.attrs.get("class", "").split()
            kind = type(widget).__name__.lower()
            for css in (kind, "form-select" if isinstance(widget, forms.Select) else "form-control"):
                if css not in classes:
                    classes.append(css)
            widget.attrs["class"] = " ".join(classes)

    def add_error(self, field, error):
        """Every error reaches the form through here (the fields' and the form's cleaning, the model's
        validation, the view's own): its field's widget is marked at once, before the page renders it."""
        super().add_error(field, error)
        for name in self._errors:
            widget = self.fields[name].widget if name in self.fields else None
            classes = widget.attrs.get("class", "").split() if widget is not None else []
            if ("form-control" in classes or "form-select" in classes) and "is-invalid" not in classes:
                widget.attrs["class"] = " ".join([*classes, "is-invalid"])


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


def _site_pats(*, site_id: int, application_id: int):
    """The site's PATs, each marked `covered` when the application covers it."""
    return list(PAT.objects.filter(site_id=site_id).annotate(
        covered=ExpressionWrapper(Q(pk__in=Application.pats.through.objects.filter(application_id=application_id)
                                    .values("pat_id")), output_field=BooleanField())))


def birth_date_from_codice_fiscale(code: str) -> str | None:
    """The ISO birth date a person's codice fiscale holds (python-stdnum), or None for a code it cannot
    read (the code is validated on its own). The birth place: accounts.birthplace."""
    from stdnum.exceptions import ValidationError as StdnumError
    from stdnum.it import codicefiscale

    code = compact_fiscal_code(code or "")
    if len(code) != 16:
        return None
    try:
        return codicefiscale.get_birth_date(code).isoformat()
    except (StdnumError, ValueError):
        return None


class SchedaForm(BootstrapClassesMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    pats = forms.ModelMultipleChoiceField(
        queryset=None,  # the site's PATs, set for a posted form (a queryset is cloned at every form's deepcopy)
        widget=forms.CheckboxSelectMultiple,
        label=_("PAT coperte dalla domanda (al massimo 3)"),
        error_messages={"required": _("Selezionare almeno una PAT.")},
    )

    class Meta:
        model = Application
        fields = SCHEDA_FIELDS
        widgets = {"signatory_birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, instance=application, **kwargs)
        if self.is_bound:
            self._birth_from_codice_fiscale()
        pats = self.fields["pats"]
        if self.is_bound:  # what a posted choice is checked against; shown, the boxes are site_pats below
            pats.queryset = application.site.pats.all()
        # The site's PATs, each marked if the application covers it, in one query made once per process:
        # the boxes to show (without the field's own iteration, a server-side cursor) and the ticked ones.
        self.site_pats = _site_pats(site_id=application.site_id, application_id=application.pk)
        pats.initial = [pat for pat in self.site_pats if pat.covered]
        choice = pats.iterator(pats).choice
        pats.widget.choices = [choice(pat) for pat in self.site_pats]
        self.fields["version"].initial = application.version
        for name in Application.SCHEDA_REQUIRED:
            self.fields[name].required = True
        self.fields["signatory_codice_fiscale"].validators.append(validate_codice_fiscale_persona)
        self.fields["signatory_codice_fiscale"].required = True
        self.fields["signatory_birth_date"].help_text = _("Se la lasci vuota, è ricavata dal codice fiscale.")
        self.fields["signatory_birth_place"].help_text = _("Se lo lasci vuoto, è ricavato dal codice fiscale.")
        self.fields["workers"].widget.attrs["min"] = 1
        self.fields["codice_ditta"].widget.attrs["inputmode"] = "numeric"
        self.set_bootstrap_classes(SCHEDA_FIELDS)

    def _birth_from_codice_fiscale(self) -> None:
        """A birth date or place left empty is taken from the codice fiscale posted with it (issue 34); what
        the person wrote is kept."""
        code = self.data.get(self.add_prefix("signatory_codice_fiscale"), "")
        for name, derive in (("signatory_birth_date", birth_date_from_codice_fiscale),
                             ("signatory_birth_place", birth_place_from_codice_fiscale)):
            key = self.add_prefix(name)
            if self.data.get(key, "").strip():
                continue
            value = derive(code)
            if value is not None:
                self.data = self.data.copy()
                self.data[key] = value

    def clean_codice_ditta(self):
        value = self.cleaned_data.get("codice_ditta") or ""
        code = normalise_codice_ditta(value)
        if value and code is None:
            raise forms.ValidationError(_("Il codice ditta INAIL è formato da 1 a 9 cifre."))
        return code or value

    def clean_workers(self):
        workers = self.cleaned_data.get("workers")
        if workers is not None and workers < 1:
            raise forms.ValidationError(_("Indicare almeno 1 lavoratore."))
        return workers

    def clean_pats(self):
        pats = self.cleaned_data["pats"]
        if len(pats) > Application.MAX_PATS:
            raise forms.ValidationError(_("Una domanda copre al massimo 3 PAT: deselezionarne qualcuna."))
        return pats

    def clean_signatory_codice_fiscale(self):
        return compact_fiscal_code(self.cleaned_data.get("signatory_codice_fiscale"))


class SectionForm(VersionedForm):
    """One checkbox per intervention of a section, its sub-options and its declaration."""

    def __init__(self, *args, interventions, selections: dict, version: int, catalogue=None, **kwargs):
        """catalogue: the interventions' EditionCatalogue, when the caller has it: what the fields need of
        each intervention (its sub-options' choices, its declarations' label) is then read from the
        catalogue's rows once per process and revision instead of at every form (bench: wizard_profile)."""
        super().__init__(*args, **kwargs)
        self.interventions = list(interventions)
        self.fields["version"].initial = version
        if catalogue is not None:
            spec = catalogue.fragment(("section_form", tuple(item.pk for item in self.interventions)),
                                      lambda: self._spec(self.interventions))
        else:
            spec = self._spec(self.interventions)
        for code, choices, declaration in spec:
            current = selections.get(code)
            self.fields[f"sel_{code}"] = forms.BooleanField(
                required=False, label=code, initial=current is not None
            )
            if choices:
                self.fields[f"sub_{code}"] = forms.TypedMultipleChoiceField(
                    required=False,
                    coerce=int,
                    choices=list(choices),
                    widget=forms.CheckboxSelectMultiple,
                    initial=current.suboptions if current else [],
                    label=_("Opzioni"),
                )
            if declaration is not None:
                self.fields[f"decl_{code}"] = forms.BooleanField(
                    required=False,
                    initial=bool(current and current.declaration_confirmed),
                    label=declaration,
                )

    @staticmethod
    def _spec(interventions) -> tuple:
        """Per intervention: (code, its sub-options' choices or None, its declarations' label or None)."""
        spec = []
        for item in interventions:
            subs = list(item.suboptions.all())
            declarations = list(item.declarations.all())
            spec.append((item.code, tuple((s.number, f"{s.number}. {s.label}") for s in subs) or None,
                         " ".join(d.label for d in declarations) if declarations else None))
        return tuple(spec)

    def clean(self):
        """A sub-option or declaration ticked without its intervention is refused next to it, never
        dropped without a word: the user may have forgotten the intervention's own box."""
        data = super().clean()
        self.orphans: dict[str, str] = {}
        for item in self.interventions:
            if data.get(f"sel_{item.code}"):
                continue
            for name in (f"sub_{item.code}", f"decl_{item.code}"):
                if self.data.get(name) if not hasattr(self.data, "getlist") else self.data.getlist(name):
                    message = _("Opzioni spuntate senza l'intervento %(code)s: spuntare anche l'intervento, "
                                "oppure togliere le opzioni.") % {"code": item.code}
                    self.orphans[item.code] = str(message)
                    if name in self.fields:
                        self.add_error(name, message)
                    break
        return data

    def only_orphan_errors(self) -> bool:
        """Invalid only because of sub-options ticked without their intervention (the preview scores anyway)."""
        orphan_fields = {f"{kind}_{code}" for code in getattr(self, "orphans", {}) for kind in ("sub", "decl")}
        return bool(self.errors) and set(self.errors) <= orphan_fields

    def chosen(self) -> dict[str, tuple[frozenset[int], bool]]:
        data = self.cleaned_data
        return {
            item.code: (frozenset(data.get(f"sub_{item.code}") or ()), bool(data.get(f"decl_{item.code}")))
            for item in self.interventions
            if data.get(f"sel_{item.code}")
        }

    def rows(self):
        """(intervention, selected field, sub-options field, declaration field) for the template."""
        for item in self.interventions:
            yield item, self[f"sel_{item.code}"], (
                self[f"sub_{item.code}"] if f"sub_{item.code}" in self.fields else None
            ), (self[f"decl_{item.code}"] if f"decl_{item.code}" in self.fields else None)


def declaration_field(label) -> forms.BooleanField:
    return forms.BooleanField(label=label, error_messages={"required": _("Dichiarazione obbligatoria.")})


class SubmitForm(VersionedForm):
    declares_obligations = declaration_field(
        _("Dichiaro di essere consapevole che la concessione del beneficio è subordinata all'accertamento degli obblighi contributivi ed assicurativi.")
    )
    declares_compliance = declaration_field(
        _("Dichiaro che nei luoghi di lavoro di cui alla presente domanda sono rispettate le disposizioni in materia di prevenzione infortuni e di igiene nei luoghi di lavoro e che sono stati effettuati, nell'anno solare precedente, gli interventi indicati.")
    )
    declares_art76 = declaration_field(
        _("Sono consapevole che, per effetto dell'art. 76 del d.p.r. 445/2000, le dichiarazioni mendaci, le falsità negli atti o l'uso di atti falsi sono puniti ai sensi del codice penale e delle leggi speciali in materia e che la riduzione sarà annullata nel caso in cui il provvedimento sia stato adottato sulla base di dichiarazioni non veritiere.")
    )
    declares_privacy = declaration_field(
        _("Tutela dei dati – Dichiaro di aver preso visione dell'informativa sul trattamento dei dati personali ai sensi degli artt. 13 e 14 del Regolamento (UE) 2016/679 (GDPR) e del D.Lgs. 196/2003, come modificato dal D.Lgs. 101/2018.")
    )
    place = forms.CharField(label=_("Luogo"), max_length=100)
    password = forms.CharField(
        label=_("Conferma con la tua password"), widget=forms.PasswordInput, strip=False,
        help_text=_("La password conferma la firma elettronica della domanda."),
    )

    def __init__(self, *args, user, request=None, **kwargs):
        self.user = user
        self.request = request  # with it, the password goes through the log-in lock-out (django-axes)
        super().__init__(*args, **kwargs)

    def clean_password(self):
        from accounts.throttling import password_confirms

        password = self.cleaned_data["password"]
        if not password_confirms(self.request, self.user, password):
            raise forms.ValidationError(_("Password non corretta."))
        return password

    def declarations(self) -> dict[str, bool]:
        return {k: self.cleaned_data[k] for k in Application.DECLARATIONS}


class QualifiedPrepareForm(SubmitForm):
    """The same declarations and place, without the password: the signature will be the signatory's own."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["password"]


class SignedPdfForm(forms.Form):
    signed_pdf = forms.FileField(label=_("PDF firmato digitalmente (PAdES)"),
                                 error_messages={"required": _("Scegliere il PDF firmato.")})

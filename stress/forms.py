"""Forms of the stress assessment pages. Every message in Italian, next to its field."""
from __future__ import annotations

from django import forms
from django.db import models
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from organisations.selectors import sites_for
from ot24portal.numbers import LocalizedDecimalField, LocalizedIntegerField

from .models import Assessment, Measure, Participant, PeriodFigures

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = Assessment
        fields = ["scope", "site", "group", "date", "year", "method"]
        widgets = {"date": DATE_INPUT, "method": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, company, user, **kwargs):
        """user: the sites offered are those the user works on; whoever does not work on every site of the
        company (a mandate for chosen sites) assesses one productive unit only."""
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites_for(user).filter(company=company).order_by("name")
        self.fields["site"].required = False
        self.whole_company = user.has_perm("applications.manage_stress", company)
        if not self.whole_company:
            self.fields["scope"].choices = [(Assessment.Scope.SITE, Assessment.Scope.SITE.label)]
            self.fields["scope"].initial = Assessment.Scope.SITE
            self.fields["scope"].error_messages["invalid_choice"] = _(
                "Il mandato riguarda solo alcune unità produttive: si può valutare una di quelle unità, non "
                "l'intera azienda né un gruppo di mansioni.")
            self.fields["site"].error_messages["invalid_choice"] = _(
                "Il mandato non riguarda questa unità produttiva: scegliere una di quelle indicate.")
        self.fields["site"].help_text = gettext_lazy("Solo per la valutazione di un'unità produttiva.")
        self.fields["group"].help_text = gettext_lazy("Solo per un gruppo omogeneo di mansioni (es. «Autisti»).")
        if not self.instance.pk:
            today = timezone.localdate()
            self.fields["date"].initial, self.fields["year"].initial = today, today.year - 1

    def clean(self):
        data = super().clean()
        scope = data.get("scope")
        if scope == Assessment.Scope.SITE and not data.get("site") and "site" not in self.errors:
            self.add_error("site", _("Indicare l'unità produttiva valutata."))
        if scope == Assessment.Scope.GROUP and not (data.get("group") or "").strip():
            self.add_error("group", _("Indicare il gruppo omogeneo di mansioni valutato."))
        if scope != Assessment.Scope.SITE:
            data["site"] = None
        if scope != Assessment.Scope.GROUP:
            data["group"] = ""
        date, year = data.get("date"), data.get("year")
        if date and year and year > date.year:
            self.add_error("year", _("L'anno degli indicatori non può essere successivo alla data della valutazione."))
        return data


class BaseParticipantFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = 0
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.cleaned_data:
                continue
            if form.cleaned_data.get("DELETE"):
                if form.instance.pk and form.instance.compilations.exists():
                    form.add_error(None, _("%(name)s ha compilato la check-list: eliminare prima la sua "
                                           "compilazione.") % {"name": form.instance.name})
                continue
            kept += 1
        if not kept:
            raise forms.ValidationError(_("Indicare almeno una persona coinvolta nella valutazione."))


ParticipantFormSet = inlineformset_factory(Assessment, Participant, formset=BaseParticipantFormSet,
                                           fields=["name", "role"], extra=3, can_delete=True)


# The check-list's answers as people read them (the stored values stay the check-list's own).
ANSWER_LABELS = {"sì": gettext_lazy("Sì"), "no": pgettext_lazy("risposta", "No"),
                 "aumentato": gettext_lazy("Aumentato"), "diminuito": gettext_lazy("Diminuito"),
                 "inalterato": gettext_lazy("Inalterato")}


class AreaForm(forms.Form):
    """One area of one compiler's check-list: a radio group per item, none required (resumable)."""

    def __init__(self, *args, area, answers, **kwargs):
        super().__init__(*args, **kwargs)
        self.area = area
        for family in area.families:
            for item in family.items:
                self.fields[item.id] = forms.ChoiceField(
                    label=f"{item.id} {item.label}", required=False, widget=forms.RadioSelect,
                    choices=[(c.value, ANSWER_LABELS.get(c.value, c.value.capitalize())) for c in item.choices],
                    initial=answers.get(item.id))

    def families(self):
        for family in self.area.families:
            yield family, [self[item.id] for item in family.items]


class CompilationAddForm(forms.Form):
    compiler = forms.ChoiceField(label=gettext_lazy("Chi compila"))

    def __init__(self, *args, assessment, **kwargs):
        super().__init__(*args, **kwargs)
        existing = list(assessment.compilations.values_list("participant_id", flat=True))
        choices = []
        if None not in existing:  # a joint check-list stands alone
            choices = [(str(p.pk), str(p)) for p in assessment.participants.all() if p.pk not in existing]
        if not existing:
            choices.append(("joint", _("Compilazione congiunta (una risposta condivisa)")))
        self.fields["compiler"].choices = choices


class PeriodFiguresForm(forms.ModelForm):
    """One year's area A figures, in the user's language both ways (ot24portal.numbers). The injury indices
    the register can compute (register=(IF, IG)) are prefilled where nothing is saved yet, stay editable,
    and say what the register gives."""

    class Meta:
        model = PeriodFigures
        fields = list(PeriodFigures.FIGURE_FIELDS)
        field_classes = {name: (LocalizedDecimalField if isinstance(PeriodFigures._meta.get_field(name),
                                                                    models.DecimalField) else LocalizedIntegerField)
                         for name in PeriodFigures.FIGURE_FIELDS}

    INDICES = ("injury_frequency", "injury_severity")

    def __init__(self, *args, register=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.register = register
        # One scale for both years, typed or from the register (indicators.rules): IF per million hours,
        # IG per thousand hours.
        self.fields["injury_frequency"].help_text = gettext_lazy(
            "Infortuni per milione di ore lavorate (infortuni × 1.000.000 / ore lavorate).")
        self.fields["injury_severity"].help_text = gettext_lazy(
            "Giornate perse per mille ore lavorate (giornate × 1.000 / ore lavorate).")
        self.register_notes = {}
        if register is not None:
            for name, value in zip(self.INDICES, register):
                if getattr(self.instance, name, None) is None:
                    self.initial[name] = value
                self.register_notes[name] = value
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-control"
            if name in self.register_notes:
                field.widget.attrs["aria-describedby"] = f"reg-{self.add_prefix(name)}"

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] = "form-control is-invalid"
                attrs["aria-describedby"] = " ".join(filter(None, (
                    attrs.get("aria-describedby"), f"err-{self.add_prefix(name)}")))

    def save(self, commit=True):
        row = super().save(commit=False)
        row.indices_from_register = self.register is not None and tuple(
            getattr(row, name) for name in self.INDICES) == tuple(self.register)
        if commit:
            row.save()
        return row


MeasureFormSet = inlineformset_factory(Assessment, Measure, fields=["title", "owner", "deadline", "status", "objective"],
                                       extra=1, can_delete=False,
                                       widgets={"deadline": DATE_INPUT, "objective": forms.Textarea(attrs={"rows": 4})})


class AttachForm(forms.Form):
    application = forms.ModelChoiceField(label=gettext_lazy("Domanda in bozza"), queryset=None,
                                         empty_label=None)

    def __init__(self, *args, drafts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = drafts
        self.fields["application"].label_from_instance = lambda a: f"{a.campaign} — {a.site.name}"

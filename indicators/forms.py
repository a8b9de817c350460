"""Forms of the register: an injury (checked by the pure rules, messages next to the field), the hours of
a year, a CSV file to import, the year range of the analysis."""
from __future__ import annotations

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from ot24portal.numbers import LocalizedDecimalField

from . import bounds, rules
from .models import Contractor, CorrectiveAction, Injury
from .selectors import today

DATE_INPUTS = ["%Y-%m-%d", "%d/%m/%Y"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class InjuryForm(forms.ModelForm):
    class Meta:
        model = Injury
        fields = ["kind", "event_date", "party", "contractor", "reported_by", "first_absence", "last_absence",
                  "commuting", "fatal", "disability", "pat", "description", "reference", "causes"]
        widgets = {"event_date": DateInput(), "first_absence": DateInput(), "last_absence": DateInput(),
                   "causes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, site, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.site = site
        for name in ("event_date", "first_absence", "last_absence"):
            self.fields[name].input_formats = DATE_INPUTS
        self.fields["pat"].queryset = site.pats.all()
        self.fields["pat"].empty_label = _("— nessuna —")
        self.fields["disability"].required = False
        self.fields["kind"].required = False
        self.fields["party"].required = False
        self.fields["disability"].help_text = _("Punti percentuali da 0 a 100; 0 se non c'è invalidità permanente.")

    def clean_disability(self):
        return self.cleaned_data.get("disability") or 0

    def clean_kind(self):  # left out (an older client, a script): an injury
        return self.cleaned_data.get("kind") or rules.KIND_INJURY

    def clean_party(self):  # left out: the company's own staff
        return self.cleaned_data.get("party") or rules.PARTY_OWN

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        injury = rules.Injury(data["event_date"], data.get("first_absence"), data.get("last_absence"),
                              commuting=data.get("commuting", False), fatal=data.get("fatal", False),
                              disability=data.get("disability") or 0)
        for field, message in injury.problems(today()):
            self.add_error(field, message)
        for field, message in rules.event_problems(
                data.get("kind", ""), data.get("party", ""), data.get("contractor", ""),
                first_absence=data.get("first_absence"), fatal=data.get("fatal", False),
                disability=data.get("disability") or 0, commuting=data.get("commuting", False)):
            if field not in self.errors:
                self.add_error(field, message)
        return data


class CorrectiveActionForm(forms.ModelForm):
    class Meta:
        model = CorrectiveAction
        fields = ["description", "owner", "due_date", "done"]
        widgets = {"due_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["due_date"].input_formats = DATE_INPUTS


CorrectiveActionFormSet = inlineformset_factory(Injury, CorrectiveAction, form=CorrectiveActionForm, extra=1,
                                                can_delete=True, max_num=50, validate_max=True)


class HoursForm(forms.Form):
    year = forms.IntegerField(label=_("Anno"), min_value=1900, max_value=2100)
    hours = LocalizedDecimalField(label=_("Ore lavorate"), help_text=_("Es. 125.000 o 12.500,5."))

    def clean_hours(self):
        year = self.cleaned_data.get("year") or 0
        try:
            hours = rules.check_hours(year, self.cleaned_data["hours"])
        except rules.IndicatorInputError as exc:
            raise forms.ValidationError(str(exc)) from None
        problem = bounds.hours_problem(hours)
        if problem:
            raise forms.ValidationError(problem)
        return hours


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Contenuto del file"), choices=[
        ("injuries", _("Registro infortuni")), ("hours", _("Ore lavorate per anno"))], widget=forms.RadioSelect)
    file = forms.FileField(label=_("File CSV"))


class RangeForm(forms.Form):
    dal = forms.IntegerField(label=_("Dall'anno"), min_value=1900, max_value=2100, required=False)
    al = forms.IntegerField(label=_("All'anno"), min_value=1900, max_value=2100, required=False)


class ContractorForm(forms.ModelForm):
    """A contractor working in the site's places, with when and how the event-analysis procedure was sent."""

    class Meta:
        model = Contractor
        fields = ["name", "party", "procedure_sent_on", "procedure_sent_how"]
        widgets = {"procedure_sent_on": DateInput()}

    def __init__(self, *args, site, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.site = site
        self.fields["procedure_sent_on"].input_formats = DATE_INPUTS

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if self.instance.site.contractors.filter(name__iexact=name).exists():
            raise forms.ValidationError(_("%(name)s è già nell'elenco delle imprese di questa unità produttiva.")
                                        % {"name": name})
        return name

"""The review screen's POST actions, one small form each: each reads and bounds its fields and gives the
keyword arguments of its service (services.py), which checks role, state and content."""
from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from interventions.models import Intervention

from . import services


class ReviewActionForm(forms.Form):
    """Unbound fields are read as typed (strip=False: the services strip), cut to their limits."""

    service = None
    success = ""  # the confirmation shown after the service ran
    limits: dict[str, int] = {}

    def __init__(self, data, *, application):
        super().__init__(data)
        self.application = application

    def text(self, name: str) -> str:
        value = self.cleaned_data.get(name) or ""
        return value[: self.limits[name]] if name in self.limits else value

    def arguments(self) -> dict:
        if not self.is_valid():  # optional text: refused only with a NUL character (PostgreSQL refuses it)
            raise ValidationError(_("Dati non validi."))
        return {}

    def perform(self, user):
        return type(self).service(user=user, application=self.application, **self.arguments())


def _text(**kwargs) -> forms.CharField:
    return forms.CharField(required=False, strip=False, **kwargs)


class VerdictForm(ReviewActionForm):
    service = services.verdict_record
    success = gettext_lazy("Giudizio registrato.")
    limits = {"reason": 2000}
    intervention = _text()
    evidence_file = _text()
    outcome = _text()
    reason = _text()

    def arguments(self) -> dict:
        super().arguments()
        intervention = get_object_or_404(Intervention, pk=self.cleaned_data["intervention"] or 0)
        evidence_file = None
        if self.cleaned_data["evidence_file"]:
            evidence_file = get_object_or_404(self.application.evidence_files, pk=self.cleaned_data["evidence_file"])
        return {"intervention": intervention, "evidence_file": evidence_file, "outcome": self.cleaned_data["outcome"],
                "reason": self.text("reason")}


def _field(data, name: str, limit: int) -> str:
    return (data.get(name) or "").replace("\x00", "")[:limit]


class VerdictsForm(ReviewActionForm):
    """Every verdict of the review screen, files and interventions, in one submit: fields outcome-<key> and
    reason-<key>, key "i<intervention id>" or "f<file id>". An item left without an outcome, or as its
    latest verdict already says, records nothing; the others are saved together or not at all
    (services.verdicts_record)."""

    service = services.verdicts_record
    success = gettext_lazy("Giudizi registrati.")

    @staticmethod
    def targets(application) -> list[dict]:
        """The application's judgeable items: its interventions and their files, with the latest verdicts."""
        from applications.selectors import application_selections

        from .selectors import latest_verdicts

        by_intervention, by_file = latest_verdicts(application)
        selections = {s.intervention_id: s.intervention for s in application_selections(application)}
        targets = [{"key": f"i{pk}", "intervention": intervention, "evidence_file": None,
                    "latest": by_intervention.get(pk)} for pk, intervention in selections.items()]
        for f in application.evidence_files.select_related("evidence_item"):
            if f.evidence_item.intervention_id in selections:
                targets.append({"key": f"f{f.pk}", "intervention": selections[f.evidence_item.intervention_id],
                                "evidence_file": f, "latest": by_file.get(f.pk)})
        return targets

    def arguments(self) -> dict:
        items = []
        for target in self.targets(self.application):
            key = target["key"]
            outcome = _field(self.data, f"outcome-{key}", 20)
            reason = _field(self.data, f"reason-{key}", 2000)
            latest = target["latest"]
            if not outcome and not reason.strip():
                continue
            if latest is not None and outcome == latest.outcome and reason.strip() == latest.reason:
                continue  # unchanged
            items.append({**target, "outcome": outcome, "reason": reason})
        if not items:
            raise ValidationError(_("Nessun giudizio nuovo o modificato da registrare."))
        return {"items": items}


class ClarifyForm(ReviewActionForm):
    service = services.clarification_request
    success = gettext_lazy("Richiesta di chiarimenti inviata.")
    limits = {"request": 5000}
    request = _text()
    deadline = _text()
    interventions = forms.MultipleChoiceField(required=False)

    def __init__(self, data, *, application):
        super().__init__(data, application=application)
        # Any value is accepted and the ones that are not the ids of the application's interventions dropped.
        self.fields["interventions"].valid_value = lambda value: True

    def arguments(self) -> dict:
        super().arguments()
        deadline = None
        if self.cleaned_data["deadline"]:
            try:
                deadline = dt.date.fromisoformat(self.cleaned_data["deadline"])
            except ValueError:
                raise ValidationError(_("Data del termine non valida.")) from None
        codes = self.cleaned_data["interventions"]
        interventions = list(Intervention.objects.filter(
            pk__in=self.application.selections.filter(intervention__pk__in=[c for c in codes if c.isdigit()])
            .values("intervention")))
        return {"request": self.text("request"), "interventions": interventions, "deadline": deadline}


class NoteForm(ReviewActionForm):
    service = services.note_add
    success = gettext_lazy("Nota interna registrata.")
    limits = {"message": 5000}
    message = _text()

    def arguments(self) -> dict:
        super().arguments()
        return {"message": self.text("message")}


class DecideForm(ReviewActionForm):
    service = services.review_decide
    success = gettext_lazy("Provvedimento adottato.")


ACTIONS: dict[str, type[ReviewActionForm]] = {
    "verdict": VerdictForm, "verdicts": VerdictsForm, "clarify": ClarifyForm, "note": NoteForm, "decide": DecideForm,
}

"""The application wizard's steps, declared in one place.

Each step has a key (the last part of its URL), a title, a template, the view function that handles it
(GET shows the step, POST saves it) and the preconditions a person must meet to enter it. The wizard's view
(applications/views/wizard.py) dispatches through this registry; the header's step links, "Riprendi" on the
dashboard (application_detail) and the problems that point at a step read it too.

To add a step: write its handler (a function `handler(request, application, step)` returning a response,
usually `applications.views.wizard.render_step(...)` of its template) and its template, then register a `Step`:
applications' own steps are registered below, in the order people go through them; an app above applications
(.importlinter) registers its step from its AppConfig.ready(), `wizard.register(Step(...), before=wizard.REVIEW)`,
as evidence does with the "Documentazione" step (evidence/apps.py), so that applications never imports it.
Modelled on django-oscar's checkout (`pre_conditions`), kept simple.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Callable

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

# The keys other modules name a step by (selectors' problems, e-mails' links, redirects after an action).
SCHEDA = "scheda"
SECTIONS = ("A", "B", "C", "D")
EVIDENCE = "evidence"  # registered by evidence (evidence/apps.py)
REVIEW = "review"
SUBMIT = "submit"


@dataclass(frozen=True)
class Visit:
    """Who asks for a step of which application: what preconditions look at."""
    request: object
    application: object
    can_edit: bool  # the `applications.edit_application` rule's answer for this user and application


# A precondition returns None to let the person in, or a response (a redirect) to send them elsewhere; it
# may raise PermissionDenied or Http404.
Precondition = Callable[[Visit], object]


def editors_only(visit: Visit):
    """Only those who may edit the application enter: on a draft anyone else is refused; an application
    that is no longer a draft opens at its review."""
    if visit.can_edit:
        return None
    if visit.application.is_draft:
        raise PermissionDenied
    return redirect(url(visit.application, REVIEW))


def no_changes_unless_editor(visit: Visit):
    """Anyone who may see the application reads the step; only its editors post to it."""
    if visit.request.method == "POST" and not visit.can_edit:
        raise PermissionDenied
    return None


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    template: str
    handler: str  # dotted path of the view function: handler(request, application, step) -> HttpResponse
    preconditions: tuple[Precondition, ...] = (editors_only, no_changes_unless_editor)
    is_section: bool = False  # one of the scored sections A–D (it has a running-total preview)

    @cached_property
    def view(self):
        return import_string(self.handler)

    def url(self, application) -> str:
        return url(application, self.key)


_VIEWS = "applications.views.wizard"
_SECTION_TITLES = {"A": _("Sezione A"), "B": _("Sezione B"), "C": _("Sezione C"), "D": _("Sezione D")}

# The registered steps in the order people go through them (register() adds to it; read it, never change it).
STEPS: list[Step] = []
_BY_KEY: dict[str, Step] = {}


def register(step: Step, *, before: str | None = None) -> Step:
    """Add a step to the wizard: at the end, or just before the step `before`. The same step registered again
    (an AppConfig.ready() run twice) changes nothing; another step under a key already taken is refused."""
    if step.key in _BY_KEY:
        if _BY_KEY[step.key] == step:
            return _BY_KEY[step.key]
        raise ValueError(f"wizard step {step.key!r} is already registered")
    position = STEPS.index(_BY_KEY[before]) if before is not None else len(STEPS)
    STEPS.insert(position, step)
    _BY_KEY[step.key] = step
    return step


register(Step(SCHEDA, _("Scheda informativa"), "applications/wizard/scheda.html", f"{_VIEWS}.scheda_step"))
for _letter in SECTIONS:
    register(Step(_letter, _SECTION_TITLES[_letter], "applications/wizard/section.html", f"{_VIEWS}.section_step",
                  is_section=True))
del _letter
register(Step(REVIEW, _("Riepilogo"), "applications/wizard/review.html", f"{_VIEWS}.review_step",
              preconditions=(no_changes_unless_editor,)))
register(Step(SUBMIT, _("Firma e invio"), "applications/wizard/submit.html", f"{_VIEWS}.submit_step"))


def get(key: str) -> Step:
    """The step with this key; 404 for any other."""
    try:
        return _BY_KEY[key]
    except KeyError:
        raise Http404 from None


def url(application, key: str) -> str:
    """The URL of the step `key` of this application."""
    return reverse("application_step", args=[application.pk, key])


def next_step(key: str) -> Step:
    """The step after `key` (the last one for the last)."""
    index = STEPS.index(_BY_KEY[key])
    return STEPS[min(index + 1, len(STEPS) - 1)]


def enter(step: Step, visit: Visit):
    """The first precondition's response that turns the person away, or None to let them in."""
    for precondition in step.preconditions:
        response = precondition(visit)
        if response is not None:
            return response
    return None


@dataclass(frozen=True)
class StepLink:
    key: str
    title: str
    url: str
    current: bool


def links(application, current: str) -> list[StepLink]:
    """The header's links to every step, the current one marked."""
    return [StepLink(step.key, step.title, step.url(application), step.key == current) for step in STEPS]


def resume_step(overview) -> Step:
    """Where "Riprendi" opens a draft: the step of the first thing left to do (the problems are listed in the
    wizard's order: the scheda, the sections, the evidence), or the review when nothing is left."""
    for problem in overview.problems:
        if problem.step in _BY_KEY:
            return _BY_KEY[problem.step]
    return _BY_KEY[REVIEW]

"""What every page about one application shares: finding it (404 for other tenants), permissions
remembered for the request, running a service for a POST, refusing altered files."""
from __future__ import annotations

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse

from organisations.rules import remember_role

from ..models import Application

logger = logging.getLogger(__name__)


def get_application(request, pk: int) -> Application:
    """The application, if the user may see it; 404 otherwise, so ids of other tenants reveal nothing.
    Looked up by key (Application.objects.for_wizard: with the user's membership role in its company,
    remembered for the request's permission checks), then checked with the `view_application` rule (the
    twin of selectors.applications_for, held equal by the tests)."""
    user = request.user
    application = Application.objects.for_wizard(user).filter(pk=pk).first()
    if application is not None and user.is_authenticated:
        remember_role(user, application.site.company, application.member_role)
    if application is None or not user_can(request, "applications.view_application", application):
        raise Http404
    return application


def user_can(request, perm: str, application: Application) -> bool:
    """request.user.has_perm, remembered for this request: the view and the page ask the same question."""
    answers = request.__dict__.setdefault("_ot24_permissions", {})
    key = (perm, application.pk, application.status)
    if key not in answers:
        answers[key] = request.user.has_perm(perm, application)
    return answers[key]


def perform(request, action, *, success: str) -> bool:
    """Run one service call for a POST view: a permission refusal is a 404 (ids of other tenants reveal
    nothing), a validation refusal becomes an Italian message, success a confirmation."""
    try:
        action()
    except PermissionDenied:
        raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    messages.success(request, success)
    return True


def altered_response(what: str, message: str) -> HttpResponse:
    """A stored file no longer matches its recorded hash: never hand it over, log it loudly."""
    logger.error("Hash check failed: %s", what)
    return HttpResponse(message, status=409, content_type="text/plain; charset=utf-8")


def pdf_response(data: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    """A PDF the portal rendered, as a download (or shown inline), never sniffed as something else."""
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response

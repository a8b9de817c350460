"""The public face: the home page (visitors; logged-in users are sent to their own landing page), help
and FAQ, contacts, privacy notice, accessibility statement, legal notes; the administrators' landing."""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from applications.selectors import current_campaign
from interventions.scoring import REDUCTION_BANDS

from .menu import is_administrator


def landing_for(user) -> str:
    """The URL name a logged-in user starts from."""
    if is_administrator(user):
        return "admin_landing"
    if user.is_reviewer:
        return "review_queue"
    return "dashboard"


def _contacts() -> dict:
    return {"support_email": settings.OT24_SUPPORT_EMAIL, "support_phone": settings.OT24_SUPPORT_PHONE}


def home(request):
    if request.user.is_authenticated:
        return redirect(landing_for(request.user))
    campaign = current_campaign()
    bands, lower = [], None
    for upper, rate in REDUCTION_BANDS:
        if lower is None:
            label = _("fino a %(n)s") % {"n": number_format(upper, 0)}
        elif upper is None:
            label = _("oltre %(n)s") % {"n": number_format(lower, 0)}
        else:
            label = _("da %(a)s a %(b)s") % {"a": number_format(lower + 1, 0), "b": number_format(upper, 0)}
        bands.append({"label": label, "rate": number_format(rate, 0)})
        lower = upper
    return render(request, "pages/home.html", {"campaign": campaign, "bands": bands, **_contacts()})


def help_page(request):
    return render(request, "pages/help.html", {"campaign": current_campaign(), **_contacts()})


def contacts(request):
    return render(request, "pages/contacts.html", _contacts())


def privacy(request):
    return render(request, "pages/privacy.html", _contacts())


ACCESSIBILITY_REVIEWED = dt.date(2026, 11, 23)  # the self-assessment behind the statement


def accessibility(request):
    return render(request, "pages/accessibility.html", {"reviewed": ACCESSIBILITY_REVIEWED, **_contacts()})


def legal(request):
    return render(request, "pages/legal.html", _contacts())


@login_required
def admin_landing(request):
    """Administrators look at everything but act on no company's application: their start page links to
    the administration site and to the read-only views they may open."""
    if not is_administrator(request.user):
        raise Http404
    return render(request, "pages/admin_landing.html", {"campaign": current_campaign()})

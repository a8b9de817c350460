"""What is left of the wizard's header tag: `_number`, which applications/templatetags/dashboard_table.py still
imports (that module is being moved to templates on another branch). The wizard's header itself is the
template templates/applications/wizard/_header.html."""
from __future__ import annotations

from django.conf import settings
from django.utils.formats import localize
from django.utils.html import conditional_escape


def _number(value) -> str:
    """A number as a template variable shows it with localization on ({{ value }})."""
    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)
    return conditional_escape(localize(value))

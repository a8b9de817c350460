"""Translation that keeps the pure modules importable (and usable) without Django settings.

`_("...")` and `ngettext(...)` translate through Django when settings are configured and the app
registry is ready (the portal, the command, the tests); otherwise they return the Italian source text.
makemessages extracts them as usual (`_`, `ngettext` and `gettext_noop` are xgettext keywords)."""
from __future__ import annotations


def _django_ready() -> bool:
    try:
        from django.apps import apps
        from django.conf import settings
    except ImportError:  # pragma: no cover - Django is always installed in this project
        return False
    return settings.configured and apps.ready


def _(message: str) -> str:
    if _django_ready():
        from django.utils.translation import gettext

        return gettext(message)
    return message


def ngettext(singular: str, plural: str, number: int) -> str:
    if _django_ready():
        from django.utils.translation import ngettext as django_ngettext

        return django_ngettext(singular, plural, number)
    return singular if number == 1 else plural


def gettext_noop(message: str) -> str:
    """Marks a string for extraction; translate it later with `_()`."""
    return message

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


def number(value, decimal_pos: int = 2) -> str:
    """A number with `decimal_pos` decimals (cut, not rounded: round it first) and thousands grouped, in the
    active language's notation through Django's localisation (1.234,50 in Italian, 1,234.50 in English);
    without Django, in Italian."""
    if _django_ready():
        from django.utils.formats import number_format

        return number_format(value, decimal_pos=decimal_pos, use_l10n=True, force_grouping=True)
    text = f"{value:,.{decimal_pos}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def gettext_noop(message: str) -> str:
    """Marks a string for extraction; translate it later with `_()`."""
    return message

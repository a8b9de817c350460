"""The logged-in navigation menu as data: one entry per page, shown when its URL name exists and the
user passes its test. To add a page (e.g. the companies or mandates list), append an entry: a name that
does not resolve yet is left out, so the menu never links to a missing page."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from django.conf import settings
from django.core.signals import setting_changed
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


def _everyone(user) -> bool:
    return True


def _applicants(user) -> bool:
    return not (user.is_reviewer or is_administrator(user))


def _consultants(user) -> bool:
    return user.is_consultant


def _reviewers(user) -> bool:
    return user.is_reviewer or is_administrator(user)


def is_administrator(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role == user.Role.ADMIN)


@dataclass(frozen=True)
class MenuEntry:
    url_name: str
    label: Promise
    visible: Callable = _everyone


MENU: tuple[MenuEntry, ...] = (
    MenuEntry("admin_landing", _("Amministrazione"), is_administrator),
    MenuEntry("dashboard", _("Domande"), _applicants),
    MenuEntry("review_queue", _("Istruttoria"), _reviewers),
    MenuEntry("clients", _("Clienti e deleghe"), _consultants),
    MenuEntry("indicators_portfolio", _("Indici infortunistici"), _applicants),
    MenuEntry("stress_list", _("Stress lavoro-correlato"), _applicants),
    MenuEntry("account_profile", _("Profilo")),
    MenuEntry("help", _("Aiuto")),
)


_urls: dict[tuple, str | None] = {}  # the entries' URLs: fixed for a URL configuration and prefix


def _clear_urls(**kwargs):
    _urls.clear()


setting_changed.connect(_clear_urls)  # tests that change the URL configuration


def _url(url_name: str) -> str | None:
    key = (url_name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    if key not in _urls:
        try:
            _urls[key] = reverse(url_name)
        except NoReverseMatch:
            _urls[key] = None
    return _urls[key]


def menu_for(user, current_path: str = "") -> list[dict]:
    """The entries this user sees, with their URLs and whether the current page is under them."""
    entries = []
    for entry in MENU:
        if not entry.visible(user):
            continue
        url = _url(entry.url_name)
        if url is None:
            continue
        entries.append({"url": url, "label": entry.label, "current": current_path == url
                        or (url != "/" and current_path.startswith(url))})
    return entries

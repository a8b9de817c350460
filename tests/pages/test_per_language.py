"""pages.templatetags.portal_layout.per_language: markup made once per language, URL configuration and
settings generation, made anew when any of them changes. No database."""
from django.test import override_settings
from django.urls import reverse
from django.utils.translation import gettext, override

from pages.templatetags.portal_layout import language_key, per_language


def _counting():
    calls = []

    @per_language
    def labels():
        calls.append(language_key())
        return {"dashboard": gettext("Domande"), "link": reverse("dashboard")}

    return labels, calls


def test_made_once_per_language():
    labels, calls = _counting()
    with override("it"):
        first = labels()
        assert labels() is first
    with override("en"):
        english = labels()
        assert labels() is english
    with override("it"):
        assert labels() is first
    assert len(calls) == 2
    assert first["dashboard"] == "Domande" and english["dashboard"] != "Domande"


def test_made_anew_when_settings_change():
    labels, calls = _counting()
    with override("it"):
        before = labels()
        with override_settings(OT24_UNUSED_FOR_THIS_TEST=True):
            during = labels()
        assert during is not before and during == before
    assert len(calls) == 2

"""`{% wizard_header %}`: the top of every wizard step (templates/applications/wizard/_layout.html), built in
Python: the breadcrumb, the running score total with its progress bar, the step navigation and the step's
title. Rendered as template markup (blocktranslate, widthratio, localize, a loop over the eight steps and
some twenty translate tags) it cost as much as a section page's own work (bench: wizard_profile).

The output is the markup the template gave, byte for byte: tests/applications/test_wizard_layout.py
renders the former template next to this tag for drafts and submitted applications, in Italian and
English. The texts keep their msgids (the same `{% translate %}`/`{% blocktranslate %}` strings, so
locale/*.po stays valid); the ones that depend on the language alone are translated once per language
and process, the link to the dashboard once per URL prefix and configuration as {% language_fragment %}."""
from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from pages.templatetags.portal_layout import per_language

register = template.Library()

@per_language
def _language_labels() -> dict[str, str]:
    """The texts and link of the header that depend on the language (and URL configuration) alone."""
    e = conditional_escape  # {% translate %} escapes its text, blocktranslate only its variables
    labels = {
        "trail": gettext("Percorso"),
        "dashboard": reverse("dashboard"),
        "applications": gettext("Domande"),
        "score": gettext("Punteggio conteggiato: %(total)s su %(threshold)s"),  # blocktranslate's msgid
        "reached": gettext("Soglia raggiunta"),
        "status": gettext("Stato:"),
        "bar": gettext("Punti conteggiati rispetto alla soglia"),
        "steps": gettext("Passi della domanda"),
    }
    for name in ("trail", "dashboard", "applications", "reached", "status", "bar", "steps"):
        labels[name] = e(labels[name])
    # The steps' titles and the statuses' labels: each a lazy translation, looked up anew at every use.
    from applications.models import Application
    from applications.views.wizard import STEPS
    labels["titles"] = {key: (title, e(title)) for key, title in STEPS}
    labels["statuses"] = {value: e(label) for value, label in Application.Status.choices}
    return labels


def _number(value) -> str:
    """A number as a template variable shows it with localization on ({{ value }})."""
    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)
    return conditional_escape(localize(value))


def _width_class(total, threshold) -> str:
    """The bar's width as one of portal.css's .ot24-w-0 … .ot24-w-100 (the CSP allows no style attribute;
    running-total.js then sets the width through the DOM, which it does allow)."""
    width = _width(total, threshold)
    return str(min(100, max(0, int(width)))) if width.lstrip("-").isdigit() else "0"


def _width(total, threshold) -> str:
    """{% widthratio total threshold 100 %}."""
    try:
        return str(round(float(total) / float(threshold) * 100))
    except ZeroDivisionError:
        return "0"
    except (ValueError, TypeError, OverflowError):
        return ""


@register.simple_tag(takes_context=True)
def wizard_header(context) -> str:
    e = conditional_escape
    labels = _language_labels()
    application = context["application"]
    score = context["score"]
    total, threshold, eligible = score.total, score.threshold, score.eligible
    site = application.site
    if eligible:
        badge = labels["reached"]
    else:
        missing = score.missing
        badge = ngettext("Manca %(missing)s punto", "Mancano %(missing)s punti", missing) % {"missing": _number(missing)}
    success = "bg-success" if eligible else ""
    titles = labels["titles"]

    def title_html(key, title) -> str:  # a step's title, escaped: the cached one if it is the step's in STEPS
        cached = titles.get(key)
        return cached[1] if cached is not None and cached[0] is title else e(title)

    status = labels["statuses"].get(application.status) or e(application.get_status_display())
    out = [
        f'<nav aria-label="{labels["trail"]}"><ol class="breadcrumb"><li class="breadcrumb-item">'
        f'<a href="{labels["dashboard"]}">{labels["applications"]}</a></li>\n'
        f'<li class="breadcrumb-item active" aria-current="page">{e(site.company.ragione_sociale)} — {e(site.name)}'
        f' ({e(application.campaign)})</li></ol></nav>\n'
        f'<div class="ot24-total py-2 mb-3" id="running-total" aria-live="polite">\n'
        f'  <div class="d-flex justify-content-between align-items-center flex-wrap gap-2">\n'
        f'    <strong id="running-total-label">'
        f'{labels["score"] % {"total": _number(total), "threshold": _number(threshold)}}</strong>\n'
        f'    <span id="running-total-badge" class="badge {success or "bg-danger"}">{badge}</span>\n'
        f'    <span class="small">{labels["status"]} {status}</span>\n'
        f'  </div>\n'
        f'  <p id="running-total-pending" class="ot24-pending small mb-0 mt-1 d-none" role="status"></p>\n'
        f'  <div class="progress ot24-score-bar mt-2" id="score-bar" role="progressbar" aria-label="{labels["bar"]}"'
        f' aria-valuenow="{e(total)}" aria-valuemin="0" aria-valuemax="{e(threshold)}"'
        f' data-threshold="{e(threshold)}" data-saved="{e(total)}">\n'
        f'    <div class="progress-bar {success} ot24-w-{_width_class(total, threshold)}" id="score-bar-saved"></div>\n'
        f'    <div class="progress-bar progress-bar-striped bg-warning d-none ot24-w-0" id="score-bar-pending"></div>\n'
        f'  </div>\n'
        f'</div>\n',
    ]
    current = context["step"]
    if application.is_draft:
        out.append(f'\n<nav aria-label="{labels["steps"]}"><ul class="nav nav-tabs mb-3 flex-wrap ot24-steps">\n  ')
        for n, (key, title, url) in enumerate(context["steps"], 1):
            active, aria = ("active", 'aria-current="step"') if key == current else ("", "")
            out.append(f'<li class="nav-item"><a class="nav-link {active}" {aria} href="{e(url)}">{n}. {title_html(key, title)}</a></li>')
        out.append("\n</ul></nav>\n")
    out.append(f'\n<h1 class="h3">{title_html(current, context["step_title"])}</h1>')
    return mark_safe("".join(out))

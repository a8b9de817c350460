"""The dashboard's table rows and status filter options (templates/applications/dashboard.html), built in
Python: `{% dashboard_rows %}` and `{% dashboard_status_options %}`. Rendered as template markup (a loop
with some twenty variables, three {% url %}, two blocktranslate and a dozen {% if %} per row) the table
was most of the dashboard's own time (bench: wizard_profile).

The output is the markup the template gave, byte for byte: tests/applications/test_dashboard_markup.py
renders the former template next to these tags for every kind of row, in Italian and English. The texts
keep their msgids (the same `{% translate %}`/`{% blocktranslate %}` strings, so locale/*.po stays valid);
those that depend on the language alone are translated once per language and process, the links' fixed
parts made once per URL prefix and configuration as {% language_fragment %} does."""
from __future__ import annotations

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from applications.templatetags.wizard_layout import _number
from pages.templatetags.portal_layout import per_language

register = template.Library()

_SENTINEL = 918273645  # a pk no URL pattern's fixed part contains: where the pk goes in a reversed URL


def _link(name: str, *after) -> tuple[str, str]:
    """(before, after) the pk of the URL `name` with the pk and then `after` as arguments."""
    url = reverse(name, args=[_SENTINEL, *after])
    before, found, rest = url.partition(str(_SENTINEL))
    assert found and str(_SENTINEL) not in rest, url
    return before, rest


@per_language
def _language_labels() -> dict:
    """The texts and links' fixed parts of the table that depend on the language (and URLs) alone."""
    from applications.models import Application

    e = conditional_escape  # {% translate %} escapes its text, blocktranslate only its variables
    labels = {
        "indicators": e(gettext("Indici infortunistici")),
        "receipt": e(gettext("Ricevuta")),
        "reply_by": gettext("Rispondere entro il %(d)s"),  # blocktranslate's msgid
        "not_started": e(gettext("Non avviata")),
        "reply": e(gettext("Rispondi")),
        "resume": e(gettext("Riprendi")),
        "open": e(gettext("Apri")),
        "start": e(gettext("Avvia la domanda")),
        "none_found": e(gettext("Nessuna unità produttiva trovata.")),
        "statuses": {value: e(label) for value, label in Application.Status.choices},
        "options": [(value, e(value), e(label)) for value, label in Application.Status.choices],
        "site_edit": _link("site_edit"), "indicators_site": _link("indicators_site"),
        "review": _link("application_step", "review"), "detail": _link("application_detail"),
        "start_url": _link("application_start"),
    }
    return labels


def _url(parts: tuple[str, str], pk) -> str:
    return conditional_escape(f"{parts[0]}{pk}{parts[1]}")


def _row(row, threshold, labels, csrf) -> str:
    e = conditional_escape
    site, application, deadline = row.site, row.application, row.clarification_deadline
    workers = ngettext("%(n)s lavoratore", "%(n)s lavoratori", site.workers) % {"n": _number(site.workers)}
    if application:
        status = labels["statuses"].get(application.status) or e(application.get_status_display())
        if application.receipt_number:
            status += f'<br><small>{labels["receipt"]} {e(application.receipt_number)}</small>'
        status += "\n        "
        if deadline:
            d = e(date_format(deadline, "d/m/Y"))
            status += f'<br><strong class="ot24-urgent">{labels["reply_by"] % {"d": d}}</strong>'
        status += "\n        "
    else:
        status = labels["not_started"]
    if row.total is not None:
        colour = "text-success" if row.total >= threshold else "text-danger"
        total = f'<span class="{colour}">{_number(row.total)}/{_number(threshold)}</span>'
    else:
        total = "—"
    missing = _number(row.missing_evidence) if row.missing_evidence is not None else "—"
    if deadline:
        action = (f'\n          <a class="btn btn-sm btn-warning" href="{_url(labels["review"], application.pk)}#clar-title">'
                  f'{labels["reply"]}</a>\n        ')
    elif application:
        action = (f'\n          <a class="btn btn-sm btn-primary" href="{_url(labels["detail"], application.pk)}">'
                  f'{labels["resume"] if application.is_draft else labels["open"]}</a>\n        ')
    else:
        action = (f'\n          <form method="post" action="{_url(labels["start_url"], site.pk)}">{csrf()}\n'
                  f'            <button type="submit" class="btn btn-sm btn-outline-primary">{labels["start"]}</button></form>\n        ')
    highlight = ' class="ot24-clarification-row"' if deadline else ""
    return (
        f'\n    <tr{highlight}>\n'
        f'      <td>{e(site.company.ragione_sociale)}</td>\n'
        f'      <td><a href="{_url(labels["site_edit"], site.pk)}">{e(site.name)}</a><br><small class="text-muted">'
        f'{e(site.city)} ({e(site.province)}) · {workers} · '
        f'<a href="{_url(labels["indicators_site"], site.pk)}">{labels["indicators"]}</a></small></td>\n'
        f'      <td>{status}</td>\n'
        f'      <td>{total}</td>\n'
        f'      <td>{missing}</td>\n'
        f'      <td>\n        {action}\n      </td>\n'
        f'    </tr>\n  '
    )


@register.simple_tag(takes_context=True)
def dashboard_rows(context) -> str:
    """The rows of the page's sites (context: page, campaign, csrf_token), as the former loop gave them."""
    labels = _language_labels()
    page = context["page"]
    token = []

    def csrf() -> str:  # {% csrf_token %}, rendered once for all the rows that need it
        if not token:
            token.append(CsrfTokenNode().render(context))
        return token[0]

    if not page:
        return mark_safe(f'\n    <tr><td colspan="6">{labels["none_found"]}</td></tr>\n  ')
    threshold = context["campaign"].edition.threshold
    return mark_safe("".join(_row(row, threshold, labels, csrf) for row in page))


@register.simple_tag(takes_context=True)
def dashboard_status_options(context) -> str:
    """The status filter's options, the one filtered on selected (context: status)."""
    status = context.get("status")
    return mark_safe("".join(f'<option value="{value_html}" {"selected" if status == value else ""}>{label}</option>'
                             for value, value_html, label in _language_labels()["options"]))

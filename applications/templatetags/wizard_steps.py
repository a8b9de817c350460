"""The repetitive parts of the wizard's evidence and review steps, built in Python: `{% evidence_rows %}`
(every selected intervention with its evidence items, files and upload forms) and `{% review_lines %}`
(the declared interventions' table rows). As template markup (a loop of loops with url, csrf_token,
translate and filter tags per file and item) they cost more than the rest of their pages' own work
(bench: wizard_profile).

The output is the markup the templates gave, byte for byte: tests/applications/test_wizard_steps.py
renders the former template next to these tags, in Italian and English, with HTML-special characters in
every user-entered value. The texts keep their msgids (the templates' `{% translate %}` strings); the ones
that depend on the language alone are translated and escaped once per language and process, the URLs
reversed once per URL prefix and configuration with placeholder keys, the catalogue's texts (intervention
text, evidence items' labels) escaped and truncated once per cached catalogue (its `fragments`)."""
from __future__ import annotations

import html

from django import template
from django.conf import settings
from django.template.defaultfilters import date as date_filter
from django.template.defaulttags import CsrfTokenNode
from django.template.defaultfilters import filesizeformat, floatformat, truncatechars, truncatewords
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from interventions.selectors import edition_catalogue
from pages.templatetags.portal_layout import per_language

from .wizard_fields import _escape
from .wizard_layout import _number

register = template.Library()

_APP, _OBJ = 987654301, 987654302  # placeholder keys in URLs reversed once



def _url_parts(name: str, *args) -> list[str]:
    """reverse(name, args) split around the placeholder keys: joined again with the real keys between."""
    url = reverse(name, args=args)
    out, rest = [], url
    for placeholder in args:
        head, sep, rest = rest.partition(str(placeholder))
        assert sep and str(placeholder) not in rest, url
        out.append(head)
    out.append(rest)
    return out


@per_language
def _evidence_labels() -> dict:
    """The evidence rows' texts and URLs that depend on the language (and URL configuration) alone."""
    e = conditional_escape  # {% translate %} escapes its text, blocktranslate only its variables
    labels = {
        "confirm_remove": e(gettext("Rimuovere il file?")),
        "remove": e(gettext("Rimuovi")),
        "file_for": e(gettext("File per")),
        "upload": e(gettext("Carica")),
        "progress": e(gettext("Avanzamento caricamento")),
        "alternative": e(gettext("In alternativa ai documenti di cui sopra:")),
        "drop": e(gettext("Trascina qui i file, oppure")),
        "failed": e(gettext("Caricamento non riuscito")),
        "complete": e(gettext("Completa")),
        "no_evidence": e(gettext("Nessun documento richiesto")),
        "missing": e(gettext("Documentazione mancante")),
        "empty": e(gettext("Nessun intervento selezionato: scegliere gli interventi nelle sezioni A–D.")),
        "download": _url_parts("evidence_download", _APP, _OBJ),
        "remove_url": _url_parts("evidence_remove", _APP, _OBJ),
        "upload_json": _url_parts("evidence_upload_json", _APP),
        "raw_upload": _url_parts("evidence_raw_upload", _APP),
    }
    return labels


def _catalogue_texts(catalogue) -> dict:
    """id -> escaped texts of the catalogue's interventions and evidence items, once per cached catalogue."""
    return catalogue.fragment("wizard_steps_texts", dict)


def _intervention_head(texts, intervention) -> tuple:
    entry = texts.get(("i", intervention.pk))
    if entry is None or entry[0] is not intervention:
        code = _escape(intervention.code)
        note = intervention.evidence_note
        entry = (intervention,
                 f'\n<section class="card mb-4" aria-labelledby="ev-{code}"><div class="card-body">\n'
                 f'  <h2 class="h5" id="ev-{code}">{code} — {_escape(truncatewords(intervention.text, 25))}\n    ',
                 f'<p class="small">{_escape(note)}</p>' if note else "")
        texts[("i", intervention.pk)] = entry
    return entry


def _item_texts(texts, item) -> tuple:
    entry = texts.get(("e", item.pk))
    if entry is None or entry[0] is not item:
        condition = item.condition
        entry = (item, _escape(item.label),
                 f'<em class="small"> ({_escape(condition)})</em>' if condition else "",
                 _escape(truncatewords(item.label, 8)))
        texts[("e", item.pk)] = entry
    return entry


@register.simple_tag(takes_context=True)
def evidence_rows(context) -> str:
    """templates/applications/wizard/evidence.html's loop over the evidence rows."""
    rows = context["rows"]
    labels = _evidence_labels()
    if not rows:
        return mark_safe(f'\n<p>{labels["empty"]}</p>\n')
    application = context["application"]
    app = str(application.pk)
    can_edit = context["can_edit"]
    csrf = CsrfTokenNode().render(context)  # what {% csrf_token %} renders, once for every form
    failed_item = context.get("failed_item")
    upload_form = context.get("upload_form")
    texts = _catalogue_texts(edition_catalogue(application.campaign.edition))
    t_remove, t_confirm = labels["remove"], labels["confirm_remove"]
    download, remove = labels["download"], labels["remove_url"]
    if can_edit:
        mb = context["max_file_mb"]
        too_big = labels.get(("too_big", mb))
        if too_big is None:  # {% blocktranslate asvar %}: the translation as it is, its variable escaped
            too_big = labels[("too_big", mb)] = gettext("Il file supera il limite di %(mb)s MB.") % {
                "mb": conditional_escape(_number(mb))}
        upload_json = app.join(labels["upload_json"])
        raw_upload = app.join(labels["raw_upload"])
        upload_attrs = (
            f'data-json-url="{_escape(upload_json)}" data-raw-url="{_escape(raw_upload)}" '
            f'data-max-file-bytes="{_escape(str(context["max_file_bytes"]))}" data-too-big-text="{too_big}" '
            f'data-failed-text="{labels["failed"]}" data-remove-text="{t_remove}" data-confirm-remove="{t_confirm}" '
            f'data-drop-text="{labels["drop"]}" data-complete-text="{labels["complete"]}">')
    out = []
    for row in rows:
        status = row.status
        _i, head, note = _intervention_head(texts, row.intervention)
        out.append(head)
        if status.complete:
            out.append(f'<span class="badge bg-success ot24-ev-badge">'
                       f'{labels["no_evidence"] if status.needs_no_evidence else labels["complete"]}</span>')
        else:
            out.append(f'<span class="badge bg-danger ot24-ev-badge">{labels["missing"]}</span>')
        out.append(f'</h2>\n  {note}\n  <ol class="list-unstyled">\n  ')
        previous = None
        missing = status.missing_item_ids
        for item, files in row.items:
            _e, label, condition, short_label = _item_texts(texts, item)
            out.append("\n    ")
            if item.alternative != previous:  # {% ifchanged item.alternative %}
                previous = item.alternative
                if item.alternative > 1:
                    out.append(f'<li class="fw-semibold my-2">{labels["alternative"]}</li>')
            pk = str(item.pk)
            mark = "✔" if files else ("✘" if item.pk in missing else "·")
            out.append(f'\n    <li class="mb-3 border-start ps-3" id="item-{pk}">\n'
                       f'      <span class="ot24-item-mark">{mark} {label}</span>\n'
                       f'      {condition}\n      <ul class="small ot24-files">')
            for f in files:
                fpk = str(f.pk)
                name = _escape(f.original_name)
                out.append(f'\n        <li><a href="{_escape(fpk.join((app.join(download[:2]), download[2])))}">{name}</a>'
                           f' — {_escape(filesizeformat(f.size))} — '
                           f'<code title="SHA-256">{_escape(truncatechars(f.sha256, 16))}</code>\n          ')
                if can_edit:
                    out.append(f'<form method="post" action="{_escape(fpk.join((app.join(remove[:2]), remove[2])))}" '
                               f'class="d-inline" data-confirm="{t_confirm} {name}">{csrf}<button type="submit" '
                               f'class="btn btn-link btn-sm p-0 text-danger">{t_remove}</button></form>')
                out.append("</li>\n      ")
            out.append("</ul>\n      ")
            if can_edit:
                errors = ""
                if failed_item == pk and upload_form.errors:
                    errors = ('<div class="text-danger small w-100" role="alert">'
                              + "".join(f"{conditional_escape(e)} " for e in upload_form["file"].errors) + "</div>")
                out.append(
                    f'\n      <form method="post" enctype="multipart/form-data" class="ot24-upload d-flex flex-wrap gap-2 '
                    f'align-items-center mt-1" {upload_attrs}\n'
                    f'        {csrf}\n'
                    f'        <input type="hidden" name="evidence_item" value="{pk}">\n'
                    f'        <label class="visually-hidden" for="file-{pk}">{labels["file_for"]} {short_label}</label>\n'
                    f'        <input type="file" name="file" id="file-{pk}" class="form-control form-control-sm w-auto mw-100" '
                    f'accept=".pdf,.jpg,.jpeg,.png,.p7m" multiple>\n'
                    f'        <button type="submit" class="btn btn-sm btn-outline-primary">{labels["upload"]}</button>\n'
                    f'        <ul class="ot24-upload-list list-unstyled small w-100 mb-0" aria-live="polite" '
                    f'aria-label="{labels["progress"]}"></ul>\n'
                    f'        {errors}\n'
                    f'      </form>\n      ')
            out.append("\n    </li>\n  ")
        out.append("\n  </ol>\n</div></section>\n")
    return mark_safe("".join(out))


def _show(value) -> str:
    """{{ value }}: localized (numbers, dates) and escaped."""
    if type(value) is str:
        return html.escape(value)
    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)
    return conditional_escape(localize(value))


@per_language
def _review_labels() -> dict:
    e = conditional_escape
    labels = {
        "fix": e(gettext("Correggi")),
        "yes": e(gettext("sì")),
        "no": e(gettext("no")),
        "complete": e(gettext("completa")),
        "missing": e(gettext("mancante")),
        "no_lines": e(gettext("Nessun intervento selezionato.")),
        "no_pats": e(gettext("Nessuna PAT indicata.")),
    }
    return labels


@register.simple_tag(takes_context=True)
def review_problems(context) -> str:
    """templates/applications/wizard/review.html's list items of what to complete before submission."""
    labels = _review_labels()
    can_edit = context["can_edit"]
    urls = {key: url for key, _title, url in context["steps"]}
    application = context["application"]
    out = []
    for p in context["overview"].problems:
        link = ""
        if can_edit:
            url = urls.get(p.step) or reverse("application_step", args=[application.pk, p.step])
            link = f'<a href="{_escape(url)}">{labels["fix"]}</a>'
        out.append(f"<li>{_escape(p.message)} {link}</li>")
    return mark_safe("".join(out))


def _line_text(texts, intervention) -> str:
    entry = texts.get(("r", intervention.pk))
    if entry is None or entry[0] is not intervention:
        entry = texts[("r", intervention.pk)] = (intervention, _escape(truncatewords(intervention.text, 30)))
    return entry[1]


@register.simple_tag(takes_context=True)
def review_lines(context) -> str:
    """templates/applications/wizard/review.html's rows of the declared interventions."""
    labels = _review_labels()
    lines = context["lines"]
    if not lines:
        return mark_safe(f'<tr><td colspan="5">{labels["no_lines"]}</td></tr>')
    texts = _catalogue_texts(edition_catalogue(context["application"].campaign.edition))
    success = f'<span class="text-success">{labels["complete"]}'
    danger = f'<span class="text-danger">{labels["missing"]}'
    out = []
    for entry in lines:
        line, evidence, subs = entry["line"], entry["evidence"], entry["suboptions"]
        suboptions = ('<ul class="small mb-0">' + "".join(f"<li>{_escape(s)}</li>" for s in subs) + "</ul>") if subs else ""
        errors = "".join(f'<div class="text-danger small">{_escape(e)}</div>' for e in line.errors)
        complete = evidence is not None and evidence.status.complete
        out.append(
            f"<tr>\n  <td>{_escape(line.code)}</td>\n"
            f"  <td>{_line_text(texts, entry['intervention'])}{suboptions}\n    {errors}</td>\n"
            f"  <td>{_show(line.points)}</td>\n"
            f"  <td>{labels['yes'] if line.counted else labels['no']}</td>\n"
            f"  <td>{success if complete else danger}</span></td>\n"
            f"</tr>")
    return mark_safe("".join(out))


@register.simple_tag(takes_context=True)
def review_benefits(context) -> str:
    """templates/applications/wizard/review.html's rows of the estimated benefit per PAT."""
    benefits = context["benefits"]
    if not benefits:
        return mark_safe(f'<tr><td colspan="5">{_review_labels()["no_pats"]}</td></tr>')
    out = []
    for pat, b in benefits:
        premium = "—" if b.premium is None else f'€ {_escape(floatformat(b.premium, "2g"))}'
        saving = "—" if b.saving is None else f'€ {_escape(floatformat(b.saving, "2g"))}'
        out.append(f"<tr><td>{_show(pat.number)}</td><td>{_show(pat.lavoratori_anno)}</td><td>{_show(b.rate_percent)}%</td>"
                   f"<td>{premium}</td><td>{saving}</td></tr>\n")
    return mark_safe("".join(out))


@per_language
def _summary_labels() -> dict:
    """review.html's summary texts that depend on the language alone, escaped as {% translate %} does."""
    t = {name: conditional_escape(gettext(msgid)) for name, msgid in (
        ("scheda", "Scheda informativa generale"), ("name", "Denominazione o ragione sociale"),
        ("codes", "Codice ditta / codice sede"), ("unit", "Unità produttiva"), ("pat", "PAT"),
        ("inps", "Matricola INPS"), ("sector", "Settore e lavoratori"), ("signatory", "Il sottoscritto"),
        ("born", "nato a"), ("on", "il"), ("as", "in qualità di"), ("declared", "Interventi dichiarati"),
        ("code", "Codice"), ("intervention", "Intervento"), ("points", "Punti"), ("counted", "Conteggiato"),
        ("evidence", "Documentazione"), ("total", "Totale conteggiato"), ("benefit", "Beneficio stimato per PAT"),
        ("workers", "Lavoratori-anno"), ("rate", "Riduzione"), ("premium", "Premio annuo"),
        ("saving", "Risparmio stimato"))}
    dt, dd = '<dt class="col-sm-4">', '</dt><dd class="col-sm-8">'
    labels = {
        **t,
        "head": f'<h2 class="h5">{t["scheda"]}</h2>\n<dl class="row">\n  {dt}{t["name"]}{dd}',
        "lines_head": (
            f'</dd>\n</dl>\n<h2 class="h5">{t["declared"]}</h2>\n<div class="table-responsive"><table class="table">\n'
            f'<thead><tr><th scope="col">{t["code"]}</th><th scope="col">{t["intervention"]}</th><th scope="col">'
            f'{t["points"]}</th><th scope="col">{t["counted"]}</th><th scope="col">{t["evidence"]}</th></tr></thead>\n'
            f'<tbody>\n'),
        "benefits_head": (
            f'</th></tr></tfoot>\n</table></div>\n<h2 class="h5">{t["benefit"]}</h2>\n'
            f'<div class="table-responsive"><table class="table table-sm">\n'
            f'<thead><tr><th scope="col">{t["pat"]}</th><th scope="col">{t["workers"]}</th><th scope="col">'
            f'{t["rate"]}</th><th scope="col">{t["premium"]}</th><th scope="col">{t["saving"]}</th></tr></thead>\n'
            f'<tbody>'),
        "dt": {name: f"</dd>\n  {dt}{t[name]}{dd}" for name in ("codes", "unit", "pat", "inps", "sector", "signatory")},
    }
    return labels


def _or_dash(value) -> str:
    """{{ value|default:"—" }}."""
    return _show(value) if value else "—"


@register.simple_tag(takes_context=True)
def review_summary(context) -> str:
    """templates/applications/wizard/review.html's summary: the scheda, the declared interventions with the
    counted total, the estimated benefit per PAT."""
    labels = _summary_labels()
    a = context["application"]
    benefits = context["benefits"]
    dt = labels["dt"]
    pats = ", ".join(_show(pat.number) for pat, _b in benefits) if benefits else "—"
    workers = "—" if a.workers is None else _show(a.workers)
    signatory = _show(a.signatory_name)
    if a.signatory_birth_place:
        signatory += (f', {labels["born"]} {_show(a.signatory_birth_place)} {labels["on"]} '
                      f'{_escape(date_filter(a.signatory_birth_date, "d/m/Y"))}')
    if a.signatory_role:
        signatory += f', {labels["as"]} {_show(a.signatory_role)}'
    score = context["overview"].score
    return mark_safe("".join((
        labels["head"], _show(a.ragione_sociale),
        dt["codes"], _show(a.codice_ditta), " / ", _or_dash(a.codice_sede),
        dt["unit"], _show(a.unita_produttiva), ", ", _show(a.indirizzo), ", ", _show(a.cap), " ", _show(a.citta),
        dt["pat"], pats,
        dt["inps"], _or_dash(a.matricola_inps),
        dt["sector"], _or_dash(a.get_sector_display()), ", ", workers,
        dt["signatory"], signatory,
        labels["lines_head"], review_lines(context),
        f'\n</tbody>\n<tfoot><tr><th colspan="2">{labels["total"]}</th><th colspan="3">'
        f'{_show(score.total)} / {_show(score.threshold)}',
        labels["benefits_head"], review_benefits(context), "</tbody>\n</table></div>",
    )))

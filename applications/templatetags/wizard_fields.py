"""`{{ form.field|wizard_field }}`: the markup of crispy-forms' `as_crispy_field` (bootstrap5 pack) for the
widgets of the wizard's scheda, built in Python. Rendering its templates (field.html with its includes,
then the widget's own templates) for 16 fields was three quarters of the scheda's time (bench: load).

The same elements, attributes (in the same order) and texts as crispy's output; only the whitespace
between tags differs. tests/applications/test_wizard_fields.py compares the two for every field of the
scheda, unbound, valid and with errors: a widget kind not handled here falls back to crispy."""
from __future__ import annotations

import html

from django import forms, template
from django.utils.functional import Promise
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from pages.templatetags.portal_layout import _generation

register = template.Library()

# The lazy texts of the fields (labels, help texts, the labels of fixed choices), translated and escaped once
# per language and process as {% language_fragment %}: each is a module-level lazy translation that a form's
# deepcopy keeps as the same object, looked up anew (gettext, capfirst) at every use. Keyed on the object's id,
# kept alive by the entry so that its id is not reused; a lazy text made per request would only refill it.
_texts: dict[tuple, tuple] = {}
_TEXTS_MAX = 4096


def _text(value, *, escaped: bool = True, language: str | None = None) -> str:
    """conditional_escape(value) (escaped) or str(value), once per language and process for a lazy text.
    language: get_language(), when the caller has it (each call reads a context-local variable)."""
    if not isinstance(value, Promise):
        return _escape(value) if escaped else str(value)
    key = (id(value), escaped, language or get_language(), _generation[0])
    entry = _texts.get(key)
    if entry is None or entry[0] is not value:
        if len(_texts) >= _TEXTS_MAX:
            _texts.clear()
        entry = _texts[key] = (value, conditional_escape(value) if escaped else str(value))
    return entry[1]


def _escape(value) -> str:
    """conditional_escape(value); a plain str escaped directly (django.utils.html.escape is html.escape
    behind keep_lazy's wrapper)."""
    if type(value) is str:
        return html.escape(value)
    return conditional_escape(value)

_SIMPLE = (forms.TextInput, forms.NumberInput, forms.DateInput, forms.EmailInput, forms.Select)


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {_escape(name)}" if value is True else f' {_escape(name)}="{_escape(str(value))}"')
    return "".join(out)


def _crispy_class(widget, extra: str) -> None:
    """What {% crispy_field field 'class' extra %} does to the widget's attrs (crispy_forms_field.py)."""
    class_name = widget.__class__.__name__.lower()
    css = widget.attrs.get("class", "")
    if css:
        if css.find(class_name) == -1:
            css += f" {class_name}"
    else:
        css = class_name
    for word in extra.split():
        if word not in css.split():
            css += " " + word
    widget.attrs["class"] = css


def _widget_context(bf) -> dict:
    """BoundField.as_widget() up to the template: the widget's context."""
    widget = bf.field.widget
    attrs = bf.build_widget_attrs({}, widget)
    if bf.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bf.auto_id)
    value = bf.value()
    return widget.get_context(bf.html_name, value, attrs)["widget"]


def _widget_html(bf, language: str | None = None) -> str:
    w = _widget_context(bf)
    if isinstance(bf.field.widget, forms.Select):
        options = []
        for group_name, group_choices, _index in w["optgroups"]:
            if group_name:
                options.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for option in group_choices:
                options.append(f'\n  <option value="{_escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
                               f'{_text(option["label"], language=language)}</option>')
            if group_name:
                options.append("\n  </optgroup>")
        return f'<select name="{conditional_escape(w["name"])}"{_attrs(w["attrs"])}>{"".join(options)}\n</select>'
    value = "" if w["value"] is None else f' value="{_escape(str(w["value"]))}"'
    return f'<input type="{_escape(w["type"])}" name="{_escape(w["name"])}"{value}{_attrs(w["attrs"])}>'


def _errors(bf, errors=None) -> str:
    """bootstrap5/layout/field_errors_block.html. errors: bf.errors, when the caller has it (each
    access builds an error list)."""
    errors = bf.errors if errors is None else errors
    if not errors:
        return ""
    auto_id = bf.auto_id
    items = "".join(f'<p id="error_{n}_{auto_id}"><strong>{conditional_escape(e)}</strong></p>'
                    for n, e in enumerate(errors, 1))
    return f'<div id="{errors.field_id}_error" class="invalid-feedback">{items}</div>'


def _help(bf, language: str | None = None) -> str:
    """bootstrap5/layout/help_text.html."""
    help_text = bf.help_text
    text = _text(help_text, escaped=False, language=language) if isinstance(help_text, Promise) else help_text
    if not text:
        return ""
    ident = f'id="{bf.auto_id}_helptext" ' if bf.auto_id else ""
    return f"<div {ident}class=\"form-text\">{text}</div>"


def _has_label(bf, language: str | None = None) -> bool:
    """`if bf.label`, a lazy label looked up through _text."""
    return bool(_text(bf.label, language=language)) if isinstance(bf.label, Promise) else bool(bf.label)


def _label(bf, tag: str, *, fieldset: bool, language: str | None = None) -> str:
    required = bf.field.required
    asterisk = '<span class="asteriskField">*</span>' if required else ""
    for_attr = f'for="{bf.id_for_label}" ' if bf.id_for_label else ""
    return (f'<{tag} {for_attr}class="form-label{" requiredField" if required else ""}{" fs-6" if fieldset else ""}">'
            f"{_text(bf.label, language=language)}{asterisk}</{tag}>")


def _checkboxes(bf) -> str:
    """bootstrap5/layout/radio_checkbox_select.html for a CheckboxSelectMultiple, without inline classes."""
    invalid = " is-invalid" if bf.errors else ""
    id_ = bf.field.widget.attrs.get("id") or bf.auto_id  # crispy_forms_filters.optgroups
    attrs = bf.build_widget_attrs({"id": id_} if id_ else {})
    groups = bf.field.widget.optgroups(bf.html_name, bf.field.widget.format_value(bf.value()), attrs)
    out = ["<div>"]
    for g, (group, options, _index) in enumerate(groups):
        if group:
            out.append(f"<strong>{conditional_escape(group)}</strong>")
        for o, option in enumerate(options):
            out.append(f'<div class="form-check"><input type="{option["type"]}" class="form-check-input{invalid}" '
                       f'name="{bf.html_name}" value="{escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
                       f'<label for="{option["attrs"].get("id", "")}" class="form-check-label">{conditional_escape(str(option["label"]))}</label>')
            if bf.errors and o == len(options) - 1 and g == len(groups) - 1:
                out.append(_errors(bf))
            out.append("</div>")
    out.append("</div>")
    return "".join(out) + _help(bf)


@register.filter
def wizard_field(bf):
    widget = bf.field.widget
    if isinstance(widget, forms.CheckboxSelectMultiple):
        use_fieldset = bf.use_fieldset
        described = f' aria-describedby="{bf.aria_describedby}"' if use_fieldset and bf.aria_describedby else ""
        label = ""
        if _has_label(bf):
            label = _label(bf, "legend" if use_fieldset else "label", fieldset=use_fieldset)
            if use_fieldset:
                label = f"<fieldset{described}>" + label
        body = _checkboxes(bf)
        close = "</fieldset>" if use_fieldset and _has_label(bf) else ""
        return mark_safe(f'<div id="div_{bf.auto_id}" class="mb-3">{label}{body}{close}</div>')
    if bf.is_hidden or not isinstance(widget, _SIMPLE) or isinstance(widget, (forms.SelectMultiple,)):
        from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field

        return as_crispy_field(bf)
    errors, language = bf.errors, get_language()  # each read once: an error list built, a context-local read
    _crispy_class(widget, ("form-select" if isinstance(widget, forms.Select) else "form-control")
                  + (" is-invalid" if errors else ""))
    label = _label(bf, "label", fieldset=False, language=language) if _has_label(bf, language) else ""
    return mark_safe(f'<div id="div_{bf.auto_id}" class="mb-3">{label}{_widget_html(bf, language)}'
                     f'{_errors(bf, errors)}{_help(bf, language)}</div>')


@register.filter
def wizard_widget(bf):
    """`{{ form.field }}` for a hidden input (the wizard's version), built in Python like wizard_field:
    Django's widget templates cost a tenth of a section page's own time."""
    if not isinstance(bf.field.widget, forms.HiddenInput):
        return bf.as_widget()
    return mark_safe(_widget_html(bf))

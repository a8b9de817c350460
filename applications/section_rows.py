"""The rows of a wizard section (one card per intervention of the catalogue), rendered once per edition
revision, section, sector and language, then filled with one user's ticks and errors.

The rows' template (applications/wizard/_section_rows.html) is rendered once with markers in place of
everything that belongs to a user (ticked boxes, errors); the result is kept on the cached catalogue as a
list of static pieces and marker keys. A request joins the pieces with its own values: rendering the
catalogue's texts, sub-options and documents for every request was most of a section page's time
(bench: load). The same template renders directly (`render_rows`), which the tests compare with."""
from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.html import conditional_escape, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext

from .forms import SectionForm

TEMPLATE = "applications/wizard/_section_rows.html"
MARK = "\x00"  # never in the catalogue's texts; escaping leaves it alone


def _rows(interventions, sector: str, slot) -> list[dict]:
    """The rows' context; `slot(kind, code, number)` gives the per-user parts (values or markers)."""
    form = SectionForm(interventions=interventions, selections={}, version=0)  # names and ids only
    rows = []
    for item, sel, sub, decl in form.rows():
        code = item.code
        points = {sp.sector: sp.points for sp in item.sector_points.all()}.get(sector, item.points)
        rows.append({
            "item": item,
            # In Python: a {% blocktranslate count %} per row was a quarter of the page's time.
            "points_label": ngettext("%(points)s punto", "%(points)s punti", points) % {"points": points},
            "sel_name": sel.html_name, "sel_id": sel.id_for_label,
            "sub": [{"name": c.data["name"], "value": c.data["value"], "id": c.id_for_label, "label": c.choice_label,
                     "s_checked": slot("sub", code, c.data["value"])} for c in sub] if sub else None,
            "decl": {"name": decl.html_name, "id": decl.id_for_label, "label": decl.label} if decl else None,
            "s_card": slot("card", code), "s_sel": slot("sel", code), "s_decl": slot("decl", code),
            "s_hide": slot("hide", code), "s_errors": slot("errors", code),
        })
    return rows


def form_ticks(form: SectionForm):
    """code -> (intervention ticked, ticked sub-option numbers as strings, declaration ticked), from the
    form's values (initial or posted)."""
    def ticks(code):
        sel = bool(form[f"sel_{code}"].value())
        subs = set()
        if f"sub_{code}" in form.fields:
            bf = form[f"sub_{code}"]
            subs = set(bf.field.widget.format_value(bf.value()))
        decl = bool(form[f"decl_{code}"].value()) if f"decl_{code}" in form.fields else False
        return sel, subs, decl
    return ticks


def saved_ticks(selections: dict):
    """The same from the saved Selection rows (code -> Selection): what an unbound SectionForm built
    from them shows, without building it (a section's page as it loads)."""
    def ticks(code):
        saved = selections.get(code)
        if saved is None:
            return False, set(), False
        return True, {str(n) for n in saved.suboptions}, bool(saved.declaration_confirmed)
    return ticks


def _user_values(ticks, line_errors: dict[str, list[str]]):
    """slot(kind, code, number) -> this user's markup (safe HTML), from `ticks` and the errors."""
    cache: dict[str, tuple[bool, set[str], bool]] = {}

    def slot(kind, code, number=None):
        if code not in cache:
            cache[code] = ticks(code)
        sel, subs, decl = cache[code]
        errors = line_errors.get(code)
        if kind == "card":
            return SafeString(f"{'is-selected' if sel else ''} {'has-error' if errors else ''}")
        if kind == "sel":
            return SafeString(("checked" if sel else "") + (f' aria-describedby="err-{conditional_escape(code)}"' if errors else ""))
        if kind == "sub":
            return SafeString(" checked" if str(number) in subs else "")
        if kind == "decl":
            return SafeString("checked" if decl else "")
        if kind == "hide":
            return SafeString("" if errors else "d-none")
        return format_html_join("", "<div>{}</div>", ((e,) for e in errors)) if errors else SafeString("")
    return slot


def render_rows(catalogue, letter: str, sector: str, form: SectionForm, line_errors) -> SafeString:
    """The rows rendered directly, nothing cached (the reference the cached rows must equal)."""
    return mark_safe(render_to_string(TEMPLATE, {"rows": _rows(catalogue.of_section(letter), sector,
                                                               _user_values(form_ticks(form), line_errors))}))


def _compiled(catalogue, letter: str, sector: str) -> tuple[tuple[str, ...], tuple[tuple[str, str, str], ...]]:
    def build():
        def marker(kind, code, number=None):
            return mark_safe(f"{MARK}{kind}|{code}|{'' if number is None else number}{MARK}")

        html = render_to_string(TEMPLATE, {"rows": _rows(catalogue.of_section(letter), sector, marker)})
        parts = html.split(MARK)
        return (tuple(parts[0::2]), tuple(tuple(p.split("|")) for p in parts[1::2]))

    return catalogue.fragment(("section_rows", letter, sector, get_language()), build)


def section_rows(catalogue, letter: str, sector: str, form: SectionForm | None, line_errors, *,
                 selections: dict | None = None) -> SafeString:
    """The rows of section `letter` with this form's ticks (or, without a form, the saved `selections`':
    code -> Selection) and these errors, from the cached pieces."""
    static, slots = _compiled(catalogue, letter, sector)
    slot = _user_values(form_ticks(form) if form is not None else saved_ticks(selections or {}), line_errors)
    out = [static[0]]
    for (kind, code, number), piece in zip(slots, static[1:]):
        out.append(slot(kind, code, number or None))
        out.append(piece)
    return SafeString("".join(out))

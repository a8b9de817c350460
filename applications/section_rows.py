"""The rows of a wizard section, as data for templates/applications/wizard/_section_rows.html: one row per
intervention of the catalogue, with this user's ticks (from a posted form, or from the saved selections as
the page loads) and the errors to show next to it."""
from __future__ import annotations

from dataclasses import dataclass, field

from .forms import SectionForm


@dataclass
class Choice:
    """A sub-option's checkbox."""
    name: str
    value: str
    id: str
    label: str
    checked: bool


@dataclass
class Declaration:
    """The declaration's checkbox of an intervention that asks for one."""
    name: str
    id: str
    label: str
    checked: bool


@dataclass
class Row:
    item: object  # the catalogue's Intervention
    points: int  # its points in the application's sector
    sel_name: str
    sel_id: str
    selected: bool
    choices: list[Choice] | None = None
    declaration: Declaration | None = None
    errors: list[str] = field(default_factory=list)


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
    from them shows."""
    def ticks(code):
        saved = selections.get(code)
        if saved is None:
            return False, set(), False
        return True, {str(n) for n in saved.suboptions}, bool(saved.declaration_confirmed)
    return ticks


def section_rows(catalogue, letter: str, sector: str, form: SectionForm | None, line_errors: dict[str, list[str]], *,
                 selections: dict | None = None) -> list[Row]:
    """The rows of section `letter` with this form's ticks (or, without a form, the saved `selections`':
    code -> Selection) and these errors (code -> messages)."""
    ticks = form_ticks(form) if form is not None else saved_ticks(selections or {})
    names = SectionForm(interventions=catalogue.of_section(letter), selections={}, version=0,
                        catalogue=catalogue)  # the fields' names, ids and labels
    rows = []
    for item, sel, sub, decl in names.rows():
        selected, ticked_subs, declared = ticks(item.code)
        points = {sp.sector: sp.points for sp in item.sector_points.all()}.get(sector, item.points)
        rows.append(Row(
            item=item, points=points, sel_name=sel.html_name, sel_id=sel.id_for_label, selected=selected,
            choices=[Choice(name=c.data["name"], value=str(c.data["value"]), id=c.id_for_label, label=c.choice_label,
                            checked=str(c.data["value"]) in ticked_subs) for c in sub] if sub else None,
            declaration=Declaration(name=decl.html_name, id=decl.id_for_label, label=decl.label,
                                    checked=declared) if decl else None,
            errors=list(line_errors.get(item.code, ())),
        ))
    return rows

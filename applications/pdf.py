"""The printed application, rendered with WeasyPrint from templates/pdf/application.html.

A draft renders with a "BOZZA" watermark at any time. A submitted application renders as PDF/A-3b with its
frozen JSON snapshot attached (`domanda-ot24.json`, relationship Data), so a machine reads what a person
reads; signing.py then seals it."""
from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone
import json

from weasyprint import HTML, Attachment

from interventions.scoring import benefit
from interventions.selectors import edition_catalogue

from .models import Application
from .selectors import application_overview, application_pats


def application_context(application: Application, *, final: bool = False) -> dict:
    overview = application_overview(application)
    pats = application_pats(application)
    catalogue = edition_catalogue(application.campaign.edition)
    selections = {s.intervention.code: s for s in overview.selections}
    sections = []
    for section in catalogue.sections.values():
        lines = []
        for line in overview.score.lines:
            if line.code[0] != section.letter:
                continue
            intervention = catalogue.by_code[line.code]
            labels = {s.number: s.label for s in intervention.suboptions.all()}
            lines.append({"line": line, "intervention": intervention,
                          "suboptions": [f"{n}. {labels[n]}" for n in selections[line.code].suboptions if n in labels]})
        sections.append({"section": section, "lines": lines})
    manifest = evidence_manifest(overview.evidence)
    return {
        "application": application,
        "overview": overview,
        "sections": sections,
        "manifest": manifest,
        # Joined here: one template variable per block instead of a loop over 365 lines.
        "manifest_blocks": ["".join(f"{line}\n" for line in manifest[i:i + MANIFEST_CHUNK])
                            for i in range(0, len(manifest), MANIFEST_CHUNK)],
        "pats": pats,
        "benefits": [(pat, benefit(pat.lavoratori_anno, pat.premium)) for pat in pats],
        "draft": application.is_draft and not final,
        "qualified": final and application.is_draft,
        "printed_at": timezone.localtime(),
    }


# The manifest prints as consecutive <pre> blocks of this many lines, which look like one: WeasyPrint
# lays out each line of a preformatted block with the whole rest of the block's text, so one block of
# 365 lines cost it quadratic time (a third of the largest application's rendering; bench: pdf).
MANIFEST_CHUNK = 20


def evidence_manifest(evidence_rows) -> list[str]:
    """The attached files as fixed-width lines (intervention and document once, then name, size and
    SHA-256 of each file), printed preformatted: laid out as paragraphs, 200 files took WeasyPrint twice
    as long as the rest of the application (bench: pdf)."""
    lines = []
    for row in evidence_rows:
        for item, files in row.items:
            if not files:
                continue
            label = " ".join(item.label.split())
            lines.append(f"{row.intervention.code} — {label[:105]}{'…' if len(label) > 105 else ''}")
            for f in files:
                name = f.original_name if len(f.original_name) <= 38 else f.original_name[:37] + "…"
                lines.append(f"   {name:<38} {f.size:>11,} B  {f.sha256}".replace(",", "."))
    return lines


SNAPSHOT_NAME = "domanda-ot24.json"


def render_application_pdf(application: Application, *, final: bool = False) -> bytes:
    """`final` renders a draft without the BOZZA watermark: the copy prepared for a qualified signature."""
    html = render_to_string("pdf/application.html", application_context(application, final=final))
    if not application.snapshot:
        return HTML(string=html).write_pdf()
    snapshot = Attachment(
        string=json.dumps(application.snapshot, ensure_ascii=False, indent=1, sort_keys=True),
        name=SNAPSHOT_NAME,
        description="Dati della domanda OT24 come inviata (JSON)",
        relationship="Data",
    )
    return HTML(string=html).write_pdf(pdf_variant="pdf/a-3b", attachments=[snapshot])


def render_decision_pdf(application: Application, result, verdicts_by_intervention) -> bytes:
    """The decision letter: outcome, validated points, reasons for each intervention not accepted, and for
    each PAT the reduction rate by lavoratori-anno."""
    selections = application.selections.select_related("intervention").order_by("intervention__order")
    rows = []
    for s in selections:
        verdict = verdicts_by_intervention.get(s.intervention_id)
        line = result.line(s.intervention.code)
        rows.append({"code": s.intervention.code, "text": s.intervention.full_text,
                     "accepted": line is not None and line.counted, "points": line.points if line else 0,
                     "reason": verdict.reason if verdict else "",
                     "errors": list(line.errors) if line else []})
    html = render_to_string("pdf/decision.html", {
        "application": application, "result": result, "rows": rows,
        "benefits": [(pat, benefit(pat.lavoratori_anno, pat.premium)) for pat in application_pats(application)],
        "approved": result.eligible, "printed_at": timezone.localtime(),
    })
    return HTML(string=html).write_pdf(pdf_variant="pdf/a-3b")

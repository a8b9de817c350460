"""The JSON snapshot frozen at submission: catalogue lines, points, facts and evidence hashes, so a
machine can read what a person reads in the signed PDF."""
from __future__ import annotations

from .models import Application
from .selectors import ApplicationOverview


def build_snapshot(application: Application, overview: ApplicationOverview) -> dict:
    selections = {s.intervention.code: s for s in application.selections.select_related("intervention")}
    return {
        "format": "ot24-application-snapshot/1",
        "edition": application.campaign.edition.code,
        "filing_year": application.campaign.filing_year,
        "reference_year": application.campaign.reference_year,
        "receipt_number": application.receipt_number,
        "submitted_at": application.submitted_at.isoformat() if application.submitted_at else None,
        "company": {
            "ragione_sociale": application.ragione_sociale, "codice_ditta": application.codice_ditta,
            "codice_fiscale": application.site.company.codice_fiscale, "matricola_inps": application.matricola_inps,
        },
        "site": {
            "unita_produttiva": application.unita_produttiva, "codice_sede": application.codice_sede,
            "indirizzo": application.indirizzo, "citta": application.citta, "cap": application.cap,
        },
        "facts": {"sector": application.sector, "workers": application.workers},
        "pats": [
            {"number": p.number, "voce_di_tariffa": p.voce_di_tariffa, "lavoratori_anno": str(p.lavoratori_anno),
             "premium": None if p.premium is None else str(p.premium)}
            for p in application.pats.all()
        ],
        "signatory": {
            "name": application.signatory_name, "codice_fiscale": application.signatory_codice_fiscale,
            "birth_place": application.signatory_birth_place,
            "birth_date": application.signatory_birth_date.isoformat() if application.signatory_birth_date else None,
            "role": application.signatory_role, "place": application.place,
        },
        "declarations": {name: getattr(application, name) for name in Application.DECLARATIONS},
        "lines": [
            {
                "code": line.code, "text": selections[line.code].intervention.full_text, "points": line.points,
                "counted": line.counted, "errors": list(line.errors),
                "suboptions": sorted(selections[line.code].suboptions),
                "declaration_confirmed": selections[line.code].declaration_confirmed,
            }
            for line in overview.score.lines
        ],
        "total": overview.score.total,
        "threshold": overview.score.threshold,
        "evidence": [
            {"intervention": row.intervention.code, "item": item.label, "alternative": item.alternative,
             "file": f.original_name, "size": f.size, "sha256": f.sha256, "content_type": f.content_type}
            for row in overview.evidence for item, files in row.items for f in files
        ],
    }

"""`make bench`: query counts of the main pages (small vs large data) and the PDF benchmark (the largest
application against a plain reference document of the same number of pages, rendered in the same
process). Writes bench/results/latest.json and latest.md. Run by the Makefile against a throwaway
PostgreSQL; never part of `make test`."""
from __future__ import annotations

import datetime as dt
import json
import os
import platform
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ot24portal.settings.test")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

RESULTS = ROOT / "bench" / "results"


def build(n_apps: int, n_files: int, all_interventions: bool):
    """One company with n_apps sites/applications; the first gets many interventions and n_files files."""
    from applications import services
    from applications.demo import minimal_pdf
    from applications.models import Application
    from interventions.models import Intervention
    from tests.factories import PATFactory, SiteFactory, UserFactory, legal_rep, open_campaign

    campaign = open_campaign()
    first = SiteFactory(sector="costruzioni", workers=12)
    PATFactory(site=first)
    rep = legal_rep(first.company)
    app = services.application_start(user=rep, site=first, campaign=campaign)
    chosen: dict[str, dict] = {}
    for i in Intervention.objects.filter(section__edition__code="ot24").prefetch_related("suboptions", "declarations"):
        if not all_interventions and i.code != "C4":
            continue
        if i.alternative_group and i.code[-1] != "a":
            continue  # the first of A1 / A5 only
        if i.max_workers and i.max_workers < 12:
            continue
        subs = frozenset(range(1, i.min_suboptions + 1))
        chosen.setdefault(i.section.letter, {})[i.code] = (subs, bool(list(i.declarations.all())))
    for letter, sel in chosen.items():
        app.refresh_from_db()
        services.application_save_section(user=rep, application=app, section=letter, chosen=sel, version=app.version)
    items = [item for s in app.selections.select_related("intervention") for item in s.intervention.evidence_items.all()]
    for n in range(n_files):
        item = items[n % len(items)]
        services.evidence_add(user=rep, application=app, evidence_item=item,
                              uploaded_file=SimpleUploadedFile(f"doc-{n}.pdf", minimal_pdf(f"documento {n}")))
    for n in range(n_apps - 1):
        site = SiteFactory(company=first.company)
        a = services.application_start(user=rep, site=site, campaign=campaign)
        Application.objects.filter(pk=a.pk).update(status=Application.Status.SUBMITTED, receipt_number=f"B-{a.pk}",
                                                   submitted_at=django.utils.timezone.now(), declared_total=100)
    reviewer = UserFactory(role="reviewer")
    return app, rep, reviewer


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code in (200, 302), (url, response.status_code)
    return len(ctx.captured_queries)


def query_counts() -> list[dict]:
    from django.db import transaction

    rows = []
    for label, n_apps, n_files, everything in (("small", 1, 1, False), ("large", 200, 200, True)):
        with transaction.atomic():
            app, rep, reviewer = build(n_apps, n_files, everything)
            client = Client()
            client.force_login(rep)
            pages = {"dashboard": "/"}
            for step in ("scheda", "A", "C", "D", "evidence", "review", "submit"):
                pages[f"wizard {step}"] = reverse("application_step", args=[app.pk, step])
            counts = {name: count_queries(client, url) for name, url in pages.items()}
            client.force_login(reviewer)
            counts["reviewer queue"] = count_queries(client, reverse("review_queue"))
            rows.append({"data": label, "applications": n_apps, "evidence_files": n_files,
                         "interventions": app.selections.count(), "queries": counts})
            transaction.set_rollback(True)
    return rows


def pdf_benchmark() -> dict:
    from django.db import transaction
    from weasyprint import HTML

    from applications import pdf, signing
    from pypdf import PdfReader
    import io

    def timed(fn):
        """Seconds without tracing (tracemalloc slows Python several times), then the peak heap in a
        second, traced run."""
        t0 = time.perf_counter()
        result = fn()
        seconds = time.perf_counter() - t0
        tracemalloc.start()
        fn()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return result, seconds, peak

    with transaction.atomic():
        app, rep, reviewer = build(1, 200, True)
        data, portal_s, portal_peak = timed(
            lambda: signing.seal_pdf(pdf.render_application_pdf(app, final=True), reason="bench"))
        pages = len(PdfReader(io.BytesIO(data)).pages)
        interventions = app.selections.count()
        reference_html = "".join(
            f"<section style='page-break-after: always'><h1>Pagina {n}</h1>"
            + "<table>" + "".join(f"<tr><td>riga {r}</td><td>testo di riferimento</td></tr>" for r in range(30)) + "</table></section>"
            for n in range(pages))
        _, reference_s, reference_peak = timed(
            lambda: HTML(string=f"<html><body style='font-family: DejaVu Sans'>{reference_html}</body></html>").write_pdf())
        transaction.set_rollback(True)
    return {"pages": pages, "interventions": interventions, "evidence_files": 200,
            "portal_seconds": round(portal_s, 3), "reference_seconds": round(reference_s, 3),
            "ratio": round(portal_s / reference_s, 2), "portal_peak_mb": round(portal_peak / 2**20, 1),
            "reference_peak_mb": round(reference_peak / 2**20, 1), "goal_ratio": 1.3}


def main():
    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("loaddata", "ot24", verbosity=0)
    results = {
        "when": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "queries": query_counts(),
        "pdf": pdf_benchmark(),
        "not_measured_yet": ["load (locust)", "scale (100,000 applications)", "100 MB upload memory"],
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=2))
    lines = ["# OT24 benchmark", "", f"Run {results['when']} on {results['machine']['cpus']} cores, Python "
             f"{results['machine']['python']}.", "", "## Queries per page (goal: constant, at most 15)", "",
             "| page | " + " | ".join(f"{r['data']} ({r['applications']} apps, {r['evidence_files']} files, "
                                       f"{r['interventions']} interventions)" for r in results["queries"]) + " |",
             "|---|" + "---|" * len(results["queries"])]
    for page in results["queries"][0]["queries"]:
        lines.append(f"| {page} | " + " | ".join(str(r["queries"][page]) for r in results["queries"]) + " |")
    p = results["pdf"]
    lines += ["", "## PDF (goal: portal within 1.3x of the reference)", "",
              "| | seconds | peak MB (Python heap) |", "|---|---|---|",
              f"| portal: render + seal, {p['interventions']} interventions, {p['evidence_files']} files, {p['pages']} pages | {p['portal_seconds']} | {p['portal_peak_mb']} |",
              f"| reference: plain HTML, same page count | {p['reference_seconds']} | {p['reference_peak_mb']} |",
              f"| ratio | {p['ratio']} | |", "", "Not measured yet: " + ", ".join(results["not_measured_yet"]) + "."]
    (RESULTS / "latest.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()

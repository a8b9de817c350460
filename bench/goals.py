"""The issue's goals, judged on one `make bench` run's results (plain Python, no Django: unit-tested).

Each verdict says what was measured and whether the goal is met; where the same run measured a bound
that no implementation of the portal's requirements can beat on this machine (the floor page for the
wizard, SHA-256 alone for uploads, the cost per printed character for the PDF), the verdict shows it
next to the goal, so a reader can tell "not fast enough yet" from "out of reach as specified"."""
from __future__ import annotations

from dataclasses import dataclass

MAX_QUERIES = 15
MAX_P95_MS = 200
MIN_WIZARD_SHARE = 0.40
MAX_SCALE_RATIO = 2.0
MAX_PDF_RATIO = 1.3
MAX_UPLOAD_GROWTH_MB = 20
MIN_UPLOAD_SHARE = 0.5
MAX_CRAFTED_SECONDS = 2.0
MAX_CRAFTED_MB = 64


@dataclass(frozen=True)
class Verdict:
    goal: str
    measured: str
    met: bool
    bound: str = ""  # what the same run shows about the goal's reach, when it matters


def queries(runs: list[dict]) -> Verdict:
    pages = runs[0]["queries"]
    counts = {page: [run["queries"][page] for run in runs] for page in pages}
    varying = [page for page, c in counts.items() if len(set(c)) > 1]
    most = max(max(c) for c in counts.values())
    measured = f"{min(min(c) for c in counts.values())}–{most} per page"
    if varying:
        measured += "; grows with the data on " + ", ".join(varying)
    return Verdict(f"queries constant, at most {MAX_QUERIES} per page", measured, not varying and most <= MAX_QUERIES)


def load_errors(load: dict) -> Verdict:
    errors = sum(s["errors"] for name, s in load["mixed"].items() if name != "Aggregated")
    errors += load.get("wizard_errors", 0) + load.get("floor_errors", 0)
    return Verdict("zero errors under load", f"{errors} errors", errors == 0)


def load_p95(load: dict) -> Verdict:
    pages = {name: s["p95_ms"] for name, s in load["mixed"].items() if name != "Aggregated"}
    worst = max(pages, key=pages.get)
    return Verdict(f"every page's p95 < {MAX_P95_MS} ms at {load['users']} users",
                   f"worst {pages[worst]} ms ({worst})", pages[worst] < MAX_P95_MS)


def wizard_throughput(load: dict) -> Verdict:
    share, floor = load["wizard_share"], load["floor_share"]
    bound = (f"the floor page (session, user, the application and its permission check, the layout; no step's own "
             f"work) reaches {floor:.2f} of the minimal view")
    if floor < MIN_WIZARD_SHARE:
        bound += ": below the goal, so no wizard page doing at least that work can meet it here"
    return Verdict(f"wizard throughput >= {MIN_WIZARD_SHARE:.0%} of the minimal view's",
                   f"{share:.2f} ({load['wizard_rps']} vs {load['minimal_rps']} req/s)", share >= MIN_WIZARD_SHARE, bound)


def scale(result: dict) -> Verdict:
    pages = result["pages"]
    worst = max(pages, key=lambda name: pages[name]["ratio"])
    slowest = max(v["large_p95_ms"] for v in pages.values())
    return Verdict(f"large-database p95 within {MAX_SCALE_RATIO:g}x of the small database's",
                   f"worst ratio {pages[worst]['ratio']} ({worst}); slowest large-database p95 {slowest} ms",
                   pages[worst]["ratio"] <= MAX_SCALE_RATIO)


def pdf(result: dict) -> Verdict:
    chars = result["portal_characters"] / result["reference_characters"]
    per_char = result["ratio"] / chars
    bound = (f"the portal prints {chars:.2f}x the reference's characters on the same pages; per printed "
             f"character its time is {per_char:.2f}x the reference's")
    return Verdict(f"PDF within {MAX_PDF_RATIO}x of the reference",
                   f"{result['ratio']} ({result['portal_seconds']} vs {result['reference_seconds']} s)",
                   result["ratio"] <= MAX_PDF_RATIO, bound)


def upload_memory(result: dict) -> Verdict:
    growth = result["worker_peak_growth_mb"]
    return Verdict(f"upload: worker peak memory grows < {MAX_UPLOAD_GROWTH_MB} MB", f"{growth} MB",
                   growth < MAX_UPLOAD_GROWTH_MB)


def upload_throughput(result: dict) -> Verdict:
    allowed = result["copy_seconds"] / MIN_UPLOAD_SHARE
    sha = result["sha256_seconds"]
    bound = f"the goal allows {allowed:.3f} s for the file; its SHA-256 alone (recorded for integrity) takes {sha} s"
    if sha >= allowed:
        bound += ": out of reach while every upload is hashed"
    return Verdict(f"upload throughput >= {MIN_UPLOAD_SHARE:.0%} of a disk copy",
                   f"{result['throughput_share']} ({result['seconds']} s for {result['size_mb']} MB)",
                   result["throughput_share"] >= MIN_UPLOAD_SHARE, bound)


def crafted_uploads(result: dict) -> Verdict:
    """Crafted files refused within the time and memory goal while the other workers keep answering."""
    alone = result["alone"].values()
    slowest = max(max(a["seconds"] for a in alone), result["concurrent_slowest_s"])
    peaks = [a["child_peak_growth_mb"] for a in alone if a["child_peak_growth_mb"] is not None]
    peak = max(peaks + [result["worker_peak_growth_mb"]])
    met = (all(a["refused"] for a in alone) and slowest <= MAX_CRAFTED_SECONDS and peak < MAX_CRAFTED_MB
           and result["minimal_errors"] == 0 and (result["minimal_worst_ms"] or 0) <= MAX_CRAFTED_SECONDS * 1000)
    return Verdict(f"crafted uploads refused within {MAX_CRAFTED_SECONDS:g} s and under {MAX_CRAFTED_MB} MB, "
                   f"other workers answering",
                   f"slowest {slowest} s, peak growth {peak} MB; minimal view during three at once: "
                   f"{result['minimal_errors']} errors, worst {result['minimal_worst_ms']} ms", met)


def verdicts(results: dict) -> list[Verdict]:
    """The verdicts of every section present in `results` (a partial run judges only what it measured)."""
    judged = []
    if "queries" in results:
        judged.append(queries(results["queries"]))
    if "load" in results:
        judged += [load_errors(results["load"]), load_p95(results["load"]), wizard_throughput(results["load"])]
    if "scale" in results:
        judged.append(scale(results["scale"]))
    if "pdf" in results:
        judged.append(pdf(results["pdf"]))
    if "upload" in results:
        judged += [upload_memory(results["upload"]), upload_throughput(results["upload"])]
        if "crafted" in results["upload"]:
            judged.append(crafted_uploads(results["upload"]["crafted"]))
    return judged


def markdown(judged: list[Verdict]) -> list[str]:
    lines = ["| goal | measured | met | what this run shows about its reach |", "|---|---|---|---|"]
    lines += [f"| {v.goal} | {v.measured} | {'yes' if v.met else '**no**'} | {v.bound} |" for v in judged]
    return lines

"""`make bench` section `browser` (issue 35, part 1): the first and the repeat visit of six pages in Chromium, as a
phone on Lighthouse's mobile conditions sees them.

Debian's Chromium driven by Playwright, throttled through the DevTools protocol as Lighthouse's "Slow 4G" mobile
profile: 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up (Network.emulateNetworkConditions), the CPU slowed 4x
(Emulation.setCPUThrottlingRate), a 390 px wide viewport. The portal runs under gunicorn with the bench settings
(the production settings: WhiteNoise, compressed, hashed names) on a free port of 127.0.0.1.

Per page and visit: the Largest Contentful Paint, the bytes transferred (every response's encoded length, headers
included, fonts included), the Cumulative Layout Shift and the render-blocking resources (Chromium's
`renderBlockingStatus` of the Resource Timing entries). The first visit starts with an empty cache (a new browser
context); the repeat visit opens the same page again in that context. Each figure is the median of RUNS runs:
the CPU throttling multiplies whatever else the machine is doing."""
from __future__ import annotations

import os
import statistics
import time
from contextlib import contextmanager

from bench import server

RUNS = int(os.environ.get("BENCH_BROWSER_RUNS", 3))  # 0 with BENCH_SCREENSHOTS: only the screenshots
WIDTH, HEIGHT = 390, 844
LATENCY_MS = 150
DOWN_BYTES_PER_S = 1_600_000 / 8
UP_BYTES_PER_S = 750_000 / 8
CPU_SLOWDOWN = 4
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic", "--disable-extensions"]

# Read in the page once it has loaded: LCP and layout shifts from buffered PerformanceObserver entries (no script in
# the page, so nothing for the page's Content-Security-Policy to refuse), the render-blocking resources from
# Resource Timing.
METRICS_JS = """() => new Promise(resolve => {
  const nav = performance.getEntriesByType("navigation")[0];
  const out = {lcp: null, cls: 0, blocking: [], ttfb: nav ? nav.responseStart : null};
  new PerformanceObserver(list => {
    for (const e of list.getEntries()) out.lcp = e.renderTime || e.loadTime || e.startTime;
  }).observe({type: "largest-contentful-paint", buffered: true});
  new PerformanceObserver(list => {
    for (const e of list.getEntries()) if (!e.hadRecentInput) out.cls += e.value;
  }).observe({type: "layout-shift", buffered: true});
  for (const e of performance.getEntriesByType("resource")) {
    if (e.renderBlockingStatus === "blocking") out.blocking.push(new URL(e.name).pathname);
  }
  setTimeout(() => resolve(out), 100);
})"""


def pages(app_pk: int, review_pk: int) -> list[tuple[str, str, str]]:
    """(name, who, path) of the six pages the issue names."""
    from django.urls import reverse

    return [
        ("home", "anonymous", "/"),
        ("log-in", "anonymous", reverse("login")),
        ("company dashboard", "company", "/domande/"),
        ("wizard section C", "company", reverse("application_step", args=[app_pk, "C"])),
        ("evidence step", "company", reverse("application_step", args=[app_pk, "evidence"])),
        ("review screen", "reviewer", reverse("review_detail", args=[review_pk])),
    ]


@contextmanager
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def visit(page, cdp, url: str) -> dict:
    """Open url in a throttled tab; return LCP (s), bytes transferred, CLS and the render-blocking paths."""
    transferred = {}

    def finished(event):
        transferred[event["requestId"]] = event["encodedDataLength"]

    cdp.on("Network.loadingFinished", finished)
    response = page.goto(url, wait_until="load", timeout=120_000)
    assert response is not None and response.status == 200, (url, response and response.status)
    page.wait_for_timeout(1500)  # late layout shifts, fonts swapped in, the last LCP candidate
    metrics = page.evaluate(METRICS_JS)
    cdp.remove_listener("Network.loadingFinished", finished)
    return {"lcp_s": round(metrics["lcp"] / 1000, 3) if metrics["lcp"] is not None else None,
            "kb": round(sum(transferred.values()) / 1000, 1), "requests": len(transferred),
            "ttfb_s": round(metrics["ttfb"] / 1000, 3) if metrics["ttfb"] is not None else None,
            "cls": round(metrics["cls"], 4), "blocking": sorted(set(metrics["blocking"]))}


def measure_page(browser, base: str, path: str, cookie: str | None) -> dict:
    """One first visit (empty cache) and one repeat visit of a page."""
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True, locale="it-IT")
    try:
        if cookie:
            context.add_cookies([{"name": "sessionid", "value": cookie, "url": base}])
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", {
            "offline": False, "latency": LATENCY_MS, "downloadThroughput": DOWN_BYTES_PER_S,
            "uploadThroughput": UP_BYTES_PER_S, "connectionType": "cellular4g"})
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        first = visit(page, cdp, base + path)
        page.goto("about:blank")
        repeat = visit(page, cdp, base + path)
        return {"first": first, "repeat": repeat}
    finally:
        context.close()


def median_of(runs: list[dict]) -> dict:
    """Each figure's median over the runs (the render-blocking list of the first run: it does not vary)."""
    out = {}
    for visit_kind in ("first", "repeat"):
        visits = [r[visit_kind] for r in runs]
        lcps = [v["lcp_s"] for v in visits if v["lcp_s"] is not None]
        out[visit_kind] = {
            "lcp_s": round(statistics.median(lcps), 3) if lcps else None,
            "kb": round(statistics.median(v["kb"] for v in visits), 1),
            "cls": round(statistics.median(v["cls"] for v in visits), 4),
            "requests": int(statistics.median(v["requests"] for v in visits)),
            # The HTML's first byte (Navigation Timing's responseStart): the part no stylesheet or script changes.
            "ttfb_s": round(statistics.median(v["ttfb_s"] for v in visits), 3),
            "blocking": sorted(set().union(*(v["blocking"] for v in visits))),
            "runs_lcp_s": [v["lcp_s"] for v in visits],
        }
    return out


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def world(mark_submitted, bench_reviewer, session_cookie) -> tuple[int, int, dict]:
    """A company's draft (C4 chosen, one evidence file) and another company's submitted application, with the
    session cookies of the first company's legal representative and of a reviewer (bench/run.py's helpers)."""
    from tests.factories import open_campaign

    from bench import data

    campaign = open_campaign()
    draft = data.make_draft(campaign)
    submitted = data.make_draft(campaign)
    mark_submitted(submitted.application)
    return (draft.application.pk, submitted.application.pk,
            {"company": session_cookie(draft.rep), "reviewer": session_cookie(bench_reviewer())})


def browser_benchmark(reset_database, mark_submitted, bench_reviewer, session_cookie) -> dict:
    reset_database()
    app_pk, review_pk, cookies = world(mark_submitted, bench_reviewer, session_cookie)
    cookies = {"anonymous": None, **cookies}
    result = {"runs": RUNS, "viewport": f"{WIDTH}x{HEIGHT}", "latency_ms": LATENCY_MS,
              "down_kbit_s": DOWN_BYTES_PER_S * 8 / 1000, "up_kbit_s": UP_BYTES_PER_S * 8 / 1000,
              "cpu_slowdown": CPU_SLOWDOWN, "load_before": load_average(), "pages": {}}
    with server.gunicorn() as (base, _), chromium() as browser:
        if os.environ.get("BENCH_SCREENSHOTS"):  # a folder: full-page screenshots to compare the looks
            screenshots(browser, base, pages(app_pk, review_pk), cookies, os.environ["BENCH_SCREENSHOTS"])
        measured = {name: [] for name, _, _ in pages(app_pk, review_pk)}
        for _ in range(RUNS):  # the pages take turns, so that a busy minute spreads over all of them
            for name, who, path in pages(app_pk, review_pk):
                measured[name].append(measure_page(browser, base, path, cookies[who]))
        for name, who, path in pages(app_pk, review_pk) if RUNS else ():
            result["pages"][name] = {"path": path, "who": who, **median_of(measured[name])}
    result["load_after"] = load_average()
    result["when"] = time.strftime("%Y-%m-%dT%H:%M:%S")
    print("\n".join(markdown(result)), flush=True)
    return result


def screenshots(browser, base: str, page_list, cookies: dict, folder: str) -> None:
    """Unthrottled full-page screenshots of the pages at 390 and 1280 px (BENCH_SCREENSHOTS=folder), and the
    fonts each page loaded (folder/fonts.txt)."""
    from pathlib import Path

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    notes = []
    for width in (WIDTH, 1280):
        for name, who, path in page_list:
            context = browser.new_context(viewport={"width": width, "height": HEIGHT}, locale="it-IT")
            if cookies[who]:
                context.add_cookies([{"name": "sessionid", "value": cookies[who], "url": base}])
            page = context.new_page()
            console = []
            page.on("console", lambda m: console.append(m.text))
            page.goto(base + path, wait_until="networkidle")
            page.evaluate("document.fonts.ready")
            fonts = page.evaluate("[...document.fonts].filter(f => f.status === 'loaded')"
                                  ".map(f => f.family + ' ' + f.weight + ' ' + f.style)")
            page.screenshot(path=str(out / f"{name.replace(' ', '-')}-{width}.png"), full_page=True)
            notes.append(f"{name} {width}: fonts {fonts}; console {console}")
            context.close()
    (out / "fonts.txt").write_text("\n".join(notes) + "\n")


def markdown(b: dict) -> list[str]:
    rows = ["", "## Browser: the first and the repeat visit on a phone (issue 35)", "",
            f"Debian's Chromium through Playwright, throttled by the DevTools protocol as Lighthouse's mobile profile: "
            f"{b['latency_ms']} ms round trip, {b['down_kbit_s']:g} kbit/s down, {b['up_kbit_s']:g} kbit/s up, CPU "
            f"{b['cpu_slowdown']}x slower, {b['viewport']} viewport; gunicorn with the production settings. Median of "
            f"{b['runs']} runs (LCP of each run in brackets); load average before {b['load_before']}, after "
            f"{b['load_after']}.", "",
            "Beside each LCP, the HTML's TTFB (Navigation Timing's responseStart: mostly the server's time under load; "
            "the part of the LCP no stylesheet or script changes).", "",
            "| page | first visit: LCP | TTFB | transferred | CLS | repeat visit: LCP | TTFB | transferred | "
            "render-blocking |",
            "|---|---|---|---|---|---|---|---|---|"]
    for name, p in b["pages"].items():
        f, r = p["first"], p["repeat"]
        rows.append(f"| {name} `{p['path']}` | {f['lcp_s']} s {f['runs_lcp_s']} | {f['ttfb_s']} s | {f['kb']} KB | "
                    f"{f['cls']} | {r['lcp_s']} s {r['runs_lcp_s']} | {r['ttfb_s']} s | {r['kb']} KB | "
                    f"{', '.join(f['blocking']) or 'none'} |")
    return rows

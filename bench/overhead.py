"""`make bench` section `overhead` (issue 35): what the observability costs each request, measured, not guessed.

- The prometheus middlewares (django-prometheus: a counter and a histogram per request) and structlog's request
  middleware (a request id bound, request_started and request_finished logged as JSON lines): the workers' CPU
  milliseconds per request of three servers taking turns under the same traffic, one with every middleware, one
  without prometheus's, one without structlog's (ot24portal/settings/bench.py: OT24_BENCH_WITHOUT_MIDDLEWARE).
  CPU time of the workers (/proc), not wall time: what another process on the machine does moves it little.
- The balancer's health probe (deploy/haproxy.cfg: GET /readyz?check=database&check=migrations each second on
  each server): the seconds and the worker CPU of one probe, and the share of one worker's time it takes.

Helpers of bench/run.py are passed in (run.py runs as a script; importing it again would start a second bench)."""
from __future__ import annotations

import os
import statistics
from contextlib import ExitStack
from pathlib import Path

from bench import server

VARIANTS = {"every middleware": "", "without prometheus's": "prometheus", "without structlog's": "structlog"}
PAGES = {"minimal view": "MinimalUser", "floor page": "FloorUser"}
ROUNDS, SLICE_S, USERS = 3, 8, 4
PROBE = "/readyz?check=database&check=migrations"
PROBES = 100
PROBE_INTERVAL_S = 1.0  # deploy/haproxy.cfg: default-server inter 1s


def server_cpu(master) -> float:
    """CPU seconds of a gunicorn server: its master with the workers it has reaped (gunicorn replaces a worker
    after max_requests, gunicorn.conf.py), and the workers running now."""
    total = server.cpu_seconds(master.pid)
    for worker in server.worker_pids(master):
        try:
            total += server.cpu_seconds(worker)
        except OSError:  # exited between the listing and the reading: reaped into the master's figure soon
            pass
    return total


def probe_cost(base: str, master) -> dict:
    """PROBES sequential probes as the balancer sends them (one at a time): wall and worker CPU per probe."""
    for _ in range(4):
        server.get(base, PROBE)
    times, statuses = [], set()
    cpu_before = server_cpu(master)
    for _ in range(PROBES):
        status, seconds, _ = server.get(base, PROBE)
        statuses.add(status)
        times.append(seconds * 1000)
    cpu_ms = (server_cpu(master) - cpu_before) / PROBES * 1000
    times.sort()
    minimal = []
    for _ in range(PROBES):  # the same connection pattern on the smallest view: what any request costs
        minimal.append(server.get(base, "/bench/minimal/")[1] * 1000)
    minimal.sort()
    return {"statuses": sorted(statuses), "p50_ms": round(statistics.median(times), 2),
            "p95_ms": round(times[int(0.95 * (PROBES - 1))], 2), "worker_cpu_ms": round(cpu_ms, 2),
            "minimal_view_p50_ms": round(statistics.median(minimal), 2),
            "busy_share_of_one_worker": round(statistics.median(times) / 1000 / PROBE_INTERVAL_S, 4),
            "cpu_share_of_one_core": round(cpu_ms / 1000 / PROBE_INTERVAL_S, 4)}


def overhead_benchmark(*, load_population, work: Path, log) -> dict:
    identities = load_population(companies=10)
    out = work / "locust-overhead"
    out.mkdir(exist_ok=True)
    spent = {(v, p): {"cpu": 0.0, "requests": 0, "errors": 0, "rounds": []} for v in VARIANTS for p in PAGES}
    with ExitStack() as stack:
        servers = {}
        for variant, without in VARIANTS.items():
            base, master = stack.enter_context(server.gunicorn(OT24_BENCH_WITHOUT_MIDDLEWARE=without))
            servers[variant] = (base, master)
        order = list(VARIANTS)
        load_before = os.getloadavg()[0]
        for n in range(ROUNDS):
            log(f"overhead: round {n + 1} of {ROUNDS}")
            for variant in order[n % 3:] + order[:n % 3]:  # taking turns, the order rotating
                base, master = servers[variant]
                for page, user in PAGES.items():
                    before = server_cpu(master)
                    run = server.locust(base, identities, [user], n_users=USERS, seconds=SLICE_S, out=out,
                                        spawn_rate=USERS)["Aggregated"]
                    s = spent[(variant, page)]
                    cpu = server_cpu(master) - before
                    s["cpu"] += cpu
                    s["requests"] += run["requests"]
                    s["errors"] += run["errors"]
                    s["rounds"].append(round(cpu / max(1, run["requests"]) * 1000, 3))
        load_after = os.getloadavg()[0]
        base, master = servers["every middleware"]
        probe = probe_cost(base, master)
    pages = {}
    for page in PAGES:
        row = {variant: {"cpu_ms_per_request": round(spent[(variant, page)]["cpu"] / max(1, spent[(variant, page)]["requests"]) * 1000, 3),
                         "rounds": spent[(variant, page)]["rounds"], "requests": spent[(variant, page)]["requests"],
                         "errors": spent[(variant, page)]["errors"]} for variant in VARIANTS}
        full = row["every middleware"]["cpu_ms_per_request"]
        row["prometheus_ms"] = round(full - row["without prometheus's"]["cpu_ms_per_request"], 3)
        row["structlog_ms"] = round(full - row["without structlog's"]["cpu_ms_per_request"], 3)
        pages[page] = row
    result = {"users": USERS, "slice_s": SLICE_S, "rounds": ROUNDS, "pages": pages, "probe": probe,
              "loadavg": [load_before, load_after]}
    log(f"overhead: {result}")
    return result


def markdown(r: dict) -> list[str]:
    lines = ["", "## 9. What the observability costs a request (issue 35; information, not a goal)", "",
             f"Three servers of {server.WORKERS} workers take turns under the same traffic ({r['users']} users without "
             f"think time, {r['slice_s']} s a turn, {r['rounds']} rounds, the order rotating): one with every "
             "middleware, one without django-prometheus's two, one without structlog's request middleware. The "
             "figure is the workers' CPU milliseconds per request (each round's in brackets); the difference is "
             f"what the middleware costs. Machine load {r['loadavg'][0]:.2f} before, {r['loadavg'][1]:.2f} after.", "",
             "| page | every middleware | without prometheus's | without structlog's | prometheus costs | structlog costs |",
             "|---|---|---|---|---|---|"]
    for page, row in r["pages"].items():
        cells = [f"{row[v]['cpu_ms_per_request']} {row[v]['rounds']}" for v in VARIANTS]
        lines.append(f"| {page} | " + " | ".join(cells) + f" | {row['prometheus_ms']} ms | {row['structlog_ms']} ms |")
    p = r["probe"]
    lines += ["", f"The balancer's probe ({PROBE}, one a second on each server), {PROBES} sequential probes: "
              f"p50 {p['p50_ms']} ms, p95 {p['p95_ms']} ms (the minimal view on the same connections: p50 "
              f"{p['minimal_view_p50_ms']} ms), {p['worker_cpu_ms']} ms of worker CPU each, answers {p['statuses']}: "
              f"a worker busy {p['busy_share_of_one_worker'] * 100:.1f}% of the time, "
              f"{p['cpu_share_of_one_core'] * 100:.1f}% of one core, per balancer."]
    return lines

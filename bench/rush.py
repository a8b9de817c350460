"""`make bench` section `rush` (issue 35): the deadline's last hour.

1. Twenty companies press "Invia" within the same second against gunicorn (production settings, 2 sync
   workers, PostgreSQL), each with the password-confirmed signature the demo uses, the password checked with
   production's hasher (PBKDF2, Django's default): every application sealed once, none lost or duplicated,
   every receipt number unique, and the slowest answer's seconds.
2. 150 users of the load section's mix (companies, consultants, reviewers, visitors) on the same server:
   every page's p95 and the errors.

Helpers of bench/run.py (the database reset, session cookies, the load population) are passed in: run.py
runs as a script, and importing it again as a module would start a second bench."""
from __future__ import annotations

import http.client
import os
import re
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from bench import server

COMPANIES = 20
WARM_SUBMITS = 4  # submitted before the rush, not measured: a server at the deadline has sealed before
CROWD_USERS = 150
CROWD_SECONDS = 60
RECEIPT = re.compile(r"^OT24-\d{4}-\d{6}$")
MIX = ["CompanyUser", "ConsultantUser", "ReviewerUser", "AnonymousUser"]


def _ready_companies(n: int) -> list[tuple[object, str]]:
    """n companies, each with a draft ready to submit (A6 + C23: no evidence needed) and its legal
    representative's password hashed as production hashes it; with each, a session cookie."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher
    from django.test import Client

    from tests.factories import DEFAULT_PASSWORD, ready_to_submit

    hasher = PBKDF2PasswordHasher()
    ready = []
    for _ in range(n):
        app, rep = ready_to_submit()
        rep.password = hasher.encode(DEFAULT_PASSWORD, hasher.salt())  # production's hasher and iterations
        rep.save(update_fields=["password"])
        client = Client()
        client.force_login(rep)
        ready.append((app, client.cookies["sessionid"].value))
    return ready


def press_invia(base: str, app, cookie: str, csrf: str) -> tuple[int, float]:
    """The submit step's form as the browser posts it (password route): status and seconds."""
    from applications.models import Application
    from tests.factories import DEFAULT_PASSWORD

    host, port = base.removeprefix("http://").split(":")
    body = urlencode({"csrfmiddlewaretoken": csrf, "version": app.version, "place": "Roma",
                      "password": DEFAULT_PASSWORD, **dict.fromkeys(Application.DECLARATIONS, "on")})
    conn = http.client.HTTPConnection(host, int(port), timeout=300)
    t0 = time.perf_counter()
    try:
        conn.request("POST", f"/domande/{app.pk}/passo/submit/", body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": f"sessionid={cookie}; csrftoken={csrf}"})
        response = conn.getresponse()
        response.read()
        return response.status, time.perf_counter() - t0
    except OSError:
        return -1, time.perf_counter() - t0  # no answer: counted as an error, never as a success
    finally:
        conn.close()


def _all_at_once(base: str, companies: list, csrf: str) -> list[tuple[int, float]]:
    """Every company's press released by one barrier: they reach the server within the same second."""
    barrier = threading.Barrier(len(companies))
    answers: list = [None] * len(companies)

    def press(n: int):
        app, cookie = companies[n]
        barrier.wait(timeout=120)
        answers[n] = press_invia(base, app, cookie, csrf)

    threads = [threading.Thread(target=press, args=(n,)) for n in range(len(companies))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    return [a if a is not None else (-1, float("nan")) for a in answers]


def submissions(companies: list) -> dict:
    """What the database holds for the pressed applications: submitted, sealed once, receipts unique."""
    from applications.models import Application, Event
    from ot24portal.filestore import storage

    pks = [app.pk for app, _ in companies]
    rows = list(Application.objects.filter(pk__in=pks))
    seals = {pk: Event.objects.filter(application_id=pk, action="submit").count() for pk in pks}
    receipts = [a.receipt_number for a in rows if a.receipt_number]
    stored = [a for a in rows if a.pdf_storage_name and storage.matches_hash(a.pdf_storage_name, a.pdf_sha256)]
    return {"pressed": len(pks), "submitted": sum(1 for a in rows if a.status == Application.Status.SUBMITTED),
            "sealed_once": sum(1 for n in seals.values() if n == 1),
            "sealed_more_than_once": sum(1 for n in seals.values() if n > 1),
            "receipts": len(receipts), "unique_receipts": len(set(receipts)),
            "well_formed_receipts": sum(1 for r in receipts if RECEIPT.match(r)),
            "pdfs_stored_and_matching": len(stored)}


def submit_rush(reset_database) -> dict:
    from django.utils.crypto import get_random_string

    reset_database()
    companies = _ready_companies(COMPANIES + WARM_SUBMITS)
    warm, rush = companies[:WARM_SUBMITS], companies[WARM_SUBMITS:]
    csrf = get_random_string(32)
    with server.gunicorn(OT24_BENCH_PASSWORD_HASHERS="production") as (base, master):
        workers = server.worker_pids(master)
        warm_answers = _all_at_once(base, warm, csrf)  # each worker renders, seals and checks a password once
        load_before = os.getloadavg()[0]
        cpu_before = sum(server.cpu_seconds(pid) for pid in workers)
        t0 = time.perf_counter()
        answers = _all_at_once(base, rush, csrf)
        wall = time.perf_counter() - t0
        cpu = sum(server.cpu_seconds(pid) for pid in workers) - cpu_before
        load_after = os.getloadavg()[0]
    seconds = sorted(s for _, s in answers)
    result = {"companies": COMPANIES, "statuses": sorted(st for st, _ in answers),
              "errors": sum(1 for st, _ in answers if st != 302),
              "slowest_s": round(seconds[-1], 2), "median_s": round(seconds[len(seconds) // 2], 2),
              "fastest_s": round(seconds[0], 2), "all_answered_s": round(wall, 2),
              "worker_cpu_per_submit_s": round(cpu / COMPANIES, 3), "workers": len(workers),
              "warm_statuses": sorted(st for st, _ in warm_answers), "loadavg": [load_before, load_after],
              **submissions(rush)}
    result["correct"] = (result["errors"] == 0 and result["submitted"] == result["sealed_once"] == COMPANIES
                         and result["sealed_more_than_once"] == 0 and result["unique_receipts"] == COMPANIES
                         and result["well_formed_receipts"] == COMPANIES
                         and result["pdfs_stored_and_matching"] == COMPANIES)
    return result


def crowd(load_population, work: Path) -> dict:
    """CROWD_USERS users of the load section's mix for CROWD_SECONDS, on a population big enough that no
    two company users edit the same draft (each has its own, as in the 50-user run)."""
    identities = load_population(companies=CROWD_USERS)
    out = work / "locust-crowd"
    out.mkdir(exist_ok=True)
    from bench.overhead import server_cpu

    with server.gunicorn() as (base, master):
        load_before = os.getloadavg()[0]
        cpu_before, t0 = server_cpu(master), time.monotonic()
        mixed = server.locust(base, identities, MIX, n_users=CROWD_USERS, seconds=CROWD_SECONDS, out=out)
        cpu, wall = server_cpu(master) - cpu_before, time.monotonic() - t0
        load_after = os.getloadavg()[0]
    # The server's CPU per request of the mix (locust's start-up seconds included, so a little high): what the
    # crowd would need of the cores on a quiet machine, whatever the machine's other work did to the wall times.
    requests = max(1, sum(p["requests"] for name, p in mixed.items() if name != "Aggregated"))
    return {"users": CROWD_USERS, "seconds": CROWD_SECONDS, "workers": server.WORKERS, "mixed": mixed,
            "loadavg": [load_before, load_after], "server_cpu_ms_per_request": round(cpu / requests * 1000, 2),
            "server_cores_busy": round(cpu / wall, 2)}


def rush_benchmark(*, reset_database, load_population, work: Path, log) -> dict:
    log("rush: 20 companies press 'Invia' at once")
    submit = submit_rush(reset_database)
    log(f"rush: submit {submit}")
    log(f"rush: {CROWD_USERS} users of the mixed traffic")
    many = crowd(load_population, work)
    log(f"rush: crowd {many['mixed'].get('Aggregated')}")
    return {"submit": submit, "crowd": many}


def markdown(r: dict, rounds: list[dict] | None = None) -> list[str]:
    """The section's tables (the first round's; the goals table judges every round)."""
    s, c = r["submit"], r["crowd"]
    lines = ["", "## 8. The deadline's last hour (issue 35)", "",
             f"{s['companies']} companies press \"Invia\" within the same second (one barrier releases the "
             f"threads), password-confirmed as in the demo, the password checked with production's hasher "
             f"(PBKDF2), against gunicorn with {s['workers']} sync workers; {WARM_SUBMITS} submissions before, "
             "not measured (the workers have rendered, sealed and checked a password once).", "",
             "| | value |", "|---|---|",
             f"| answers | {s['statuses']} ({s['errors']} errors) |",
             f"| submitted / sealed once / sealed more than once | {s['submitted']} / {s['sealed_once']} / "
             f"{s['sealed_more_than_once']} |",
             f"| receipt numbers: unique / well formed (OT24-AAAA-NNNNNN) | {s['unique_receipts']} / "
             f"{s['well_formed_receipts']} of {s['companies']} |",
             f"| sealed PDFs stored and matching their hash | {s['pdfs_stored_and_matching']} |",
             f"| fastest / median / slowest answer | {s['fastest_s']} / {s['median_s']} / {s['slowest_s']} s |",
             f"| workers' CPU per submission (render, seal, password, queries) | {s['worker_cpu_per_submit_s']} s |",
             f"| machine load (1-minute loadavg, before / after) | {s['loadavg'][0]:.2f} / {s['loadavg'][1]:.2f} |"]
    if rounds and len(rounds) > 1:
        lines.append(f"| slowest answer, each round | {', '.join(str(x['submit']['slowest_s']) for x in rounds)} s |")
    lines += ["", f"{c['users']} users of the load section's mix (company 6 : consultant 2 : reviewer 2 : visitor 1, "
              f"think time 1-3 s), {c['seconds']} s, every company user on a draft of their own; machine load "
              f"{c['loadavg'][0]:.2f} before, {c['loadavg'][1]:.2f} after"
              + (f"; the server's CPU per request {c['server_cpu_ms_per_request']} ms, {c['server_cores_busy']} cores "
                 "busy on average" if "server_cpu_ms_per_request" in c else "") + ":", "",
              "| page | requests | errors | req/s | p50 ms | p95 ms | p99 ms |", "|---|---|---|---|---|---|---|"]
    for name, p in c["mixed"].items():
        lines.append(f"| {name} | {p['requests']} | {p['errors']} | {p['rps']} | {p['p50_ms']} | {p['p95_ms']} | "
                     f"{p['p99_ms']} |")
    return lines

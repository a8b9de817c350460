"""The wizard's pages in one process, against the floor page (bench/urls.py): per-page time as a multiple
of the floor's (best of N, pages taking turns so all see the same noise), the load mix's predicted
wizard/floor throughput ratio, query counts, and cProfile of one page.

    scripts/with-postgres.sh .venv/bin/python bench/wizard_profile.py time [rounds]
    scripts/with-postgres.sh .venv/bin/python bench/wizard_profile.py profile PAGE [requests]
    BENCH_LANGUAGE=en scripts/with-postgres.sh .venv/bin/python bench/wizard_profile.py dump DIR
"""
from __future__ import annotations

import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import run as R  # noqa: E402  (environment, settings, django.setup)

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

# The locust mix of WizardUser (bench/locustfile.py), as requests per 14 tasks.
MIX = {"dashboard": 2, "scheda": 2, "A": 1, "B": 1, "C": 3, "D": 1, "POST C": 2, "evidence": 2, "review": 2}


def setup():
    from tests.factories import open_campaign

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    R.reset_database()
    campaign = open_campaign()
    drafts = [R.data.make_draft(campaign, files=5) for _ in range(3)]
    R.data.analyze()
    draft = drafts[1]
    client = Client()
    client.force_login(draft.rep)
    if os.environ.get("BENCH_LANGUAGE"):  # e.g. BENCH_LANGUAGE=en ... dump DIR: the pages in English
        from django.conf import settings
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = os.environ["BENCH_LANGUAGE"]
    app = draft.application.pk
    import re

    def step(s):
        return f"/domande/{app}/passo/{s}/"

    def post_c():
        form = client.get(step("C")).content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
        version = re.search(r'name="version" value="(\d+)"', form).group(1)
        response = client.post(step("C"), {"csrfmiddlewaretoken": token.group(1) if token else "", "version": version,
                                           "sel_C4": "on", "go": "C"})
        assert response.status_code == 302, response.status_code
        return response

    pages = {"floor": lambda: client.get(f"/bench/floor/{app}/"), "dashboard": lambda: client.get("/domande/")}
    for s in ("scheda", "A", "B", "C", "D", "evidence", "review"):
        pages[s] = (lambda s=s: client.get(step(s)))
    pages["POST C"] = post_c

    def post(s, data):
        return lambda: client.post(step(s), {"version": "1", **data})

    # Invalid posts (for dump only): the pages with their errors.
    extra = {"scheda invalid": post("scheda", {"ragione_sociale": "", "workers": "0", "codice_ditta": "x12"}),
             "B invalid": post("B", {"sub_B1": "1", "decl_B2": "on"}),
             "C stale": post("C", {"sel_C4": "on", "sel_C1": "on"})}
    pages["_extra"] = extra
    extra = pages.pop("_extra")
    if sys.argv[1] != "dump":
        extra = {}
    pages.update(extra)
    for name, fn in pages.items():
        response = fn()
        assert response.status_code in (200, 302), (name, response.status_code)
    return pages


CLOCK = time.perf_counter


def timed(fn) -> float:
    start = CLOCK()
    fn()
    return CLOCK() - start


def time_pages(pages, rounds: int = 30, inner: int = 5):
    best = {name: float("inf") for name in pages}
    for _ in range(rounds):
        for name, fn in pages.items():
            t = min(timed(fn) for _ in range(inner))
            best[name] = min(best[name], t)
    get_c = best["C"]
    best["POST C"] = best["POST C"] - get_c  # post_c GETs the form first (as locust does, counted as a GET)
    floor = best["floor"]
    print(f"{'page':12} {'ms':>7} {'x floor':>8} {'queries':>8}")
    for name, t in best.items():
        print(f"{name:12} {t * 1000:7.2f} {t / floor:8.2f} {queries(pages[name]):8}")
    mix = sum(MIX.values())
    mean = sum(best[n] * w for n, w in MIX.items()) / mix
    print(f"mix mean {mean * 1000:.2f} ms; predicted wizard_share_of_floor {floor / mean:.2f}; "
          f"own work {(mean - floor) / floor:.2f} x floor")


def queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def profile(pages, name: str, n: int = 300, sort: str = "tottime"):
    fn = pages[name]
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(n):
        fn()
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats(sort).print_stats(45)


if __name__ == "__main__":
    pages = setup()
    if sys.argv[1].endswith("cpu"):
        CLOCK = time.process_time  # this process's CPU only: less noise from the other users of the machine
        sys.argv[1] = sys.argv[1][:-3]
    if sys.argv[1] == "dump":
        import re
        out = Path(sys.argv[2])
        out.mkdir(parents=True, exist_ok=True)
        for name, fn in pages.items():
            response = fn()
            body = response.content.decode() if response.status_code == 200 else f"{response.status_code} {response['Location']}"
            body = re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]+', r"\1X", body)
            body = re.sub(r'nonce="[^"]+"', 'nonce="X"', body)
            (out / (name.replace(" ", "_") + ".html")).write_text(body)
    elif sys.argv[1] == "sql":
        for page in sys.argv[2].split(","):
            pages[page]()
            for _ in range(3):
                with CaptureQueriesContext(connection) as ctx:
                    pages[page]()
            print(f"== {page}")
            for q in ctx.captured_queries:
                print(q["time"], q["sql"][:int(sys.argv[3]) if len(sys.argv) > 3 else 300])
    elif sys.argv[1] == "time":
        time_pages(pages, int(sys.argv[2]) if len(sys.argv) > 2 else 30)
    else:
        for page in sys.argv[2].split(","):
            profile(pages, page, int(sys.argv[3]) if len(sys.argv) > 3 else 300,
                    sys.argv[4] if len(sys.argv) > 4 else "tottime")

"""The wizard's pages and the floor page served by gunicorn (production settings, one sync worker per
checkout): CPU per request of the worker and of PostgreSQL together, read from /proc/PID/schedstat (ns),
and the load mix's wizard/floor ratio from it. In-process timings (wizard_profile.py time) leave out
what a worker does around Django (about 1.2 ms per request here) and PostgreSQL's own CPU (about 0.1 ms per
query); this ratio came within a few hundredths of locust's (bench: load) in session 10.

Several checkouts at once, each with its own gunicorn on the same database, pages interleaved in small
blocks so that every checkout sees the same machine: an A/B of a change without locust's noise.

    scripts/with-postgres.sh .venv/bin/python bench/server_cpu.py [ROOT ...]   (default: this checkout)
    ROUNDS=40 BLOCK=20 ...                                                     (the defaults)
"""
from __future__ import annotations

import http.client
import os
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import server  # noqa: E402
from bench.wizard_profile import MIX, R  # noqa: E402  (environment, settings, django.setup)

from django.core.management import call_command  # noqa: E402

CSRF = "abcdefghijklmnopqrstuvwxyzABCDEF"


def cpu_seconds(pid: int) -> float:
    """Time on CPU of a process (the first field of schedstat, in ns); 0 for a process that is gone."""
    try:
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e9
    except (OSError, ValueError, IndexError):
        return 0.0


def postgres_pids() -> list[int]:
    pids = []
    for comm in Path("/proc").glob("[0-9]*/comm"):
        try:
            if comm.read_text().startswith("postgres"):
                pids.append(int(comm.parent.name))
        except (OSError, ValueError):
            pass
    return pids


def start(root: str) -> tuple[subprocess.Popen, int]:
    port = server.free_port()
    proc = subprocess.Popen([str(server.VENV_BIN / "gunicorn"), "ot24portal.wsgi:application", "--workers", "1",
                             "--bind", f"127.0.0.1:{port}", "--chdir", root, "--timeout", "300",
                             "--log-level", "warning"], env=os.environ.copy())
    for _ in range(300):
        try:
            if server.get(f"http://127.0.0.1:{port}", "/bench/minimal/")[0] == 200:
                return proc, port
        except OSError:
            time.sleep(0.1)
    proc.terminate()
    raise RuntimeError(f"gunicorn of {root} did not start")


def pages_of(port: int, urls: dict[str, str], cookie: str) -> dict:
    headers = {"Cookie": f"sessionid={cookie}; csrftoken={CSRF}"}

    def request(method: str, url: str, body: str | None = None, expect: int = 200) -> bytes:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)  # gunicorn's sync workers close it
        extra = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
        conn.request(method, url, body=body, headers={**headers, **extra})
        response = conn.getresponse()
        content = response.read()
        conn.close()
        if response.status != expect:
            raise RuntimeError(f"{method} {url}: {response.status}")
        return content

    def save_c():  # as locust's save_section: the section's GET, then its POST
        form = request("GET", urls["C"]).decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        version = re.search(r'name="version" value="(\d+)"', form).group(1)
        request("POST", urls["C"], f"csrfmiddlewaretoken={token}&version={version}&sel_C4=on&go=C", expect=302)

    pages = {name: (lambda url=url: request("GET", url)) for name, url in urls.items()}
    pages["GET C + POST C"] = save_c
    return pages


def main(roots: list[str]) -> None:
    from tests.factories import open_campaign

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    R.reset_database()
    campaign = open_campaign()
    draft = [R.data.make_draft(campaign, files=5) for _ in range(3)][1]
    R.data.analyze()
    cookie, app = R.session_cookie(draft.rep), draft.application.pk
    urls = {"floor": f"/bench/floor/{app}/", "dashboard": "/domande/"}
    urls.update({step: f"/domande/{app}/passo/{step}/" for step in ("scheda", "A", "B", "C", "D", "evidence", "review")})
    rounds, block = int(os.environ.get("ROUNDS", "40")), int(os.environ.get("BLOCK", "20"))
    servers = [start(root) for root in roots]
    try:
        sets = [pages_of(port, urls, cookie) for _, port in servers]
        for pages in sets:  # warm: templates, catalogue, prepared statements
            for fn in pages.values():
                for _ in range(30):
                    fn()
        spent = [{name: 0.0 for name in sets[0]} for _ in sets]
        for _ in range(rounds):
            for name in sets[0]:
                for i, ((proc, _), pages) in enumerate(zip(servers, sets)):
                    watched = server.worker_pids(proc) + postgres_pids()
                    before = {pid: cpu_seconds(pid) for pid in watched}
                    for _ in range(block):
                        pages[name]()
                    spent[i][name] += sum(max(0.0, cpu_seconds(pid) - t) for pid, t in before.items())
        n = rounds * block
        print(f"CPU ms per request (gunicorn worker + PostgreSQL), {n} each, interleaved in blocks of {block}")
        print(f"{'page':16}" + "".join(f"{root[-28:]:>30}" for root in roots))
        for name in sets[0]:
            print(f"{name:16}" + "".join(f"{s[name] / n * 1000:30.2f}" for s in spent))
        # MIX counts requests per 16 of locust's wizard traffic; "POST C" comes with its GET of C.
        weights = {**{k: v for k, v in MIX.items() if k not in ("C", "POST C")}, "C": MIX["C"] - MIX["POST C"],
                   "GET C + POST C": MIX["POST C"]}
        for root, s in zip(roots, spent):
            mean = sum(s[k] * w for k, w in weights.items()) / sum(MIX.values())
            print(f"{root}: wizard mix {mean / n * 1000:.2f} ms per request, floor {s['floor'] / n * 1000:.2f} ms, "
                  f"wizard/floor {s['floor'] / mean:.3f}")
    finally:
        for proc, _ in servers:
            proc.terminate()
            proc.wait(timeout=30)


if __name__ == "__main__":
    main(sys.argv[1:] or [str(server.ROOT)])

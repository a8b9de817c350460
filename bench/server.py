"""The portal under gunicorn (production settings over loopback HTTP, OT24_WEB_WORKERS sync workers, 2 by default), and the clients
the benchmark drives it with: locust for load, plain HTTP for sequential latency and the big upload."""
from __future__ import annotations

import csv
import http.client
import os
import socket
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
BENCH_VENV_BIN = ROOT / ".venv-bench" / "bin"
# The same count as gunicorn.conf.py reads in production (OT24_WEB_WORKERS, 2 by default): the bench measures
# what a server runs.
WORKERS = int(os.environ.get("OT24_WEB_WORKERS", "2"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(**extra_env: str):
    """Start gunicorn with the environment of this process (settings, database, media folder) and
    `extra_env`; yield (base URL, master process); stop it at the end."""
    port = free_port()
    proc = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "ot24portal.wsgi:application", "--config", str(ROOT / "gunicorn.conf.py"),
         "--workers", str(WORKERS),
         "--bind", f"127.0.0.1:{port}", "--chdir", str(ROOT), "--timeout", "300", "--log-level", "warning"],
        env={**os.environ, **extra_env},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                status, _, _ = get(base, "/bench/minimal/")
                if status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("gunicorn did not start")
        yield base, proc
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def worker_pids(master: subprocess.Popen) -> list[int]:
    """gunicorn's workers: the children of the master process, read from /proc (no procps needed)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master.pid:
            children.append(int(stat.parent.name))
    return children


def get(base: str, path: str, cookie: str | None = None) -> tuple[int, float, bytes]:
    """One GET on a new connection: status, seconds, body."""
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=120)
    headers = {"Cookie": f"sessionid={cookie}"} if cookie else {}
    t0 = time.perf_counter()
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    seconds = time.perf_counter() - t0
    conn.close()
    return response.status, seconds, body


def sequential_latency(base: str, path: str, cookie: str, n: int = 30) -> dict:
    """p50/p95 of n sequential GETs (after warm-up requests reaching both workers) on an idle server."""
    for _ in range(2 * WORKERS + 2):
        get(base, path, cookie)
    times, statuses = [], set()
    for _ in range(n):
        status, seconds, _ = get(base, path, cookie)
        statuses.add(status)
        times.append(seconds * 1000)
    times.sort()
    return {"p50_ms": round(statistics.median(times), 1), "p95_ms": round(times[int(0.95 * (n - 1))], 1),
            "statuses": sorted(statuses)}


def locust(base: str, identities: Path, users: list[str], *, n_users: int, seconds: int, out: Path,
           spawn_rate: int | None = None) -> dict:
    """Run locust headless with the named user classes; return its per-page statistics."""
    prefix = out / "locust"
    cmd = [str(BENCH_VENV_BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
           # Users arrive over 5 s and the statistics restart once all are running: the steady state is
           # measured, not the queue of 50 first requests arriving in the same instant.
           "--users", str(n_users), "--spawn-rate", str(spawn_rate or max(1, n_users // 5)), "--reset-stats",
           "--run-time", f"{seconds}s", "--host", base,
           "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING", "--exit-code-on-error", "0", *users]
    env = {**os.environ, "BENCH_IDENTITIES": str(identities)}
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
    pages = {}
    with open(f"{prefix}_stats.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            pages[row["Name"]] = {
                "requests": int(row["Request Count"]), "errors": int(row["Failure Count"]),
                "rps": round(float(row["Requests/s"]), 1), "p50_ms": _ms(row["50%"]), "p95_ms": _ms(row["95%"]),
                "p99_ms": _ms(row["99%"]),
            }
    return pages


def _ms(value: str) -> float | None:
    return None if value in ("", "N/A") else float(value)


def vm_hwm_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM")


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of the process and of its children it has waited for (the checks'
    forked children), from /proc: what an upload cost the worker, whatever else the machine runs."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def reset_hwm(pid: int) -> None:
    """Reset the process's peak resident size to its current size (Linux: clear_refs 5)."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def post_raw(base: str, path: str, cookie: str, csrf: str, file_path: Path, filename: str, item: int) -> tuple[int, float]:
    """POST one file as the raw request body, as the evidence page's script sends it (application/octet-stream,
    the CSRF token in X-CSRFToken, item and name in the query string), streamed from disk in 1 MB pieces.
    Returns status and seconds."""
    from urllib.parse import urlencode

    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=600)
    t0 = time.perf_counter()
    conn.putrequest("POST", f"{path}?{urlencode({'item': item, 'name': filename})}")
    conn.putheader("Content-Type", "application/octet-stream")
    conn.putheader("Content-Length", str(file_path.stat().st_size))
    conn.putheader("X-CSRFToken", csrf)
    conn.putheader("X-Requested-With", "XMLHttpRequest")
    conn.putheader("Cookie", f"sessionid={cookie}; csrftoken={csrf}")
    conn.endheaders()
    with open(file_path, "rb") as fh:
        while chunk := fh.read(1024 * 1024):
            conn.send(chunk)
    return _answer(conn, t0)


def _answer(conn, t0: float) -> tuple[int, float]:
    """Read the response of a request whose body is sent; status and seconds since t0."""
    response = conn.getresponse()
    response.read()
    seconds = time.perf_counter() - t0
    conn.close()
    return response.status, seconds


def post_file(base: str, path: str, cookie: str, csrf: str, fields: dict, file_path: Path, filename: str) -> tuple[int, float]:
    """POST a multipart form with one file, streamed from disk in 1 MB pieces (the client never holds
    the file in memory). Returns status and seconds."""
    boundary = "----ot24bench" + os.urandom(8).hex()
    head = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items()
    ) + (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
         f"Content-Type: application/pdf\r\n\r\n").encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    size = len(head) + file_path.stat().st_size + len(tail)

    def body():
        yield head
        with open(file_path, "rb") as fh:
            while chunk := fh.read(1024 * 1024):
                yield chunk
        yield tail

    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=600)
    t0 = time.perf_counter()
    conn.putrequest("POST", path)
    conn.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
    conn.putheader("Content-Length", str(size))
    conn.putheader("Cookie", f"sessionid={cookie}; csrftoken={csrf}")
    conn.endheaders()
    for piece in body():
        conn.send(piece)
    return _answer(conn, t0)

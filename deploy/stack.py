"""`make stack`: the portal as INAIL runs it, every part on 127.0.0.1.

    balancer (HAProxy, :8080) -> web1, web2 (gunicorn, production settings: ot24portal.settings.stack)
                                   |-> PostgreSQL (a persistent cluster in .stack/postgres)
                                   |-> SeaweedFS (S3, .stack/s3)
    worker (manage.py db_worker) and scheduler (manage.py run_scheduler) beside them

The process definitions are PROCESSES below: the same commands a deployment runs under systemd or a container
platform (docs/operations.md). The first start loads the catalogue and the demo data and prints the logins; later
starts keep the data. Ctrl-C (or a TERM) stops everything this started. The tests of tests/stack/ start their own
Stack in a temporary folder, on free ports, and kill its parts one by one.
"""
from __future__ import annotations

import argparse
import glob
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.seaweedfs import SeaweedFS  # noqa: E402

PYTHON = sys.executable
BUCKET = "ot24-evidence"

# name -> the command it runs ({port} is the web server's own port). What a deployment runs, one unit each.
PROCESSES = {
    "web": [PYTHON, "-m", "gunicorn", "ot24portal.wsgi", "-c", str(ROOT / "gunicorn.conf.py"),
            "-b", "127.0.0.1:{port}"],
    "worker": [PYTHON, "manage.py", "db_worker", "--queue-name", "*", "--interval", "1", "--no-reload"],
    "scheduler": [PYTHON, "manage.py", "run_scheduler", "--interval", "30"],
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise RuntimeError("PostgreSQL is not installed (scripts/system-deps.sh postgres)")
    return found[-1]


def _as_postgres() -> list[str]:
    return ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []


@dataclass
class Stack:
    root: Path
    balancer_port: int = 8080
    web_ports: tuple[int, ...] = (8001, 8002)
    pg_port: int = 54329
    s3_port: int = 8333
    demo: bool = True
    quiet: bool = False
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)
    s3: SeaweedFS | None = None

    # -- paths and environment ------------------------------------------------------------------------------
    @property
    def pg_data(self) -> Path:
        return self.root / "postgres"

    @property
    def mail_dir(self) -> Path:
        return self.root / "mail"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.balancer_port}"

    def web_url(self, index: int) -> str:
        return f"http://127.0.0.1:{self.web_ports[index]}"

    def env(self) -> dict:
        key_file = self.root / "secret-key"
        if not key_file.exists():
            key_file.write_text(secrets.token_urlsafe(64))
            key_file.chmod(0o600)
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "ot24portal.settings.stack",
            "DJANGO_SECRET_KEY": key_file.read_text(),
            "DATABASE_URL": f"postgres://ot24@127.0.0.1:{self.pg_port}/ot24",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_STATIC_ROOT": str(self.root / "static"),
            "OT24_PRIVATE_MEDIA_ROOT": str(self.root / "private"),
            "OT24_DEV_CERT_DIR": str(self.root / "dev-certs"),
            "OT24_STACK_MAIL_DIR": str(self.mail_dir),
            "OT24_EVIDENCE_S3_BUCKET": BUCKET,
            "OT24_EVIDENCE_S3_ENDPOINT_URL": f"http://127.0.0.1:{self.s3_port}",
            "OT24_EVIDENCE_S3_ACCESS_KEY": self.s3.access_key if self.s3 else "",
            "OT24_EVIDENCE_S3_SECRET_KEY": self.s3.secret_key if self.s3 else "",
            "OT24_TRUSTED_PROXY_COUNT": "1",  # the client's address is the balancer's X-Forwarded-For
            "OT24_TRUST_UPSTREAM_REQUEST_ID": "1",
            "OT24_PUBLIC_URL": self.url,
            "OT24_SITE_URL": self.url,
            "OT24_LOG_FORMAT": "json",
            "PYTHONUNBUFFERED": "1",
        }

    def say(self, text: str) -> None:
        if not self.quiet:
            print(text, flush=True)

    # -- PostgreSQL -----------------------------------------------------------------------------------------
    def start_postgres(self) -> None:
        fresh = not (self.pg_data / "PG_VERSION").exists()
        if os.getuid() == 0:  # PostgreSQL runs as its own user, who must reach its folder
            self.root.chmod(self.root.stat().st_mode | 0o711)
        if fresh:
            self.pg_data.mkdir(parents=True, exist_ok=True)
            if os.getuid() == 0:
                subprocess.run(["id", "postgres"], check=True, capture_output=True)
                shutil.chown(self.pg_data, "postgres")
            subprocess.run([*_as_postgres(), pg_bin("initdb"), "-D", str(self.pg_data), "-U", "ot24", "-A", "trust",
                            "-E", "UTF8"], check=True, capture_output=True)
        socket_dir, log = self.root / "pg-socket", self.root / "logs" / "postgres.log"
        socket_dir.mkdir(exist_ok=True)
        log.touch()
        if os.getuid() == 0:
            shutil.chown(socket_dir, "postgres")
            shutil.chown(log, "postgres")
        subprocess.run([*_as_postgres(), pg_bin("pg_ctl"), "-D", str(self.pg_data), "-l", str(log),
                        "-w", "-o", f"-c listen_addresses=127.0.0.1 -p {self.pg_port} -k {socket_dir}", "start"],
                       check=True, capture_output=True)
        if fresh:
            subprocess.run([pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(self.pg_port), "-U", "ot24", "ot24"],
                           check=True, capture_output=True)

    def stop_postgres(self, mode: str = "fast") -> None:
        subprocess.run([*_as_postgres(), pg_bin("pg_ctl"), "-D", str(self.pg_data), "-m", mode, "stop"],
                       capture_output=True)

    # -- S3 -------------------------------------------------------------------------------------------------
    def start_s3(self) -> None:
        if self.s3 is None:
            self.s3 = SeaweedFS(data_dir=self.root / "s3", s3_port=self.s3_port, buckets=(BUCKET,))
            self.s3.start()
        else:
            self.s3.restart()

    def stop_s3(self) -> None:
        if self.s3 is not None:
            self.s3.stop()

    # -- the portal's processes -----------------------------------------------------------------------------
    def manage(self, *args: str) -> None:
        subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=self.env(), check=True,
                       stdout=subprocess.DEVNULL if self.quiet else None)

    def prepare(self) -> None:
        """Migrations (and the cache table), static files; the catalogue and the demo data the first time."""
        self.manage("migrate", "--noinput", "-v0")
        self.manage("createcachetable")
        self.manage("collectstatic", "--noinput", "-v0")
        marker = self.root / "demo-loaded"
        if not marker.exists():
            self.manage("loaddata", "ot24", "-v0")
            self.manage("dev_certificate")
            if self.demo:
                self.manage("demo_data")
            marker.write_text(time.strftime("%Y-%m-%d %H:%M:%S"))

    def _spawn(self, name: str, argv: list[str]) -> subprocess.Popen:
        log = open(self.root / "logs" / f"{name}.log", "ab")
        proc = subprocess.Popen(argv, cwd=ROOT, env=self.env(), stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        log.close()
        self.procs[name] = proc
        return proc

    def start_web(self, index: int) -> None:
        port = self.web_ports[index]
        self._spawn(f"web{index + 1}", [part.format(port=port) for part in PROCESSES["web"]])

    def start_worker(self) -> None:
        self._spawn("worker", PROCESSES["worker"])

    def start_scheduler(self) -> None:
        self._spawn("scheduler", PROCESSES["scheduler"])

    def start_balancer(self) -> None:
        servers = "\n".join(f"    server web{i + 1} 127.0.0.1:{port} check"
                            for i, port in enumerate(self.web_ports))
        config = (ROOT / "deploy" / "haproxy.cfg").read_text().format(balancer_port=self.balancer_port,
                                                                      servers=servers)
        (self.root / "haproxy.cfg").write_text(config)
        haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
        self._spawn("balancer", [haproxy, "-f", str(self.root / "haproxy.cfg"), "-db"])

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """Kill a process of the stack and everything it started (gunicorn's workers, say)."""
        proc = self.procs.get(name)
        if proc is not None and proc.poll() is None:
            os.killpg(proc.pid, sig)
            proc.wait(timeout=30)

    def wait_http(self, url: str, timeout: float = 60.0, status: int = 200) -> None:
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url, timeout=5) as answer:
                    last = answer.status
            except urllib.error.HTTPError as exc:
                last = exc.code
            except OSError as exc:
                last = exc
            if last == status:
                return
            time.sleep(0.3)
        raise RuntimeError(f"{url} did not answer {status} within {timeout} s (last: {last})")

    def start(self) -> "Stack":
        for folder in (self.root, self.root / "logs", self.mail_dir):
            folder.mkdir(parents=True, exist_ok=True)
        self.say("PostgreSQL ...")
        self.start_postgres()
        self.say("SeaweedFS (S3) ...")
        self.start_s3()
        self.say("Migrations, static files, demo data ...")
        self.prepare()
        for index in range(len(self.web_ports)):
            self.start_web(index)
        self.start_worker()
        self.start_scheduler()
        self.start_balancer()
        for index in range(len(self.web_ports)):  # generous: a loaded 2-core machine starts gunicorn slowly
            self.wait_http(self.web_url(index) + "/readyz", timeout=300)
        self.wait_http(self.url + "/readyz", timeout=60)
        return self

    def stop(self) -> None:
        for name in list(self.procs):
            self.kill(name, signal.SIGTERM)
        self.stop_s3()
        self.stop_postgres()

    def __enter__(self) -> "Stack":
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc) -> None:
        self.stop()


LOGINS = """
The portal is served on {url}/ through the load balancer (web servers on {webs}).
Demo logins (password for all: ot24-demo-2027):
  legale@edilrossi.example          legal representative of Edil Rossi
  ufficio@edilrossi.example         member of Edil Rossi
  consulente@studiosicuro.example   consultant
  revisore@ot24.example             INAIL reviewer (second factor: manage.py demo_totp revisore@ot24.example)
  admin@ot24.example                administrator
Logs in {root}/logs, e-mails in {root}/mail. Ctrl-C stops everything.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description="Run the portal on several servers behind a load balancer.")
    parser.add_argument("--root", type=Path, default=ROOT / ".stack")
    parser.add_argument("--port", type=int, default=8080)
    args = parser.parse_args()
    stack = Stack(root=args.root.resolve(), balancer_port=args.port)
    stopping = False

    def stop(*_):
        nonlocal stopping
        if not stopping:
            stopping = True
            print("\nStopping ...", flush=True)
            stack.stop()
        sys.exit(0)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        stack.start()
    except Exception:
        stack.stop()
        raise
    print(LOGINS.format(url=stack.url, webs=", ".join(f"127.0.0.1:{p}" for p in stack.web_ports),
                        root=stack.root), flush=True)
    while True:  # until Ctrl-C; a part that dies is reported, not restarted (a supervisor's job in production)
        time.sleep(2)
        for name, proc in list(stack.procs.items()):
            if proc.poll() is not None:
                print(f"{name} exited with {proc.returncode}; see {stack.root}/logs/{name}.log", flush=True)
                stack.procs.pop(name)


if __name__ == "__main__":
    main()

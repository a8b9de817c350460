"""Issue 31: the portal on several servers behind a load balancer (deploy/stack.py, the processes of `make stack`),
started once for this module in a temporary folder on free ports: HAProxy, two gunicorn web servers with the
production settings, a task worker, the scheduler, PostgreSQL and SeaweedFS. Each test talks HTTP to it from
outside, as a browser does, and kills its parts."""
import http.cookiejar
import json
import re
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from operations.demo import minimal_pdf
from deploy.stack import ROOT, Stack, free_port

PASSWORD = "ot24-demo-2027"
LEGAL_REP = "legale@edilrossi.example"

pytestmark = pytest.mark.stack


@pytest.fixture(scope="module")
def stack():
    # Not under pytest's tmp folder: that one is private to root, and PostgreSQL runs as its own user.
    root = Path(tempfile.mkdtemp(prefix="ot24-stack-"))
    try:
        with Stack(root=root, balancer_port=free_port(), web_ports=(free_port(), free_port()), pg_port=free_port(),
                   s3_port=free_port(), quiet=True) as running:
            yield running
    finally:
        shutil.rmtree(root, ignore_errors=True)


class Browser:
    """A browser's cookie jar and forms over urllib; `base` picks the server (balancer or one web server)."""

    def __init__(self, base: str, client_ip: str | None = None):
        self.base = base
        # The web servers trust one proxy (OT24_TRUSTED_PROXY_COUNT=1): a request sent to one directly may name
        # its client the way the balancer would.
        self.headers = {"X-Forwarded-For": client_ip} if client_ip else {}
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                  _NoRedirect())

    def request(self, method: str, path: str, data: bytes | None = None, headers: dict | None = None,
                base: str | None = None):
        req = urllib.request.Request((base or self.base) + path, data=data, method=method,
                                     headers={**self.headers, **(headers or {})})
        try:
            with self.opener.open(req, timeout=30) as answer:
                return answer.status, answer.read().decode("utf-8", "replace"), answer.headers
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8", "replace"), exc.headers

    def get(self, path: str, base: str | None = None):
        return self.request("GET", path, base=base)

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def post_form(self, path: str, fields: dict, base: str | None = None):
        status, page, _ = self.get(path, base=base)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
        return self.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded",
                                                 "Referer": (base or self.base) + path}, base=base)

    def log_in(self, email: str, password: str = PASSWORD, base: str | None = None):
        return self.post_form("/accesso/", {"login": email, "password": password}, base=base)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def shell(stack: Stack, code: str) -> str:
    return subprocess.run([str(Path(ROOT) / ".venv" / "bin" / "python"), "manage.py", "shell", "--no-imports", "-c", code],
                          cwd=ROOT, env=stack.env(), capture_output=True, text=True, check=True).stdout.strip()


def draft_and_item(stack: Stack) -> tuple[int, int]:
    """The legal representative's demo draft and an evidence item of an intervention it declares."""
    return tuple(json.loads(shell(stack, (
        "import json; from applications.models import Application; from interventions.models import EvidenceItem\n"
        "a = Application.objects.filter(status='draft', site__company__ragione_sociale__startswith='Edil Rossi')"
        ".order_by('pk').first()\n"
        "i = EvidenceItem.objects.filter(intervention_id__in=list(a.selections.values_list('intervention_id', "
        "flat=True))).order_by('pk').first()\n"
        "print(json.dumps([a.pk, i.pk]))"))))


def upload(browser: Browser, app_pk: int, item_pk: int, content: bytes, name: str, base: str | None = None):
    browser.get(f"/domande/{app_pk}/", base=base)  # a page, for the CSRF cookie
    query = urllib.parse.urlencode({"item": item_pk, "name": name})
    return browser.request("POST", f"/domande/{app_pk}/documenti/carica-diretta/?{query}", content,
                           {"Content-Type": "application/octet-stream", "X-CSRFToken": browser.csrf(),
                            "Referer": (base or browser.base) + f"/domande/{app_pk}/"}, base=base)


def test_a_session_started_on_one_server_continues_on_the_other(stack):
    browser = Browser(stack.web_url(0))
    status, _, headers = browser.log_in(LEGAL_REP)
    assert status == 302, "log-in through web1"
    status, page, _ = browser.get("/domande/", base=stack.web_url(1))
    assert status == 200 and "Edil Rossi" in page


def test_a_file_uploaded_through_one_server_is_downloaded_through_the_other(stack):
    app_pk, item_pk = draft_and_item(stack)
    browser = Browser(stack.web_url(0))
    browser.log_in(LEGAL_REP)
    content = minimal_pdf(f"verbale {time.time()}")
    status, body, _ = upload(browser, app_pk, item_pk, content, "verbale-web1.pdf")
    assert status == 201, body
    download = json.loads(body)["file"]["download_url"]
    status, _, headers = browser.request("GET", download, base=stack.web_url(1))
    assert status == 200 and headers["Content-Disposition"].startswith("attachment")


def test_the_log_in_lock_out_holds_across_both_servers(stack):
    """Wrong passwords sent alternately to the two servers are counted together: the address is refused after
    the same number of failures as on one server (five), not after five per server or per worker process, and
    then on both servers, even with the right password."""
    browser = Browser(stack.url, client_ip="203.0.113.7")
    email = "ufficio@edilrossi.example"
    refused_at = None
    for attempt in range(1, 13):
        status, page, _ = browser.log_in(email, "sbagliata-123456", base=stack.web_url(attempt % 2))
        if status == 429 or "bloccat" in page:
            refused_at = attempt
            break
    assert refused_at is not None and refused_at <= 6, refused_at
    for base in (stack.web_url(0), stack.web_url(1)):
        status, page, _ = browser.log_in(email, PASSWORD, base=base)
        assert status != 302, "still refused on both servers, even with the right password"


def test_a_web_server_killed_under_load_loses_only_its_requests_in_flight(stack):
    clients, failures, served = 8, [], {"web1": 0, "web2": 0}
    stop = threading.Event()
    lock = threading.Lock()

    def hammer():
        browser = Browser(stack.url)
        while not stop.is_set():
            status, _, headers = browser.get("/accesso/")
            with lock:
                if status == 200:
                    served[headers.get("X-Served-By", "?")] = served.get(headers.get("X-Served-By", "?"), 0) + 1
                else:
                    failures.append((time.monotonic(), status))

    try:
        with ThreadPoolExecutor(clients) as pool:
            for _ in range(clients):
                pool.submit(hammer)
            time.sleep(3)
            killed_at = time.monotonic()
            stack.kill("web1")
            time.sleep(6)
            after_kill = dict(served)
            time.sleep(3)
            stop.set()
    finally:
        stop.set()
    # What may fail: each client's request in flight on web1, and at most one more sent in the few milliseconds
    # between the SIGKILL and the last process's exit, while web1's listening socket still accepts connections
    # (a whole `make test` once counted 9 failures for 8 clients, all within 10 ms of the kill). A balancer that
    # did not send refused connections to web2 would keep failing until its checks took web1 out (3 x 1 s).
    late = [f for f in failures if f[0] > killed_at + 0.5]
    assert len(failures) <= 2 * clients, f"only requests in flight on web1 fail: {len(failures)}: {failures[:20]}"
    assert not late, f"failures only as web1 died, none once it was gone: {late[:20]}"
    assert served.get("web2", 0) > after_kill.get("web2", 0), "web2 went on serving"


def test_a_killed_web_server_started_again_rejoins(stack):
    if stack.procs["web1"].poll() is None:
        stack.kill("web1")
    stack.start_web(0)
    stack.wait_http(stack.web_url(0) + "/readyz", timeout=120)
    deadline = time.monotonic() + 30
    browser = Browser(stack.url)
    while time.monotonic() < deadline:
        if browser.get("/accesso/")[2].get("X-Served-By") == "web1":
            break
        time.sleep(0.5)
    else:
        pytest.fail("web1 did not rejoin the balancer")


def test_postgresql_restart_readyz_goes_503_and_the_servers_recover_by_themselves(stack):
    stack.stop_postgres(mode="immediate")
    try:
        stack.wait_http(stack.web_url(0) + "/readyz", status=503, timeout=30)
        status, body, _ = Browser(stack.web_url(1)).get("/readyz")
        assert status == 503 and "database" in body
    finally:
        stack.start_postgres()
    for index in range(2):
        stack.wait_http(stack.web_url(index) + "/readyz", status=200, timeout=60)
    browser = Browser(stack.url)
    assert browser.log_in(LEGAL_REP)[0] == 302


def test_with_the_store_down_an_upload_answers_503_in_italian_and_nothing_is_half_written(stack):
    app_pk, item_pk = draft_and_item(stack)
    count = "from evidence.models import EvidenceFile; print(EvidenceFile.objects.count())"
    before = shell(stack, count)
    browser = Browser(stack.url)
    browser.log_in(LEGAL_REP)
    stack.stop_s3()
    try:
        time.sleep(5)  # longer than the balancer takes to drop a server that fails its checks
        status, body, _ = upload(browser, app_pk, item_pk, minimal_pdf(f"guasto {time.time()}"), "guasto.pdf")
    finally:
        stack.start_s3()
    assert status == 503 and "non è raggiungibile" in json.loads(body)["error"]  # the portal's answer, not the balancer's
    assert shell(stack, count) == before
    status, body, _ = upload(browser, app_pk, item_pk, minimal_pdf(f"dopo {time.time()}"), "dopo.pdf")
    assert status == 201, body


def test_a_worker_killed_while_it_sends_mail_sends_every_e_mail_exactly_once_after_a_restart(stack):
    """Forty e-mails are queued; the worker is killed while it sends them and started again: every one of them
    is in the mail folder exactly once."""
    marker = f"drill-{time.time_ns()}"
    shell(stack, (
        "from notifications.services import email_enqueue\n"
        "from django.db import transaction\n"
        "with transaction.atomic():\n"
        f"    for n in range(40): email_enqueue(recipients=['drill@example.it'], subject='{marker} %d' % n, body='prova')\n"))
    time.sleep(1.0)
    stack.kill("worker")
    stack.start_worker()

    def subjects():
        found = []
        for path in stack.mail_dir.glob("*.log"):
            found += re.findall(rf"Subject: ({marker} \d+)", path.read_text(errors="replace"))
        return found

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(set(subjects())) < 40:
        time.sleep(1)
    sent = subjects()
    assert len(set(sent)) == 40, f"{len(set(sent))} of 40 sent"
    assert len(sent) == 40, "none sent twice"

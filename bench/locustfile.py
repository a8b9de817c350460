"""Load mix for `make bench` (run by bench/load.py with locust, headless, against gunicorn on loopback).

Identities come from the JSON file named by BENCH_IDENTITIES: session cookies made by the bench for
company users (each with their own draft), consultants (with clients' drafts) and reviewers (with
submitted applications). Every request is named by page so locust reports each page separately.
The user classes are named on locust's command line: CompanyUser, ConsultantUser, ReviewerUser and
AnonymousUser (with think time) for the mixed load; WizardUser, FloorUser and MinimalUser (no think time) for the
throughput of the wizard against the smallest Django view and the floor page."""
from __future__ import annotations

import itertools
import json
import os
import random
import re

from locust import FastHttpUser, between, constant, task

IDENTITIES = json.loads(open(os.environ["BENCH_IDENTITIES"]).read())
_counters = {role: itertools.count() for role in IDENTITIES}
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')


def identity(role: str) -> dict:
    people = IDENTITIES[role]
    return people[next(_counters[role]) % len(people)]


class Portal(FastHttpUser):
    """geventhttpclient-based users: the load generator shares the server's 2 cores, and requests-based
    users cost it several times more CPU per request."""

    abstract = True
    role = ""

    def on_start(self):
        self.me = identity(self.role)
        self.headers = {"Cookie": f"sessionid={self.me['cookie']}; csrftoken={self.me['csrf']}"}

    def page(self, url: str, name: str, expect: int = 200):
        with self.client.get(url, name=name, headers=self.headers, allow_redirects=False,
                             catch_response=True) as response:
            if response.status_code != expect:
                response.failure(f"{response.status_code} instead of {expect}")
            return response


class CompanyWizard(Portal):
    """A company's employee filling in the application: the dashboard, every wizard step, a section saved."""

    abstract = True
    role = "company"

    def step(self, step: str) -> str:
        return f"/domande/{self.me['app']}/passo/{step}/"

    @task(2)
    def dashboard(self):
        self.page("/domande/", "dashboard")

    @task(2)
    def scheda(self):
        self.page(self.step("scheda"), "wizard scheda GET")

    @task(4)
    def section(self):
        self.page(self.step(random.choice("ABCD")), "wizard section GET")

    @task(2)
    def save_section(self):
        form = self.page(self.step("C"), "wizard section GET")
        token, version = TOKEN.search(form.text), VERSION.search(form.text)
        if not (token and version):
            return
        data = {"csrfmiddlewaretoken": token.group(1), "version": version.group(1), "sel_C4": "on", "go": "C"}
        with self.client.post(self.step("C"), data=data, name="wizard section POST", headers=self.headers,
                              allow_redirects=False, catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"{response.status_code}: not saved")

    @task(2)
    def evidence(self):
        self.page(self.step("evidence"), "wizard evidence GET")

    @task(2)
    def review(self):
        self.page(self.step("review"), "wizard review GET")


class CompanyUser(CompanyWizard):
    """The company's employee of the mixed load: the wizard, and now and then the company's people and
    mandates, a site's injury indices and the stress assessment."""

    weight = 6
    wait_time = between(1, 3)

    @task(1)
    def people(self):
        self.page(f"/aziende/{self.me['company']}/", "company people and mandates")

    @task(1)
    def indices(self):
        self.page(f"/indici/unita/{self.me['site']}/", "injury indices")

    @task(1)
    def stress(self):
        self.page(f"/stress/{self.me['assessment']}/", "stress assessment")


class ConsultantUser(Portal):
    """A consultant going through clients: dashboard, search, a client's draft."""

    role = "consultant"
    weight = 2
    wait_time = between(1, 3)

    @task(3)
    def dashboard(self):
        self.page("/domande/", "dashboard")

    @task(1)
    def search(self):
        self.page("/domande/?q=Azienda&status=draft", "dashboard search")

    @task(1)
    def clients(self):
        self.page("/clienti/", "consultant clients")

    @task(3)
    def client_step(self):
        app = random.choice(self.me["apps"])
        self.page(f"/domande/{app}/passo/{random.choice(['scheda', 'A', 'C', 'evidence', 'review'])}/",
                  "consultant wizard GET")


class ReviewerUser(Portal):
    """An INAIL reviewer: the queue, a filter, an application's review screen."""

    role = "reviewer"
    weight = 2
    wait_time = between(1, 3)

    @task(3)
    def queue(self):
        self.page("/istruttoria/", "reviewer queue")

    @task(1)
    def queue_filtered(self):
        self.page("/istruttoria/?status=submitted&province=RM&sort=-points", "reviewer queue filtered")

    @task(3)
    def review_screen(self):
        self.page(f"/istruttoria/{random.choice(self.me['apps'])}/", "reviewer review screen")


class AnonymousUser(FastHttpUser):
    """A visitor opening the sign-up and log-in pages (GET only: posting would meet the log-in throttle
    and allauth's rate limits, which protect exactly against many attempts from one address)."""

    weight = 1
    wait_time = between(1, 3)

    def page(self, url: str, name: str):
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} instead of 200")

    @task
    def signup(self):
        self.page("/account/signup/", "sign-up GET")

    @task
    def login(self):
        self.page("/accesso/", "log-in GET")


class WizardUser(CompanyWizard):
    """The company's wizard traffic without think time: the throughput run of the wizard pages only (the
    dashboard, the steps, a section saved; not the other pages CompanyUser visits in the mixed load)."""

    wait_time = constant(0)


class FloorUser(Portal):
    """A company user opening the floor page (bench/urls.py) of their own application, no think time."""

    role = "company"
    wait_time = constant(0)

    @task
    def floor(self):
        self.page(f"/bench/floor/{self.me['app']}/", "floor page")


class MinimalUser(FastHttpUser):
    """The baseline: the smallest Django view, served by the same gunicorn, without think time."""

    wait_time = constant(0)

    @task
    def minimal(self):
        self.client.get("/bench/minimal/", name="minimal view")

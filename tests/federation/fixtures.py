"""pytest fixtures: a local SPID/CIE federation for the portal's tests. Three processes of spid-cie-oidc on free
ports of 127.0.0.1: the trust anchor, a SPID test provider and a CIE test provider, with keys made now (never
committed) and test users whose fiscal_number is TINIT-<codice fiscale>. The portal (pytest-django's live
server) is the relying party, registered at the trust anchor with its own fresh keys."""
import json
import os
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from stdnum.it import codicefiscale

ROOT = Path(__file__).resolve().parents[2]


def _cf(first15: str) -> str:
    return first15 + codicefiscale.calc_check_digit(first15)


@dataclass
class Person:
    username: str
    password: str
    given_name: str
    family_name: str
    email: str
    codice_fiscale: str

    @property
    def fiscal_number(self):
        return "TINIT-" + self.codice_fiscale

    def as_plan(self):
        return {"username": self.username, "password": self.password, "given_name": self.given_name,
                "family_name": self.family_name, "email": self.email, "fiscal_number": self.fiscal_number}


MARIO = Person("mario", "Spid-Test-1", "Mario", "Rossi", "mario.rossi@example.it", _cf("RSSMRA70E17H501"))
LAURA = Person("laura", "Spid-Test-2", "Laura", "Bianchi", "laura.bianchi@example.it", _cf("BNCLRA80A41F205"))


@dataclass
class Federation:
    portal: str
    ta_db: str
    trust_anchor: str
    spid_op: str
    cie_op: str
    rp_client_id: str
    rp_fed_file: str
    rp_core_file: str
    op_keys: dict = field(default_factory=dict)  # provider id -> its private core keys (to mint test tokens)
    people: tuple = (MARIO, LAURA)

    @property
    def providers(self):
        return [{"id": self.spid_op, "name": "SPID Test Provider", "profile": "spid"},
                {"id": self.cie_op, "name": "CIE Test Provider", "profile": "cie"}]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _public(keys):
    from spid_cie_oidc.entity.jwks import public_jwk_from_private_jwk

    out = []
    for key in keys:
        public = public_jwk_from_private_jwk(key)
        public["use"] = key.get("use", "sig")
        out.append(public)
    return out


def _wait(url: str, proc, log: Path, timeout: float = 90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{url}: federation process ended:\n{log.read_text()[-4000:]}")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url}: not up after {timeout}s:\n{log.read_text()[-4000:]}")


@pytest.fixture(scope="session")
def local_federation(live_server, tmp_path_factory):
    from identity.federation import generate_keys, write_keys

    folder = tmp_path_factory.mktemp("federation")
    rp_fed_file, rp_core_file = write_keys(folder / "rp")
    rp_fed = json.loads(Path(rp_fed_file).read_text())
    ports = {"ta": _free_port(), "spid": _free_port(), "cie": _free_port()}
    ta = f"http://127.0.0.1:{ports['ta']}"
    ops = {profile: f"http://127.0.0.1:{ports[profile]}/oidc/op" for profile in ("spid", "cie")}
    # The providers validate URLs with pydantic, which wants a top-level domain or an IP address: the portal
    # is reached (by the browser too, for its cookies) as 127.0.0.1, not localhost.
    portal = live_server.url.rstrip("/").replace("://localhost:", "://127.0.0.1:")
    rp = portal + "/oidc/rp"
    keys = {name: generate_keys() for name in ("ta", "spid", "cie")}
    plans = {
        "ta": {"role": "ta", "port": ports["ta"], "base": ta, "fed_keys": keys["ta"]["fed"],
               "descendants": [
                   {"sub": ops["spid"], "type": "openid_provider", "jwks": _public(keys["spid"]["fed"])},
                   {"sub": ops["cie"], "type": "openid_provider", "jwks": _public(keys["cie"]["fed"])},
                   {"sub": rp, "type": "openid_relying_party", "jwks": _public(rp_fed)},
               ]},
    }
    for profile in ("spid", "cie"):
        plans[profile] = {"role": "op", "profile": profile, "port": ports[profile],
                          "base": f"http://127.0.0.1:{ports[profile]}", "trust_anchor": ta,
                          "fed_keys": keys[profile]["fed"], "core_keys": keys[profile]["core"],
                          "users": [p.as_plan() for p in (MARIO, LAURA)]}
    procs = []
    try:
        for name, plan in plans.items():
            plan_file = folder / f"{name}.json"
            plan_file.write_text(json.dumps(plan))
            log = folder / f"{name}.log"
            env = {**{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))},
                   "FED_NAME": name, "FED_DB": str(folder / f"{name}.sqlite3"), "FED_TRUST_ANCHOR": ta,
                   "FED_PROFILE": plan.get("profile", "spid"), "FED_SECRET_KEY": secrets.token_urlsafe(40)}
            proc = subprocess.Popen([sys.executable, "-m", "tests.federation.server", str(plan_file)], cwd=ROOT,
                                    env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
            procs.append((proc, log))
        _wait(f"{ta}/.well-known/openid-federation", *procs[0])
        _wait(f"{ops['spid']}/.well-known/openid-federation", *procs[1])
        _wait(f"{ops['cie']}/.well-known/openid-federation", *procs[2])
        yield Federation(portal=portal, ta_db=str(folder / "ta.sqlite3"), trust_anchor=ta, spid_op=ops["spid"], cie_op=ops["cie"], rp_client_id=rp,
                         rp_fed_file=str(rp_fed_file), rp_core_file=str(rp_core_file),
                         op_keys={ops["spid"]: keys["spid"]["core"], ops["cie"]: keys["cie"]["core"]})
    finally:
        for proc, _log in procs:
            proc.terminate()
        for proc, _log in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture
def spid_settings(settings, local_federation):
    """The portal configured as the relying party of the local federation."""
    fed = local_federation
    settings.OT24_SPID_TRUST_ANCHOR = fed.trust_anchor
    settings.OIDCFED_DEFAULT_TRUST_ANCHOR = fed.trust_anchor
    settings.OIDCFED_TRUST_ANCHORS = [fed.trust_anchor]
    settings.OT24_SPID_PROVIDERS = fed.providers
    settings.OIDCFED_IDENTITY_PROVIDERS = {"spid": {fed.spid_op: fed.trust_anchor}, "cie": {fed.cie_op: fed.trust_anchor}}
    settings.OT24_SPID_RP_CLIENT_ID = fed.rp_client_id
    settings.OT24_SPID_RP_JWKS_FED_FILE = fed.rp_fed_file
    settings.OT24_SPID_RP_JWKS_CORE_FILE = fed.rp_core_file
    return fed

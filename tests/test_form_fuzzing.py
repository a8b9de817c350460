"""Every form fuzzed with hypothesis: whatever is typed, never a 500, always a page or a redirect."""
import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from applications import services
from tests.factories import PATFactory, SiteFactory, legal_rep, open_campaign

pytestmark = pytest.mark.django_db

FUZZ = settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
junk = st.one_of(
    st.text(max_size=60),
    st.integers(min_value=-10**12, max_value=10**12).map(str),
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["", " ", "0", "-1", "1e9", "NaN", "31/02/2026", "RSSMRA70E17H501S", "12345678901",
                     "<script>", "' OR 1=1 --", "\u202e", "on", "costruzioni", "99999999999999999999"]),
)


def _no_lockout():
    """Wrong passwords count toward the log-in lock-out (5 per address): cleared before each example, so
    every example reaches the form rather than the locked-out page."""
    from axes.utils import reset

    reset()


def form_data(fields):
    return st.fixed_dictionaries({f: junk for f in fields})


@pytest.fixture
def logged(client):
    site = SiteFactory()
    pat = PATFactory(site=site)
    rep = legal_rep(site.company)
    app = services.application_start(user=rep, site=site, campaign=open_campaign())
    client.force_login(rep)
    return client, app, site, pat


SCHEDA = ["ragione_sociale", "codice_ditta", "codice_sede", "unita_produttiva", "indirizzo", "citta", "cap",
          "matricola_inps", "sector", "workers", "signatory_name", "signatory_codice_fiscale",
          "signatory_birth_place", "signatory_birth_date", "signatory_role", "pats", "version"]


@FUZZ
@given(data=form_data(SCHEDA))
def test_scheda(logged, data):
    client, app, *_ = logged
    assert client.post(reverse("application_step", args=[app.pk, "scheda"]), data).status_code in (200, 302)


@FUZZ
@given(data=form_data(["version", "sel_B2d", "sub_B2d", "sel_C1", "sel_C3", "decl_C3", "sel_A1a", "sel_A1b"]))
def test_sections(logged, data):
    client, app, *_ = logged
    for letter in "ABC":
        assert client.post(reverse("application_step", args=[app.pk, letter]), data).status_code in (200, 302)
    assert client.get(reverse("section_preview", args=[app.pk, "B"]), data).status_code in (200, 400)


@FUZZ
@given(data=form_data(["version", "declares_obligations", "declares_compliance", "declares_art76",
                       "declares_privacy", "place", "password"]))
def test_submit(logged, data):
    client, app, *_ = logged
    _no_lockout()
    assert client.post(reverse("application_step", args=[app.pk, "submit"]), data).status_code in (200, 302)


@FUZZ
@given(data=form_data(["evidence_item"]),
       # Names a browser can send: Django refuses to even build an upload whose base name is empty.
       name=st.text(max_size=80).filter(lambda n: n.replace("\\", "/").rsplit("/", 1)[-1] not in ("", ".", "..")),
       content=st.binary(max_size=300))
def test_evidence_upload(logged, data, name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client, app, *_ = logged
    data["file"] = SimpleUploadedFile(name, content)
    assert client.post(reverse("application_step", args=[app.pk, "evidence"]), data).status_code in (200, 302)


@FUZZ
@given(data=form_data(["name", "address", "city", "cap", "province", "codice_sede", "workers", "sector",
                       "pats-0-number", "pats-0-voce_di_tariffa", "pats-0-lavoratori_anno", "pats-0-premium"]))
def test_site_form(logged, data):
    client, app, site, pat = logged
    data.update({"pats-TOTAL_FORMS": "1", "pats-INITIAL_FORMS": "0", "pats-MIN_NUM_FORMS": "0", "pats-MAX_NUM_FORMS": "20"})
    assert client.post(reverse("site_create", args=[site.company.pk]), data).status_code in (200, 302)


@FUZZ
@given(data=form_data(["q", "status", "page"]))
def test_dashboard_filters(logged, data):
    client, *_ = logged
    assert client.get(reverse("dashboard"), data).status_code == 200
    assert client.get(reverse("dashboard_csv"), data).status_code == 200


@FUZZ
@given(data=form_data(["login", "password"]))
def test_login_form(client, data):
    _no_lockout()
    assert client.post("/accesso/", data).status_code in (200, 302)

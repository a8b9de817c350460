"""The project's own promises: settings per environment, the login page, the demo data."""
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.urls import reverse
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[1]


def run_check(settings_module, extra_env):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DJANGO_SETTINGS_MODULE=settings_module, **extra_env)
    return subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)


def test_production_refuses_to_start_without_secrets():
    proc = run_check("ot24portal.settings.production", {"DATABASE_URL": "sqlite:////tmp/x.sqlite3"})
    assert proc.returncode != 0
    assert "DJANGO_SECRET_KEY" in proc.stderr


def test_production_starts_with_secrets(tmp_path):
    from tests.identity.test_identity import spid_production_env  # the SPID/CIE federation's (issue 32)

    proc = run_check(
        "ot24portal.settings.production",
        {"DJANGO_SECRET_KEY": "k" * 60, "DATABASE_URL": "sqlite:////tmp/x.sqlite3", "DJANGO_ALLOWED_HOSTS": "ot24.example",
         **spid_production_env(tmp_path)},
    )
    assert proc.returncode == 0, proc.stderr


def test_dev_defaults_to_sqlite_in_the_project_folder():
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    out = subprocess.run(
        [sys.executable, "-c", "import django,os;os.environ['DJANGO_SETTINGS_MODULE']='ot24portal.settings.dev';"
         "django.setup();from django.conf import settings as s;print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'])"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    assert out.stdout.split() == ["django.db.backends.sqlite3", str(ROOT / "db.sqlite3")]


def test_suite_runs_on_postgresql(settings):
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


@pytest.mark.django_db
def test_login_page_is_served_in_italian(client):
    response = client.get("/accesso/")
    assert response.status_code == 200
    assert "Accedi al portale OT24" in response.content.decode()


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and response["Location"].startswith("/accesso/")


@pytest.mark.django_db
def test_demo_data_is_idempotent_and_opens_next_campaign(django_user_model):
    from django.utils import timezone

    from applications.models import Campaign

    out = StringIO()
    call_command("demo_data", stdout=out)
    call_command("demo_data", stdout=StringIO())
    assert "admin@ot24.example" in out.getvalue()
    assert Campaign.objects.get(filing_year=timezone.localdate().year + 1).edition.code == "ot24"
    assert django_user_model.objects.filter(email="admin@ot24.example").count() == 1


@pytest.mark.django_db
def test_user_logs_in_with_email(client, django_user_model):
    django_user_model.objects.create_user(email="Mario.Rossi@Example.com", password="segreta-123")
    assert client.login(email="mario.rossi@example.com", password="segreta-123")


@pytest.mark.django_db
def test_english_is_available_through_i18n(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accesso/"})
    assert response.status_code == 302
    page = client.get("/accesso/").content.decode()
    assert "Log in to the OT24 portal" in page and 'lang="en"' in page
    client.post("/i18n/setlang/", {"language": "it", "next": "/accesso/"})
    assert "Accedi al portale OT24" in client.get("/accesso/").content.decode()


@pytest.mark.django_db
def test_italian_first_whatever_the_browser_says(client):
    page = client.get("/accesso/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Accedi al portale OT24" in page


def test_translation_catalogue_has_no_fuzzy_entries():
    """Fuzzy entries are silently ignored by compilemessages: English would fall back to Italian."""
    po = (ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text()
    assert "#, fuzzy" not in po


@pytest.mark.django_db
def test_error_pages_are_ours_and_italian(client, django_user_model):
    user = django_user_model.objects.create_user(email="x@example.com", password="pw-Test-12345")
    client.force_login(user)
    page = client.get("/domande/999999/").content.decode()
    assert "Pagina non trovata" in page and "Nome Ente" not in page


def test_check_deploy_reports_nothing_with_production_settings(tmp_path):
    import secrets

    from tests.identity.test_identity import spid_production_env  # the SPID/CIE federation's (issue 32)

    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DJANGO_SETTINGS_MODULE="ot24portal.settings.production", DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
               DATABASE_URL="sqlite:////tmp/ot24-deploy-check.sqlite3", DJANGO_ALLOWED_HOSTS="ot24.example",
               **spid_production_env(tmp_path))
    proc = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "no issues" in proc.stdout


def test_translation_catalogue_compiles_cleanly():
    proc = subprocess.run(["msgfmt", "--check-format", "-o", "/dev/null", str(ROOT / "locale/en/LC_MESSAGES/django.po")],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_every_installed_package_is_pinned():
    """Pin every requirement: nothing in the environment comes from an unpinned transitive dependency."""
    from importlib import metadata

    def norm(name):
        return name.lower().replace("_", "-").replace(".", "-")

    pinned = {}
    # requirements-spid.txt: installed with --no-deps (spid-cie-oidc declares Django<5, see the Makefile)
    lines = (ROOT / "requirements.txt").read_text().splitlines() + (ROOT / "requirements-spid.txt").read_text().splitlines()
    for line in lines:
        line = line.split("#")[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"not pinned: {line}"
            pinned[norm(name.split("[")[0])] = version
    tooling = {"pip", "setuptools", "wheel"}  # the venv's own tooling
    installed = {norm(d.metadata["Name"]): d.version for d in metadata.distributions()}
    missing = sorted(set(installed) - set(pinned) - tooling)
    assert not missing, f"installed but not pinned in requirements.txt: {missing}"
    wrong = {n: (installed[n], v) for n, v in pinned.items() if n in installed and installed[n] != v}
    assert not wrong, f"installed version differs from the pin: {wrong}"


@pytest.mark.django_db
def test_no_missing_migrations():
    from io import StringIO

    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())

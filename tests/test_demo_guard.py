"""Demo data (known password published in the README, an administrator among the accounts) is for
development and tests only: with production settings the command refuses before touching anything."""
import os
import secrets
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[1]


def test_demo_data_refuses_to_run_with_production_settings(tmp_path):
    from tests.identity.test_identity import spid_production_env  # a production start needs the federation's

    env = {**os.environ, **spid_production_env(tmp_path), "DJANGO_SETTINGS_MODULE": "ot24portal.settings.production",
           "DJANGO_SECRET_KEY": secrets.token_urlsafe(64), "DJANGO_ALLOWED_HOSTS": "ot24.example",
           # A database nobody listens on: the command must stop before it needs one.
           "DATABASE_URL": "postgres://nobody@127.0.0.1:9/none"}
    result = subprocess.run([sys.executable, "manage.py", "demo_data"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "demo_data" in result.stderr and "OT24_DEMO_DATA" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr  # a clear message, not a crash


@pytest.mark.django_db
def test_demo_data_refused_when_settings_do_not_allow_it(settings, django_user_model):
    settings.OT24_DEMO_DATA = False
    with pytest.raises(CommandError):
        call_command("demo_data", stdout=StringIO())
    assert not django_user_model.objects.exists()


@pytest.mark.django_db
def test_demo_loader_itself_refuses_outside_development(settings, django_user_model):
    """load_demo is guarded too, not only the command: no demo administrator can be made by another caller."""
    from django.core.exceptions import ImproperlyConfigured

    from operations.demo import load_demo

    settings.OT24_DEMO_DATA = False
    with pytest.raises(ImproperlyConfigured):
        load_demo()
    assert not django_user_model.objects.filter(is_superuser=True).exists()

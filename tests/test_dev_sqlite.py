"""`make run` serves the portal on SQLite: the main pages answer there too (the suite itself runs on
PostgreSQL; the dashboard, the wizard and the reviewers' pages are checked on SQLite here, in a child process
with the dev settings)."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = r"""
import django, os
django.setup()
from django.core.management import call_command
from io import StringIO
call_command("migrate", verbosity=0)
call_command("loaddata", "ot24", verbosity=0)
call_command("demo_data", stdout=StringIO())
from django.test import Client
from accounts.models import User
from applications.models import Application
failures = []
for email in ("legale@edilrossi.example", "ufficio@edilrossi.example", "consulente@studiosicuro.example"):
    client = Client()
    client.force_login(User.objects.get(email=email))
    pages = ["/domande/", "/domande/?q=Edil&status=draft"]
    app = Application.objects.filter(status="draft", site__company__ragione_sociale__icontains="Edil").first()
    if email != "consulente@studiosicuro.example":
        pages += [f"/domande/{app.pk}/passo/{step}/" for step in ("scheda", "A", "evidence", "review")]
    for url in pages:
        status = client.get(url).status_code
        if status != 200:
            failures.append((email, url, status))
from django.test import override_settings
with override_settings(OT24_REQUIRE_STAFF_MFA=False):  # force_login skips the second factor
    client = Client()
    client.force_login(User.objects.get(email="revisore@ot24.example"))
    for url in ["/istruttoria/", "/istruttoria/?page=2", "/istruttoria/?status=&reviewer=&sort=-points"] + [
            f"/istruttoria/{pk}/" for pk in Application.objects.exclude(status="draft").values_list("pk", flat=True)]:
        status = client.get(url).status_code
        if status != 200:
            failures.append(("revisore@ot24.example", url, status))
print("FAILURES", failures)
"""


def test_the_main_pages_answer_on_the_sqlite_database_of_make_run(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    env.update(DJANGO_SETTINGS_MODULE="ot24portal.settings.dev", DATABASE_URL=f"sqlite:///{tmp_path / 'run.sqlite3'}",
               OT24_PRIVATE_MEDIA_ROOT=str(tmp_path / "private"), DJANGO_ALLOWED_HOSTS="testserver")
    proc = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "FAILURES []" in proc.stdout, proc.stdout[-3000:] + proc.stderr[-3000:]

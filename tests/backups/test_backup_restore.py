"""Issue 30 §4: the restore drill, end to end on PostgreSQL. A portal with a submitted and sealed application,
its evidence, a decision letter, an injury register and a stress assessment is backed up (`manage.py backup`),
restored into a new empty database and a new empty store (`manage.py restore`, in another process, as an
operator runs it), and then every record is there, every stored hash matches and the sealed PDFs verify."""
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from applications.models import Application
from ot24portal.filestore import storage
from tests.factories import ApplicationFactory, PATFactory, SiteFactory
from tests.page_world import _assessment

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
COUNTED = ["accounts.User", "organisations.Company", "organisations.Site", "organisations.PAT",
           "applications.Application", "applications.Selection", "applications.Event", "evidence.EvidenceFile",
           "review.Verdict", "indicators.Injury", "indicators.SiteYearHours", "stress.Assessment",
           "stress.Compilation", "stress.PeriodFigures", "interventions.Intervention"]


def _counts_script() -> str:
    return ("import json; from django.apps import apps; print(json.dumps({m: apps.get_model(m).objects.count() "
            f"for m in {COUNTED!r}}}))")


def _counts() -> dict:
    from django.apps import apps

    return {m: apps.get_model(m).objects.count() for m in COUNTED}


@pytest.fixture
def filled_portal(django_capture_on_commit_callbacks):
    """Costruzioni: A6 + C4 + D4 with evidence, submitted (sealed PDF), judged and approved (sealed letter);
    an injury register with hours; a finished stress assessment."""
    import datetime as dt

    from indicators.models import Injury, SiteYearHours

    call_command("loaddata", "ot24", verbosity=0)
    site = SiteFactory(sector="costruzioni", workers=12)
    PATFactory(site=site, lavoratori_anno="8.00")
    with django_capture_on_commit_callbacks(execute=True):
        app = ApplicationFactory(decided=True, site=site, sections={"A": ["A6"], "C": ["C4"], "D": ["D4"]}, evidence=True)
    rep = app.created_by
    app.refresh_from_db()
    assert app.status == Application.Status.APPROVED and app.decision_pdf_storage_name
    year = dt.date.today().year - 1
    SiteYearHours.objects.create(site=site, year=year, hours=20000)
    Injury.objects.create(site=site, event_date=dt.date(year, 3, 2), first_absence=dt.date(year, 3, 3),
                          last_absence=dt.date(year, 3, 20), description="Caduta dall'alto")
    _assessment(site.company, rep, year)
    return app


def _new_database() -> str:
    """A new empty database in the same PostgreSQL cluster; its URL."""
    db = connection.settings_dict
    name = f"restored_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(host=db["HOST"], port=db["PORT"], user=db["USER"], password=db["PASSWORD"] or None,
                         dbname="postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{name}"


def _manage(*args, database_url: str, media: Path, check=True) -> subprocess.CompletedProcess:
    # The restored portal seals with the same certificate, as a real deployment's OT24_SEAL_* files are.
    env = {**os.environ, "DATABASE_URL": database_url, "OT24_PRIVATE_MEDIA_ROOT": str(media),
           "DJANGO_SETTINGS_MODULE": "ot24portal.settings.test", "OT24_DEV_CERT_DIR": settings.OT24_DEV_CERT_DIR}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          check=check, timeout=300)


def test_backup_then_restore_into_an_empty_database_and_store_gives_the_same_portal(filled_portal, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the restore drill runs on PostgreSQL (make test)")
    app = filled_portal
    before = _counts()
    sealed = storage.read_bytes(app.pdf_storage_name)
    letter = storage.read_bytes(app.decision_pdf_storage_name)

    call_command("backup", str(tmp_path / "backup"))
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    names = {f["name"] for f in manifest["files"]}
    assert {app.pdf_storage_name, app.decision_pdf_storage_name} <= names
    assert {f.storage_name for f in app.evidence_files.all()} <= names

    url, media = _new_database(), tmp_path / "restored-media"
    restored = _manage("restore", str(tmp_path / "backup"), database_url=url, media=media)
    assert json.loads(restored.stdout)["files"] == len(manifest["files"])

    after = json.loads(_manage("shell", "--no-imports", "-c", _counts_script(), database_url=url, media=media).stdout)
    assert after == before
    assert "0 con problemi" in _manage("verify_evidence", database_url=url, media=media).stdout
    store = media / "evidence"
    assert (store / app.pdf_storage_name).read_bytes() == sealed
    for name, content in (("domanda.pdf", sealed), ("decisione.pdf", letter)):
        (tmp_path / name).write_bytes((store / (app.pdf_storage_name if name == "domanda.pdf"
                                                else app.decision_pdf_storage_name)).read_bytes())
        report = json.loads(_manage("verify_application", str(tmp_path / name), database_url=url, media=media).stdout)
        assert report["unaltered"], report


def test_restore_refuses_a_database_that_is_not_empty_and_a_damaged_backup(filled_portal, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the restore drill runs on PostgreSQL (make test)")
    call_command("backup", str(tmp_path / "backup"))

    db = connection.settings_dict
    this_database = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    into_this = _manage("restore", str(tmp_path / "backup"), database_url=this_database, media=tmp_path / "m1",
                        check=False)
    assert into_this.returncode != 0 and "the database is not empty" in into_this.stderr

    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    damaged = tmp_path / "backup" / "files" / manifest["files"][0]["name"]
    damaged.write_bytes(damaged.read_bytes() + b"x")
    url = _new_database()
    refused = _manage("restore", str(tmp_path / "backup"), database_url=url, media=tmp_path / "m2", check=False)
    assert refused.returncode != 0 and "does not match the manifest" in refused.stderr
    tables = _manage("shell", "--no-imports", "-c", "from django.db import connection; print(len(connection.introspection.table_names()))",
                     database_url=url, media=tmp_path / "m2")
    assert tables.stdout.strip() == "0"  # nothing restored from a damaged backup


def test_a_portal_on_s3_is_restored_into_a_new_bucket(filled_portal, s3_store, seaweedfs, tmp_path):
    """The same drill with the evidence store in S3 (SeaweedFS): the backup reads every object from the
    bucket, the restore writes them into a new, empty bucket, and the restored portal verifies them there."""
    if connection.vendor != "postgresql":
        pytest.skip("the restore drill runs on PostgreSQL (make test)")
    # filled_portal stored its files before s3_store switched the store: copy them in as a deployment would
    # have them, then back up from the bucket.
    app = filled_portal
    s3, bucket = s3_store
    local = Path(settings.PRIVATE_MEDIA_ROOT) / "evidence"
    for row in [*app.evidence_files.all()]:
        s3.upload_file(str(local / row.storage_name), bucket, f"{bucket.folder}/{row.storage_name}")
    for name in (app.pdf_storage_name, app.decision_pdf_storage_name):
        s3.upload_file(str(local / name), bucket, f"{bucket.folder}/{name}")
    call_command("backup", str(tmp_path / "backup"))

    restored_bucket = f"ot24-restored-{uuid.uuid4().hex[:8]}"
    seaweedfs.create_bucket(restored_bucket)
    url = _new_database()
    env = {"OT24_EVIDENCE_S3_BUCKET": restored_bucket, "OT24_EVIDENCE_S3_ENDPOINT_URL": seaweedfs.endpoint_url,
           "OT24_EVIDENCE_S3_ACCESS_KEY": seaweedfs.access_key, "OT24_EVIDENCE_S3_SECRET_KEY": seaweedfs.secret_key}
    os.environ.update(env)
    try:
        _manage("restore", str(tmp_path / "backup"), database_url=url, media=tmp_path / "unused")
        verified = _manage("verify_evidence", database_url=url, media=tmp_path / "unused")
    finally:
        for key in env:
            os.environ.pop(key)
    assert "0 con problemi" in verified.stdout
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket=restored_bucket)["Contents"]}
    assert {app.pdf_storage_name, app.decision_pdf_storage_name} <= keys

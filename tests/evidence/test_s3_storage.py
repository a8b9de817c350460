"""Issue 30 §2: evidence, sealed PDFs and issued documents in S3-compatible storage, against a real S3 server
(SeaweedFS on 127.0.0.1, started by tests/conftest.py; it checks every request's signature). What the local
store guarantees holds there: private objects named by hash, the hash re-checked before serving, downloads only
through the permission-checked view, uploads streamed, hostile files refused before anything is stored. When
the store is down: 503 with an Italian message, nothing half written, the draft intact; recovery by itself."""
import hashlib
import os
import tracemalloc
import urllib.error
import urllib.request
from urllib.parse import urlencode

import boto3
import pytest
from botocore.exceptions import ClientError
from django.test import Client
from django.urls import reverse

from operations.demo import minimal_pdf
from applications.models import Application
from evidence import services as evidence_services
from ot24portal.filestore import storage
from evidence.models import EvidenceFile
from tests.conftest import bucket_keys
from tests.evidence.test_hostile_uploads import js_pdf
from tests.factories import UserFactory, evidence_draft, ready_to_submit

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


def post_raw(client, app, item, content: bytes, name="scansione.pdf"):
    url = reverse("evidence_raw_upload", args=[app.pk]) + "?" + urlencode({"item": item.pk, "name": name})
    return client.generic("POST", url, data=content, content_type="application/octet-stream")


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_upload_is_stored_privately_under_its_hash_and_served_only_through_the_view(s3_store, seaweedfs):
    s3, bucket = s3_store
    app, rep, item = evidence_draft()
    content = minimal_pdf("verbale su S3")
    sha = hashlib.sha256(content).hexdigest()

    answer = post_raw(logged_in(rep), app, item, content)

    assert answer.status_code == 201, answer.content
    assert bucket_keys(s3, bucket) == [f"{sha[:2]}/{sha}"]
    assert s3.get_object(Bucket=bucket, Key=f"{bucket.folder}/{sha[:2]}/{sha}")["Body"].read() == content
    # Private: neither an anonymous request nor a forged signature reads it from the store itself.
    with pytest.raises(urllib.error.HTTPError) as anonymous:
        urllib.request.urlopen(f"{seaweedfs.endpoint_url}/{bucket}/{bucket.folder}/{sha[:2]}/{sha}")
    assert anonymous.value.code == 403
    forged = boto3.client("s3", endpoint_url=seaweedfs.endpoint_url, aws_access_key_id=seaweedfs.access_key,
                          aws_secret_access_key="not-the-secret", region_name="us-east-1")
    with pytest.raises(ClientError, match="SignatureDoesNotMatch"):
        forged.get_object(Bucket=bucket, Key=f"{bucket.folder}/{sha[:2]}/{sha}")
    # Through the portal: the owner downloads it, a stranger does not.
    evidence = EvidenceFile.objects.get(application=app)
    url = reverse("evidence_download", args=[app.pk, evidence.pk])
    download = logged_in(rep).get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment")
    assert logged_in(UserFactory()).get(url).status_code == 404


def test_an_object_altered_in_the_store_is_not_served(s3_store):
    s3, bucket = s3_store
    app, rep, item = evidence_draft()
    assert post_raw(logged_in(rep), app, item, minimal_pdf("originale")).status_code == 201
    evidence = EvidenceFile.objects.get(application=app)
    s3.put_object(Bucket=bucket, Key=f"{bucket.folder}/{evidence.storage_name}", Body=minimal_pdf("falsificato"))

    answer = logged_in(rep).get(reverse("evidence_download", args=[app.pk, evidence.pk]))

    assert answer.status_code == 409
    assert "alterato" in answer.content.decode()


def test_a_hostile_file_is_refused_before_anything_reaches_the_store(s3_store):
    s3, bucket = s3_store
    app, rep, item = evidence_draft()

    answer = post_raw(logged_in(rep), app, item, js_pdf())

    assert answer.status_code == 400
    assert "script" in answer.json()["error"]
    assert bucket_keys(s3, bucket) == []
    assert not EvidenceFile.objects.filter(application=app).exists()


def test_a_large_upload_is_streamed_to_the_store_in_pieces(s3_store):
    """40 MB go to S3 as a multipart upload of bounded pieces, from the temporary file the upload was written
    to: the store's write never holds the file in memory. Measured around that write, after a first small
    write has loaded boto3's models (about 13 MB, once per process); the content checks before it run in a
    bounded child process and are tested in test_hostile_uploads. With the portal's transfer settings the
    peak stays near 18 MB whatever the size (60 MB: 18.2 MB); with boto3's defaults it grew with the file."""
    s3, bucket = s3_store
    warm = storage._tmp_dir() / "warm-up"
    warm.write_bytes(b"x")
    with open(warm, "rb") as fh:
        storage._store_by_hash(hashlib.sha256(b"x").hexdigest(), storage._OwnTemporaryFile(fh, str(warm)))
    content = os.urandom(40 * MB)
    sha = hashlib.sha256(content).hexdigest()
    path = storage._tmp_dir() / "grande-s3.bin"
    path.write_bytes(content)
    del content
    try:
        tracemalloc.start()
        try:
            with open(path, "rb") as fh:
                name = storage._store_by_hash(sha, storage._OwnTemporaryFile(fh, str(path)))
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    finally:
        path.unlink(missing_ok=True)
        warm.unlink(missing_ok=True)

    assert s3.head_object(Bucket=bucket, Key=f"{bucket.folder}/{name}")["ContentLength"] == 40 * MB
    assert peak < 24 * MB, f"peak Python memory {peak / MB:.1f} MB for a 40 MB upload"
    assert storage.matches_hash(name, sha)


def test_the_sealed_application_lives_in_the_store_and_is_served_after_its_hash_check(s3_store):
    from applications import services

    s3, bucket = s3_store
    app, rep = ready_to_submit()
    services.application_submit(user=rep, application=app, place="Roma", version=app.version,
                                 declarations={k: True for k in Application.DECLARATIONS})
    app.refresh_from_db()

    assert app.pdf_storage_name.startswith(storage.ISSUED_PREFIX)
    assert app.pdf_storage_name in bucket_keys(s3, bucket)
    answer = logged_in(rep).get(reverse("application_pdf", args=[app.pk]))
    assert answer.status_code == 200
    assert hashlib.sha256(b"".join(getattr(answer, "streaming_content", [answer.content]))).hexdigest() == app.pdf_sha256


def test_when_the_store_is_down_uploads_answer_503_and_nothing_changes_then_it_recovers(s3_store, seaweedfs):
    s3, bucket = s3_store
    app, rep, item = evidence_draft()
    client = logged_in(rep)
    assert post_raw(client, app, item, minimal_pdf("prima")).status_code == 201
    kept = EvidenceFile.objects.get(application=app)
    version = Application.objects.get(pk=app.pk).version
    download_url = reverse("evidence_download", args=[app.pk, kept.pk])

    seaweedfs.stop()
    try:
        upload = post_raw(client, app, item, minimal_pdf("durante il guasto"))
        download = client.get(download_url)
    finally:
        seaweedfs.restart()

    assert upload.status_code == 503
    assert "non è raggiungibile" in upload.json()["error"]
    assert download.status_code == 503
    assert "temporaneamente non disponibili" in download.content.decode()
    assert list(EvidenceFile.objects.filter(application=app)) == [kept]
    assert Application.objects.get(pk=app.pk).version == version
    assert bucket_keys(s3, bucket) == [kept.storage_name]
    # Back by itself: no restart of the portal.
    assert client.get(download_url).status_code == 200
    assert post_raw(client, app, item, minimal_pdf("dopo il guasto")).status_code == 201
    assert EvidenceFile.objects.filter(application=app).count() == 2

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The catalogue is loaded once, as `make run` loads it."""
    with django_db_blocker.unblock():
        call_command("loaddata", "ot24", verbosity=0)


@pytest.fixture
def catalogue(db):
    from interventions.selectors import catalogue_get

    return catalogue_get("ot24")


@pytest.fixture(autouse=True)
def _fresh_catalogue_cache():
    """Each test reads the catalogue from its own database state (the cache is per process)."""
    from interventions.selectors import edition_catalogue_clear

    edition_catalogue_clear()
    yield
    edition_catalogue_clear()


@pytest.fixture(scope="session")
def seaweedfs(tmp_path_factory):
    """A real S3 server (SeaweedFS, which checks request signatures) on 127.0.0.1 for the session, started
    on first use as `make test` starts PostgreSQL (scripts/seaweedfs.py)."""
    from scripts.seaweedfs import SeaweedFS

    server = SeaweedFS(data_dir=tmp_path_factory.mktemp("seaweedfs"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def s3_store(seaweedfs, settings):
    """The evidence store in the session's private S3 bucket, under a folder of its own for one test (a
    bucket per test would give SeaweedFS a collection, and volumes, per test). Yields the boto3 client and
    the bucket/folder, to look at what is (and is not) stored."""
    import uuid

    from ot24portal.settings.base import s3_storage

    bucket = "ot24-test"
    seaweedfs.create_bucket(bucket)
    storage = s3_storage(bucket=bucket, endpoint_url=seaweedfs.endpoint_url, access_key=seaweedfs.access_key,
                         secret_key=seaweedfs.secret_key)
    folder = f"t-{uuid.uuid4().hex[:12]}"
    storage["OPTIONS"]["location"] = folder
    settings.STORAGES = {**settings.STORAGES, "evidence": storage}
    yield seaweedfs.client(), S3Folder(bucket, folder)


class S3Folder(str):
    """A bucket name that also knows the test's folder in it."""

    def __new__(cls, bucket: str, folder: str):
        obj = super().__new__(cls, bucket)
        obj.folder = folder
        return obj


def bucket_keys(client, bucket: "S3Folder") -> list[str]:
    """The storage names under the test's folder."""
    prefix = f"{bucket.folder}/"
    contents = client.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", [])
    return sorted(o["Key"][len(prefix):] for o in contents)


@pytest.fixture(autouse=True)
def _language_back_to_italian():
    """A request in English leaves English active in the thread (LocaleMiddleware activates, nothing resets):
    every test starts from, and leaves, the portal's language."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)

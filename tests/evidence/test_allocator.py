"""The served process keeps the C allocator from mapping and unmapping a fresh megabyte for every piece
of a large request body (ot24portal.filestore.uploads.tune_allocator, called by ot24portal.wsgi): gunicorn's body
reader copies each piece through a few 1 MB buffers, and with glibc's defaults each of them was new
memory, zeroed by the kernel page by page. Measured in minor page faults, which the machine's load does
not change."""
import subprocess
import sys

READ_100_MB = """
import os, resource, socket, sys
sys.path.insert(0, {root!r})
if {tuned}:
    from ot24portal.filestore.uploads import tune_allocator
    assert tune_allocator()
from gunicorn.http.body import Body, LengthReader
from gunicorn.http.unreader import SocketUnreader
size, piece = 100 * 2**20, os.urandom(2**20)
a, b = socket.socketpair()
if os.fork() == 0:
    b.close()
    for _ in range(100):
        a.sendall(piece)
    os._exit(0)
a.close()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
body = Body(LengthReader(SocketUnreader(b), size))
while body.read(2**20):
    pass
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def page_faults(tuned: bool) -> int:
    from django.conf import settings

    code = READ_100_MB.format(root=str(settings.BASE_DIR), tuned=tuned)
    return int(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)


def test_reading_a_large_body_reuses_the_same_memory():
    untuned, tuned = page_faults(False), page_faults(True)
    # Untuned, the count depends on how the pieces arrive (8,500 to 36,000 faults seen: fresh memory for
    # most megabytes); tuned, about 1,100-1,400 (the same buffers reused). Bounds with room for both.
    assert tuned < 6_400  # under a quarter of 100 MB in 4 KB pages
    assert tuned * 3 < untuned

"""Upload handlers: Django's own (small files in memory, larger ones in a temporary file on disk), reading
the request body in 1 MB pieces instead of 64 KB. Under gunicorn each small read copies the server's
read-ahead buffer again, which held a 100 MB upload to about 50 MB/s; see bench/results/latest.md."""
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler

CHUNK_BYTES = 1024 * 1024


class MemoryUploadHandler(MemoryFileUploadHandler):
    chunk_size = CHUNK_BYTES


class TemporaryUploadHandler(TemporaryFileUploadHandler):
    chunk_size = CHUNK_BYTES

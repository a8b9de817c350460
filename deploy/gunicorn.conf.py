"""gunicorn's settings for one web server (deploy/stack.py, docs/operations.md). The address comes from the
command line (-b) or GUNICORN_BIND."""
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Synchronous workers, about two per core: pages answer in tens of milliseconds and uploads stream to disk
# (evidence.uploads). OT24_WEB_WORKERS overrides it.
workers = int(os.environ.get("OT24_WEB_WORKERS", "2"))
timeout = 120  # the largest upload at a slow connection, and sealing the largest application
graceful_timeout = 30
max_requests = 5000  # a worker is replaced now and then, bounding any slow growth of memory
max_requests_jitter = 500
accesslog = None  # the portal logs every request itself (structlog, with its request id)
errorlog = "-"

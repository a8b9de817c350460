import os

from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ot24portal.settings.production")
application = get_wsgi_application()

from ot24portal.filestore.uploads import tune_allocator  # noqa: E402 - after setup: the app registry is ready

# gunicorn runs no system checks of its own: the cache checks run here, so a per-process cache in production
# (accounts.checks, ot24.E001: rate limits counted per worker would multiply, issue 28) stops the start.
_errors = [message for message in checks.run_checks(tags=[checks.Tags.caches])
           if message.is_serious() and not message.is_silenced()]
if _errors:
    raise ImproperlyConfigured("; ".join(f"{error.id}: {error.msg} {error.hint}" for error in _errors))

tune_allocator()  # large request bodies reuse the same memory instead of new pages for every megabyte

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ot24portal.settings.production")
application = get_wsgi_application()

from accounts.checks import refuse_to_start_without_a_shared_cache  # noqa: E402 - after setup
from ot24portal.filestore.uploads import tune_allocator  # noqa: E402 - after setup: the app registry is ready

refuse_to_start_without_a_shared_cache()  # rate limits counted per worker would multiply (issue 28)

tune_allocator()  # large request bodies reuse the same memory instead of new pages for every megabyte

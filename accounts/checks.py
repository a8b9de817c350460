"""Start-up checks of the accounts' protections. allauth's rate limits (sign-up, reset, invitations, ...)
and its record of used TOTP codes live in Django's default cache: with a cache per process every gunicorn
worker (and every server) counts on its own, so N workers let N times the limit through. Where
OT24_REQUIRE_SHARED_CACHE is on (production) a per-process cache is an error: `check --deploy`, `migrate`
and the WSGI application (ot24portal/wsgi.py runs the checks tagged "caches") refuse to start with it."""
from django.conf import settings
from django.core import checks

# Caches that live inside one process (or keep nothing at all).
PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@checks.register(checks.Tags.caches)
def shared_cache_errors(app_configs=None, **kwargs) -> list:
    if not getattr(settings, "OT24_REQUIRE_SHARED_CACHE", False):
        return []
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend in PER_PROCESS_CACHES:
        return [checks.Error(
            f"The default cache ({backend}) is not shared between processes: each worker would count the rate "
            "limits on its own.",
            hint="Use the database cache (DJANGO_CACHE_URL=dbcache://ot24_cache, the production default; "
                 "`migrate` creates its table) or another shared cache (Redis, Memcached).",
            id="ot24.E001")]
    return []


def create_cache_tables(sender, using="default", **kwargs) -> None:
    """post_migrate: the table of every database cache in CACHES (`createcachetable`, which skips existing
    ones), so that `migrate` at deployment is enough."""
    from django.core.cache.backends.db import DatabaseCache
    from django.core.management import call_command

    if any(config.get("BACKEND") == f"{DatabaseCache.__module__}.{DatabaseCache.__name__}"
           for config in settings.CACHES.values()):
        call_command("createcachetable", database=using, verbosity=0)

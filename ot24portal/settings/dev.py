"""Development: DEBUG on, a fixed non-secret key, console e-mail, SQLite unless DATABASE_URL is set."""
from .base import *  # noqa: F401,F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
OT24_DEMO_DATA = True  # `make run` loads the demo accounts (operations/demo.py)

import pytest

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Transactional tests here flush only these apps' tables (none of them is referenced by another app's rows):
# the catalogue and every other table loaded once for the session stay as they are.
OPERATIONS_APPS = ["django_tasks", "django_tasks_db", "notifications", "operations"]


@pytest.fixture
def db_tasks(settings):
    """The production backend: tasks are rows in PostgreSQL, run by a worker."""
    settings.TASKS = DB_TASKS
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def run_worker():
    """django-tasks-db's own worker (what `manage.py db_worker --batch` runs), in this process: every task
    that is due, then it returns. (The command itself also installs signal handlers in the test process.)"""
    from django_tasks_db.management.commands.db_worker import Worker

    def run():
        Worker(queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
               max_tasks=None, worker_id="test-worker", excluded_queue_names=[]).run()

    return run

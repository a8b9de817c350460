"""Structured logs (structlog + django-structlog): one event per line with the request id, the user's id
(never the e-mail or the codice fiscale), the status and the duration of each request. JSON in production
(OT24_LOG_FORMAT=json), coloured key=value lines in development (console)."""
from __future__ import annotations

import structlog

SHARED_PROCESSORS = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def logging_config(fmt: str = "console", level: str = "INFO") -> dict:
    """The LOGGING setting, and structlog configured to hand its events to the standard library, so that
    Django's, the libraries' and our own log lines come out of one formatter."""
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.stdlib.filter_by_level,
            structlog.stdlib.add_logger_name,
            structlog.stdlib.add_log_level,
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.StackInfoRenderer(),
            structlog.processors.format_exc_info,
            structlog.processors.UnicodeDecoder(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        cache_logger_on_first_use=True,
    )
    renderer = (structlog.processors.JSONRenderer() if fmt == "json"
                else structlog.dev.ConsoleRenderer(colors=False, exception_formatter=structlog.dev.plain_traceback))
    formatter = {
        "()": structlog.stdlib.ProcessorFormatter,
        "processors": [structlog.stdlib.ProcessorFormatter.remove_processors_meta, *(
            [structlog.processors.dict_tracebacks] if fmt == "json" else []), renderer],
        "foreign_pre_chain": [*SHARED_PROCESSORS, structlog.stdlib.ExtraAdder()],
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"structured": formatter},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
        "root": {"handlers": ["console"], "level": "WARNING"},
        "loggers": {
            # One line per request (request_started/request_finished) with request_id, user_id, code, duration.
            "django_structlog": {"level": level},
            # The worker's own lines (task started/finished) and the portal's.
            "django_tasks": {"level": level},
            "django_tasks_db": {"level": level},
            "ot24": {"level": level},
            "notifications": {"level": level},
            "operations": {"level": level},
        },
    }

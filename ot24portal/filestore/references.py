"""Who references stored bytes. The store names bytes by their content hash (storage.py), so one stored file
may back several rows, of several apps: bytes may be removed only when no row names them any more.

Each app that keeps storage names in a model's columns registers them from its AppConfig.ready()
(`references.register(Model, "column", ...)`): applications its issued documents, evidence its uploads. The
store, below every app, asks them all without importing any."""
from __future__ import annotations

from django.db.models import Model, Q

_COLUMNS: list[tuple[type[Model], tuple[str, ...]]] = []


def register(model: type[Model], *columns: str) -> None:
    """Columns of `model` that hold storage names (registered again, e.g. by a ready() run twice: once)."""
    if (model, columns) not in _COLUMNS:
        _COLUMNS.append((model, columns))


def in_use(storage_name: str) -> bool:
    """Whether any registered column of any row names these bytes (one query per registered model)."""
    for model, columns in _COLUMNS:
        named = Q()
        for column in columns:
            named |= Q(**{column: storage_name})
        if model._default_manager.filter(named).exists():
            return True
    return False

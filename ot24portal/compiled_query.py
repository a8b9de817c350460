"""A query compiled once and run many times: for lookups of a fixed shape whose values change (a key, a
user's id). Django turns a queryset into SQL anew at every evaluation; for the application with its site,
company, campaign and edition (select_related, ~180 columns) that cost about ten times as much as running
the SQL (bench: load, the floor page). Here the SQL is made once per database connection object with
marker values in place of the parameters, and each call runs it with the real values; the rows become
objects exactly as the ORM's ModelIterable makes them (from_db, select_related's populators, annotations).

The queryset must take every value that varies as a parameter: a constant in its SQL (a date, a setting)
would be kept for the life of the process, so compiling refuses SQL parameters that are not markers."""
from __future__ import annotations

import itertools
import weakref
from typing import Callable

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import BooleanField, F, Func
from django.db.models.query import QuerySet, get_related_populators

_markers = itertools.count(-7_349_000_001, -1)  # ids no row has


class CompiledQuery:
    def __init__(self, build: Callable[..., QuerySet], *, constants: tuple = (), paged: bool = False):
        """build(**values) returns the queryset for those values (any model instances reduced to keys).
        constants: the SQL parameters that are fixed values of the code (a status, a number of the
        module), kept as they are; any other parameter must be a marker. paged: the SQL ends with LIMIT
        and OFFSET parameters, the values `limit` and `offset` of each call (the queryset not sliced)."""
        self.build = build
        self.constants = constants
        self.paged = paged
        self._compiled: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # per connection object

    def _compile(self, connection, names):
        markers = {name: next(_markers) for name in names}
        compiler = self.build(**markers).query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        by_marker = {value: name for name, value in markers.items()}
        fixed = [p for p in params if p not in by_marker]
        if any(not isinstance(p, (int, str)) or isinstance(p, bool) or p not in self.constants for p in fixed) \
                or set(markers.values()) - set(params):
            raise ValueError(f"CompiledQuery: every SQL parameter must be one of {names} or of the constants "
                             f"{self.constants}, got {params}")
        arguments = [(by_marker[p], None) if p in by_marker else (None, p) for p in params]
        if self.paged:
            if compiler.query.is_sliced:
                raise ValueError("CompiledQuery: a paged query is sliced by its calls' limit and offset")
            sql += " LIMIT %s OFFSET %s"
            arguments += [("limit", None), ("offset", None)]
        klass_info, select = compiler.klass_info, compiler.select
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        fields = [s[0] for s in select[0:compiler.col_count]]
        compiled = {
            "sql": sql, "arguments": arguments, "model": klass_info["model"],
            "span": (start, end), "init": [f[0].target.attname for f in select[start:end]],
            "populators": get_related_populators(klass_info, select, connection.alias),
            "annotations": dict(compiler.annotation_col_map or {}),
            "converters": compiler.get_converters(fields), "compiler": compiler,
        }
        self._compiled[connection] = compiled
        return compiled

    def all(self, using: str = DEFAULT_DB_ALIAS, **values) -> list:
        connection = connections[using]
        compiled = self._compiled.get(connection) or self._compile(
            connection, sorted(name for name in values if not (self.paged and name in ("limit", "offset"))))
        with connection.cursor() as cursor:
            cursor.execute(compiled["sql"], [constant if name is None else values[name]
                                             for name, constant in compiled["arguments"]])
            rows = cursor.fetchall()
        if compiled["converters"]:
            rows = compiled["compiler"].apply_converters(rows, compiled["converters"])
        start, end = compiled["span"]
        objects = []
        for row in rows:
            obj = compiled["model"].from_db(connection.alias, compiled["init"], row[start:end])
            for populator in compiled["populators"]:
                populator.populate(row, obj)
            for name, position in compiled["annotations"].items():
                setattr(obj, name, row[position])
            objects.append(obj)
        return objects

    def first(self, using: str = DEFAULT_DB_ALIAS, **values):
        found = self.all(using, **values)
        return found[0] if found else None


class AnyOf(Func):
    """`field = ANY(%s)` with the list of values as one parameter (PostgreSQL only): the SQL text is the
    same whatever the list's length, so a CompiledQuery can take the list as a value (its marker in the
    place of the list while compiling) and PostgreSQL prepares the statement once; `field__in=[...]`
    writes one placeholder per value, a new text for each length."""

    output_field = BooleanField()

    def __init__(self, field: str, values):
        super().__init__(F(field))
        self.values = values

    def as_sql(self, compiler, connection, **extra):
        field = self.source_expressions[0]
        sql, params = compiler.compile(field)
        # The array typed as the column: psycopg types a list by its values (int2[] for small ids).
        return f"{sql} = ANY(%s::{field.output_field.db_type(connection)}[])", (*params, self.values)

"""Querysets built and compiled once per shape, then run with each use's own values.

Django builds a queryset (a tree of Python objects) and compiles it to SQL on every use.
For Porch's hot reads that was most of a request: the notifications page spent 4.6-5.7
ms building and compiling a statement the database answers in 0.2 ms (decisions.md, 36).

A ``CompiledQuery`` is given a function that builds a queryset from named inputs, each
an id, a list of ids (``IdList``), a moment or a text, and from nothing else. The first
time a thread uses a shape (which inputs are None or empty, and the ``shape`` values
such as a page's size), it calls the function twice, with two different sets of
stand-in values ("markers") and with the database closed to it, and compiles both. The
two statements must be the same text once each list's literal is set aside, and their
parameters the same except exactly where a marker went in: those places are the slots.
Anything else is refused with ``ShapeError``: an input written into the SQL text,
a parameter computed from an input, a read of the database while building. So a
statement can hold nothing of one use that another use could run with; each use fills
every slot with its own values, and Django's own row conversion (model instances,
``select_related``, ``values_list``) reads the rows.

What the check cannot see, and a build function must therefore not do: decide anything
from its inputs beyond "None or not" and "empty or not" (both markers are non-empty
lists of two ids), or read anything that is not an input (a cache, a setting that can
change while the server runs). Builders read their inputs from their arguments only.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet

from porch.id_lists import BIGGEST_ID, IdList

ID, IDS, MOMENT, TEXT = "id", "ids", "moment", "text"
_KINDS = (ID, IDS, MOMENT, TEXT)
# Per thread and query, at most this many shapes are kept (a page's size is a shape).
KEEP_SHAPES = 32
# Markers: values no real input takes during a compile (compiles never reach the
# database). Ids stay below 2**31, the smallest integer column's range.
_MARKER_ID = 1_987_000_000
_MARKER_MOMENT = datetime(1999, 12, 31, 23, 0, tzinfo=UTC)


class ShapeError(Exception):
    """A build function's statement depends on its inputs in a way slots cannot hold."""


def _refuse_database(execute, sql, params, many, context):
    raise ShapeError(
        "A compiled query's build function read the database; it must take what it needs as inputs."
    )


@dataclass(frozen=True)
class _Slot:
    name: str
    adapt: Callable[[Any], Any] | None  # how the database takes the value (None: as is)


@dataclass(frozen=True)
class _Template:
    queryset: QuerySet | None  # None: the shape matches nothing (an empty ``__in``)
    compiler: Any
    sql: str
    # Parameters: a constant, or a ``_Slot`` filled from the use's own input.
    params: tuple
    # For each list input in the text: its placeholder.
    lists: tuple[tuple[str, str], ...]


class CompiledQuery:
    """``build(**inputs, **shape)`` -> QuerySet, compiled once per shape and thread.

    ``kinds`` names each input and says what it is: ``ID``, ``IDS``, ``MOMENT`` or
    ``TEXT``. ``rows(shape, **inputs)`` is ``list(build(**inputs, **shape))``."""

    def __init__(self, build: Callable[..., QuerySet], **kinds: str):
        unknown = {kind for kind in kinds.values() if kind not in _KINDS}
        if unknown:
            raise ValueError(f"unknown input kinds: {sorted(unknown)}")
        self.build, self.kinds = build, kinds
        self._here = threading.local()

    def rows(self, shape: dict | None = None, /, **inputs) -> list:
        if inputs.keys() != self.kinds.keys():
            raise TypeError(f"inputs are {sorted(self.kinds)}, not {sorted(inputs)}")
        shape = shape or {}
        for name, kind in self.kinds.items():
            value = inputs[name]
            if kind == IDS and not isinstance(value, IdList):
                raise TypeError(f"{name} must be an IdList")
            if kind == ID and value is not None and not -BIGGEST_ID - 1 <= value <= BIGGEST_ID:
                raise ValueError(f"{name} is out of the range of ids: {value}")
        key = (
            tuple(sorted(shape.items())),
            tuple(
                inputs[name] is None or (kind == IDS and not inputs[name])
                for name, kind in self.kinds.items()
            ),
        )
        kept = getattr(self._here, "templates", None)
        if kept is None:
            kept = self._here.templates = OrderedDict()
        template = kept.get(key)
        if template is None:
            template = kept[key] = self._compile(shape, inputs)
            if len(kept) > KEEP_SHAPES:
                kept.popitem(last=False)
        else:
            kept.move_to_end(key)
        return self._run(template, inputs)

    # --- compiling -----------------------------------------------------------------
    def _markers(self, inputs: dict, side: int) -> dict:
        """Stand-ins for the inputs, different for each side; a None or an empty list
        stays as it is (that is part of the shape)."""
        markers = {}
        for index, (name, kind) in enumerate(self.kinds.items()):
            value = inputs[name]
            number = _MARKER_ID + 1000 * index + 10 * side
            if value is None or (kind == IDS and not value):
                markers[name] = value
            elif kind == ID:
                markers[name] = number
            elif kind == IDS:
                markers[name] = IdList((number + 1, number + 2))
            elif kind == MOMENT:
                markers[name] = _MARKER_MOMENT + timedelta(seconds=100 * index + side + 1)
            else:
                markers[name] = f"porch:marker:{index}:{side}"
        return markers

    def _compile_side(self, shape: dict, markers: dict):
        with ExitStack() as stack:
            for connection in connections.all():
                stack.enter_context(connection.execute_wrapper(_refuse_database))
            queryset = self.build(**markers, **shape)
            if queryset._prefetch_related_lookups:
                raise ShapeError("A compiled query cannot prefetch; read related rows apart.")
            compiler = queryset.query.get_compiler(using=queryset.db)
            try:
                sql, params = compiler.as_sql()
            except EmptyResultSet:
                return queryset, compiler, None, ()
        return queryset, compiler, sql, tuple(params)

    def _compile(self, shape: dict, inputs: dict) -> _Template:
        sides = [self._markers(inputs, side) for side in (0, 1)]
        (queryset, compiler, sql_a, params_a), (_, _, sql_b, params_b) = (
            self._compile_side(shape, markers) for markers in sides
        )
        if sql_a is None or sql_b is None:
            if sql_a is not None or sql_b is not None:
                raise ShapeError("The statement is empty for some inputs and not for others.")
            return _Template(None, None, "", (), ())
        lists = []
        for name, kind in self.kinds.items():
            if kind == IDS and sides[0][name]:
                placeholder = f"\x00{name}\x00"
                sql_a = sql_a.replace(sides[0][name].sql, placeholder)
                sql_b = sql_b.replace(sides[1][name].sql, placeholder)
                lists.append((name, placeholder))
        if sql_a != sql_b:
            raise ShapeError("The statement's text depends on its inputs.")
        for name, kind in self.kinds.items():
            for marker in (sides[0][name], sides[1][name]):
                if marker is not None and kind != IDS and self._as_text(marker) in sql_a:
                    raise ShapeError(f"The input {name} is written into the statement's text.")
                if kind == IDS and marker and any(str(pk) in sql_a for pk in marker.ids):
                    raise ShapeError(
                        f"The input {name} is written into the text apart from its list."
                    )
        if len(params_a) != len(params_b):
            raise ShapeError("The statement's parameters depend on its inputs.")
        connection = compiler.connection
        plan = []
        for a, b in zip(params_a, params_b, strict=True):
            if a == b:
                # The same on both sides: no input's (a marker is never the other side's).
                plan.append(a)
                continue
            slot = self._slot(a, b, sides, connection)
            if slot is None:
                raise ShapeError(f"A parameter is computed from the inputs ({a!r} / {b!r}).")
            plan.append(slot)
        return _Template(queryset, compiler, sql_a, tuple(plan), tuple(lists))

    @staticmethod
    def _as_text(marker) -> str:
        return marker.isoformat(sep=" ")[:19] if isinstance(marker, datetime) else str(marker)

    def _adapters(self, kind: str, connection):
        yield None
        if kind == MOMENT:
            yield connection.ops.adapt_datetimefield_value

    def _slot(self, a, b, sides, connection) -> _Slot | None:
        for name, kind in self.kinds.items():
            if kind == IDS or sides[0][name] is None:
                continue
            for adapt in self._adapters(kind, connection):
                take = adapt or (lambda value: value)
                if take(sides[0][name]) == a and take(sides[1][name]) == b:
                    return _Slot(name, adapt)
        return None

    # --- running -------------------------------------------------------------------
    def _run(self, template: _Template, inputs: dict) -> list:
        if template.queryset is None:
            return []
        sql = template.sql
        for name, placeholder in template.lists:
            sql = sql.replace(placeholder, inputs[name].sql)
        params = [
            (
                (part.adapt(inputs[part.name]) if part.adapt else inputs[part.name])
                if isinstance(part, _Slot)
                else part
            )
            for part in template.params
        ]
        # Shallow copies for this use (the template's objects are shared by the
        # thread's uses and never run): the compiler answers with this use's statement
        # on this thread's connection, and the query hands out that compiler.
        queryset = _shallow(template.queryset)
        compiler = _shallow(template.compiler)
        compiler.connection = connections[queryset.db]
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        query = _shallow(template.queryset.query)
        query.get_compiler = lambda *args, **kwargs: compiler
        queryset._query = query
        return list(queryset._iterable_class(queryset))


def _shallow(obj):
    """A shallow copy that runs nothing (``copy.copy`` of a QuerySet evaluates it)."""
    twin = object.__new__(type(obj))
    twin.__dict__.update(obj.__dict__)
    return twin

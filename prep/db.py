"""Plain SQL for the hot paths: the practice loop, and the session and user every page loads.

A grade -> next-card request runs about ten statements. Through the ORM each one costs
0.15-0.4 ms of query compilation and row conversion, ten times what SQLite needs to run it
(docs/BENCHMARKS.md), so those statements are written out and everything else uses the ORM.
The SQL is portable between the two databases we run (SQLite, PostgreSQL); values go through
Django's own adapters and converters, so they are stored and read exactly as the ORM does.
"""

from datetime import UTC, date, datetime
from functools import cache

from django.db import connection
from django.utils.dateparse import parse_datetime


def fetch_one(sql: str, params=()) -> tuple | None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def fetch_all(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def execute(sql: str, params=()) -> int:
    """Run a write; the number of rows it changed."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def placeholders(values) -> str:
    """'%s, %s, %s' for an IN (...) list."""
    return ", ".join(["%s"] * len(values))


def columns(model, alias: str) -> str:
    """Every concrete column of `model`, in field order, for rows that `instance` reads."""
    return ", ".join(
        f"{alias}.{connection.ops.quote_name(field.column)}" for field in model._meta.concrete_fields
    )


@cache
def _converters(model) -> list[tuple]:
    found = []
    for i, field in enumerate(model._meta.concrete_fields):
        column = field.get_col(model._meta.db_table)
        converters = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
        if converters:
            found.append((i, column, converters))
    return found


def instance(model, row):
    """A model instance from a row of `columns(model)`, converted as the ORM converts it."""
    values = list(row)
    for i, column, converters in _converters(model):
        for converter in converters:
            values[i] = converter(values[i], column, connection)
    return model.from_db(connection.alias, None, values)


def to_db(value: datetime | None):
    """A datetime parameter, stored the way DateTimeField stores it (naive UTC on SQLite)."""
    return connection.ops.adapt_datetimefield_value(value)


def aware(value) -> datetime | None:
    """A datetime read back: SQLite gives naive UTC datetimes (or text from an expression)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = parse_datetime(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def as_date(value) -> date | None:
    if isinstance(value, str):
        return date.fromisoformat(value)
    return value


def utc_date(column: str) -> str:
    """SQL for the UTC calendar date of a datetime column."""
    if connection.vendor == "sqlite":
        return f"date({column})"  # stored as naive UTC text
    return f"({column} AT TIME ZONE 'UTC')::date"


def for_update(*, of: str) -> str:
    """Row lock on table alias `of` where the database has row locks (SQLite's IMMEDIATE
    transactions lock the whole file instead)."""
    return f" FOR UPDATE OF {of}" if connection.features.has_select_for_update_of else ""


def insert(instance) -> None:
    """INSERT a new model instance (every concrete field but the auto primary key); sets its pk.

    Values go through each field's own `pre_save` and `get_db_prep_save`, as Model.save does.
    """
    meta = instance._meta
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    values = [field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    row = fetch_one(
        f"INSERT INTO {meta.db_table} ({columns}) VALUES ({placeholders(values)})"
        f" RETURNING {connection.ops.quote_name(meta.pk.column)}",
        values,
    )
    instance.pk = row[0]
    instance._state.adding = False
    instance._state.db = connection.alias

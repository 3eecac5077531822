"""Bulk writes for importers beyond what the ORM does quickly."""
from django.db import connections, router

BATCH = 2000


def update_by_pk(model, objects, fields, batch_size=BATCH) -> None:
    """Write `fields` of each object by primary key: one prepared UPDATE run with executemany.

    QuerySet.bulk_update builds a CASE expression per object and field, which takes seconds for
    tens of thousands of rows; this takes a fraction of that on SQLite and PostgreSQL alike.
    The objects must hold the values to keep in every field named, changed or not."""
    objects = list(objects)
    if not objects or not fields:
        return
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        quote(meta.db_table), ", ".join(f"{quote(f.column)} = %s" for f in columns), quote(meta.pk.column))
    with connection.cursor() as cursor:
        for start in range(0, len(objects), batch_size):
            cursor.executemany(sql, [
                [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in columns] + [obj.pk]
                for obj in objects[start:start + batch_size]
            ])

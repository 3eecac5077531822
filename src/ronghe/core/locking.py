"""Re-reading a row under lock before a service changes it."""


def lock_row(obj, *related):
    """`obj`'s row read again inside the current transaction and locked until it ends
    (SELECT … FOR UPDATE), with the `related` objects loaded in the same query.

    Only the object's own row is locked (`of=("self",)`): select_related joins a nullable
    foreign key with a LEFT OUTER JOIN, and PostgreSQL refuses to lock that side of it
    ("FOR UPDATE cannot be applied to the nullable side of an outer join"); the related rows
    are read to be shown or checked, never changed, so they need no lock. SQLite, which has
    no row locks, ignores the clause."""
    return type(obj).objects.select_for_update(of=("self",)).select_related(*related).get(pk=obj.pk)

"""Explicit audit: services call `record()` inside their transaction. No signals."""
import datetime as dt
import decimal

from django.db import models

from ronghe.core.models import AuditEntry
from ronghe.core.request_context import request_id


def _plain(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value.pk)
    return value


def snapshot(obj, fields) -> dict:
    """The audited values of `obj`: plain JSON, foreign keys as their ids."""
    out = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = field.attname if field.is_relation else name
        out[name] = _plain(getattr(obj, attname))
    return out


def record(*, actor, action, obj=None, object_type=None, object_id="", object_repr="", before=None,
           after=None, message="", unit=None, party_org=None) -> AuditEntry:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:255]
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        request_id=request_id.get(),
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:255],
        unit=unit,
        party_org=party_org,
        before=before,
        after=after,
        message=message,
    )


def history(obj):
    return AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).select_related("actor")

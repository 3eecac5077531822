"""The audit trail over the API: scoped like every other read, with personal data masked in
the before / after values of people the caller may not see in full."""
import datetime as dt
from typing import Annotated

from django.http import Http404
from ninja import Field, Path, Query, Router, Schema

from ronghe.core.api_support import PageQuery, named, page_schema, paginate, parse_date, responses
from ronghe.core.masking import mask_birth_date, mask_mobile
from ronghe.core.models import AuditEntry
from ronghe.core.scoping import VIEW_PERSONAL

router = Router(tags=["audit"])

PERSONAL_FIELDS = {"mobile": mask_mobile, "birth_date": mask_birth_date}


class AuditFilters(Schema):
    object_type: str = Field("", description="Type of object, e.g. org.unit, org.person (对象类型).")
    object_id: str = Field("", description="Id of the object (对象编号).")
    actor: str = Field("", description="Username of whoever made the change (操作人).")
    action: str = Field("", description="Action, e.g. unit.rename, person.update, role.grant (操作).")
    start: str | None = Field(None, alias="from", description="From this day on, YYYY-MM-DD (起始日期).",
                              json_schema_extra={"format": "date"})
    end: str | None = Field(None, alias="to", description="Up to and including this day, YYYY-MM-DD (截止日期).",
                            json_schema_extra={"format": "date"})


class AuditOut(Schema):
    id: int = Field(..., description="Id of the audit entry (日志编号).")
    at: dt.datetime = Field(..., description="When (时间).")
    actor: str | None = Field(None, description="Username of whoever made the change; empty for the system (操作人).")
    action: str = Field(..., description="What was done (操作).")
    object_type: str = Field(..., description="Type of object (对象类型).")
    object_id: str = Field(..., description="Id of the object (对象编号).")
    object_repr: str = Field(..., description="The object as it was named then (对象).")
    unit: str | None = Field(None, description="Code of the unit the object hung off (所属单位编码).")
    party_org: str | None = Field(None, description="Code of the Party organisation it hung off (所属党组织编码).")
    before: dict | None = Field(None, description="Values before (变更前); personal data masked as elsewhere.")
    after: dict | None = Field(None, description="Values after (变更后); personal data masked as elsewhere.")
    message: str = Field(..., description="Message or reason (说明).")
    request_id: str = Field(..., description="Request that made the change, for tracing (请求编号).")


AuditPage = page_schema(AuditOut, "AuditPage")


def _masked(values):
    if not values:
        return values
    return {k: (PERSONAL_FIELDS[k](v) or None) if k in PERSONAL_FIELDS and v else v for k, v in values.items()}


def _rows(user, entries) -> list[dict]:
    personal = set(AuditEntry.objects.restrict(user, VIEW_PERSONAL).filter(pk__in=[e.pk for e in entries])
                   .values_list("pk", flat=True))
    rows = []
    for e in entries:
        shown = e.pk in personal
        rows.append({
            "id": e.pk, "at": e.at, "actor": e.actor.username if e.actor_id else None, "action": e.action,
            "object_type": e.object_type, "object_id": e.object_id, "object_repr": e.object_repr,
            "unit": e.unit.code if e.unit_id else None, "party_org": e.party_org.code if e.party_org_id else None,
            "before": e.before if shown else _masked(e.before), "after": e.after if shown else _masked(e.after),
            "message": e.message, "request_id": e.request_id,
        })
    return rows


def _entries(user):
    return AuditEntry.objects.restrict(user).select_related("actor", "unit", "party_org")


@router.get("", response=responses({200: AuditPage}), **named("audit_list"), summary="Audit trail")
def audit_list(request, filters: Query[AuditFilters], page: Query[PageQuery]):
    """Changes to business data within your scope, newest first (审计日志)."""
    qs = _entries(request.auth)
    for field in ("object_type", "object_id", "action"):
        if getattr(filters, field):
            qs = qs.filter(**{field: getattr(filters, field)})
    if filters.actor:
        qs = qs.filter(actor__username=filters.actor)
    start, end = parse_date(filters.start, "from"), parse_date(filters.end, "to")
    if start:
        qs = qs.filter(at__date__gte=start)
    if end:
        qs = qs.filter(at__date__lte=end)
    return paginate(qs, page, lambda chunk: _rows(request.auth, chunk))


@router.get("/{object_type}/{object_id}", response=responses({200: AuditPage}), **named("audit_object"),
            summary="Audit trail of one object")
def audit_object(request, object_type: Annotated[str, Path(description="Type of object, e.g. org.unit (对象类型).")],
                 object_id: Annotated[str, Path(description="Id of the object (对象编号).")], page: Query[PageQuery]):
    """Who changed this object, when, before → after (变更记录); 404 when nothing about it lies
    within your scope."""
    qs = _entries(request.auth).filter(object_type=object_type, object_id=object_id)
    result = paginate(qs, page, lambda chunk: _rows(request.auth, chunk))
    if not result["count"]:
        raise Http404
    return result

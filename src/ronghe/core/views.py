import datetime as dt

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ronghe.core import masking
from ronghe.core.models import AuditEntry
from ronghe.core.scoping import VIEW_PERSONAL


def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        db = {"status": "ok", "vendor": connection.vendor}
        status = 200
    except Exception as exc:  # the point of a health check is to report any failure
        db = {"status": "error", "error": str(exc)[:200]}
        status = 503
    return JsonResponse({"status": "ok" if status == 200 else "error", "database": db}, status=status)


# Snapshot keys that name no model field: lists kept in words (a task's team, its milestones).
LIST_LABELS = {
    "team": gettext_lazy("Team (专项领导小组)"),
    "milestones": gettext_lazy("Milestones (节点)"),
    "milestone": gettext_lazy("Milestone (节点)"),
}

# Audit snapshots of a person also hold the Party membership's fields.
SNAPSHOT_MODELS = {"org.person": ("org.person", "org.partymembership")}


def _snapshot_field(object_type, name):
    for label in SNAPSHOT_MODELS.get(object_type, (object_type,)):
        try:
            field = apps.get_model(label)._meta.get_field(name)
        except (LookupError, ValueError, FieldDoesNotExist):
            continue
        # A reverse relation (a task's "team") is no field of the snapshot's own.
        return None if field.auto_created and not field.concrete else field
    return None


# Where an audited object's page is, by object type: (URL name, field naming it in the URL).
OBJECT_PAGES = {"org.unit": ("unit_detail", "code"), "org.partyorg": ("party_org_detail", "code"),
                "org.person": ("person_detail", "employee_no")}


def _related_names(entries, user):
    """Names of the rows that audited foreign keys point at, one query per related model, and
    only of the rows the viewer may see (others stay as their ids)."""
    wanted = {}
    for entry in entries:
        for name, before, after in entry.changed_fields():
            field = _snapshot_field(entry.object_type, name)
            if field is not None and field.is_relation and field.related_model is not None:
                ids = wanted.setdefault(field.related_model, set())
                ids.update(v for v in (before, after) if isinstance(v, int))
    names = {}
    for model, ids in wanted.items():
        manager = model._default_manager
        rows = manager.restrict(user) if hasattr(manager, "restrict") else manager.all()
        names[model] = {obj.pk: str(obj) for obj in rows.filter(pk__in=ids)}
    return names


def with_diffs(entries, user):
    """Attach to each audit entry `diff` — (label, before, after) of the changed fields, with
    choices and foreign keys in words and personal data masked unless the viewer may see that
    person's — and `link`, the object's page when the viewer can open it. A fixed number of
    queries whatever the number of entries."""
    entries = list(entries)
    ids = {}
    for entry in entries:
        if entry.object_type in OBJECT_PAGES and entry.object_id.isdigit():
            ids.setdefault(entry.object_type, set()).add(int(entry.object_id))
    keys = {}
    for object_type, pks in ids.items():
        model = apps.get_model(object_type)
        keys[object_type] = dict(model.objects.restrict(user).filter(pk__in=pks)
                                 .values_list("pk", OBJECT_PAGES[object_type][1]))
    personal = set()
    if ids.get("org.person"):
        personal = set(apps.get_model("org.person").objects.restrict(user, VIEW_PERSONAL)
                       .filter(pk__in=ids["org.person"]).values_list("pk", flat=True))
    related = _related_names(entries, user)

    for entry in entries:
        pk = int(entry.object_id) if entry.object_id.isdigit() else None
        masked = entry.object_type == "org.person" and pk not in personal

        def shown(name, field, value, masked=masked):
            if masked and name in masking.PERSONAL_FIELDS:
                return masking.mask_field(name, value)
            if field is None or value in (None, ""):
                return value
            if isinstance(value, list):  # many-to-many and list snapshots are stored in words already
                return "、".join(str(v) for v in value)
            if field.choices:
                return dict(field.flatchoices).get(value, value)
            if field.is_relation and field.related_model in related:
                return related[field.related_model].get(value, _("(outside your scope)"))
            return value

        entry.diff = []
        for name, before, after in entry.changed_fields():
            field = _snapshot_field(entry.object_type, name)
            label = capfirst(field.verbose_name) if field is not None else LIST_LABELS.get(name, name)
            entry.diff.append((label, shown(name, field, before), shown(name, field, after)))
        entry.created = entry.before is None
        if entry.created:
            entry.diff = [d for d in entry.diff if d[2] not in (None, "")]
        key = keys.get(entry.object_type, {}).get(pk)
        entry.link = reverse(OBJECT_PAGES[entry.object_type][0], args=[key]) if key else ""
        try:
            entry.type_label = apps.get_model(entry.object_type)._meta.verbose_name
        except (LookupError, ValueError):
            entry.type_label = entry.object_type
    return entries


def _day(value):
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def audit_list(request):
    """The audit entries the user may see, filtered by actor, action, object type and dates."""
    user = request.user
    scoped = AuditEntry.objects.restrict(user)
    qs = scoped.select_related("actor")
    params = request.GET
    if params.get("actor"):
        qs = qs.filter(actor__username=params["actor"].strip())
    if params.get("action"):
        qs = qs.filter(action=params["action"])
    if params.get("object_type"):
        qs = qs.filter(object_type=params["object_type"])
    start, end = _day(params.get("start")), _day(params.get("end"))
    if start:
        qs = qs.filter(at__date__gte=start)
    if end:
        qs = qs.filter(at__date__lte=end)
    if params.get("q"):
        qs = qs.filter(object_repr__icontains=params["q"].strip())
    page = Paginator(qs, 50).get_page(params.get("page"))
    with_diffs(page.object_list, user)
    return render(request, "core/audit_list.html", {
        "page_obj": page,
        "actions": scoped.order_by("action").values_list("action", flat=True).distinct(),
        "object_types": scoped.order_by("object_type").values_list("object_type", flat=True).distinct(),
        "actors": get_user_model().objects.filter(pk__in=scoped.values("actor")).order_by("username"),
        "start": start, "end": end,
    })

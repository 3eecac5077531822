"""Coordination requests in the permission matrix: the plant's area asking the plant, and the
sibling plant's area asking the sibling plant, each with an attachment. Both ends of a request
lie in one plant, so what a persona may see is decided by SCOPE's units alone. (A request
between two scopes shows each side the other's name, which the matrix's leak markers cannot
tell from a leak: tests/coordination covers both sides seeing it.)"""
import atexit
import shutil
import tempfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.utils import override_settings

from tests import factories as f
from tests.test_permission_matrix import Case, in_scope, owned_cases

# request key → the unit it is raised from (the unit deciding scope in SCOPE's terms)
OWNERS = {"plant": "CY1-A1", "sibling": "CY2-A1"}
_media = None


def _media_root():
    """Attachments of the matrix go to a directory of their own, removed when the run ends."""
    global _media
    if _media is None:
        _media = tempfile.mkdtemp(prefix="ronghe-matrix-media-")
        atexit.register(shutil.rmtree, _media, True)
        override_settings(MEDIA_ROOT=_media).enable()
    return _media


def build(world):
    from ronghe.coordination import services

    _media_root()
    org = world.org
    ends = {"plant": (org.area, org.plant), "sibling": (org.area2, org.sibling)}
    requests = {}
    for key, (source, target) in ends.items():
        request = services.request_raise(actor=world.system, title=f"矩阵协调事项{key}", description="矩阵",
                                         from_unit=source, to_unit=target)
        services.attachment_add(actor=world.system, request=request, file=SimpleUploadedFile("矩阵.txt", b"matrix"))
        requests[key] = request
    return requests


def _request_cases(world, persona, kwarg="pk"):
    return owned_cases(persona, kwarg, world.coordination, OWNERS)


def _attachment_cases(world, persona):
    cases = [Case({"pk": r.pk, "attachment_id": r.attachments.get().pk},
                  "in" if in_scope(persona, "unit", OWNERS[key]) else "out")
             for key, r in world.coordination.items()]
    stray = world.coordination["sibling"].attachments.get()
    return [*cases, Case({"pk": world.coordination["plant"].pk, "attachment_id": stray.pk}, "missing")]


PAGE_RULES = [
    (r"^coordination_attachment$", ("pk", "attachment_id"), _attachment_cases),
    (r"^coordination_", ("pk",), lambda w, p: _request_cases(w, p)),
]
PAGE_REF_FIELDS = {"from_unit": "unit"}
REF_FIELDS = {"/api/v1/coordination": {"from_unit": "unit", "task": "task"}}
BODY_VALUES = {"to_unit": "CY1-A1", "title": "矩阵协调", "description": "矩阵", "answer": "矩阵答复",
               "reason": "permission matrix"}


def path_cases(operation, world, persona, params):
    if operation.path.startswith("/api/v1/coordination/") and params == ("pk",):
        return _request_cases(world, persona)
    return None


def item_in_scope(operation, item, persona, world):
    if not operation.path.startswith("/api/v1/coordination"):
        return None
    units_in = {code for code in OWNERS.values() if in_scope(persona, "unit", code)}
    return item["from_unit"] in units_in or item["to_unit"] in units_in


def _more_requests(org, personas, n):
    """Requests of the plant's area to the plant, every other one answered; the plant's admin
    sees them all."""
    from ronghe.coordination import services

    system = f.system_user()
    for i in range(n):
        request = services.request_raise(actor=system, title=f"计数事项{i}", description="计数", from_unit=org.area,
                                         to_unit=org.plant)
        if i % 2:
            services.request_answer(actor=system, request=request, answer="已答复。")


QUERY_COUNT_LISTS = {
    "coordination_list": [(_more_requests, "coordination", {}),
                          (_more_requests, "coordination", {"q": "计数", "from_unit": "CY1", "sort": "answer_due"})],
}

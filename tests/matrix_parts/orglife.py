"""三会一课's part of the permission matrix: a record (with a photo) of the plant's branch, of the
sibling plant's branch and of the outside root's committee; the company-wide rules."""
import datetime as dt
import itertools
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from ronghe.orglife import services
from ronghe.orglife.models import Photo, Rule
from tests import factories as f
from tests.test_permission_matrix import Case, owned_cases

OWNERS = {"plant": "P-CY1-B1", "sibling": "P-CY2-B1", "out": "P-OUT"}
PHOTO = "orglife/matrix/photo.png"
# A 1×1 PNG.
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


def build(world):
    org = world.org
    kinds = {"plant": (org.branch, "committee", world.people["worker"]),
             "sibling": (org.sib_branch, "general_meeting", world.people["sib_worker"]),
             "out": (world.out_org, "theme_day", world.people["out_worker"])}
    records = {key: services.record_create(actor=world.system, party_org=party_org, kind=kind,
                                           held_on=dt.date(2024, 6, 3), topic=f"矩阵三会一课 {key}", host=person,
                                           attendance=[(person, "present")])
               for key, (party_org, kind, person) in kinds.items()}
    if default_storage.exists(PHOTO):
        default_storage.delete(PHOTO)
    default_storage.save(PHOTO, ContentFile(PNG))
    photos = {key: Photo.objects.create(record=record, image=PHOTO, caption="矩阵照片") for key, record in records.items()}
    return SimpleNamespace(records=records, photos=photos, rule=Rule.objects.get(org_kind="branch",
                                                                                 meeting_kind="committee"))


def _records(world, persona, kwarg="record_id"):
    return owned_cases(persona, kwarg, world.orglife.records, OWNERS, tree="party_org")


def _photos(world, persona):
    return owned_cases(persona, "photo_id", world.orglife.photos, OWNERS, tree="party_org")


def _photo_under_record(world, persona):
    cases = [Case({"record_id": world.orglife.records[key].pk, "photo_id": case.kwargs["photo_id"]}, case.label)
             for key, case in zip(OWNERS, _photos(world, persona), strict=True)]
    stray = world.orglife.photos["sibling"]
    return [*cases, Case({"record_id": world.orglife.records["plant"].pk, "photo_id": stray.pk}, "missing")]


def _rule(world, persona):
    return [Case({"rule_id": world.orglife.rule.pk}, "in")]


PAGE_RULES = [
    (r"^orglife_(record_|photo_add$)", ("record_id",), lambda w, p: _records(w, p)),
    (r"^orglife_photo", ("photo_id",), _photos),
    (r"^orglife_rule_edit$", ("rule_id",), _rule),
]


def path_cases(operation, world, persona, params):
    if not operation.path.startswith("/api/v1/orglife/"):
        return None
    if params == ("record_id",):
        return _records(world, persona)
    if params == ("record_id", "photo_id"):
        return _photo_under_record(world, persona)
    if params == ("rule_id",):
        return _rule(world, persona)
    return None


REF_FIELDS = {"/api/v1/orglife": {"party_org": "party_org", "host": "person", "lecturer": "person"}}
BODY_VALUES = {"held_on": "2024-06-03", "topic": "矩阵三会一课"}


_record_seq = itertools.count()


def _more_records(org, personas, n):
    for _ in range(n):
        i = next(_record_seq)
        services.record_create(actor=personas.superuser, party_org=org.branch, kind="theme_day",
                               held_on=dt.date(2025, 1, 1) + dt.timedelta(days=i % 300),
                               topic=f"主题党日{i}", attendance=[(f.person(org.area, org.branch), "present")])


def _more_party_orgs(org, personas, n):
    from tests.test_query_counts_api import more_party_orgs

    more_party_orgs(org, personas, n)


QUERY_COUNT_LISTS = {
    "orglife_records_list": [(_more_records, "orglife/records", {})],
    "orglife_attendance": [(_more_records, "orglife/attendance", {"year": 2025, "as_of": "2025-12-31"})],
    "orglife_gaps": [(_more_party_orgs, "orglife/gaps", {"as_of": "2025-06-30"})],
}

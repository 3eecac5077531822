"""Exports of units, Party organisations and people to xlsx, with the importers' headers so that
an exported file imports back unchanged. Only what the user may see is exported; a person's
手机 and 出生日期 are masked unless the user has VIEW_PERSONAL over that person (the importer
recognises the masks and keeps the stored values)."""
from django.db.models import BooleanField, Exists, OuterRef, Value

from ronghe.core.masking import mask_birth_date, mask_mobile
from ronghe.core.scoping import VIEW, VIEW_PERSONAL, scope_for
from ronghe.org.importers import PartyOrgImporter, PersonImporter, UnitImporter
from ronghe.org.models import Person

_CHUNK = 2000


def _visible(queryset, user):
    return queryset.restrict(user, VIEW)


def unit_row(unit) -> dict:
    return {
        "code": unit.code, "name": unit.name, "parent": unit.parent.code if unit.parent_id else "",
        "level": unit.level, "kind": unit.kind, "staffing": unit.staffing, "established_on": unit.established_on,
        "abolished_on": unit.abolished_on, "sort_order": unit.sort_order,
    }


def party_org_row(party_org) -> dict:
    return {
        "code": party_org.code, "name": party_org.name, "kind": party_org.kind,
        "parent": party_org.parent.code if party_org.parent_id else "", "unit": party_org.unit.code,
        "established_on": party_org.established_on, "renewed_on": party_org.renewed_on,
    }


def with_personal_flag(queryset, user):
    """`queryset` of people annotated with `personal_visible`: whether `user` may see each one's
    personal data (VIEW_PERSONAL). One query, whatever the number of people."""
    scope = scope_for(user, VIEW_PERSONAL)
    if scope.everything or scope.empty:
        return queryset.annotate(personal_visible=Value(scope.everything, output_field=BooleanField()))
    allowed = Person.objects.restrict(user, VIEW_PERSONAL).filter(pk=OuterRef("pk"))
    return queryset.annotate(personal_visible=Exists(allowed))


def person_row(person, personal_visible: bool) -> dict:
    membership = getattr(person, "membership", None)
    return {
        "employee_no": person.employee_no, "name": person.name, "gender": person.gender,
        "birth_date": person.birth_date if personal_visible else mask_birth_date(person.birth_date) or None,
        "unit": person.unit.code, "post": person.post, "title": person.title,
        "mobile": person.mobile if personal_visible else mask_mobile(person.mobile),
        "email": person.email, "political_status": person.political_status,
        "party_org": membership.party_org.code if membership else "",
        "joined_on": membership.joined_on if membership else None,
        "confirmed_on": membership.confirmed_on if membership else None,
        "party_post": membership.party_post if membership else "",
    }


def units_xlsx(queryset, user) -> bytes:
    rows = _visible(queryset, user).select_related("parent").iterator(chunk_size=_CHUNK)
    return UnitImporter.export_workbook(unit_row(u) for u in rows)


def party_orgs_xlsx(queryset, user) -> bytes:
    rows = _visible(queryset, user).select_related("parent", "unit").iterator(chunk_size=_CHUNK)
    return PartyOrgImporter.export_workbook(party_org_row(p) for p in rows)


def people_xlsx(queryset, user) -> bytes:
    rows = with_personal_flag(_visible(queryset, user), user).select_related(
        "unit", "membership__party_org").iterator(chunk_size=_CHUNK)
    return PersonImporter.export_workbook(person_row(p, p.personal_visible) for p in rows)

"""Masking of personal data (手机, 出生日期) for viewers without VIEW_PERSONAL over a person.

Pages, the API and exports all show personal data through these functions, so the rule lives
in one place: a viewer sees a person's mobile number and date of birth only when the person
lies inside the viewer's VIEW_PERSONAL scope; everyone else sees 138****1111 and 1980-**-**.
"""
import datetime as dt

from ronghe.core.scoping import VIEW_PERSONAL


def mask_mobile(mobile: str) -> str:
    """Keep the first three and last four digits: 13800001111 -> 138****1111."""
    mobile = (mobile or "").strip()
    if not mobile:
        return ""
    if len(mobile) <= 7:
        return "*" * len(mobile)
    return f"{mobile[:3]}{'*' * (len(mobile) - 7)}{mobile[-4:]}"


def mask_birth_date(birth_date) -> str:
    """Keep the year only: 1980-05-04 -> 1980-**-**."""
    if not birth_date:
        return ""
    if isinstance(birth_date, str):
        birth_date = dt.date.fromisoformat(birth_date)
    return f"{birth_date.year:04d}-**-**"


def personal_ids(user, people) -> set[int]:
    """The ids among `people` whose personal data `user` may see, in one query."""
    from ronghe.org.models import Person

    ids = [p.pk for p in people]
    if not ids:
        return set()
    return set(Person.objects.restrict(user, VIEW_PERSONAL).filter(pk__in=ids).values_list("pk", flat=True))


def shown_mobile(person, allowed: bool) -> str:
    return person.mobile if allowed else mask_mobile(person.mobile)


def shown_birth_date(person, allowed: bool):
    """The date itself when allowed (so templates and spreadsheets format it), else the mask."""
    return person.birth_date if allowed else mask_birth_date(person.birth_date)


def mark_people(user, people):
    """Attach `shown_mobile`, `shown_birth_date` and `personal_visible` to each person, for
    templates; a fixed number of queries whatever the number of people."""
    people = list(people)
    allowed = personal_ids(user, people)
    for person in people:
        person.personal_visible = person.pk in allowed
        person.shown_mobile = shown_mobile(person, person.personal_visible)
        person.shown_birth_date = shown_birth_date(person, person.personal_visible)
    return people


PERSONAL_FIELDS = ("mobile", "birth_date")


def mask_field(name: str, value):
    """The masked form of one personal field's value as audit snapshots keep it."""
    if value in (None, ""):
        return value
    return mask_mobile(value) if name == "mobile" else mask_birth_date(value)

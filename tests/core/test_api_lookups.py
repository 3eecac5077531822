"""The look-ups every API router makes of what a caller names: inside a scoped queryset, or a
422 naming the field, alike for what is absent and what lies outside the scope."""
import pytest

from ronghe.core.api_support import ApiError, party_org_in, people_in, person_in, unit_in
from ronghe.core.scoping import VIEW
from ronghe.org.models import PartyOrg, Person, Unit


def test_what_the_caller_names_is_found_in_their_scope_or_refused(org, personas):
    people = Person.objects.restrict(personas.plant_admin, VIEW)
    assert person_in(people, org.worker.employee_no, "chair") == org.worker
    number = org.worker.employee_no
    assert people_in(people, [number, number], "invitees") == [org.worker]
    for call in (lambda: person_in(people, org.sib_worker.employee_no, "chair"),
                 lambda: people_in(people, [number, org.sib_worker.employee_no], "chair"),
                 lambda: person_in(people, None, "chair"),
                 lambda: unit_in(Unit.objects.restrict(personas.plant_admin, VIEW), "CY2", "chair"),
                 lambda: party_org_in(PartyOrg.objects.restrict(personas.plant_admin, VIEW), "P-CY2", "chair")):
        with pytest.raises(ApiError) as refused:
            call()
        assert refused.value.status_code == 422 and list(refused.value.details) == ["chair"]
    assert unit_in(Unit.objects.restrict(personas.plant_admin, VIEW), "CY1", "unit") == org.plant
    assert party_org_in(PartyOrg.objects.restrict(personas.plant_admin, VIEW), "P-CY1", "org") == org.plant_po

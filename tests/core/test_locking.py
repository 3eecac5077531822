import pytest
from django.db import DatabaseError, transaction

from ronghe.core import audit
from ronghe.core.locking import lock_row
from ronghe.core.models import AuditEntry


@pytest.fixture
def entry(org):
    # A row whose nullable foreign keys are joined with LEFT OUTER JOIN by select_related.
    return audit.record(actor=None, action="test.lock", obj=org.plant, unit=org.plant)


@pytest.mark.django_db
def test_the_row_is_read_again_with_its_relations(entry, org, django_assert_num_queries):
    AuditEntry.objects.filter(pk=entry.pk).update(message="changed meanwhile")
    with transaction.atomic(), django_assert_num_queries(1):
        locked = lock_row(entry, "unit", "party_org", "actor")
        assert locked.message == "changed meanwhile"
        assert locked.unit == org.plant
        assert locked.party_org is None


@pytest.mark.postgresql
@pytest.mark.django_db
def test_postgresql_refuses_to_lock_the_nullable_side_of_a_join(entry):
    """Why lock_row locks only its own row: the plain form fails on PostgreSQL."""
    with pytest.raises(DatabaseError, match="nullable side of an outer join"), transaction.atomic():
        AuditEntry.objects.select_for_update().select_related("unit", "party_org").get(pk=entry.pk)
    with transaction.atomic():
        assert lock_row(entry, "unit", "party_org").pk == entry.pk

"""The production list endpoints grow flat in queries the way tests/test_query_counts_api.py
measures every list endpoint (its LISTS take these entries from the matrix part)."""
import pytest

from tests.matrix_parts.production import QUERY_COUNT_LISTS
from tests.test_query_counts_api import assert_flat


@pytest.mark.parametrize("operation_id", sorted(QUERY_COUNT_LISTS))
def test_a_production_list_endpoint_costs_the_same_queries_for_few_rows_and_many(operation_id, org, personas):
    for grow, path, query in QUERY_COUNT_LISTS[operation_id]:
        assert_flat(org, personas, grow, path, query)

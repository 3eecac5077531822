import pytest

from tests.api.support import ApiClient, token_for


@pytest.fixture
def as_user(personas):
    """as_user("plant_admin") -> an ApiClient authenticated with that persona's own token."""
    def make(name):
        return ApiClient(token_for(getattr(personas, name)))
    return make


@pytest.fixture
def anonymous():
    return ApiClient()

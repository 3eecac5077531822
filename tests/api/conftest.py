import pytest

from tests.api.support import ApiClient, token_for


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The personas' passwords are never typed here; hashing them properly only costs time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def as_user(personas):
    """as_user("plant_admin") -> an ApiClient authenticated with that persona's own token."""
    def make(name):
        return ApiClient(token_for(getattr(personas, name)))
    return make


@pytest.fixture
def anonymous():
    return ApiClient()

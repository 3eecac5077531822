"""Errors services raise. ValidationError carries field messages for forms and API alike."""
from django.core.exceptions import PermissionDenied, ValidationError  # noqa: F401  (re-exported)


class OutOfScope(PermissionDenied):
    """The actor may not act on this object. Views and the API answer 404, not 403, so that
    the existence of things outside one's scope is not revealed."""

import uuid

from django.contrib.auth.views import redirect_to_login

from ronghe.core.request_context import request_id

# Paths reachable without logging in. The API authenticates itself (bearer or session) and
# answers 401 in JSON rather than redirecting.
PUBLIC_PREFIXES = ("/accounts/login/", "/healthz", "/static/", "/i18n/", "/api/")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rid = request.headers.get("X-Request-Id") or uuid.uuid4().hex
        request.request_id = rid[:64]
        token = request_id.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response["X-Request-Id"] = request.request_id
        return response


class LoginRequiredMiddleware:
    """Every page needs a login except the few public ones."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated and not request.path.startswith(PUBLIC_PREFIXES):
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)

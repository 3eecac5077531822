from django.contrib.auth import views as auth_views
from django.utils.translation import gettext as _

from ronghe.accounts import services


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


class ThrottledLoginView(auth_views.LoginView):
    """Django's login, refusing further tries after too many failures."""

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "")
        address = client_address(request)
        if services.login_is_locked(username=username, address=address):
            form = self.get_form()
            form.errors.clear()
            form.add_error(None, _("Too many failed attempts. Please try again later."))
            return self.form_invalid(form)
        response = super().post(request, *args, **kwargs)
        if request.user.is_authenticated:
            services.login_succeeded(username=username, address=address)
        else:
            services.login_failed(username=username, address=address)
        return response

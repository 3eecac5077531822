import datetime as dt

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ronghe.accounts import forms, services
from ronghe.accounts.models import ApiToken, RoleAssignment, User
from ronghe.core.errors import OutOfScope
from ronghe.core.forms import add_service_errors
from ronghe.core.scoping import MANAGE_ROLES, scope_for
from ronghe.org.models import PartyOrg, Person, Unit


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


# --- my API tokens -----------------------------------------------------------------------------

NEW_KEY = "ronghe_new_api_key"


def token_list(request):
    """The user's own API tokens. A new token's key is kept in the session just long enough to
    be shown once, after the redirect, so reloading the page neither shows it again nor makes
    another token."""
    form = forms.ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        expires_on = form.cleaned_data["expires_on"]
        expires_at = timezone.make_aware(dt.datetime.combine(expires_on, dt.time.max)) if expires_on else None
        _token, key = services.api_token_create(actor=request.user, user=request.user,
                                                name=form.cleaned_data["name"], expires_at=expires_at)
        request.session[NEW_KEY] = key
        return redirect("token_list")
    tokens = ApiToken.objects.filter(user=request.user)
    return render(request, "accounts/tokens.html", {"form": form, "tokens": tokens, "now": timezone.now(),
                                                    "new_key": request.session.pop(NEW_KEY, None)})


@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user, revoked_at=None)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token %(hint)s… was revoked.") % {"hint": token.hint})
    return redirect("token_list")


# --- users and roles ---------------------------------------------------------------------------

def _manageable_users(actor):
    if actor.is_superuser:
        return User.objects.all()
    return User.objects.filter(person__in=Person.objects.restrict(actor, MANAGE_ROLES))


def user_list(request):
    """Logins of the people the user manages roles for; admins create logins for people here."""
    actor = request.user
    if scope_for(actor, MANAGE_ROLES).empty:
        raise Http404
    form = forms.UserCreateForm(request.POST or None, actor=actor,
                                initial={"person": request.GET.get("person", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = None
        if data["person"]:
            person = Person.objects.restrict(actor, MANAGE_ROLES).filter(employee_no=data["person"].strip()).first()
            if person is None:
                form.add_error("person", _("No such person within your scope."))
        if not form.errors:
            try:
                user = services.user_create(actor=actor, username=data["username"], password=data["password"],
                                            person=person, is_superuser=data.get("is_superuser", False))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The login “%(username)s” was created.") % {"username": user.username})
                return redirect("user_list")
    users = _manageable_users(actor).select_related("person", "person__unit").prefetch_related(
        Prefetch("role_assignments", queryset=RoleAssignment.objects.select_related("unit", "party_org")))
    q = request.GET.get("q", "").strip()
    if q:
        users = users.filter(Q(username__icontains=q) | Q(person__name__icontains=q)
                             | Q(person__employee_no__icontains=q))
    page = Paginator(users.order_by("username"), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/users.html", {"form": form, "page_obj": page})


def _back(request, fallback):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback)


@require_POST
def role_grant(request, tree, code):
    """Grant a role over the unit or party org whose page the form is on."""
    actor = request.user
    model = {"unit": Unit, "party_org": PartyOrg}.get(tree)
    if model is None:
        raise Http404
    node = get_object_or_404(model.objects.restrict(actor, MANAGE_ROLES), code=code)
    form = forms.RoleGrantForm(request.POST)
    detail = f"{tree}_detail"
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(detail, node.code)
    data = form.cleaned_data
    grantee = User.objects.filter(username=data["username"].strip(), is_active=True).first()
    if grantee is None:
        messages.error(request, _("There is no active login “%(username)s”.") % {"username": data["username"]})
        return redirect(detail, node.code)
    target = {"unit": node} if model is Unit else {"party_org": node}
    try:
        services.role_grant(actor=actor, user=grantee, role=data["role"], include_subtree=data["include_subtree"],
                            **target)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(username)s is now %(role)s of %(node)s.") % {
            "username": grantee.username, "role": dict(forms.Role.choices)[data["role"]], "node": node.name})
    return redirect(detail, node.code)


@require_POST
def role_revoke(request, pk):
    actor = request.user
    assignment = get_object_or_404(RoleAssignment.objects.restrict(actor, MANAGE_ROLES)
                                   .select_related("user", "unit", "party_org"), pk=pk)
    target = assignment.unit or assignment.party_org
    try:
        services.role_revoke(actor=actor, assignment=assignment)
    except OutOfScope as exc:
        raise Http404 from exc
    messages.success(request, _("The role of %(username)s over %(node)s was revoked.") % {
        "username": assignment.user.username, "node": target.name})
    detail = "unit_detail" if assignment.unit_id else "party_org_detail"
    return _back(request, redirect(detail, target.code).url)

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from ronghe.accounts.models import Role
from ronghe.core.forms import Form


class ApiTokenForm(Form):
    name = forms.CharField(label=_("Name"), max_length=100, required=False,
                           help_text=_("What the token is for, e.g. “report script”."))
    expires_on = forms.DateField(label=_("Expires on"), required=False, widget=forms.DateInput)


class UserCreateForm(Form):
    """A login for a person (by employee number); only system administrators may make
    logins without a person, or other system administrators."""

    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Initial password"), widget=forms.PasswordInput(render_value=False),
                               min_length=8)
    person = forms.CharField(label=_("Employee number"), max_length=32, required=False,
                             help_text=_("The person this login belongs to."))
    is_superuser = forms.BooleanField(label=_("System administrator"), required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        if not actor.is_superuser:
            del self.fields["is_superuser"]
            self.fields["person"].required = True

    def clean_password(self):
        password = self.cleaned_data["password"]
        validate_password(password)
        return password


class RoleGrantForm(Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    include_subtree = forms.BooleanField(label=_("With subtree"), required=False)

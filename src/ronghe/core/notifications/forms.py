from django import forms
from django.utils.translation import gettext_lazy as _

from ronghe.core.forms import Form
from ronghe.core.models import WebhookChannel
from ronghe.core.notifications import categories, selectors


class InlineCheckboxes(forms.CheckboxSelectMultiple):
    template_name = "core/inbox_checkboxes.html"


class WebhookChannelForm(Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, to_field_name="code")
    kind = forms.ChoiceField(label=_("Kind"), choices=WebhookChannel.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("The group it posts to, e.g. 采油一厂督办群."))
    url = forms.URLField(label=_("Webhook URL"), max_length=500, assume_scheme="https",
                         help_text=_("As the robot's settings show it, with its key or access token."))
    secret = forms.CharField(label=_("Signing secret"), max_length=200, required=False,
                             widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
                             help_text=_("DingTalk robots secured by signing (加签) only: the SEC… string."))
    clear_secret = forms.BooleanField(label=_("Remove the signing secret"), required=False)
    categories = forms.MultipleChoiceField(label=_("Categories"), choices=categories.choices, required=False,
                                           widget=InlineCheckboxes,
                                           help_text=_("None selected: the channel receives every category."))
    enabled = forms.BooleanField(label=_("Enabled"), required=False)

    def __init__(self, *args, actor, channel=None, **kwargs):
        if channel is not None:
            kwargs.setdefault("initial", {}).update({
                "kind": channel.kind, "name": channel.name, "url": channel.url, "categories": channel.categories,
                "enabled": channel.enabled})
        super().__init__(*args, **kwargs)
        if channel is None:
            self.fields["unit"].queryset = selectors.manageable_units(actor)
            del self.fields["clear_secret"]
        else:
            del self.fields["unit"]
            if channel.secret:
                self.fields["secret"].help_text = _("A secret is set; leave this empty to keep it.")
            else:
                del self.fields["clear_secret"]

    def channel_data(self) -> dict:
        """The cleaned values as the service takes them; an empty secret on edit keeps the old one."""
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("secret", "clear_secret")}
        if self.cleaned_data.get("secret"):
            data["secret"] = self.cleaned_data["secret"]
        elif self.cleaned_data.get("clear_secret"):
            data["secret"] = ""
        return data

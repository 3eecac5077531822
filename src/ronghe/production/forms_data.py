"""Forms of the production data pages: a well, and a daily production upload."""
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from ronghe.core.forms import StyledFormMixin
from ronghe.production import services_projects
from ronghe.production.models import Well


class WellForm(StyledFormMixin, forms.ModelForm):
    unit = forms.CharField(label=gettext_lazy("Unit (code)"), max_length=64,
                           help_text=gettext_lazy("The producing team or plant, by its code (单位编码)."))

    class Meta:
        model = Well
        fields = ["code", "unit", "kind", "status", "block", "designed_on", "drilled_on", "producing_since"]
        widgets = {name: forms.DateInput() for name in ("designed_on", "drilled_on", "producing_since")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk:
            self.initial["unit"] = self.instance.unit.code
            self.fields["code"].disabled = True

    def clean_unit(self):
        code = self.cleaned_data["unit"]
        if self.instance.pk and code == self.instance.unit.code:
            return self.instance.unit  # kept as it is, even if since abolished: the service checks a new unit only
        try:
            return services_projects.unit_by_code(self.user, code)
        except ValidationError as exc:
            raise forms.ValidationError(exc.error_dict["unit"]) from None

    def _post_clean(self):
        # The service validates the well as a whole, with the unit checked against the scope.
        pass

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        if self.instance.pk:
            data.pop("code")
        return data


class DailyUploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=gettext_lazy("File (csv, xlsx or xls)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.xls"}))
    dry_run = forms.BooleanField(label=gettext_lazy("Validate only (write nothing)"), required=False)

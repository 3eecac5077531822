"""Form plumbing shared by every page: Tabler (Bootstrap) widget classes, and service
validation errors shown on the form that caused them."""
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


class StyledFormMixin:
    """Give every widget the Bootstrap class Tabler styles."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
            if isinstance(widget, forms.DateInput):
                widget.input_type = "date"
                widget.format = "%Y-%m-%d"


class Form(StyledFormMixin, forms.Form):
    pass


def add_service_errors(form, error: ValidationError, field_map=None):
    """Put a service's ValidationError on `form`: field errors on the matching field (renamed
    through `field_map` where the form names it differently), the rest at the top."""
    field_map = field_map or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, errors in error.message_dict.items():
        name = field_map.get(name, name)
        target = name if name in form.fields and name != NON_FIELD_ERRORS else None
        form.add_error(target, errors)

"""`{% field form.x %}`: a label, hint and error tied to the input for screen readers."""

from django import template

register = template.Library()


@register.inclusion_tag("includes/field.html")
def field(bound_field, **attrs):
    described_by = []
    if bound_field.help_text:
        described_by.append(f"{bound_field.auto_id}_hint")
    if bound_field.errors:
        described_by.append(f"{bound_field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if bound_field.field.required and bound_field.widget_type not in (
            "radioselect", "checkboxselectmultiple"):
        attrs["required"] = True
    return {"field": bound_field, "widget": bound_field.as_widget(attrs=attrs)}

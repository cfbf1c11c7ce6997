"""`{% field form.x %}`: a label, hint and error tied to the input for screen readers, the
input drawn as its NL Design System component (Utrecht's textbox, select, textarea)."""

from django import template

register = template.Library()

# widget_type -> Utrecht component classes; types not listed keep their own look (radio
# buttons and checkboxes in groups are styled through `utrecht-html`).
COMPONENT = {
    "select": "utrecht-select utrecht-select--html-select",
    "selectmultiple": "utrecht-select utrecht-select--html-select",
    "textarea": "utrecht-textarea utrecht-textarea--html-textarea",
    "checkbox": "utrecht-checkbox utrecht-checkbox--html-input",
}
TEXTBOX = "utrecht-textbox utrecht-textbox--html-input"
OWN_LOOK = {"radioselect", "checkboxselectmultiple", "file", "clearablefile", "hidden"}


def component_classes(bound_field) -> str:
    kind = bound_field.widget_type
    if kind in OWN_LOOK:
        return ""
    classes = COMPONENT.get(kind, TEXTBOX)
    if bound_field.errors and kind != "checkbox":
        classes += f" {classes.split()[0]}--invalid"
    return classes


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
    classes = " ".join(filter(None, [bound_field.field.widget.attrs.get("class", ""),
                                     attrs.get("class", ""), component_classes(bound_field)]))
    if classes:
        attrs["class"] = classes
    return {"field": bound_field, "widget": bound_field.as_widget(attrs=attrs)}

"""Render Django form fields as USWDS form groups with accessible errors and hints."""

from django import forms, template

register = template.Library()

_INPUT_CLASS = {
    forms.Textarea: "usa-textarea",
    forms.Select: "usa-select",
    # Native file inputs: the browser labels them in the user's language, while the USWDS
    # enhancement ("usa-file-input") hard-codes English text.
    forms.ClearableFileInput: "file-input",
    forms.FileInput: "file-input",
    forms.CheckboxInput: "usa-checkbox__input",
}


def _css_class(widget) -> str:
    for widget_type in type(widget).__mro__:
        if widget_type in _INPUT_CLASS:
            return _INPUT_CLASS[widget_type]
    return "usa-input"


@register.inclusion_tag("core/_field.html")
def field(bound_field, width: str = "", tile: bool = False):
    """A labelled field; `width` sets a USWDS input width (`md`, `lg`, `xl`...)."""
    widget = bound_field.field.widget
    errors = bound_field.errors
    described = []
    if bound_field.help_text:
        described.append(f"{bound_field.auto_id}-hint")
    if errors:
        described.append(f"{bound_field.auto_id}-error")
    kind = "input"
    # CheckboxSelectMultiple is a subclass of RadioSelect: test it first.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        kind = "checkboxes"
    elif isinstance(widget, forms.RadioSelect):
        kind = "radio"
    elif isinstance(widget, forms.CheckboxInput):
        kind = "checkbox"
    attrs = {}
    if kind in ("input", "checkbox"):
        css = _css_class(widget)
        if errors and css in ("usa-input", "usa-textarea", "usa-select"):
            css += " usa-input--error"
        if width and css == "usa-input":
            css += f" usa-input--{width}"
        existing = widget.attrs.get("class", "")
        attrs["class"] = f"{css} {existing}".strip()
        if described:
            attrs["aria-describedby"] = " ".join(described)
        if errors:
            attrs["aria-invalid"] = "true"
    return {
        "field": bound_field,
        "kind": kind,
        "widget_html": bound_field.as_widget(attrs=attrs) if kind in ("input", "checkbox") else "",
        "described": " ".join(described),
        "tile": tile,
    }


@register.inclusion_tag("core/_error_summary.html")
def error_summary(*forms_):
    """The list of a form's errors at the top of the page, each linking to its field."""
    items = []
    for form in forms_:
        if form is None or not form.is_bound:
            continue
        for error in form.non_field_errors():
            items.append({"anchor": "", "message": error})
        for bound in form:
            for error in bound.errors:
                items.append({"anchor": bound.auto_id, "label": bound.label, "message": error})
    return {"items": items}

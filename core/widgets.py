"""Form widgets of the project."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join


class LargeSelect(forms.Select):
    """A <select> of hundreds of options (a province's communes, grouped by district),
    written out in Python: Django renders each option through a template, which costs a
    few milliseconds on every page that shows the list. Same HTML, optgroups included."""

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        chosen = {str(v) for v in self.format_value(value)}

        def options(pairs):
            # " selected" has nothing to escape: plain text is safe to pass through format_html.
            rows = (
                ("" if v is None else v, " selected" if str(v) in chosen else "", label)
                for v, label in pairs
            )
            return format_html_join("\n", '<option value="{}"{}>{}</option>', rows)

        parts = []
        for group, label_or_options in self.choices:
            if isinstance(label_or_options, list | tuple):
                parts.append(
                    format_html(
                        '<optgroup label="{}">\n{}\n</optgroup>', group, options(label_or_options)
                    )
                )
            else:
                parts.append(options([(group, label_or_options)]))
        body = format_html_join("\n", "{}", ((part,) for part in parts))
        return format_html("<select{}>\n{}\n</select>", flatatt(final_attrs), body)

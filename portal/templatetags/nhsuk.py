"""Helpers for the NHS.UK theme's templates: form fields with NHS.UK markup, messages, heading case."""

import re

from django import template
from django.utils.safestring import SafeString

register = template.Library()

# What the browser may autofill, for fields whose widget does not say (allauth's widgets mostly
# do: email, current-password, new-password, one-time-code); a widget's own value always wins.
_AUTOCOMPLETE_BY_INPUT_TYPE = {"email": "email", "password": "current-password", "tel": "tel"}
_AUTOCOMPLETE_BY_NAME = {"code": "one-time-code", "email": "email"}
# Typed strings that a spell checker or capitaliser would only spoil.
_LITERAL_INPUT_TYPES = {"email", "password"}
_LITERAL_NAMES = {"code", "email", "login"}

_INPUT_CLASSES = {
    "input": ("nhsuk-input", "nhsuk-input--error"),
    "password": ("nhsuk-input nhsuk-password-input__input nhsuk-js-password-input-input", "nhsuk-input--error"),
    "textarea": ("nhsuk-textarea", "nhsuk-textarea--error"),
    "select": ("nhsuk-select", "nhsuk-select--error"),
    "checkbox": ("nhsuk-checkboxes__input", ""),
}


def _input_type(bound_field) -> str:
    widget = bound_field.field.widget
    return widget.attrs.get("type") or getattr(widget, "input_type", "") or ""


@register.filter
def nhsuk_field_kind(bound_field) -> str:
    """Which NHS.UK component renders this field: hidden, checkbox, radios, checkboxes, textarea, select,
    password or input."""
    if bound_field.is_hidden:
        return "hidden"
    widget_type = bound_field.widget_type
    if widget_type in {"checkbox", "textarea", "select"}:
        return widget_type
    if widget_type == "radioselect":
        return "radios"
    if widget_type == "checkboxselectmultiple":
        return "checkboxes"
    if _input_type(bound_field) == "password":
        return "password"
    return "input"


def widget_attrs(bound_field) -> dict:
    """The attributes NHS.UK frontend expects on this field's input, merged over the widget's own."""
    kind = nhsuk_field_kind(bound_field)
    own = bound_field.field.widget.attrs
    input_type = _input_type(bound_field)
    name = bound_field.name
    base_class, error_class = _INPUT_CLASSES.get(kind, _INPUT_CLASSES["input"])
    classes = [own.get("class", ""), base_class]
    if bound_field.errors:
        classes.append(error_class)
    if name == "code":
        classes.append("nhsuk-input--width-10")
    attrs = {"class": " ".join(c for c in classes if c)}
    # NHS.UK design: hints go above the input, never as placeholders that vanish when typing.
    if "placeholder" in own:
        attrs["placeholder"] = False
    if kind in {"input", "password"} and not own.get("autocomplete"):
        autocomplete = _AUTOCOMPLETE_BY_NAME.get(name) or _AUTOCOMPLETE_BY_INPUT_TYPE.get(input_type)
        if autocomplete:
            attrs["autocomplete"] = autocomplete
    if input_type in _LITERAL_INPUT_TYPES or name in _LITERAL_NAMES:
        attrs.update(spellcheck="false", autocapitalize="none")
    described_by = [
        f"{bound_field.auto_id}_helptext" if bound_field.help_text else "",
        f"{bound_field.auto_id}_error" if bound_field.errors else "",
    ]
    if any(described_by):
        attrs["aria-describedby"] = " ".join(d for d in described_by if d)
    return attrs


@register.simple_tag
def nhsuk_widget(bound_field) -> SafeString:
    """The field's input, select or textarea with NHS.UK classes and links to its hint and error."""
    return bound_field.as_widget(attrs=widget_attrs(bound_field))


def _first_input_id(bound_field) -> str:
    # A group of radios or checkboxes has no one input: the summary links to its first option.
    if nhsuk_field_kind(bound_field) in {"radios", "checkboxes"}:
        return f"{bound_field.auto_id}_0"
    return bound_field.id_for_label


@register.simple_tag
def nhsuk_error_summary_items(form) -> list[dict]:
    """One entry per error message, each linking to the input it is about (hidden inputs get no link).

    Errors about the whole form (wrong email or password) link to its first visible input.
    """
    visible = form.visible_fields()
    first_id = f"#{_first_input_id(visible[0])}" if visible else None
    items = [{"href": first_id, "message": message} for message in form.non_field_errors()]
    for bound_field in form:
        href = None if bound_field.is_hidden else f"#{_first_input_id(bound_field)}"
        items.extend({"href": href, "message": message} for message in bound_field.errors)
    return items


_TITLE_CASE_WORD = re.compile(r"\b([A-Z])([a-z]+)\b")


@register.filter(is_safe=True)
def sentence_case(text):
    """'Activate Authenticator App' -> 'Activate authenticator app', as NHS.UK writes headings.

    Only capitalised words after the first are lowered: acronyms (MFA) and mixed-case names
    (WebAuthn) are kept. Text holding markup is left alone so links and attributes stay intact.
    """
    text = str(text).strip()
    if "<" in text or not text:
        return text
    return text[0] + _TITLE_CASE_WORD.sub(lambda m: m.group(1).lower() + m.group(2), text[1:])


@register.simple_tag
def messages_all_success(messages) -> bool:
    """Whether every message is good news, so one green "Success" banner can carry them all."""
    return all(message.level_tag == "success" for message in messages)


@register.filter
def nhsuk_button_classes(tags) -> str:
    """NHS.UK button classes for allauth's button tags.

    danger is a warning (red) button, secondary and outline a secondary one, tool and minor a
    small one; link is a button that reads as a link (Cancel).
    """
    tags = tags or ()
    if "link" in tags:
        return "portal-button-link"
    classes = ["nhsuk-button"]
    if "danger" in tags:
        classes.append("nhsuk-button--warning")
    elif "secondary" in tags or "outline" in tags:
        classes.append("nhsuk-button--secondary")
    if "tool" in tags or "minor" in tags:
        classes.append("nhsuk-button--small")
    return " ".join(classes)

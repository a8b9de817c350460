"""Numbers as people type and read them, in the language of the page (issue 34, major 3).

Every number field of the portal is a text input (a phone's number pad through `inputmode`) that shows its
value with the separators of the active language ("1.234,50" in Italian, "1,234.50" in English) and takes
back what it shows, or what people commonly type instead ("1234,5", "1234.5", "€ 1.234,50"). A browser's
`type="number"` input cannot do this: it shows nothing when the value carries a comma.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.formats import get_format, number_format


def parse_number(value: str, *, decimal_separator: str = ",", thousand_separator: str = ".") -> str:
    """A number as people type it ("€ 18.500,00", "18500,5", "18.500") turned into "18500.00"-style text
    for Decimal, in the given locale's separators. Grouping is only removed where it is unambiguous: a
    separator followed by groups of exactly three digits. A single other separator is a decimal point
    ("42.02" in Italian, "42,02" in English). Anything else is returned for Decimal to refuse."""
    text = "".join((value or "").replace("€", " ").replace("\u00a0", " ").replace("\u202f", " ").split())
    if not text:
        return text
    grouped = rf"[-+]?\d{{1,3}}(?:{re.escape(thousand_separator)}\d{{3}})+"
    if decimal_separator in text:
        whole, _, decimals = text.rpartition(decimal_separator)
        if thousand_separator in whole and re.fullmatch(grouped, whole):
            whole = whole.replace(thousand_separator, "")
        return f"{whole}.{decimals}"
    if thousand_separator in text and re.fullmatch(grouped, text):
        return text.replace(thousand_separator, "")
    return text.replace(thousand_separator, ".") if text.count(thousand_separator) == 1 else text


_PLAIN = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)")


def parse_localized(value: str) -> str:
    """parse_number with the separators of the active language."""
    return parse_number(value, decimal_separator=get_format("DECIMAL_SEPARATOR"),
                        thousand_separator=get_format("THOUSAND_SEPARATOR"))


class LocalizedNumberInput(forms.TextInput):
    """A number shown with grouping in the user's language ("18.500,00"), typed on a phone's number pad.
    decimal_places: the decimals always shown (None: as the value has them)."""

    def __init__(self, attrs=None, *, decimal_places: int | None = None):
        self.decimal_places = decimal_places
        mode = "numeric" if decimal_places == 0 else "decimal"
        super().__init__({"inputmode": mode, "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, (Decimal, int, float)) and not isinstance(value, bool):
            return number_format(value, decimal_pos=self.decimal_places, use_l10n=True, force_grouping=True)
        return super().format_value(value)


class LocalizedDecimalField(forms.DecimalField):
    """A DecimalField that shows and takes numbers in the user's language (see the module's docstring)."""

    def __init__(self, *, max_digits=None, decimal_places=None, **kwargs):
        kwargs.setdefault("widget", LocalizedNumberInput(decimal_places=decimal_places))
        super().__init__(max_digits=max_digits, decimal_places=decimal_places, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = parse_localized(value)
            if value == "":
                return None
            if not _PLAIN.fullmatch(value):  # no exponents, no "NaN": a number as people write it
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            try:
                value = Decimal(value)
            except InvalidOperation:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
            return value
        return super().to_python(value)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        for name in ("step", "min", "max"):  # a text input: no spinner, no browser-side number format
            attrs.pop(name, None)
        return attrs


class LocalizedIntegerField(forms.IntegerField):
    """An IntegerField that shows "1.234" in Italian and "1,234" in English, and takes either back."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", LocalizedNumberInput(decimal_places=0))
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = parse_localized(value)
            if value and not _PLAIN.fullmatch(value):
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        for name in ("step", "min", "max"):
            attrs.pop(name, None)
        return attrs

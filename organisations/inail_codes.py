"""The formats of INAIL's numbers as the portal checks them (pure, no Django models).

- PAT (posizione assicurativa territoriale): INAIL prints it as an 8-digit number followed by 2 check
  digits ("12345678/90" on the rate notice); companies often copy only the 8 digits. The portal accepts
  8 digits, or 8 + 2 (written together, or with "/", "-" or a space before the check digits), and keeps
  the digits only.
- Codice ditta: the number INAIL gives the employer at registration, 1 to 9 digits (spaces ignored).
"""
from __future__ import annotations

import re

from ot24portal.numbers import parse_number

_PAT = re.compile(r"^(\d{8})(?:[/\- ]?(\d{2}))?$")
_CODICE_DITTA = re.compile(r"^\d{1,9}$")


def normalise_pat(value: str) -> str | None:
    """The PAT as stored (8 or 10 digits), or None when it is not a PAT number."""
    match = _PAT.match((value or "").strip())
    if not match:
        return None
    return match.group(1) + (match.group(2) or "")


def printed_pat(number: str) -> str:
    """The PAT as INAIL prints it: "12345678/90", or the 8 digits alone when the check digits are unknown.
    Anything else (a snapshot's older text, an empty value) is returned as it is."""
    text = number or ""
    return f"{text[:8]}/{text[8:]}" if len(text) == 10 and text.isdigit() else text


def matching_pat(value: str, numbers) -> str | None:
    """Which of the stored PAT `numbers` a typed PAT means (normalise_pat: "12345678/90", "12345678-90",
    "1234567890" or "12345678"), or None. Written with its check digits it matches the same 10 digits, or
    the 8 digits stored alone; written as 8 digits it matches the one stored PAT that starts with them."""
    number = normalise_pat(value)
    if number is None:
        return None
    numbers = set(numbers)
    if number in numbers:
        return number
    candidates = [n for n in numbers if n[:8] == number[:8] and (len(n) == 8 or len(number) == 8)]
    return candidates[0] if len(candidates) == 1 else None


def normalise_codice_ditta(value: str) -> str | None:
    text = "".join((value or "").split())
    return text if _CODICE_DITTA.match(text) else None


def parse_amount(value: str, *, decimal_separator: str = ",", thousand_separator: str = ".") -> str:
    """An amount as people type it ("€ 18.500,00", "18500,5", "18.500") turned into "18500.00"-style text
    for Decimal (ot24portal.numbers.parse_number, the portal's one number parser)."""
    return parse_number(value, decimal_separator=decimal_separator, thousand_separator=thousand_separator)

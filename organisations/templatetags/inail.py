"""INAIL's numbers as INAIL prints them, for every template (pages, e-mails, PDFs): `{{ number|pat }}`."""
from django import template

from organisations.inail_codes import printed_pat

register = template.Library()


@register.filter
def pat(number) -> str:
    """A PAT number (8 or 10 digits, as stored or frozen in a snapshot) as "12345678/90"."""
    return printed_pat("" if number is None else str(number))

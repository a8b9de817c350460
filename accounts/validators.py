"""Validators for Italian identifiers, built on python-stdnum, with Italian messages, and the one form in
which codici fiscali and partite IVA are stored and compared (compact_fiscal_code)."""
import unicodedata

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.it import codicefiscale, iva
from stdnum.util import isdigits


def compact_fiscal_code(value) -> str:
    """The stored and compared form of a codice fiscale or a partita IVA: NFKC first (full-width letters and
    digits fold to ASCII), then python-stdnum's compact (no spaces or separators, upper case), and the
    VAT prefix "IT" dropped before 11 digits. Every spelling of one number gives the same text, so that
    a company cannot be registered twice as "IT" + its number or in full-width digits (issue 28)."""
    value = unicodedata.normalize("NFKC", str(value or ""))
    value = codicefiscale.compact("".join(value.split()))
    if len(value) == 13 and value.startswith("IT") and isdigits(value[2:]):
        value = value[2:]
    return value


def validate_codice_fiscale_persona(value: str) -> None:
    """A natural person's codice fiscale (16 characters). The message is the portal's own, in Italian:
    python-stdnum's English text never reaches the user."""
    try:
        codicefiscale.validate(compact_fiscal_code(value))
    except InvalidLength as exc:
        raise ValidationError(_("Codice fiscale non valido: servono 16 caratteri."), code="length") from exc
    except InvalidChecksum as exc:
        raise ValidationError(_("Codice fiscale non valido: il carattere di controllo (l'ultimo) non corrisponde."),
                              code="checksum") from exc
    except (InvalidFormat, InvalidComponent) as exc:
        raise ValidationError(_("Codice fiscale non valido: controlla lettere e cifre (es. RSSMRA70E17H501S)."),
                              code="format") from exc
    except StdnumError as exc:
        raise ValidationError(_("Codice fiscale non valido."), code="invalid") from exc


def validate_codice_fiscale_azienda(value: str) -> None:
    """A company's codice fiscale: 11 digits (same as a partita IVA) or 16 characters for a sole trader."""
    compact = compact_fiscal_code(value)
    try:
        if len(compact) == 11:
            iva.validate(compact)
        else:
            codicefiscale.validate(compact)
    except StdnumError as exc:
        raise ValidationError(_("Codice fiscale non valido: controllare lunghezza e cifra di controllo.")) from exc


def validate_partita_iva(value: str) -> None:
    try:
        iva.validate(compact_fiscal_code(value))
    except StdnumError as exc:
        raise ValidationError(_("Partita IVA non valida: servono 11 cifre con la cifra di controllo corretta.")) from exc


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's, with the portal's own message: Django 5.2's Italian catalogue lacks the message it shows
    for a short password, which then appeared in English on the Italian sign-up page (issue 34)."""

    def get_error_message(self):
        return ngettext("La password è troppo corta: deve contenere almeno %(min_length)d carattere.",
                        "La password è troppo corta: deve contenere almeno %(min_length)d caratteri.",
                        self.min_length) % {"min_length": self.min_length}

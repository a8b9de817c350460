"""The one canonical form of an e-mail address. Every address the portal stores is canonical, and every
lookup (sign-up's uniqueness check, log-in, the lock-out counter, password reset, e-mail change,
invitations) canonicalises what was typed and compares exactly: never `iexact`, whose folding differs
between databases (PostgreSQL's UPPER() turns the dotless `ı` into `I`).

canonical_email(raw), in this order:
1. surrounding white space is dropped and the text is put in Unicode NFKC (full-width letters, the
   Kelvin sign and the long s become the ASCII letters they stand for);
2. the address is split at its only `@`;
3. the local part must then be plain ASCII (what Django's validator allows anyway, except for the four
   letters `ı`, `İ`, `ſ` and `K` that its case-insensitive pattern lets through) and is lower-cased:
   the portal treats `Mario@` and `mario@` as one person, as every mail provider it meets does;
4. the domain is written in its IDNA form (UTS 46 mapping, IDNA 2008, the `idna` package): lower-case
   ASCII, an internationalised name as its `xn--` A-label (`caffè.it` -> `xn--caff-8oa.it`);
5. the domain must contain no character that is a look-alike of an ASCII one (Unicode's confusables,
   through the `confusable-homoglyphs` package): Cyrillic `а`, Greek `ο`, the dotless `ı` and so on.
   Accented letters (`è`, `ü`) are not look-alikes and stay allowed;
6. the whole must pass Django's EmailValidator and fit 254 characters (the column's width).

So two stored addresses can never differ by confusable characters alone: the only characters that set
them apart are ASCII letters, digits and signs, and non-ASCII domain letters that look like no ASCII one.
Look-alikes within ASCII (`rn` and `m`, `0` and `o`) are different addresses anybody can type and are
not refused: refusing them would mean telling a stranger which addresses exist.
"""
from __future__ import annotations

import unicodedata

import idna
from confusable_homoglyphs import confusables
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

MAX_LENGTH = 254

MESSAGES = {
    "invalid": _("Inserisci un indirizzo e-mail valido."),
    "local_part": _("La parte prima di @ può contenere solo lettere senza accenti, cifre e segni come . _ - +: "
                    "controlla di non aver scritto caratteri speciali (per esempio la «ı» senza puntino)."),
    "confusable": _("Il dominio (la parte dopo @) contiene caratteri che si confondono con lettere latine "
                    "(per esempio la «а» cirillica o la «ı» senza puntino): scrivilo con le lettere normali."),
}


class AddressError(ValueError):
    """Raised by canonical_email(); `code` is one of MESSAGES' keys."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code

    @property
    def message(self):
        return MESSAGES[self.code]

    def as_validation_error(self) -> ValidationError:
        return ValidationError(self.message, code=f"email_{self.code}")


def canonical_email(raw) -> str:
    """The canonical form of `raw` (see the module's docstring); AddressError if it has none."""
    if not isinstance(raw, str) or "\x00" in raw or len(raw) > 4 * MAX_LENGTH:
        raise AddressError("invalid")
    text = unicodedata.normalize("NFKC", raw.strip())
    local, at, domain = text.rpartition("@")
    if not at or not local or not domain or "@" in local:
        raise AddressError("invalid")
    if not local.isascii():
        raise AddressError("local_part")
    try:
        ascii_domain = idna.encode(domain, uts46=True).decode("ascii").lower()
        unicode_domain = idna.decode(ascii_domain)
    except (idna.IDNAError, UnicodeError, ValueError):
        raise AddressError("invalid") from None
    if _has_ascii_look_alikes(unicode_domain):
        raise AddressError("confusable")
    address = f"{local.lower()}@{ascii_domain}"
    if len(address) > MAX_LENGTH:
        raise AddressError("invalid")
    try:
        validate_email(address)
    except ValidationError:
        raise AddressError("invalid") from None
    return address


def canonical_email_or_none(raw) -> str | None:
    """canonical_email(raw), or None where there is none: for lookups, which then find nobody."""
    try:
        return canonical_email(raw)
    except AddressError:
        return None


def _has_ascii_look_alikes(text: str) -> bool:
    non_ascii = "".join(sorted({c for c in text if not c.isascii()}))
    if not non_ascii:
        return False
    found = confusables.is_confusable(non_ascii, greedy=True, preferred_aliases=[]) or []
    return any(glyph["c"].isascii() for entry in found for glyph in entry["homoglyphs"])


def canonicalise_stored_addresses(User, EmailAddress) -> list[str]:
    """Rewrite stored addresses in their canonical form (accounts migration 0004; the models may be the
    historical ones). A row without a canonical form (a look-alike), or whose canonical form another row
    already holds, keeps its spelling: no lookup finds it any more, and it is returned to be reported."""
    left = []
    taken = set(User.objects.values_list("email", flat=True))
    for pk, email in User.objects.order_by("pk").values_list("pk", "email"):
        canonical = canonical_email_or_none(email)
        if canonical == email:
            continue
        if canonical is None or canonical in taken:
            left.append(email)
            continue
        User.objects.filter(pk=pk).update(email=canonical)
        taken.discard(email)
        taken.add(canonical)
    for address in EmailAddress.objects.order_by("pk"):
        canonical = canonical_email_or_none(address.email)
        if canonical is None or canonical == address.email:
            continue
        clash = EmailAddress.objects.filter(email=canonical).exclude(pk=address.pk)
        if not clash.filter(user_id=address.user_id).exists() and not (address.verified and clash.filter(
                verified=True).exists()):
            EmailAddress.objects.filter(pk=address.pk).update(email=canonical)
    return left

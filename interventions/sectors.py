"""The 14 productive sectors of section D and the INAIL tariff "grande gruppo" mapping.

Pure data and functions: no ORM here. The sectors' names are translatable (shown in the reader's language).
"""
from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

SECTORS: dict[str, Promise] = {
    "costruzioni": pgettext_lazy("settore", "Costruzioni"),
    "trasporti": pgettext_lazy("settore", "Trasporti"),
    "energia": pgettext_lazy("settore", "Energia"),
    "comunicazioni": pgettext_lazy("settore", "Comunicazioni"),
    "alimenti": pgettext_lazy("settore", "Alimenti"),
    "mineraria": pgettext_lazy("settore", "Mineraria"),
    "ceramica": pgettext_lazy("settore", "Ceramica"),
    "vetro": pgettext_lazy("settore", "Vetro"),
    "legno": pgettext_lazy("settore", "Legno"),
    "metallurgia": pgettext_lazy("settore", "Metallurgia"),
    "metalmeccanica": pgettext_lazy("settore", "Metalmeccanica"),
    "chimica": pgettext_lazy("settore", "Chimica"),
    "tessile": pgettext_lazy("settore", "Tessile"),
    "altri": pgettext_lazy("settore", "Altri settori"),
}
SECTOR_KEYS: tuple[str, ...] = tuple(SECTORS)
SECTOR_CHOICES: list[tuple[str, Promise]] = list(SECTORS.items())

# First digit of a PAT's voce di tariffa (the tariff "grande gruppo") -> candidate sectors.
GRANDE_GRUPPO_SECTORS: dict[str, tuple[str, ...]] = {
    "1": ("alimenti",),
    "2": ("chimica",),
    "3": ("costruzioni",),
    "4": ("energia", "comunicazioni"),
    "5": ("legno",),
    "6": ("metallurgia", "metalmeccanica"),
    "7": ("mineraria", "ceramica", "vetro"),
    "8": ("tessile",),
    "9": ("trasporti",),
    "0": ("altri",),
}


class UnknownSectorError(ValueError):
    pass


def check_sector(key: str) -> str:
    if key not in SECTORS:
        raise UnknownSectorError(
            f"Settore sconosciuto: {key!r}. Valori ammessi: {', '.join(SECTOR_KEYS)}."
        )
    return key


def candidate_sectors(voce_di_tariffa: str) -> tuple[str, ...]:
    """The sectors a voce di tariffa may belong to, from its first digit; () when it is not a number."""
    voce = (voce_di_tariffa or "").strip()
    if not voce or not voce[0].isdigit():
        return ()
    return GRANDE_GRUPPO_SECTORS[voce[0]]


def suggest_sector(voci_di_tariffa: list[str]) -> str | None:
    """The sector suggested for a site from its PATs' voci di tariffa: the first candidate of the
    most frequent grande gruppo (ties go to the first voce given). None when nothing can be said."""
    counts: dict[tuple[str, ...], int] = {}
    for voce in voci_di_tariffa:
        candidates = candidate_sectors(voce)
        if candidates:
            counts[candidates] = counts.get(candidates, 0) + 1
    if not counts:
        return None
    best = max(counts.items(), key=lambda kv: kv[1])[0]
    return best[0]

"""Date dentro le frasi: «il 10 marzo», ma «l'8 marzo» e «dall'11 aprile» (elisione davanti a vocale)."""

from __future__ import annotations

import datetime as dt

from cer_docs.italiano import data_lunga, numero_in_lettere

__all__ = ["con_data"]

_ELISIONI = {"il": "l'", "dal": "dall'", "del": "dell'", "al": "all'", "nel": "nell'"}


def con_data(preposizione: str, d: dt.date) -> str:
    """``con_data("dal", date(2026, 5, 8))`` → ``"dall'8 maggio 2026"``; il primo del mese non elide («il 1°»)."""
    testo = data_lunga(d)
    if d.day != 1 and numero_in_lettere(d.day)[0] in "aeiou" and preposizione in _ELISIONI:
        return f"{_ELISIONI[preposizione]}{testo}"
    return f"{preposizione} {testo}"

"""Testo per la fattura elettronica e confronti tolleranti.

* ``latin1``: i campi testo della FatturaPA ammettono solo Basic Latin e Latin-1 Supplement
  (``String200LatinType`` e simili): apostrofi e virgolette tipografiche, trattini lunghi e
  l'euro vanno sostituiti prima di scrivere il file, altrimenti SdI lo scarta
  (ecosistema.md §5.2 e §8 n. 18).
* ``spezza``: la ``Causale`` è ripetibile ma ogni occorrenza ha al massimo 200 caratteri.
* ``compatto``: la forma usata per cercare una dicitura o un codice in un testo, che ignora
  maiuscole, accenti, spazi e punteggiatura (``M2.C2.- I1.2`` = ``M2C2 I1.2``).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["LUNGHEZZA_CAUSALE", "compatto", "contiene", "latin1", "spezza"]

# Lunghezza massima di una Causale (tracciato FatturaPA, String200LatinType): limite tecnico del formato.
LUNGHEZZA_CAUSALE = 200

_SOSTITUZIONI = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u20ac": "EUR", "\u2026": "...", "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ",
    "\t": " ", "\r": " ", "\n": " ",
}


def latin1(testo: str) -> str:
    """Testo ammesso dai campi della FatturaPA: ``’ – € …`` → ``' - EUR ...``; resto fuori da Latin-1 senza accenti."""
    t = unicodedata.normalize("NFC", testo)
    t = "".join(_SOSTITUZIONI.get(c, c) for c in t)
    out = []
    for c in t:
        if ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0:
            continue  # caratteri di controllo: mai in un campo testo
        if ord(c) <= 0xFF:
            out.append(c)
            continue
        base = unicodedata.normalize("NFKD", c)
        base = "".join(b for b in base if ord(b) <= 0xFF and not unicodedata.combining(b))
        out.append(base or "?")
    return re.sub(r" {2,}", " ", "".join(out)).strip()


def spezza(testo: str, lunghezza: int = LUNGHEZZA_CAUSALE) -> list[str]:
    """Divide il testo in pezzi di al massimo ``lunghezza`` caratteri, tagliando tra le parole."""
    parole = testo.split()
    pezzi: list[str] = []
    corrente = ""
    for p in parole:
        while len(p) > lunghezza:  # una "parola" più lunga del limite si taglia comunque
            if corrente:
                pezzi.append(corrente)
                corrente = ""
            pezzi.append(p[:lunghezza])
            p = p[lunghezza:]
        candidato = f"{corrente} {p}" if corrente else p
        if len(candidato) <= lunghezza:
            corrente = candidato
        else:
            pezzi.append(corrente)
            corrente = p
    if corrente:
        pezzi.append(corrente)
    return pezzi


def compatto(testo: str | None) -> str:
    """Solo lettere e cifre, minuscole e senza accenti: la forma per i confronti tolleranti."""
    if not testo:
        return ""
    t = unicodedata.normalize("NFKD", testo)
    t = "".join(c for c in t if not unicodedata.combining(c))
    return re.sub(r"[^0-9a-z]", "", t.casefold())


def contiene(testo: str | None, cercato: str | None) -> bool:
    c = compatto(cercato)
    return bool(c) and c in compatto(testo)

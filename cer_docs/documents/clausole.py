"""La libreria delle clausole (``templates/clausole/``): ogni clausola una volta sola.

Un file per clausola, ``<id>.j2``, con un'intestazione YAML tra due righe ``---``::

    ---
    id: scopo_prevalente
    titolo: Scopo prevalente della Comunità
    fonti:
      - {fonte: dlgs-199-2021, articolo: "art. 31 c. 1 lett. a"}
    usata_in: [statuto, atto_costitutivo]
    elemento_essenziale: a        # solo per lo statuto: lettera a–g che la clausola soddisfa
    condizione: pnrr_presente     # facoltativa: flag che deve essere vero
    ---
    Testo del primo paragrafo, che può andare a capo
    su più righe del file.

    Secondo paragrafo.
    -) voce di elenco con lettera (la lettera la assegna il motore)
    - voce di elenco puntato

Regole del corpo (le controlla ``tests/documents/test_salute_modelli.py``):

* solo ``{{ campo }}``, ``{% if flag %}`` (anche ``not``/``and``/``or``) e
  ``{% for x in elenco_preparato %}``: niente aritmetica, confronti, filtri o numeri;
* una riga vuota separa i paragrafi; le righe consecutive formano un paragrafo;
* ``-)`` apre una voce con lettera, ``- `` una voce puntata, ``= `` un paragrafo
  centrato, ``>> `` uno allineato a destra, ``> `` un paragrafo senza numero di comma.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from cer_docs import risorse
from cer_docs.rules.base import con_memo
from cer_docs.rules.base import fonte as _fonte

# il caricatore sicuro scritto in C (libyaml) legge la libreria delle clausole ~10 volte più in fretta
_CARICATORE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

TEMPLATES_DIR = risorse.cartella("templates")
CLAUSOLE_DIR = TEMPLATES_DIR / "clausole"

ELEMENTI_AMMESSI = ("a", "b", "c", "d", "e", "f", "g")


class ErroreLibreria(ValueError):
    """Una clausola o una specifica scritta male: errore di chi mantiene i modelli."""


@dataclass(frozen=True)
class RiferimentoClausola:
    fonte: str
    articolo: str | None = None

    def testo(self) -> str:
        f = _fonte(self.fonte)
        return f"{f.breve}, {self.articolo}" if self.articolo else f.breve


@dataclass(frozen=True)
class Clausola:
    id: str
    titolo: str
    corpo: str
    percorso: Path
    fonti: tuple[RiferimentoClausola, ...] = ()
    usata_in: tuple[str, ...] = ()
    elemento_essenziale: str | None = None
    condizione: str | None = None
    note: str | None = field(default=None, compare=False)


def _leggi_clausola(path: Path) -> Clausola:
    testo = path.read_text(encoding="utf-8")
    if not testo.startswith("---\n"):
        raise ErroreLibreria(f"{path}: manca l'intestazione YAML tra righe '---'")
    try:
        _, testa, corpo = testo.split("---\n", 2)
    except ValueError:
        raise ErroreLibreria(f"{path}: l'intestazione YAML non è chiusa da una riga '---'") from None
    meta = con_memo("yaml-clausola", testa, lambda: yaml.load(testa, Loader=_CARICATORE)) or {}  # noqa: S506
    noti = {"id", "titolo", "fonti", "usata_in", "elemento_essenziale", "condizione", "note"}
    ignoti = set(meta) - noti
    if ignoti:
        raise ErroreLibreria(f"{path}: campi non previsti nell'intestazione: {sorted(ignoti)}")
    cid = meta.get("id")
    if cid != path.stem:
        raise ErroreLibreria(f"{path}: l'id '{cid}' deve coincidere con il nome del file")
    el = meta.get("elemento_essenziale")
    if el is not None and el not in ELEMENTI_AMMESSI:
        raise ErroreLibreria(f"{path}: elemento_essenziale '{el}' non è una lettera tra a e g")
    fonti = tuple(
        RiferimentoClausola(fonte=str(f["fonte"]), articolo=f.get("articolo")) for f in (meta.get("fonti") or [])
    )
    return Clausola(
        id=cid, titolo=str(meta.get("titolo") or cid), corpo=corpo.strip("\n") + "\n", percorso=path,
        fonti=fonti, usata_in=tuple(meta.get("usata_in") or ()), elemento_essenziale=el,
        condizione=meta.get("condizione"), note=meta.get("note"),
    )


@lru_cache(maxsize=4)
def carica_clausole(cartella: Path = CLAUSOLE_DIR) -> dict[str, Clausola]:
    """Tutte le clausole della libreria, per id (le sottocartelle servono solo all'ordine)."""
    out: dict[str, Clausola] = {}
    for p in sorted(Path(cartella).rglob("*.j2")):
        c = _leggi_clausola(p)
        if c.id in out:
            raise ErroreLibreria(f"la clausola '{c.id}' esiste due volte: {out[c.id].percorso} e {p}")
        out[c.id] = c
    return out

"""Memo della libreria tra un processo e l'altro: ciò che ogni processo ricaverebbe di nuovo dagli stessi file.

Ogni ``cer-docs genera`` legge le intestazioni YAML di ~200 clausole, ~130 file di parametri e fonti
e l'albero di Jinja di ~170 modelli: ~0,1 s di CPU per ricavare sempre gli stessi dati dagli stessi
testi. Il memo li ricorda in una voce della cache dei documenti (``documents/cache.py``: scrittura
atomica, cifrata se la cifratura a riposo è attiva), in ``marshal`` (solo dati: niente ``pickle``).

Correttezza: la chiave di ogni dato è l'impronta SHA-256 del **testo** da cui si ricava (non la data
del file), quindi un modello o un parametro cambiato non trova mai il dato vecchio; la voce intera
vale solo per lo stesso codice che ricava i dati (questo modulo, ``motore.py``, ``clausole.py``,
``rules/base.py``) e le stesse versioni di Python, PyYAML (e libyaml) e Jinja. Un dato che manca o
che non si legge si ricava come prima. Il memo è attivo solo durante una generazione
(``services/documenti.genera``), che lo salva alla fine se ha imparato qualcosa.
"""

from __future__ import annotations

import hashlib
import marshal
import sys
from pathlib import Path

_CODICE = ("documents/memo.py", "documents/motore.py", "documents/clausole.py", "documents/specifiche.py",
           "rules/base.py")


def _versione() -> str:
    import importlib.util

    import yaml

    pacchetto = Path(__file__).resolve().parents[1]
    h = hashlib.sha256(b"cer-docs/memo-libreria@1\0")
    h.update(f"python={sys.version_info[:3]} marshal={marshal.version} yaml={yaml.__version__} "
             f"libyaml={getattr(yaml, '__with_libyaml__', False)}\0".encode())
    # la versione di Jinja senza importarlo (il motore lo carica solo se serve): il suo __init__.py
    spec = importlib.util.find_spec("jinja2")
    try:
        h.update(b"jinja2\0" + Path(spec.origin).read_bytes() + b"\0")  # type: ignore[union-attr, arg-type]
    except (AttributeError, TypeError, OSError):
        h.update(b"jinja2\0assente\0")
    for nome in _CODICE:
        try:
            h.update(nome.encode() + b"\0" + (pacchetto / nome).read_bytes() + b"\0")
        except OSError:
            h.update(nome.encode() + b"\0assente\0")
    return h.hexdigest()


def chiave(spazio: str, testo: str) -> bytes:
    return spazio.encode() + b"\0" + hashlib.sha256(testo.encode("utf-8", "surrogatepass")).digest()


class MemoLibreria:
    """Dati ricavati (in byte di ``marshal``) per spazio e impronta del testo."""

    def __init__(self, voci: dict | None = None, cache=None, chiave_voce: str | None = None) -> None:
        self.voci: dict = voci if isinstance(voci, dict) else {}
        self.cache = cache
        self.chiave_voce = chiave_voce
        self.nuove = 0
        self.riusi = 0

    def dati(self, spazio: str, testo: str) -> bytes | None:
        d = self.voci.get(chiave(spazio, testo))
        if isinstance(d, bytes):
            self.riusi += 1
            return d
        return None

    def ricorda(self, spazio: str, testo: str, dati: bytes) -> None:
        self.voci[chiave(spazio, testo)] = dati
        self.nuove += 1

    def salva(self) -> None:
        if self.nuove and self.cache is not None and self.chiave_voce is not None:
            self.cache.scrivi(self.chiave_voce, marshal.dumps(self.voci), None)
            self.nuove = 0


def _installa(memo: MemoLibreria | None) -> None:
    from cer_docs.documents import motore
    from cer_docs.rules import base

    motore._memo = memo
    base._memo = memo


FILE_PRONTO = Path(__file__).with_name("memo_libreria.bin")
"""Il memo della libreria del pacchetto, pronto (come il bytecode): serve già alla prima generazione,
con la cache vuota. Vale solo per la stessa ``_versione()``; si rigenera con
``UPDATE_MEMO=1 pytest tests/documents/test_memo_libreria.py -k pronto``."""


def _pronto(versione: str) -> dict | None:
    try:
        dati = marshal.loads(FILE_PRONTO.read_bytes())
    except Exception:  # manca o è guasto: si ricava tutto come prima
        return None
    if isinstance(dati, dict) and dati.get("versione") == versione and isinstance(dati.get("voci"), dict):
        return dati["voci"]
    return None


def apri(cache) -> MemoLibreria:
    """Il memo dalla cache, o quello pronto del pacchetto, attivo da ora fino a :func:`chiudi`. Senza
    cache si usa quello pronto e non si salva nulla."""
    k = _versione()
    voci = None
    voce = cache.leggi(k) if cache is not None else None
    if voce is not None:
        try:
            voci = marshal.loads(voce.dati)
        except Exception:  # voce guasta: si ricava tutto come prima
            voci = None
    if not isinstance(voci, dict):
        voci = _pronto(k)
    memo = MemoLibreria(voci, cache, k)
    _installa(memo)
    return memo


def scrivi_pronto(voci: dict, destinazione: Path = FILE_PRONTO) -> None:
    """Scrive il memo pronto del pacchetto (voci in ordine: lo stesso file per gli stessi dati)."""
    destinazione.write_bytes(marshal.dumps({"versione": _versione(), "voci": dict(sorted(voci.items()))}))


def chiudi(memo: MemoLibreria | None, salva: bool = True) -> None:
    """Spegne il memo e, se ha imparato dati nuovi, lo salva."""
    _installa(None)
    if memo is not None and salva:
        memo.salva()

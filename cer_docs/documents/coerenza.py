"""Controlli sul testo modificato dall'avvocato, ognuno legato alla clausola a cui si riferisce.

1. **Elementi essenziali** (solo statuto): la verifica per concetti di ``verifica_statuto`` sul
   file modificato; un elemento mancante indica le clausole che nel testo generato lo
   contenevano (dall'intestazione della libreria, ``elemento_essenziale``) e che cosa ne è
   stato (cancellate o cambiate); un elemento presente indica dove lo si trova.
2. **Coerenza con i dati della pratica**: ogni dato (denominazione, sede, forma giuridica,
   percentuali del riparto, soglie, soggetti, POD, date) che il testo generato riporta in una
   clausola deve trovarsi ancora in quella clausola del file modificato. Quali dati controllare
   lo decide chi chiama (``Dato``); dove stanno lo dice il testo appena generato.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .clausole import carica_clausole
from .confronto import Unita, unita
from .lettura_docx import DocumentoLetto, leggi_documento
from .verifica_statuto import normalizza, verifica_file


@dataclass(frozen=True)
class Dato:
    """Un dato della pratica da ritrovare nel testo: «Denominazione» = «CER Colline…»."""

    etichetta: str
    valore: str
    percorso: str = ""            # dove sta nella pratica (``comunita.sede.indirizzo``)


@dataclass
class RilievoTesto:
    codice: str
    gravita: str                 # errore | avviso | info
    messaggio: str
    clausola: str | None = None  # id della clausola
    segnalibro: str | None = None
    articolo: str | None = None  # «Art. 12 – Recesso» nel file modificato (o nel generato, se tolta)
    riferimento: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"codice": self.codice, "gravita": self.gravita, "messaggio": self.messaggio,
                "clausola": self.clausola, "segnalibro": self.segnalibro, "articolo": self.articolo,
                "riferimento": self.riferimento}


def _articoli(us: list[Unita]) -> dict[str, str]:
    """Per ogni unità, il titolo dell'articolo in cui sta («Art. 12 – Recesso»)."""
    out, corrente = {}, None
    for u in us:
        if u.tipo == "articolo":
            corrente = u.testo.split("\n")[0]
        out[u.chiave] = corrente
    return out


def _dove(cl: str | None, art: str | None) -> str:
    if art and cl:
        return f"{art} (clausola {cl})"
    return art or (f"clausola {cl}" if cl else "testo")


def verifica_elementi(modificato: bytes, al: dt.date, generato: bytes | None = None) -> list[RilievoTesto]:
    """Gli elementi essenziali (a–g) nello statuto modificato, ciascuno legato a una clausola."""
    with tempfile.TemporaryDirectory(prefix="cerdocs-rev-") as t:
        f = Path(t) / "statuto.docx"
        f.write_bytes(modificato)
        esito = verifica_file(f, al)
    lm = leggi_documento(modificato)
    um = [u for u in unita(lm) if u.tipo != "testo"]
    art_m = _articoli(unita(lm))
    ug: list[Unita] = []
    art_g: dict[str, str] = {}
    if generato is not None:
        tutte_g = unita(leggi_documento(generato))
        ug = [u for u in tutte_g if u.tipo == "clausola"]
        art_g = _articoli(tutte_g)
    libreria = carica_clausole()
    per_chiave = {u.chiave: u for u in um}
    out: list[RilievoTesto] = []
    for e in esito.elementi:
        if e.presente:
            righe = [normalizza(r) for p in e.passaggi for r in p.split("\n") if r.strip()]
            # la clausola che contiene il passaggio; il titolo dell'articolo solo se non c'è altro
            dove = next((u for u in sorted(um, key=lambda u: u.tipo != "clausola")
                         if any(r and r in normalizza(u.testo) for r in righe)), None)
            out.append(RilievoTesto(
                "elemento_presente", "info",
                f"Elemento essenziale {e.lettera}) «{e.titolo}»: presente in {_dove(dove.id if dove else None, art_m.get(dove.chiave) if dove else None)}.",
                dove.id if dove else None, dove.chiave if dove else None, art_m.get(dove.chiave) if dove else None,
                e.riferimento))
            continue
        fonti = [u for u in ug if (libreria.get(u.id) and libreria[u.id].elemento_essenziale == e.lettera)]
        cosa = "; ".join(c.rstrip(". ") for c in e.cosa_scrivere) if e.cosa_scrivere else ""
        if not fonti:
            out.append(RilievoTesto("elemento_mancante", "errore",
                                    f"Manca l'elemento essenziale {e.lettera}) «{e.titolo}»." + (f" Va scritto: {cosa}." if cosa else ""),
                                    riferimento=e.riferimento))
            continue
        for u in fonti:
            m = per_chiave.get(u.chiave)
            if m is None:
                stato = "è stata cancellata nel file modificato"
                art = art_g.get(u.chiave)
            elif m.identita != u.identita:
                stato = "è stata modificata e non lo contiene più"
                art = art_m.get(m.chiave)
            else:
                stato = "c'è ancora ma da sola non basta"
                art = art_m.get(m.chiave)
            out.append(RilievoTesto(
                "elemento_mancante", "errore",
                f"Manca l'elemento essenziale {e.lettera}) «{e.titolo}»: nel testo generato lo conteneva "
                f"{_dove(u.id, art)}, che {stato}." + (f" Va scritto: {cosa}." if cosa else ""),
                u.id, u.chiave, art, e.riferimento))
    return out


def _contiene(testo: str, valore: str) -> bool:
    return " ".join(valore.split()).casefold() in " ".join(testo.split()).casefold()


def verifica_dati(modificato: bytes | DocumentoLetto, generato: bytes | DocumentoLetto,
                  dati: list[Dato]) -> list[RilievoTesto]:
    """Ogni dato che il testo generato riporta in una clausola deve trovarsi ancora lì."""
    lm = modificato if isinstance(modificato, DocumentoLetto) else leggi_documento(modificato)
    lg = generato if isinstance(generato, DocumentoLetto) else leggi_documento(generato)
    um_tutte = unita(lm)
    um = {u.chiave: u for u in um_tutte if u.tipo != "testo"}
    art_m = _articoli(um_tutte)
    ug_tutte = unita(lg)
    art_g = _articoli(ug_tutte)
    out: list[RilievoTesto] = []
    visti: set[tuple[str, str]] = set()
    for d in dati:
        if not d.valore or not d.valore.strip():
            continue
        for u in ug_tutte:
            if u.tipo == "testo" or not _contiene(u.testo, d.valore) or (u.chiave, d.valore) in visti:
                continue
            visti.add((u.chiave, d.valore))
            m = um.get(u.chiave)
            if m is None:
                out.append(RilievoTesto(
                    "dato_clausola_tolta", "avviso",
                    f"{d.etichetta} «{d.valore}»: la clausola che lo riportava, {_dove(u.id, art_g.get(u.chiave))}, "
                    "non è più nel file modificato; controlla che il dato sia scritto altrove.",
                    u.id, u.chiave, art_g.get(u.chiave)))
            elif not _contiene(m.testo, d.valore):
                out.append(RilievoTesto(
                    "dato_non_coerente", "errore",
                    f"{d.etichetta}: {_dove(m.id, art_m.get(m.chiave))} non riporta più «{d.valore}», "
                    f"che è il dato della pratica{f' ({d.percorso})' if d.percorso else ''}: correggi il testo o i dati.",
                    m.id, m.chiave, art_m.get(m.chiave)))
    return out

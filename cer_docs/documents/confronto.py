"""Confronto clausola per clausola tra un DOCX generato (o una sua versione) e la versione
modificata dal notaio o dall'avvocato.

Le clausole si riconoscono dall'identità che ``scrittura_docx`` scrive nel file (segnalibro
``cl_<id>`` o ``art_<id>``, vedi ``lettura_docx``). Dove l'identità si è persa — testo
incollato altrove, segnalibri cancellati, un programma che non li conserva — si ripiega
sull'allineamento per contenuto e lo si dice (``per_contenuto``). Anche i paragrafi che non
stanno in nessuna clausola (titolo, intestazioni, firme, articoli scritti dall'avvocato)
entrano nel confronto, allineati per contenuto.

Esiti: ``invariata``, ``modificata`` (con le differenze parola per parola), ``aggiunta``,
``rimossa``, ``spostata`` (l'ordine è cambiato; ``anche_modificata`` se anche il testo).
Il confronto guarda il *testo d'identità*: un rinvio vale l'articolo e non il numero, quindi
un articolo spostato o inserito non fa risultare modificate le clausole che vi rinviano.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any, Literal

from .lettura_docx import DocumentoLetto, leggi_documento

Esito = Literal["invariata", "modificata", "aggiunta", "rimossa", "spostata"]
ESITI: tuple[str, ...] = ("invariata", "modificata", "aggiunta", "rimossa", "spostata")

SOGLIA_CONTENUTO = 0.6
"""Somiglianza minima (0–1, ``difflib``) perché un testo senza identità sia la stessa clausola."""

_PAROLE = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class Unita:
    """Una clausola, un titolo d'articolo o un paragrafo fuori clausola di un documento."""

    chiave: str                  # segnalibro, oppure «¶<indice>» per un paragrafo fuori clausola
    tipo: str                    # clausola | articolo | testo
    id: str | None               # id della clausola o dell'articolo
    documento: str
    testo: str                   # come si legge (righe unite da a capo)
    identita: str                # per il confronto: rinvii come ⟦art:<id>⟧, senza numeri d'articolo
    inizio: int                  # paragrafi [inizio, fine] del documento
    fine: int
    sha256_generato: str | None = None

    @property
    def righe(self) -> list[str]:
        return self.testo.split("\n") if self.testo else []


def unita(letto: DocumentoLetto) -> list[Unita]:
    """Le unità del documento nell'ordine in cui si leggono."""
    coperti: set[int] = set()
    out: list[Unita] = []
    for c, i, f in letto.clausole:
        coperti.update(range(i, f + 1))
        out.append(Unita(c.segnalibro, c.tipo, c.id, c.documento, c.testo, c.testo_identita, i, f,
                         c.sha256_generato))
    for p in letto.paragrafi:
        if p.i in coperti or not p.testo:
            continue
        out.append(Unita(f"¶{p.i}", "testo", None, "", p.testo, p.identita, p.i, p.i))
    out.sort(key=lambda u: (u.inizio, u.fine))
    return out


# ----------------------------------------------------------------------------- differenze

def differenze_parole(prima: str, dopo: str) -> list[tuple[str, str]]:
    """Le differenze parola per parola: ``[("=", testo), ("-", tolto), ("+", aggiunto), …]``."""
    a, b = _PAROLE.findall(prima), _PAROLE.findall(dopo)
    out: list[tuple[str, str]] = []

    def metti(op: str, testo: str) -> None:
        if not testo:
            return
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + testo)
        else:
            out.append((op, testo))

    ops = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for n, (tag, i1, i2, j1, j2) in enumerate(ops):
        uguale = "".join(a[i1:i2])
        # uno spazio o un apostrofo tra due cambi non spezza la modifica: «nell'ambito dello» → «all'interno del»
        breve = (tag == "equal" and 0 < n < len(ops) - 1 and len(uguale) <= 2 and not uguale.strip(" '’"))
        if tag == "equal" and not breve:
            metti("=", uguale)
            continue
        testo_a, testo_b = ("".join(a[i1:i2]), "".join(b[j1:j2])) if not breve else (uguale, uguale)
        # tolto prima di aggiunto, anche quando si uniscono più cambi
        if out and out[-1][0] == "+" and testo_a:
            if len(out) > 1 and out[-2][0] == "-":
                out[-2] = ("-", out[-2][1] + testo_a)
            else:
                out.insert(len(out) - 1, ("-", testo_a))
            testo_a = ""
        metti("-", testo_a)
        metti("+", testo_b)
    return out


def somiglianza(a: str, b: str) -> float:
    m = SequenceMatcher(None, a, b, autojunk=False)
    if m.real_quick_ratio() < SOGLIA_CONTENUTO or m.quick_ratio() < SOGLIA_CONTENUTO:
        return 0.0
    return m.ratio()


# ----------------------------------------------------------------------------- esito

@dataclass
class EsitoClausola:
    """Una voce del confronto."""

    esito: str
    originale: Unita | None
    modificata: Unita | None
    per_contenuto: bool = False          # identità perduta: abbinata per somiglianza del testo
    anche_modificata: bool = False       # spostata e anche cambiata
    differenze: list[tuple[str, str]] = field(default_factory=list)
    articolo: str | None = None          # titolo dell'articolo in cui sta («Art. 2 – Sede»)

    @property
    def unita(self) -> Unita:
        return self.modificata or self.originale  # type: ignore[return-value]

    @property
    def clausola(self) -> str | None:
        return self.unita.id

    @property
    def tipo(self) -> str:
        u = self.originale if self.originale and self.originale.tipo != "testo" else self.unita
        return u.tipo

    @property
    def segnalibro(self) -> str | None:
        for u in (self.originale, self.modificata):
            if u is not None and u.tipo != "testo":
                return u.chiave
        return None

    @property
    def id(self) -> str | None:
        for u in (self.originale, self.modificata):
            if u is not None and u.id:
                return u.id
        return None

    @property
    def descrizione(self) -> str:
        """Come la chiama una persona: «clausola sede_legale», «articolo recesso», «testo fuori clausola»."""
        if self.id:
            return f"{self.tipo} {self.id}"
        return "testo fuori clausola"

    @property
    def nota(self) -> str | None:
        if self.per_contenuto and self.originale is not None and self.originale.tipo != "testo":
            return ("identità perduta nel file modificato (segnalibro cancellato o testo incollato altrove): "
                    "abbinata per contenuto")
        return None

    def as_dict(self) -> dict[str, Any]:
        return {
            "clausola": self.id,
            "tipo": self.tipo,
            "segnalibro": self.segnalibro,
            "documento": (self.originale or self.unita).documento or None,
            "esito": self.esito,
            "testo_originale": self.originale.testo if self.originale else None,
            "testo_modificato": self.modificata.testo if self.modificata else None,
            "differenze": [{"tipo": {"=": "uguale", "-": "tolto", "+": "aggiunto"}[op], "testo": t}
                           for op, t in self.differenze],
            "per_contenuto": self.per_contenuto,
            "anche_modificata": self.anche_modificata,
            "nota": self.nota,
            "articolo": self.articolo,
        }


@dataclass
class Confronto:
    voci: list[EsitoClausola]
    identita_originale: bool        # l'originale porta identità di clausola
    identita_modificato: bool       # il modificato ne porta ancora

    def cambiate(self) -> list[EsitoClausola]:
        return [v for v in self.voci if v.esito != "invariata"]

    def per_esito(self, esito: str) -> list[EsitoClausola]:
        return [v for v in self.voci if v.esito == esito]

    @property
    def per_contenuto(self) -> list[EsitoClausola]:
        return [v for v in self.voci if v.nota]

    def conteggio(self) -> dict[str, int]:
        return {e: len(self.per_esito(e)) for e in ESITI}

    @property
    def avvisi(self) -> list[str]:
        out = []
        if self.identita_originale and not self.identita_modificato:
            out.append("il file modificato non porta più le identità delle clausole: il confronto è fatto "
                       "tutto per contenuto")
        elif self.per_contenuto:
            out.append(f"{len(self.per_contenuto)} clausole hanno perso l'identità e sono state abbinate per "
                       "contenuto")
        if not self.identita_originale:
            out.append("l'originale non porta le identità delle clausole (non è un DOCX generato da cer-docs): "
                       "il confronto è fatto per contenuto")
        return out

    def as_dict(self) -> dict[str, Any]:
        return {"formato": "cer-docs/confronto@1", "conteggio": self.conteggio(), "avvisi": self.avvisi,
                "clausole": [v.as_dict() for v in self.voci]}


def _finestre(pool: list[Unita], massimo: int) -> list[tuple[int, ...]]:
    """Sequenze di unità consecutive del pool (paragrafi senza nulla in mezzo), lunghe fino a ``massimo``."""
    out = []
    for k in range(len(pool)):
        fin = [k]
        out.append(tuple(fin))
        while len(fin) < massimo and fin[-1] + 1 < len(pool) and pool[fin[-1] + 1].tipo == "testo" \
                and pool[fin[-1]].tipo == "testo" and pool[fin[-1] + 1].inizio <= pool[fin[-1]].fine + 2:
            fin.append(fin[-1] + 1)
            out.append(tuple(fin))
    return out


def _unisci(parti: list[Unita]) -> Unita:
    if len(parti) == 1:
        return parti[0]
    return Unita(parti[0].chiave, "testo", None, "", "\n".join(p.testo for p in parti),
                 "\n".join(p.identita for p in parti), parti[0].inizio, parti[-1].fine)


def _sottosequenza_crescente(valori: list[int]) -> set[int]:
    """Indici della più lunga sottosequenza crescente (chi ne resta fuori si è spostato)."""
    import bisect

    code: list[int] = []
    idx: list[int] = []
    prec = [-1] * len(valori)
    for i, v in enumerate(valori):
        k = bisect.bisect_left(code, v)
        if k == len(code):
            code.append(v)
            idx.append(i)
        else:
            code[k] = v
            idx[k] = i
        prec[i] = idx[k - 1] if k else -1
    out: set[int] = set()
    i = idx[-1] if idx else -1
    while i >= 0:
        out.add(i)
        i = prec[i]
    return out


def confronta_unita(orig: list[Unita], mod: list[Unita]) -> Confronto:
    per_chiave = {u.chiave: u for u in mod if u.tipo != "testo"}
    coppie: list[tuple[Unita, Unita, bool]] = []
    usate_m: set[str] = set()
    resto_o: list[Unita] = []
    for o in orig:
        m = per_chiave.get(o.chiave) if o.tipo != "testo" else None
        if m is not None:
            coppie.append((o, m, False))
            usate_m.add(m.chiave)
        else:
            resto_o.append(o)
    pool = [m for m in mod if m.chiave not in usate_m]
    prese_o: set[int] = set()
    prese_m: set[int] = set()

    def ammessa(o: Unita, f: tuple[int, ...]) -> bool:
        return not any(pool[k].tipo != "testo" and pool[k].id != o.id for k in f)

    # 1) stesso testo (d'identità o come si legge: senza impronte i rinvii si leggono come numeri)
    finestre_per_testo: dict[str, list[tuple[int, ...]]] = {}
    massimo = max([len(o.righe) for o in resto_o] or [1]) + 1
    for f in _finestre(pool, massimo):
        for t in {"\n".join(pool[k].identita for k in f), "\n".join(pool[k].testo for k in f)}:
            finestre_per_testo.setdefault(t, []).append(f)
    esatte: list[tuple[int, tuple[int, ...]]] = []
    for oi, o in enumerate(resto_o):
        for t in (o.identita, o.testo):
            f = next((f for f in finestre_per_testo.get(t, []) if not prese_m.intersection(f) and ammessa(o, f)), None)
            if f is not None:
                prese_o.add(oi)
                prese_m.update(f)
                esatte.append((oi, f))
                break
    # 2) per somiglianza, solo per ciò che resta
    candidati = []
    for oi, o in enumerate(resto_o):
        if oi in prese_o:
            continue
        for f in _finestre(pool, max(1, len(o.righe)) + 1):
            if prese_m.intersection(f) or not ammessa(o, f):
                continue
            s = max(somiglianza(o.identita, "\n".join(pool[k].identita for k in f)),
                    somiglianza(o.testo, "\n".join(pool[k].testo for k in f)))
            if s >= SOGLIA_CONTENUTO:
                candidati.append((s, -abs(len(f) - len(o.righe)), oi, f))
    candidati.sort(key=lambda c: (c[0], c[1]), reverse=True)
    simili: list[tuple[int, tuple[int, ...]]] = []
    for _s, _d, oi, f in candidati:
        if oi in prese_o or prese_m.intersection(f):
            continue
        prese_o.add(oi)
        prese_m.update(f)
        simili.append((oi, f))
    for oi, f in esatte + simili:
        coppie.append((resto_o[oi], _unisci([pool[k] for k in f]), True))

    voci: list[tuple[float, EsitoClausola]] = []
    ordine_o = {o.chiave: n for n, o in enumerate(orig)}
    coppie.sort(key=lambda c: ordine_o[c[0].chiave])
    in_ordine = _sottosequenza_crescente([m.inizio for _o, m, _c in coppie])
    pos_mod: dict[str, float] = {}
    for n, (o, m, per_contenuto) in enumerate(coppie):
        uguale = o.identita == m.identita or (per_contenuto and o.testo == m.testo)
        diff = [] if uguale else differenze_parole(o.testo, m.testo)
        if n not in in_ordine:
            e = EsitoClausola("spostata", o, m, per_contenuto, anche_modificata=not uguale, differenze=diff)
        else:
            e = EsitoClausola("invariata" if uguale else "modificata", o, m, per_contenuto, differenze=diff)
        voci.append((m.inizio, e))
        pos_mod[o.chiave] = m.fine
    for k, m in enumerate(pool):
        if k not in prese_m:
            voci.append((m.inizio, EsitoClausola("aggiunta", None, m)))
    # le rimosse dopo l'ultima unità dell'originale che le precede e che è rimasta
    ultima = -1.0
    for o in orig:
        if o.chiave in pos_mod:
            ultima = pos_mod[o.chiave]
        elif o.chiave not in {c[0].chiave for c in coppie}:
            ultima += 0.001
            voci.append((ultima + 0.5, EsitoClausola("rimossa", o, None)))
    voci.sort(key=lambda v: v[0])
    art_o, art_m = _articoli(orig), _articoli(mod)
    for _p, v in voci:
        if v.modificata is not None:
            v.articolo = art_m.get(v.modificata.chiave)
        if v.articolo is None and v.originale is not None:
            v.articolo = art_o.get(v.originale.chiave)
    return Confronto([v for _p, v in voci], any(u.tipo != "testo" for u in orig),
                     any(u.tipo != "testo" for u in mod))


def _articoli(us: list[Unita]) -> dict[str, str | None]:
    """Per ogni unità, la prima riga dell'articolo in cui sta (un titolo aggiunto a mano vale anch'esso)."""
    out: dict[str, str | None] = {}
    corrente = None
    for u in us:
        if u.tipo == "articolo" or (u.tipo == "testo" and _TITOLO_ARTICOLO.match(u.testo)):
            corrente = u.testo.split("\n")[0]
        out[u.chiave] = corrente
    return out


_TITOLO_ARTICOLO = re.compile(r"^Art\. \d+ – ")


def confronta(originale: bytes | str | Path | DocumentoLetto, modificato: bytes | str | Path | DocumentoLetto) -> Confronto:
    """Confronta due DOCX (contenuto o percorso) clausola per clausola."""
    a = originale if isinstance(originale, DocumentoLetto) else leggi_documento(originale)
    b = modificato if isinstance(modificato, DocumentoLetto) else leggi_documento(modificato)
    return confronta_unita(unita(a), unita(b))

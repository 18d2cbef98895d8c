"""Lettura di un DOCX generato (e poi modificato in Word o LibreOffice): paragrafi con la
numerazione di Word, clausole con la loro identità.

Le identità le scrive ``scrittura_docx``: il segnalibro ``cl_<id>`` avvolge ogni clausola e
``art_<id>`` ogni titolo d'articolo (``A<k>_`` davanti per il k-esimo documento incluso,
come lo statuto allegato all'atto); ``docProps/custom.xml`` ha una proprietà per segnalibro,
«tipo documento id sha256». L'impronta è lo sha256 del *testo d'identità* della clausola:
le righe (paragrafi e voci) con gli spazi unificati, unite da a capo, dove ogni rinvio a un
articolo (campo ``REF``) vale ``⟦art:<id>⟧`` e non il numero: rinumerare gli articoli non
cambia l'impronta di chi vi rinvia.

Quel che si sa di LibreOffice (7.4) e lo giustifica:
* i campi REF si ricalcolano sempre, anche nella conversione ``--convert-to pdf|docx``;
* un segnalibro che attraversa più paragrafi torna scritto in modo anomalo (un
  ``bookmarkStart`` senza fine nel primo paragrafo, un altro con lo stesso nome e la fine
  nell'ultimo): qui una clausola va dal primo inizio con quel nome all'ultima fine;
* ``docProps/custom.xml`` si conserva; ``w:docVars`` no.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from .struttura import impronta, normalizza_riga, segno_rinvio

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {"w": _W}
_CP = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"


def _q(nome: str) -> str:
    return f"{{{_W}}}{nome}"


@dataclass(frozen=True)
class ClausolaLetta:
    """Una clausola (o un titolo d'articolo) come si trova nel file."""

    segnalibro: str
    tipo: str                    # clausola | articolo
    id: str                      # id della clausola o dell'articolo
    documento: str               # statuto, atto_costitutivo, …
    testo: str                   # come si legge (numeri dei rinvii compresi)
    testo_identita: str          # rinvii come ⟦art:<id>⟧
    sha256_generato: str | None  # impronta scritta alla generazione

    @property
    def sha256(self) -> str:
        return impronta(self.testo_identita)

    @property
    def modificata(self) -> bool | None:
        """Il testo è cambiato dalla generazione? None se l'impronta generata non si conosce."""
        if self.sha256_generato is None:
            return None
        return self.sha256 != self.sha256_generato


@dataclass
class _Par:
    testo: str
    identita: str
    etichetta: str | None
    inizi: list[tuple[str, str]]   # (nome, id) dei segnalibri che cominciano qui
    fini: list[str]                # id dei segnalibri che finiscono qui


def _apri(dati: bytes | str | Path) -> zipfile.ZipFile:
    if isinstance(dati, (str, Path)):
        dati = Path(dati).read_bytes()
    return zipfile.ZipFile(io.BytesIO(dati))


def proprieta_identita(z: zipfile.ZipFile) -> dict[str, tuple[str, str, str, str]]:
    """``{segnalibro: (tipo, documento, id, sha256)}`` da ``docProps/custom.xml``."""
    try:
        radice = etree.fromstring(z.read("docProps/custom.xml"))
    except KeyError:
        return {}
    out = {}
    for p in radice.iter(f"{{{_CP}}}property"):
        v = p.find(f"{{{_VT}}}lpwstr")
        parti = (v.text or "").split(" ") if v is not None else []
        if len(parti) == 4 and parti[0] in ("clausola", "articolo"):
            out[p.get("name")] = tuple(parti)
    return out


class _Numerazione:
    """Le etichette della numerazione decimale di Word (quanto basta per i titoli d'articolo):
    un contatore per definizione astratta, che riparte se l'istanza ha ``startOverride``."""

    def __init__(self, z: zipfile.ZipFile, stili: dict[str, tuple[str | None, str | None]]) -> None:
        self.stili = stili
        self.livelli: dict[str, tuple[str, str, int]] = {}   # abstractNumId → (numFmt, lvlText, start)
        self.istanze: dict[str, tuple[str, int | None]] = {}  # numId → (abstractNumId, startOverride)
        self.contatori: dict[str, int] = {}
        self.iniziate: set[str] = set()
        try:
            radice = etree.fromstring(z.read("word/numbering.xml"))
        except KeyError:
            return
        for a in radice.iterfind("w:abstractNum", _NS):
            lvl = a.find("w:lvl[@w:ilvl='0']", _NS)
            if lvl is None:
                continue
            fmt = lvl.find("w:numFmt", _NS)
            testo = lvl.find("w:lvlText", _NS)
            start = lvl.find("w:start", _NS)
            self.livelli[a.get(_q("abstractNumId"))] = (
                fmt.get(_q("val")) if fmt is not None else "decimal",
                testo.get(_q("val")) if testo is not None else "",
                int(start.get(_q("val"))) if start is not None else 1)
        for n in radice.iterfind("w:num", _NS):
            a = n.find("w:abstractNumId", _NS)
            so = n.find("w:lvlOverride[@w:ilvl='0']/w:startOverride", _NS)
            self.istanze[n.get(_q("numId"))] = (a.get(_q("val")) if a is not None else "",
                                               int(so.get(_q("val"))) if so is not None else None)

    def _num_id(self, p) -> tuple[str | None, str]:
        ppr = p.find("w:pPr", _NS)
        if ppr is not None:
            numpr = ppr.find("w:numPr", _NS)
            if numpr is not None:
                n = numpr.find("w:numId", _NS)
                lv = numpr.find("w:ilvl", _NS)
                return (n.get(_q("val")) if n is not None else None), (lv.get(_q("val")) if lv is not None else "0")
            st = ppr.find("w:pStyle", _NS)
            stile = st.get(_q("val")) if st is not None else None
        else:
            stile = None
        visti = set()
        while stile and stile not in visti:
            visti.add(stile)
            num, base = self.stili.get(stile, (None, None))
            if num is not None:
                return num, "0"
            stile = base
        return None, "0"

    def etichetta(self, p) -> str | None:
        num, livello = self._num_id(p)
        if not num or num == "0" or livello != "0" or num not in self.istanze:
            return None
        astratto, riparti = self.istanze[num]
        fmt, testo, start = self.livelli.get(astratto, ("", "", 1))
        if fmt != "decimal" or "%1" not in testo:
            return None
        if num not in self.iniziate:
            self.iniziate.add(num)
            if riparti is not None:
                self.contatori[astratto] = riparti - 1
        n = self.contatori.get(astratto, start - 1) + 1
        self.contatori[astratto] = n
        return testo.replace("%1", str(n))


def _stili(z: zipfile.ZipFile) -> dict[str, tuple[str | None, str | None]]:
    """``{styleId: (numId della numerazione legata, stile di base)}``."""
    try:
        radice = etree.fromstring(z.read("word/styles.xml"))
    except KeyError:
        return {}
    out = {}
    for s in radice.iterfind("w:style", _NS):
        n = s.find("w:pPr/w:numPr/w:numId", _NS)
        b = s.find("w:basedOn", _NS)
        out[s.get(_q("styleId"))] = (n.get(_q("val")) if n is not None else None,
                                     b.get(_q("val")) if b is not None else None)
    return out


def _testo_paragrafo(p, articoli: dict[str, str]) -> tuple[str, str, list, list]:
    """(testo letto, testo d'identità, inizi, fini) di un ``w:p``; i campi valgono il loro
    risultato, un REF a un titolo d'articolo noto vale ``⟦art:<id>⟧`` nel testo d'identità."""
    letto: list[str] = []
    ident: list[str] = []
    inizi: list[tuple[str, str]] = []
    fini: list[str] = []
    # pila dei campi complessi: [istruzione, fase] con fase "istr" | "ris"
    campi: list[list] = []

    def aggiungi(t: str) -> None:
        letto.append(t)
        # dentro il risultato di un REF a un articolo il testo d'identità è il segno del rinvio
        if any(c[1] == "ris" and c[2] for c in campi):
            return
        ident.append(t)

    for el in p.iter():
        tag = el.tag
        if tag == _q("bookmarkStart"):
            inizi.append((el.get(_q("name")) or "", el.get(_q("id")) or ""))
        elif tag == _q("bookmarkEnd"):
            fini.append(el.get(_q("id")) or "")
        elif tag == _q("fldChar"):
            tipo = el.get(_q("fldCharType"))
            if tipo == "begin":
                campi.append(["", "istr", None])
            elif tipo == "separate" and campi:
                c = campi[-1]
                c[1] = "ris"
                parti = c[0].split()
                if len(parti) >= 2 and parti[0].upper() == "REF" and parti[1] in articoli:
                    c[2] = articoli[parti[1]]
                    ident.append(segno_rinvio(c[2]))
            elif tipo == "end" and campi:
                campi.pop()
        elif tag == _q("instrText"):
            if campi and campi[-1][1] == "istr":
                campi[-1][0] += el.text or ""
        elif tag == _q("t"):
            if campi and campi[-1][1] == "istr":
                continue
            aggiungi(el.text or "")
        elif tag in (_q("tab"),) and el.getparent() is not None and el.getparent().tag == _q("r"):
            aggiungi(" ")
        elif tag in (_q("br"), _q("cr")):
            aggiungi("\n")
    return "".join(letto), "".join(ident), inizi, fini


def _paragrafi(z: zipfile.ZipFile, articoli: dict[str, str]) -> list[_Par]:
    radice = etree.fromstring(z.read("word/document.xml"))
    corpo = radice.find("w:body", _NS)
    num = _Numerazione(z, _stili(z))
    out = []
    for p in corpo.iter(_q("p")):
        letto, ident, inizi, fini = _testo_paragrafo(p, articoli)
        out.append(_Par(letto, ident, num.etichetta(p), inizi, fini))
    return out


def testo_paragrafi(dati: bytes | str | Path) -> list[str]:
    """Il testo dei paragrafi del corpo (anche nelle tabelle), nell'ordine del documento, con
    l'etichetta della numerazione di Word davanti («Art. 7 – Sede») come la si vede."""
    z = _apri(dati)
    out = []
    for p in _paragrafi(z, {}):
        out.append(f"{p.etichetta} {p.testo}" if p.etichetta else p.testo)
    return out


_NOME = re.compile(r"^(?:A\d+_)?(cl|art)_(.+?)(?:_\d+)?$")


def _identita_dai_nomi(z: zipfile.ZipFile) -> dict[str, tuple[str, str, str, str | None]]:
    radice = etree.fromstring(z.read("word/document.xml"))
    out: dict[str, tuple[str, str, str, str | None]] = {}
    for b in radice.iter(_q("bookmarkStart")):
        nome = b.get(_q("name")) or ""
        m = _NOME.match(nome)
        if m:
            out[nome] = ("clausola" if m.group(1) == "cl" else "articolo", "", m.group(2), None)
    return out


def leggi_clausole(dati: bytes | str | Path) -> list[ClausolaLetta]:
    """Le clausole e i titoli d'articolo del file, nell'ordine del documento, con il testo
    attuale e l'impronta scritta alla generazione. Una clausola i cui segnalibri sono andati
    persi non compare: chi confronta ripiega sull'allineamento per contenuto."""
    return [c for c, _i, _f in leggi_documento(dati).clausole]


@dataclass(frozen=True)
class ParagrafoLetto:
    """Un paragrafo del corpo (``i``: posizione tra i ``w:p`` del corpo, tabelle comprese)."""

    i: int
    testo: str              # con l'etichetta della numerazione davanti («Art. 7 – Sede»)
    identita: str           # rinvii come ⟦art:<id>⟧, senza etichetta
    etichetta: str | None


@dataclass(frozen=True)
class DocumentoLetto:
    """Tutto il corpo: i paragrafi e le clausole con l'intervallo di paragrafi [inizio, fine]."""

    paragrafi: list[ParagrafoLetto]
    clausole: list[tuple[ClausolaLetta, int, int]]
    proprieta: dict[str, tuple]


def leggi_documento(dati: bytes | str | Path) -> DocumentoLetto:
    """Paragrafi e clausole del file; i paragrafi fuori da ogni clausola (titolo, intestazioni,
    firme, testo aggiunto) restano tra i ``paragrafi``: chi confronta li allinea per contenuto."""
    z = _apri(dati)
    props = proprieta_identita(z)
    if not props:
        # proprietà perdute (un programma che non le conserva): identità dai soli nomi dei
        # segnalibri, senza impronta generata (un nome accorciato porta l'id accorciato)
        props = _identita_dai_nomi(z)
    articoli = {nome: v[2] for nome, v in props.items() if v[0] == "articolo"}
    pars = _paragrafi(z, articoli)
    primo: dict[str, int] = {}
    ids_di: dict[str, set[str]] = {}
    for i, p in enumerate(pars):
        for nome, bid in p.inizi:
            if nome in props:
                primo.setdefault(nome, i)
                ids_di.setdefault(nome, set()).add(bid)
    inizi_ordinati = sorted(primo.values())
    out = []
    for nome, i in sorted(primo.items(), key=lambda x: x[1]):
        tipo, documento, cid, sha = props[nome]
        fine = None
        for j in range(i, len(pars)):
            if ids_di[nome] & set(pars[j].fini):
                fine = j
        if fine is None:  # fine perduta: fino al prossimo inizio
            dopo = [k for k in inizi_ordinati if k > i]
            fine = (dopo[0] - 1) if dopo else i
        righe = [pars[k] for k in range(i, fine + 1)]
        if tipo == "articolo":
            letto = [normalizza_riga(f"{p.etichetta} {p.testo}" if p.etichetta else p.testo) for p in righe]
        else:
            letto = [normalizza_riga(p.testo) for p in righe]
        ident = [normalizza_riga(p.identita) for p in righe]
        out.append((ClausolaLetta(
            segnalibro=nome, tipo=tipo, id=cid, documento=documento,
            testo="\n".join(r for r in letto if r), testo_identita="\n".join(r for r in ident if r),
            sha256_generato=sha,
        ), i, fine))
    paragrafi = [ParagrafoLetto(k, normalizza_riga(f"{p.etichetta} {p.testo}" if p.etichetta else p.testo),
                                normalizza_riga(p.identita), p.etichetta) for k, p in enumerate(pars)]
    return DocumentoLetto(paragrafi, out, dict(props))

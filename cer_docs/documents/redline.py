"""Il confronto come DOCX con revisioni di Word (``w:ins`` / ``w:del``): l'avvocato le accetta
o le rifiuta una per una in Word o in LibreOffice.

Si parte dal file *modificato* (con la sua formattazione, i segnalibri e i campi) e vi si
segnano le differenze rispetto all'originale:

* clausola modificata: le righe uguali restano come sono; una riga cambiata è riscritta con
  le parole tolte in ``w:del`` e quelle aggiunte in ``w:ins`` (la formattazione della riga è
  quella del suo primo tratto: un rinvio dentro una riga cambiata diventa testo);
* clausola aggiunta: tutti i tratti in ``w:ins``, e il segno di paragrafo inserito;
* clausola rimossa: i paragrafi dell'originale, copiati dove stavano, con i tratti in
  ``w:del`` e il segno di paragrafo cancellato;
* clausola spostata: inserita dove ora si trova, cancellata dove stava.

Accettare tutto dà il file modificato; rifiutare tutto dà il testo dell'originale.

Scritto a mano e non con ``python-redlines``: quella libreria (2.0) chiama un eseguibile .NET
distribuito a parte, confronta i documenti interi senza sapere delle clausole e non funziona
senza rete né runtime .NET su questa macchina.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import zipfile
from difflib import SequenceMatcher
from pathlib import Path

from lxml import etree

from .confronto import Confronto, EsitoClausola, confronta, differenze_parole
from .lettura_docx import leggi_documento

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _q(nome: str) -> str:
    return f"{{{_W}}}{nome}"


class _Revisioni:
    def __init__(self, autore: str, quando: dt.datetime):
        self.autore = autore
        self.data = quando.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.n = 90000

    def segno(self, tag: str):
        self.n += 1
        el = etree.Element(_q(tag))
        el.set(_q("id"), str(self.n))
        el.set(_q("author"), self.autore)
        el.set(_q("date"), self.data)
        return el


def _rpr_paragrafo(p, rev: _Revisioni, tag: str) -> None:
    """Segna il segno di paragrafo come inserito o cancellato (``w:pPr/w:rPr/w:ins|w:del``)."""
    ppr = p.find(_q("pPr"))
    if ppr is None:
        ppr = etree.Element(_q("pPr"))
        p.insert(0, ppr)
    rpr = ppr.find(_q("rPr"))
    if rpr is None:
        rpr = etree.Element(_q("rPr"))
        # nello schema w:rPr viene prima di w:sectPr e w:pPrChange, gli ultimi figli di w:pPr
        dopo = next((el for el in ppr if el.tag in (_q("sectPr"), _q("pPrChange"))), None)
        if dopo is not None:
            dopo.addprevious(rpr)
        else:
            ppr.append(rpr)
    if rpr.find(_q(tag)) is None:
        # w:ins / w:del del segno di paragrafo stanno in testa a w:rPr
        rpr.insert(0, rev.segno(tag))


def _avvolgi_tratti(p, rev: _Revisioni, tag: str) -> None:
    """Mette ogni ``w:r`` (anche dentro collegamenti e campi semplici) in ``w:ins``/``w:del``."""
    for r in list(p.iter(_q("r"))):
        genitore = r.getparent()
        if genitore.tag in (_q("ins"), _q("del")):
            continue
        if tag == "del":
            for t in r.iter(_q("t")):
                t.tag = _q("delText")
            for t in r.iter(_q("instrText")):
                t.tag = _q("delInstrText")
        segno = rev.segno(tag)
        genitore.replace(r, segno)
        segno.append(r)
    _rpr_paragrafo(p, rev, tag)


def _cancellato(p, rev: _Revisioni):
    """Una copia del paragrafo, senza segnalibri, tutta cancellata."""
    p = copy.deepcopy(p)
    for b in list(p.iter(_q("bookmarkStart"), _q("bookmarkEnd"))):
        b.getparent().remove(b)
    _avvolgi_tratti(p, rev, "del")
    return p


def _run(rpr, testo: str, cancellato: bool = False):
    r = etree.Element(_q("r"))
    if rpr is not None:
        r.append(copy.deepcopy(rpr))
    t = etree.SubElement(r, _q("delText" if cancellato else "t"))
    t.text = testo
    t.set(_XML_SPACE, "preserve")
    return r


def _riscrivi(p, prima: str, dopo: str, rev: _Revisioni) -> None:
    """Riscrive il paragrafo con le differenze parola per parola tra ``prima`` e ``dopo``."""
    primo_rpr = None
    for r in p.iter(_q("r")):
        primo_rpr = r.find(_q("rPr"))
        if r.find(_q("t")) is not None:
            break
    inizi = [copy.deepcopy(b) for b in p.iter(_q("bookmarkStart"))]
    fini = [copy.deepcopy(b) for b in p.iter(_q("bookmarkEnd"))]
    for el in list(p):
        if el.tag != _q("pPr"):
            p.remove(el)
    for b in inizi:
        p.append(b)
    for op, testo in differenze_parole(prima, dopo):
        if op == "=":
            p.append(_run(primo_rpr, testo))
        elif op == "-":
            d = rev.segno("del")
            d.append(_run(primo_rpr, testo, cancellato=True))
            p.append(d)
        else:
            i = rev.segno("ins")
            i.append(_run(primo_rpr, testo))
            p.append(i)
    for b in fini:
        p.append(b)


def _righe(par_testi: list[str], indici: list[int]) -> list[tuple[int, str]]:
    return [(i, par_testi[i]) for i in indici if par_testi[i]]


def redline_docx(originale: bytes | str | Path, modificato: bytes | str | Path, *, autore: str = "cer-docs",
                 quando: dt.datetime | None = None, confronto: Confronto | None = None) -> bytes:
    """Il DOCX modificato con le differenze dall'originale come revisioni di Word."""
    if isinstance(originale, (str, Path)):
        originale = Path(originale).read_bytes()
    if isinstance(modificato, (str, Path)):
        modificato = Path(modificato).read_bytes()
    rev = _Revisioni(autore, quando or dt.datetime.now(dt.timezone.utc))
    lo, lm = leggi_documento(originale), leggi_documento(modificato)
    c = confronto or confronta(lo, lm)
    zo = zipfile.ZipFile(io.BytesIO(originale))
    zm = zipfile.ZipFile(io.BytesIO(modificato))
    radice_o = etree.fromstring(zo.read("word/document.xml"))
    radice_m = etree.fromstring(zm.read("word/document.xml"))
    par_o = list(radice_o.find(_q("body")).iter(_q("p")))
    corpo_m = radice_m.find(_q("body"))
    par_m = list(corpo_m.iter(_q("p")))
    testi_o = [p.testo if not p.etichetta else p.identita for p in lo.paragrafi]
    testi_m = [p.testo if not p.etichetta else p.identita for p in lm.paragrafi]

    # dove rimettere quello che è stato tolto: dopo l'ultimo paragrafo del modificato che
    # corrisponde a ciò che nell'originale lo precedeva
    ancore: dict[int, object] = {}   # paragrafo dell'originale → paragrafo del modificato dopo cui sta
    for v in c.voci:
        if v.originale is not None and v.modificata is not None and v.esito != "spostata":
            ancore[v.originale.fine] = par_m[v.modificata.fine]
    inseriti_dopo: dict[int, object] = {}

    def rimetti(v: EsitoClausola) -> None:
        o = v.originale
        ancora = None
        for k in range(o.inizio - 1, -1, -1):
            if k in ancore:
                ancora = ancore[k]
                break
        nuovi = [_cancellato(par_o[k], rev) for k in range(o.inizio, o.fine + 1) if lo.paragrafi[k].testo]
        for p in nuovi:
            prima = inseriti_dopo.get(id(ancora), ancora)
            if prima is None:
                primo = corpo_m.find(_q("p"))
                primo.addprevious(p)
            else:
                prima.addnext(p)
            inseriti_dopo[id(ancora)] = p
        ancore[o.fine] = inseriti_dopo.get(id(ancora), ancora)

    for v in c.voci:
        if v.esito == "aggiunta" or (v.esito == "spostata"):
            for k in range(v.modificata.inizio, v.modificata.fine + 1):
                if lm.paragrafi[k].testo:
                    _avvolgi_tratti(par_m[k], rev, "ins")
        elif v.esito == "modificata":
            ro = _righe(testi_o, list(range(v.originale.inizio, v.originale.fine + 1)))
            rm = _righe(testi_m, list(range(v.modificata.inizio, v.modificata.fine + 1)))
            sm = SequenceMatcher(None, [t for _i, t in ro], [t for _i, t in rm], autojunk=False)
            for tag, i1, i2, j1, j2 in sm.get_opcodes():
                if tag == "equal":
                    continue
                n = min(i2 - i1, j2 - j1) if tag == "replace" else 0
                for a, b in zip(range(i1, i1 + n), range(j1, j1 + n)):
                    _riscrivi(par_m[rm[b][0]], ro[a][1], rm[b][1], rev)
                for b in range(j1 + n, j2):
                    _avvolgi_tratti(par_m[rm[b][0]], rev, "ins")
                dopo = par_m[rm[j1 + n - 1][0]] if j1 + n - 1 >= 0 and j1 + n - 1 < len(rm) and n else None
                for a in range(i1 + n, i2):
                    p = _cancellato(par_o[ro[a][0]], rev)
                    if dopo is not None:
                        dopo.addnext(p)
                    elif j1 < len(rm):
                        par_m[rm[j1][0]].addprevious(p)
                    else:
                        par_m[rm[-1][0]].addnext(p) if rm else None
                    dopo = p
    for v in c.voci:
        if v.esito in ("rimossa", "spostata"):
            rimetti(v)

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in zm.infolist():
            dati = zm.read(info.filename)
            if info.filename == "word/document.xml":
                dati = etree.tostring(radice_m, xml_declaration=True, encoding="UTF-8", standalone=True)
            z.writestr(info, dati)
    return out.getvalue()

"""Rigenerare senza perdere le modifiche dell'avvocato: unione a tre vie, clausola per clausola.

Le tre versioni: il testo generato da cui l'avvocato è partito (le sue impronte sono nel file
dell'avvocato, ``docProps/custom.xml``), il file dell'avvocato e il testo appena generato dai
dati aggiornati della pratica. Per ogni clausola:

* l'avvocato non l'ha toccata → prende il testo nuovo;
* l'avvocato l'ha cambiata e il testo generato no → resta quello dell'avvocato;
* sono cambiati tutti e due (e non allo stesso modo) → **conflitto**: si sceglie
  ``avvocato`` o ``generato``; senza una scelta per ogni conflitto non si produce il file;
* l'avvocato l'ha cancellata: resta cancellata, se il testo generato non è cambiato
  (altrimenti conflitto); una clausola che la generazione non produce più se ne va, se
  l'avvocato non l'aveva cambiata (altrimenti conflitto);
* una clausola nuova della generazione entra dopo quella che la precede;
* i paragrafi scritti dall'avvocato restano dove sono.

Il file unito è quello dell'avvocato con le clausole aggiornate copiate dal file generato
(segnalibri compresi) e le proprietà d'identità aggiornate alle impronte del testo appena
generato: si può modificare e unire di nuovo.
"""

from __future__ import annotations

import copy
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from lxml import etree

from .confronto import _articoli, differenze_parole, unita
from .lettura_docx import ClausolaLetta, DocumentoLetto, leggi_documento

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CP = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"

Scelta = Literal["avvocato", "generato"]
SCELTE: tuple[str, ...] = ("avvocato", "generato")


def _q(nome: str) -> str:
    return f"{{{_W}}}{nome}"


@dataclass
class VoceUnione:
    """Che cosa è successo a una clausola nell'unione."""

    segnalibro: str
    tipo: str
    id: str
    esito: str          # invariata | aggiornata | tenuta_avvocato | uguale | aggiunta_generata | rimossa_generata
    #                     | tenuta_rimossa | conflitto
    testo_avvocato: str | None = None
    testo_generato: str | None = None
    conflitto: bool = False
    scelta: str | None = None
    articolo: str | None = None     # «Art. 3 – Durata»: come l'avvocato trova la clausola nel testo

    @property
    def differenze(self) -> list[tuple[str, str]]:
        return differenze_parole(self.testo_avvocato or "", self.testo_generato or "")

    @property
    def spiegazione(self) -> str:
        return {
            "invariata": "né l'avvocato né i dati l'hanno cambiata",
            "aggiornata": "l'avvocato non l'aveva toccata: prende il testo con i dati nuovi",
            "tenuta_avvocato": "l'avvocato l'ha cambiata e i dati no: resta il testo dell'avvocato",
            "uguale": "l'avvocato l'aveva già cambiata come i dati nuovi",
            "aggiunta_generata": "clausola nuova per i dati aggiornati: inserita",
            "rimossa_generata": "con i dati aggiornati la clausola non c'è più e l'avvocato non l'aveva toccata: tolta",
            "tenuta_rimossa": "l'avvocato l'aveva cancellata e i dati non la cambiano: resta cancellata",
            "conflitto": "cambiata sia dall'avvocato sia dai dati: scegli quale testo tenere",
            "da_controllare": ("testo fuori clausola cambiato dai dati ma non più riconoscibile nel file "
                               "dell'avvocato: resta il suo, controlla a mano"),
        }[self.esito]

    def as_dict(self) -> dict[str, Any]:
        return {"segnalibro": self.segnalibro, "tipo": self.tipo, "clausola": self.id, "esito": self.esito,
                "spiegazione": self.spiegazione, "conflitto": self.conflitto, "scelta": self.scelta,
                "testo_avvocato": self.testo_avvocato, "testo_generato": self.testo_generato,
                "articolo": self.articolo}


@dataclass
class EsitoUnione:
    voci: list[VoceUnione]
    docx: bytes | None                  # None se restano conflitti senza scelta
    avvisi: list[str] = field(default_factory=list)

    @property
    def conflitti(self) -> list[VoceUnione]:
        return [v for v in self.voci if v.conflitto]

    @property
    def senza_scelta(self) -> list[VoceUnione]:
        return [v for v in self.conflitti if v.scelta is None]

    def cambiate(self) -> list[VoceUnione]:
        return [v for v in self.voci if v.esito != "invariata"]

    def as_dict(self) -> dict[str, Any]:
        return {"formato": "cer-docs/unione@1", "completa": self.docx is not None, "avvisi": self.avvisi,
                "conflitti": len(self.conflitti), "senza_scelta": [v.segnalibro for v in self.senza_scelta],
                "clausole": [v.as_dict() for v in self.cambiate()]}


class ErroreUnione(ValueError):
    """L'unione non si può fare (file senza identità, scelta sconosciuta)."""


def _parti(dati: bytes) -> tuple[zipfile.ZipFile, Any, list]:
    z = zipfile.ZipFile(io.BytesIO(dati))
    radice = etree.fromstring(z.read("word/document.xml"))
    return z, radice, list(radice.find(_q("body")).iter(_q("p")))


def _per_nome(letto: DocumentoLetto) -> dict[str, tuple[ClausolaLetta, int, int]]:
    return {c.segnalibro: (c, i, f) for c, i, f in letto.clausole}


def unisci_docx(avvocato: bytes, generato: bytes, scelte: dict[str, str] | None = None, *,
                base: bytes | None = None) -> EsitoUnione:
    """Unisce il file dell'avvocato con il testo appena generato. ``scelte``: ``{segnalibro:
    "avvocato"|"generato"}`` per i conflitti. ``base``: il generato da cui l'avvocato è partito,
    serve solo se il file dell'avvocato ha perso le impronte."""
    scelte = dict(scelte or {})
    for k, v in scelte.items():
        if v not in SCELTE:
            raise ErroreUnione(f"scelta «{v}» per {k} non prevista: scrivi avvocato o generato")
    la, ln = leggi_documento(avvocato), leggi_documento(generato)
    if not ln.clausole:
        raise ErroreUnione("il documento generato non porta le identità delle clausole")
    props_a = {k: v for k, v in la.proprieta.items() if v[3]}
    avvisi = []
    if not props_a and base is not None:
        lb = leggi_documento(base)
        props_a = {c.segnalibro: (c.tipo, c.documento, c.id, c.sha256) for c, _i, _f in lb.clausole}
        avvisi.append("il file dell'avvocato non ha più le impronte del testo generato: uso la versione da cui "
                      "era partito")
    if not la.clausole:
        raise ErroreUnione("il file dell'avvocato non porta più le identità delle clausole (segnalibri cer-docs): "
                           "non si può unire clausola per clausola")
    if not props_a:
        avvisi.append("il file dell'avvocato non ha le impronte del testo generato: ogni clausola diversa dal "
                      "testo nuovo è trattata come conflitto")
    A, N = _per_nome(la), _per_nome(ln)
    voci: list[VoceUnione] = []
    azioni: dict[str, str] = {}   # segnalibro → sostituisci | inserisci | togli
    for nome, (cn, _i, _f) in N.items():
        ca = A[nome][0] if nome in A else None
        vecchia = props_a.get(nome, (None, None, None, None))[3]
        gen_cambiata = vecchia is None or cn.sha256 != vecchia
        v = VoceUnione(nome, cn.tipo, cn.id, "invariata", ca.testo if ca else None, cn.testo)
        if ca is not None:
            avv_cambiata = True if vecchia is None else ca.sha256 != vecchia
            if ca.testo_identita == cn.testo_identita:
                v.esito = "uguale" if avv_cambiata else "invariata"
            elif not avv_cambiata:
                v.esito = "aggiornata"
                azioni[nome] = "sostituisci"
            elif not gen_cambiata:
                v.esito = "tenuta_avvocato"
            else:
                v.esito, v.conflitto = "conflitto", True
        elif nome in props_a:  # l'avvocato l'ha cancellata
            if not gen_cambiata:
                v.esito = "tenuta_rimossa"
            else:
                v.esito, v.conflitto = "conflitto", True
        else:
            v.esito = "aggiunta_generata"
            azioni[nome] = "inserisci"
        if v.conflitto:
            v.scelta = scelte.get(nome)
            if v.scelta == "generato":
                azioni[nome] = "sostituisci" if ca is not None else "inserisci"
        voci.append(v)
    for nome, (ca, _i, _f) in A.items():
        if nome in N:
            continue
        vecchia = props_a.get(nome, (None, None, None, None))[3]
        v = VoceUnione(nome, ca.tipo, ca.id, "rimossa_generata", ca.testo, None)
        if vecchia is not None and ca.sha256 == vecchia:
            azioni[nome] = "togli"
        else:
            v.esito, v.conflitto = "conflitto", True
            v.scelta = scelte.get(nome)
            if v.scelta == "generato":
                azioni[nome] = "togli"
        voci.append(v)
    art_a, art_n = _articoli(unita(la)), _articoli(unita(ln))
    for v in voci:
        v.articolo = art_a.get(v.segnalibro) or art_n.get(v.segnalibro)
    sciolti = _sciolti_da_aggiornare(la, ln, leggi_documento(base) if base is not None else None, voci, scelte)
    esito = EsitoUnione(voci, None, avvisi)
    if esito.senza_scelta:
        return esito
    esito.docx = _scrivi(avvocato, generato, la, ln, azioni, sciolti)
    return esito


def _liberi(letto: DocumentoLetto) -> list:
    coperti: set[int] = set()
    for _c, i, f in letto.clausole:
        coperti.update(range(i, f + 1))
    return [p for p in letto.paragrafi if p.i not in coperti and p.testo]


def _sciolti_da_aggiornare(la: DocumentoLetto, ln: DocumentoLetto, lb: DocumentoLetto | None,
                           voci: list[VoceUnione], scelte: dict[str, str]) -> dict[int, int]:
    """Testo fuori clausola (titolo, tabelle dei punti e degli impianti, firme) cambiato dai dati:
    se nel file dell'avvocato è ancora quello generato prima, prende il nuovo. Serve la versione
    generata di partenza (``lb``); i paragrafi si abbinano per posizione tra le due generazioni.
    Restituisce ``{paragrafo dell'avvocato: paragrafo del generato}``."""
    if lb is None:
        return {}
    vb, vn = _liberi(lb), _liberi(ln)
    if len(vb) != len(vn):
        return {}
    liberi_a = _liberi(la)
    out: dict[int, int] = {}
    usati: set[int] = set()
    for k, (b, n) in enumerate(zip(vb, vn)):
        if b.identita == n.identita:
            continue
        chiave = f"¶{k}"
        # lo stesso paragrafo nel file dell'avvocato: uguale al generato di partenza, il più vicino per posizione
        candidati = [a for a in liberi_a if a.identita == b.identita and a.i not in usati]
        v = VoceUnione(chiave, "testo", f"testo fuori clausola {k + 1}", "aggiornata", None, n.testo)
        if candidati:
            a = min(candidati, key=lambda a: abs(a.i - b.i))
            usati.add(a.i)
            out[a.i] = n.i
            v.testo_avvocato = a.testo
        else:
            # senza identità il testo nuovo non ha un posto sicuro: resta quello dell'avvocato, da controllare
            v.esito, v.testo_avvocato = "da_controllare", b.testo
        voci.append(v)
    return out


def _scrivi(avvocato: bytes, generato: bytes, la: DocumentoLetto, ln: DocumentoLetto,
            azioni: dict[str, str], sciolti: dict[int, int]) -> bytes:
    za, radice_a, par_a = _parti(avvocato)
    zn, _radice_n, par_n = _parti(generato)
    A, N = _per_nome(la), _per_nome(ln)
    prossimo_id = 1 + max([int(b.get(_q("id")) or 0) for b in radice_a.iter(_q("bookmarkStart"))
                           if (b.get(_q("id")) or "").isdigit()] or [0])

    def copie(i: int, f: int, pprs: list | None) -> list:
        nonlocal prossimo_id
        out = []
        mappa: dict[str, str] = {}
        for k in range(i, f + 1):
            p = copy.deepcopy(par_n[k])
            for b in p.iter(_q("bookmarkStart")):
                mappa[b.get(_q("id"))] = str(prossimo_id)
                b.set(_q("id"), str(prossimo_id))
                prossimo_id += 1
            for b in p.iter(_q("bookmarkEnd")):
                if b.get(_q("id")) in mappa:
                    b.set(_q("id"), mappa[b.get(_q("id"))])
            # la forma del paragrafo resta quella del file dell'avvocato (stili e numerazione sue)
            if pprs and k - i < len(pprs) and pprs[k - i] is not None:
                vecchio = p.find(_q("pPr"))
                if vecchio is not None:
                    p.remove(vecchio)
                p.insert(0, copy.deepcopy(pprs[k - i]))
            out.append(p)
        return out

    for ia, ino in sciolti.items():  # prima delle sostituzioni: gli indici sono ancora quelli letti
        (nuovo,) = copie(ino, ino, [par_a[ia].find(_q("pPr"))])
        par_a[ia].addprevious(nuovo)
        par_a[ia].getparent().remove(par_a[ia])
        par_a[ia] = nuovo
    # ultimo paragrafo (nel file dell'avvocato) di ogni clausola, per ancorare gli inserimenti
    fine_a = {nome: par_a[f] for nome, (_c, _i, f) in A.items()}
    for nome, azione in azioni.items():
        if azione == "sostituisci":
            _c, i, f = A[nome]
            _cn, ni, nf = N[nome]
            vecchi = par_a[i:f + 1]
            nuovi = copie(ni, nf, [p.find(_q("pPr")) for p in vecchi])
            for p in nuovi:
                vecchi[0].addprevious(p)
            for p in vecchi:
                p.getparent().remove(p)
            fine_a[nome] = nuovi[-1]
        elif azione == "togli":
            _c, i, f = A[nome]
            for p in par_a[i:f + 1]:
                p.getparent().remove(p)
            fine_a.pop(nome, None)
    ordine_n = list(N)
    for nome in ordine_n:
        if azioni.get(nome) != "inserisci":
            continue
        _cn, ni, nf = N[nome]
        nuovi = copie(ni, nf, None)
        k = ordine_n.index(nome)
        ancora = next((fine_a[x] for x in reversed(ordine_n[:k]) if x in fine_a), None)
        if ancora is not None:
            for p in reversed(nuovi):
                ancora.addnext(p)
        else:
            dopo = next((x for x in ordine_n[k + 1:] if x in A), None)
            primo = par_a[A[dopo][1]] if dopo else par_a[0]
            for p in nuovi:
                primo.addprevious(p)
        fine_a[nome] = nuovi[-1]

    custom = _proprieta(za, zn, ln, la)
    out = io.BytesIO()
    nomi = set(za.namelist())
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in za.infolist():
            dati = za.read(info.filename)
            if info.filename == "word/document.xml":
                dati = etree.tostring(radice_a, xml_declaration=True, encoding="UTF-8", standalone=True)
            elif info.filename == "docProps/custom.xml":
                dati = custom
            elif info.filename == "[Content_Types].xml" and "docProps/custom.xml" not in nomi:
                dati = zn.read(info.filename) if "docProps/custom.xml" in zn.namelist() else dati
            elif info.filename == "_rels/.rels" and "docProps/custom.xml" not in nomi:
                dati = zn.read(info.filename)
            z.writestr(info, dati)
        if "docProps/custom.xml" not in nomi:
            z.writestr("docProps/custom.xml", custom)
    return out.getvalue()


def _proprieta(za: zipfile.ZipFile, zn: zipfile.ZipFile, ln: DocumentoLetto, la: DocumentoLetto) -> bytes:
    """Le proprietà del file dell'avvocato (anche quelle dello studio), con le impronte del
    testo appena generato per ogni clausola che la generazione produce."""
    try:
        radice = etree.fromstring(za.read("docProps/custom.xml"))
    except KeyError:
        radice = etree.fromstring(zn.read("docProps/custom.xml"))
    esistenti = {p.get("name"): p for p in radice.iter(f"{{{_CP}}}property")}
    pid = max([int(p.get("pid") or 1) for p in esistenti.values()] or [1])
    try:
        nuove = etree.fromstring(zn.read("docProps/custom.xml"))
    except KeyError:
        nuove = None
    if nuove is not None:
        for p in nuove.iter(f"{{{_CP}}}property"):
            nome = p.get("name")
            valore = p.find(f"{{{_VT}}}lpwstr")
            if nome in esistenti:
                v = esistenti[nome].find(f"{{{_VT}}}lpwstr")
                if v is not None and valore is not None:
                    v.text = valore.text
            else:
                pid += 1
                nuova = copy.deepcopy(p)
                nuova.set("pid", str(pid))
                radice.append(nuova)
    return etree.tostring(radice, xml_declaration=True, encoding="UTF-8", standalone=True)

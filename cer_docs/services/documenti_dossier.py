"""Il dossier di una pratica: un PDF unico con indice e segnalibri, nell'ordine in cui la
richiesta al GSE usa i documenti, e uno zip con tutti i file generati.

Si produce quando ``cer-docs genera`` è chiamato senza ``--documenti`` (tutto il pacchetto).
Il PDF unico parte da una pagina d'indice resa con lo stesso scrittore PDF dei documenti;
ogni documento è un segnalibro di primo livello. Lo zip è deterministico (date fisse).
"""

from __future__ import annotations

import gc
import io
import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

from cer_docs.documents.pdf_oggetti import (
    _CHIAVE_RIF, _CONTEGGIO, _FIGLI, NonTypst as _NonTypst, chiudi_pdf, dizionario_e_flusso as _dizionario_e_flusso,
    oggetti as _oggetti, rinumera as _rinumera, testo_pdf as _testo_pdf,
)
from cer_docs.italiano import plurale
from cer_docs.documents.scrittura_pdf import render_pdf
from cer_docs.documents.struttura import Colonna, Documento, Paragrafo, Segmento, Tabella, Titolo

# Ordine dei documenti nel dossier: prima ciò che si carica con la richiesta di accesso
# (copia GSE dello statuto, atto, regolamenti, mandati, accordi, dichiarazioni), poi le carte
# interne e quelle per i fornitori.
ORDINE_DOSSIER = (
    "statuto_gse", "statuto", "atto_costitutivo", "regolamento", "mandato_referente", "accordo_produttore_terzo",
    "dsan", "informativa_privacy", "registro_membri", "modulo_adesione", "lettera_fornitori_pnrr",
)
_DATA_ZIP = (2020, 1, 1, 0, 0, 0)
_GIA_COMPRESSI = (".pdf", ".docx", ".zip")
"""Formati già compressi: nello zip si mettono così come sono (comprimerli di nuovo costava quasi tutto il
tempo dello zip per guadagnare un decimo dello spazio)."""


def _compressione(nome: str) -> int:
    return zipfile.ZIP_STORED if nome.lower().endswith(_GIA_COMPRESSI) else zipfile.ZIP_DEFLATED


@dataclass
class VoceDossier:
    """Un PDF del dossier: in memoria (``dati``) o già su disco (``percorso``, con le ``pagine`` note)."""

    documento: str
    titolo: str
    file: str
    dati: bytes = b""
    percorso: Path | None = None
    pagine: int | None = None


def ordina(voci: list[VoceDossier]) -> list[VoceDossier]:
    pos = {d: i for i, d in enumerate(ORDINE_DOSSIER)}
    return sorted(voci, key=lambda v: (pos.get(v.documento, len(pos)), voci.index(v)))


def _documento_indice(titolo: str, intestazione: str, righe: list[tuple[str, str, int]], bozza: bool) -> Documento:
    doc = Documento(tipo="indice", titolo=titolo, intestazione=intestazione, bozza=bozza)
    doc.blocchi.append(Titolo(testo=titolo, sottotitoli=[intestazione]))
    doc.blocchi.append(Paragrafo(segmenti=[Segmento(f"{plurale(len(righe), 'documento', 'documenti')} nell'ordine della richiesta.")]))
    doc.blocchi.append(Tabella(
        colonne=[Colonna("N.", 0.5, "destra"), Colonna("Documento", 5.0), Colonna("File", 4.0),
                 Colonna("Pagina", 0.9, "destra")],
        righe=[[str(i), t, f, str(p)] for i, (t, f, p) in enumerate(righe, 1)],
    ))
    return doc


def _indice(titolo: str, intestazione: str, righe: list[tuple[str, str, int]], bozza: bool) -> bytes:
    return render_pdf(_documento_indice(titolo, intestazione, righe, bozza))


def pdf_unico(voci: list[VoceDossier], titolo: str, intestazione: str, *, bozza: bool = False) -> bytes:
    """I PDF nell'ordine del dossier, preceduti dall'indice, con un segnalibro per documento
    (in memoria: gli stessi byte di ``pdf_unico_su_file``)."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="cer-docs-dossier-") as tmp:
        dest = Path(tmp) / "dossier.pdf"
        pdf_unico_su_file(voci, dest, titolo, intestazione, bozza=bozza)
        return dest.read_bytes()


def zip_di(file: list[tuple[str, bytes]]) -> bytes:
    """Zip deterministico dei file (nome, contenuto), nell'ordine dato."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for nome, dati in file:
            info = zipfile.ZipInfo(nome, date_time=_DATA_ZIP)
            info.compress_type = _compressione(nome)
            info.external_attr = 0o644 << 16
            z.writestr(info, dati)
    return out.getvalue()


_RIGHE_PER_PAGINA_INDICE = 30
SOGLIA_FLUSSO = 150
"""Oltre questo numero di documenti il dossier si scrive a flusso (``_concatena_a_flusso``): pypdf
tiene in memoria tutti gli oggetti di tutti i PDF (~0,5 MB per documento misurati), il flusso ne
tiene uno alla volta. Fino alla soglia resta pypdf, e il file è identico a quello di sempre."""  # stima per partire: l'indice si rifà solo se la stima sbaglia


VELOCE = True
"""I PDF di Typst si uniscono copiandone gli oggetti byte per byte (``_concatena_typst``), senza
pypdf: ~10 volte più veloce e a memoria piatta. pypdf (o ``_concatena_a_flusso`` oltre la soglia)
resta per un PDF che non ha quella forma, e per i test che confrontano le due strade."""


def pdf_unico_su_file(voci: list[VoceDossier], destinazione: Path, titolo: str, intestazione: str, *,
                      bozza: bool = False, cache=None) -> int:
    """Come ``pdf_unico``, ma legge i PDF dai loro file e scrive il dossier in ``destinazione``;
    restituisce il numero di pagine. Le pagine di ogni documento sono quelle già note dalla resa
    (nessuna rilettura per contarle); l'indice si impagina una volta se la stima delle sue pagine
    è giusta. Il file è identico a quello di ``pdf_unico`` sugli stessi documenti."""
    voci = ordina(voci)
    pagine = []
    for v in voci:
        if v.pagine is None:
            from pypdf import PdfReader  # solo qui e per la via lenta: importarlo costa ~0,1 s

            v.pagine = len(PdfReader(v.percorso if v.percorso is not None else io.BytesIO(v.dati)).pages)
        pagine.append(v.pagine)
    n_indice = max(1, -(-len(voci) // _RIGHE_PER_PAGINA_INDICE))
    for _ in range(3):  # l'indice può occupare più pagine: si ricalcola finché è stabile
        inizio, righe = n_indice + 1, []
        for v, n in zip(voci, pagine):
            righe.append((v.titolo, v.file, inizio))
            inizio += n
        dati_indice, n = _pdf_indice(_documento_indice(titolo, intestazione, righe, bozza), cache)
        if n == n_indice:
            break
        n_indice = n
    if VELOCE:
        parti = [("Indice", io.BytesIO(dati_indice), False)]
        parti += [(v.titolo, v.percorso if v.percorso is not None else io.BytesIO(v.dati), True) for v in voci]
        try:
            with open(destinazione, "wb") as f:
                _concatena_typst(parti, f, titolo)
            return sum(pagine) + n
        except _NonTypst:
            pass  # un PDF d'altra forma: si rifà con pypdf qui sotto (il file si riscrive da capo)
    from pypdf import PdfReader, PdfWriter

    if len(voci) > SOGLIA_FLUSSO:
        parti = [("Indice", io.BytesIO(dati_indice), False)]
        parti += [(v.titolo, v.percorso if v.percorso is not None else io.BytesIO(v.dati), True) for v in voci]
        del dati_indice
        _concatena_a_flusso(parti, destinazione, titolo)
        return sum(pagine) + n
    w = PdfWriter()
    w.append(PdfReader(io.BytesIO(dati_indice)), outline_item="Indice", import_outline=False)
    del dati_indice
    for v in voci:
        # segnalibro del documento, con i segnalibri propri (articoli, sezioni) annidati sotto
        w.append(PdfReader(v.percorso) if v.percorso is not None else PdfReader(io.BytesIO(v.dati)),
                 outline_item=v.titolo)
    w.add_metadata({"/Title": titolo})
    with open(destinazione, "wb") as f:
        w.write(f)
    return sum(pagine) + n


def _pdf_indice(doc: Documento, cache) -> tuple[bytes, int]:
    """L'indice impaginato, dalla cache se c'è (una rigenerazione senza modifiche non crea il compilatore Typst)."""
    from cer_docs.documents.cache import chiave_documento, conta_resa
    from cer_docs.documents.scrittura_pdf import Impaginatore, dimentica_impaginazioni

    k = chiave_documento(doc, "pdf") if cache is not None else None
    if k is not None:
        voce = cache.leggi(k)
        if voce is not None and voce.pagine is not None:
            return voce.dati, voce.pagine
    dati, n = Impaginatore().pdf_e_pagine(doc)
    # l'indice di un dossier di centinaia di documenti è una tabella di decine di pagine: Typst ne terrebbe
    # l'impaginazione in memoria per le compilazioni successive (500 membri: picco da ~360 a ~200 MB)
    dimentica_impaginazioni()
    conta_resa("pdf", doc)
    if k is not None:
        cache.scrivi(k, dati, n)
    return dati, n


def zip_su_file(file: list[tuple[str, Path]], destinazione: Path) -> None:
    """Come ``zip_di`` (stessi byte), leggendo i file dal disco a blocchi e scrivendo lo zip su disco."""
    with zipfile.ZipFile(destinazione, "w", zipfile.ZIP_DEFLATED) as z:
        for nome, percorso in file:
            info = zipfile.ZipInfo(nome, date_time=_DATA_ZIP)
            info.compress_type = _compressione(nome)
            info.external_attr = 0o644 << 16
            info.file_size = Path(percorso).stat().st_size
            with open(percorso, "rb") as sorgente, z.open(info, "w") as dest:
                shutil.copyfileobj(sorgente, dest, 1 << 20)


def _serializza(o, mappa: dict[tuple[int, int], int], out: list[bytes], genitore: int | None = None) -> None:
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

    if isinstance(o, IndirectObject):
        out.append(b"%d 0 R" % mappa[(o.idnum, o.generation)])
    elif isinstance(o, StreamObject):
        dati = o._data
        _serializza_dizionario(o, mappa, out, genitore, lunghezza=len(dati))
        out.append(b"\nstream\n")
        out.append(dati)
        out.append(b"\nendstream")
    elif isinstance(o, DictionaryObject):
        _serializza_dizionario(o, mappa, out, genitore)
    elif isinstance(o, ArrayObject):
        out.append(b"[")
        for i, x in enumerate(o):
            if i:
                out.append(b" ")
            _serializza(x, mappa, out)
        out.append(b"]")
    else:
        b = io.BytesIO()
        o.write_to_stream(b)
        out.append(b.getvalue())


def _serializza_dizionario(o, mappa, out: list[bytes], genitore: int | None, lunghezza: int | None = None) -> None:
    from pypdf.generic import NameObject

    out.append(b"<<")
    for k, v in o.items():
        if lunghezza is not None and k == "/Length":
            continue
        b = io.BytesIO()
        (k if hasattr(k, "write_to_stream") else NameObject(k)).write_to_stream(b)
        out.append(b.getvalue())
        out.append(b" ")
        if genitore is not None and k == "/Parent":
            out.append(b"%d 0 R" % genitore)
        else:
            _serializza(v, mappa, out)
        out.append(b"\n")
    if lunghezza is not None:
        out.append(b"/Length %d" % lunghezza)
    out.append(b">>")


def _riferimenti(o, salta_parent: bool):
    """I riferimenti indiretti dentro un oggetto (senza seguirli)."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    pila = [o]
    while pila:
        x = pila.pop()
        if isinstance(x, IndirectObject):
            yield x
        elif isinstance(x, DictionaryObject):
            for k, v in x.items():
                if salta_parent and k == "/Parent":
                    continue
                pila.append(v)
        elif isinstance(x, ArrayObject):
            pila.extend(x)


def _concatena_a_flusso(parti: list[tuple[str, object, bool]], destinazione: Path, titolo: str) -> None:
    """PDF unico scritto man mano: per ogni parte (titolo del segnalibro, file, con i suoi
    segnalibri?) si leggono le pagine e gli oggetti che usano, si scrivono con numeri nuovi e si
    dimentica il lettore. Restano in memoria solo le posizioni degli oggetti e i segnalibri."""
    from pypdf import PdfReader
    from pypdf.generic import NullObject, TextStringObject

    RADICE, PAGINE, SEGNALIBRI = 1, 2, 3
    posizioni: dict[int, int] = {}
    prossimo = [4]
    figli_pagine: list[int] = []
    albero: list[dict] = []  # segnalibri: {"titolo", "pagina", "xyz", "figli"}

    def nuovo() -> int:
        prossimo[0] += 1
        return prossimo[0] - 1

    def numero(x) -> bytes:
        if x is None or isinstance(x, NullObject):
            return b"null"
        return (b"%.6f" % float(x)).rstrip(b"0").rstrip(b".") or b"0"

    with open(destinazione, "wb") as f:
        f.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

        def scrivi(n: int, corpo: list[bytes]) -> None:
            posizioni[n] = f.tell()
            f.write(b"%d 0 obj\n" % n)
            f.write(b"".join(corpo))
            f.write(b"\nendobj\n")

        for titolo_parte, sorgente, importa in parti:
            r = PdfReader(sorgente)
            mappa: dict[tuple[int, int], int] = {}
            pagine_rif = [p.indirect_reference for p in r.pages]
            id_pagine = set()
            coda = []
            for ref in pagine_rif:
                k = (ref.idnum, ref.generation)
                mappa[k] = nuovo()
                id_pagine.add(k)
                coda.append(ref)
            figli_pagine += [mappa[(ref.idnum, ref.generation)] for ref in pagine_rif]
            i = 0
            while i < len(coda):
                ref = coda[i]
                i += 1
                k = (ref.idnum, ref.generation)
                obj = r.get_object(ref)
                pagina = k in id_pagine
                for x in _riferimenti(obj, salta_parent=pagina):
                    kx = (x.idnum, x.generation)
                    if kx not in mappa:
                        mappa[kx] = nuovo()
                        coda.append(x)
                corpo: list[bytes] = []
                _serializza(obj, mappa, corpo, genitore=PAGINE if pagina else None)
                scrivi(mappa[k], corpo)

            def converti(voci) -> list[dict]:
                out: list[dict] = []
                for v in voci:
                    if isinstance(v, list):
                        if out:
                            out[-1]["figli"] += converti(v)
                        continue
                    ref = v.page
                    pagina = mappa.get((ref.idnum, ref.generation)) if hasattr(ref, "idnum") else None
                    if pagina is None:
                        continue
                    out.append({"titolo": str(v.title), "pagina": pagina,
                                "xyz": (v.get("/Left"), v.get("/Top"), v.get("/Zoom")), "figli": []})
                return out

            albero.append({"titolo": titolo_parte, "pagina": mappa[(pagine_rif[0].idnum, pagine_rif[0].generation)],
                           "xyz": None, "figli": converti(r.outline) if importa else []})
            del r, mappa, coda
            if len(albero) % 50 == 0:
                gc.collect()  # i lettori di pypdf hanno riferimenti circolari: si liberano qui, non più tardi

        def scrivi_segnalibri(voci: list[dict], genitore: int) -> tuple[int, int]:
            numeri = [nuovo() for _ in voci]
            for j, (v, n) in enumerate(zip(voci, numeri)):
                corpo = [b"<</Title "]
                b = io.BytesIO()
                TextStringObject(v["titolo"]).write_to_stream(b)
                corpo.append(b.getvalue())
                corpo.append(b" /Parent %d 0 R" % genitore)
                if j > 0:
                    corpo.append(b" /Prev %d 0 R" % numeri[j - 1])
                if j + 1 < len(numeri):
                    corpo.append(b" /Next %d 0 R" % numeri[j + 1])
                if v["xyz"] is None:
                    corpo.append(b" /Dest [%d 0 R /Fit]" % v["pagina"])
                else:
                    corpo.append(b" /Dest [%d 0 R /XYZ %s %s %s]" % ((v["pagina"],) + tuple(numero(x) for x in v["xyz"])))
                if v["figli"]:
                    primo, ultimo = scrivi_segnalibri(v["figli"], n)
                    corpo.append(b" /First %d 0 R /Last %d 0 R /Count -%d" % (primo, ultimo, len(v["figli"])))
                corpo.append(b">>")
                scrivi(n, corpo)
            return numeri[0], numeri[-1]

        primo, ultimo = scrivi_segnalibri(albero, SEGNALIBRI)
        scrivi(SEGNALIBRI, [b"<</Type /Outlines /First %d 0 R /Last %d 0 R /Count %d>>" % (primo, ultimo, len(albero))])
        scrivi(PAGINE, [b"<</Type /Pages /Count %d /Kids [" % len(figli_pagine),
                        b" ".join(b"%d 0 R" % n for n in figli_pagine), b"]>>"])
        scrivi(RADICE, [b"<</Type /Catalog /Pages %d 0 R /Outlines %d 0 R>>" % (PAGINE, SEGNALIBRI)])
        info = nuovo()
        b = io.BytesIO()
        TextStringObject(titolo).write_to_stream(b)
        scrivi(info, [b"<</Title ", b.getvalue(), b" /Producer (cer-docs)>>"])
        inizio_xref = f.tell()
        totale = prossimo[0]
        f.write(b"xref\n0 %d\n0000000000 65535 f \n" % totale)
        for n in range(1, totale):
            f.write(b"%010d 00000 n \n" % posizioni[n])
        f.write(b"trailer\n<</Size %d /Root %d 0 R /Info %d 0 R>>\nstartxref\n%d\n%%%%EOF\n"
                % (totale, RADICE, info, inizio_xref))


# ----------------------------------------------------------------------------- unione veloce dei PDF di Typst


def _concatena_typst(parti: list[tuple[str, object, bool]], f, titolo: str) -> None:
    """Come ``_concatena_a_flusso``, ma per i PDF di Typst senza pypdf: gli oggetti di ogni PDF si
    copiano byte per byte con i numeri spostati (i flussi, cioè testo delle pagine e caratteri,
    non si decomprimono né si analizzano). L'albero delle pagine di ogni documento diventa un ramo
    di quello del dossier e la radice dei suoi segnalibri diventa il segnalibro del documento, con
    i segnalibri propri (articoli, sezioni) annidati sotto. Un PDF alla volta in memoria.
    Solleva ``_NonTypst`` se un PDF non ha la forma attesa (chi chiama ricomincia con pypdf)."""
    RADICE, PAGINE, SEGNALIBRI = 1, 2, 3
    prossimo = 4
    posizioni: dict[int, int] = {}
    rami: list[int] = []
    voci: list[tuple[int, str, int, bytes]] = []  # numero, titolo, prima pagina, /First /Last /Count dei figli
    totale_pagine = 0
    lingua = b""
    f.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    def scrivi(n: int, corpo: bytes) -> None:
        posizioni[n] = f.tell()
        f.write(b"%d 0 obj\n" % n)
        f.write(corpo)
        f.write(b"endobj\n")

    for titolo_parte, sorgente, importa in parti:
        dati = sorgente.read_bytes() if isinstance(sorgente, Path) else sorgente.getvalue()
        oggetti, radice, info, n = _oggetti(dati)
        del dati
        base = prossimo - 1
        catalogo = oggetti.pop(radice)
        if info is not None:
            oggetti.pop(info, None)
        pagine = int(_CHIAVE_RIF[b"Pages"].search(catalogo).group(1))
        metadati = _CHIAVE_RIF[b"Metadata"].search(catalogo)
        if metadati:
            oggetti.pop(int(metadati.group(1)), None)
        if not lingua:
            m = re.search(rb"/Lang(\([^()]*\))", catalogo)
            lingua = m.group(1) if m else b""
        segn = _CHIAVE_RIF[b"Outlines"].search(catalogo)
        radice_segn = int(segn.group(1)) if segn else None
        figli = b""
        if radice_segn is not None:
            r = oggetti.pop(radice_segn)
            if importa:
                primo, ultimo, conta = (_CHIAVE_RIF[b"First"].search(r), _CHIAVE_RIF[b"Last"].search(r),
                                        _CONTEGGIO.search(r))
                if primo and ultimo:
                    figli = b"/First %d 0 R/Last %d 0 R/Count -%d" % (
                        int(primo.group(1)) + base, int(ultimo.group(1)) + base, abs(int(conta.group(1))) if conta else 1)
        albero = oggetti[pagine]
        kids = _FIGLI.search(albero)
        conta_pagine = _CONTEGGIO.search(albero)
        if kids is None or conta_pagine is None or not albero.startswith(b"<<"):
            raise _NonTypst("albero delle pagine")
        prima = int(kids.group(1).split()[0])
        if b"/Type/Page/" not in oggetti.get(prima, b"") and b"/Type/Page>" not in oggetti.get(prima, b""):
            raise _NonTypst("albero delle pagine a più livelli")
        prima += base
        totale_pagine += int(conta_pagine.group(1))
        rami.append(pagine + base)
        for k in sorted(oggetti):
            diz, flusso = _dizionario_e_flusso(oggetti[k])
            diz = _rinumera(diz, base)
            if k == pagine:  # il ramo del documento appeso all'albero delle pagine del dossier
                diz = b"<</Parent %d 0 R" % PAGINE + diz[2:]
            scrivi(k + base, diz + flusso)
        prossimo = base + n
        # il segnalibro del documento prende il numero della radice dei suoi segnalibri: i figli vi
        # puntano già (quelli dell'indice restano fuori dall'albero, senza /First)
        if radice_segn is not None:
            numero = radice_segn + base
        else:
            numero, prossimo = prossimo, prossimo + 1
        voci.append((numero, titolo_parte, prima, figli))
        del oggetti

    for j, (numero, titolo_voce, prima, figli) in enumerate(voci):
        corpo = b"<</Title " + _testo_pdf(titolo_voce) + b"/Parent %d 0 R" % SEGNALIBRI
        if j > 0:
            corpo += b"/Prev %d 0 R" % voci[j - 1][0]
        if j + 1 < len(voci):
            corpo += b"/Next %d 0 R" % voci[j + 1][0]
        scrivi(numero, corpo + b"/Dest[%d 0 R/Fit]" % prima + figli + b">>\n")
    scrivi(SEGNALIBRI, b"<</Type/Outlines/First %d 0 R/Last %d 0 R/Count %d>>\n" % (voci[0][0], voci[-1][0], len(voci)))
    scrivi(PAGINE, b"<</Type/Pages/Count %d/Kids[" % totale_pagine + b" ".join(b"%d 0 R" % n for n in rami) + b"]>>\n")
    scrivi(RADICE, b"<</Type/Catalog/Pages %d 0 R/Outlines %d 0 R" % (PAGINE, SEGNALIBRI)
           + (b"/Lang" + lingua if lingua else b"") + b">>\n")
    chiudi_pdf(f, scrivi, posizioni, RADICE, titolo, b"/Producer(cer-docs)")

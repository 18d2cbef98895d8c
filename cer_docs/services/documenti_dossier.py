"""Il dossier di una pratica: un PDF unico con indice e segnalibri, nell'ordine in cui la
richiesta al GSE usa i documenti, e uno zip con tutti i file generati.

Si produce quando ``cer-docs genera`` è chiamato senza ``--documenti`` (tutto il pacchetto).
Il PDF unico parte da una pagina d'indice resa con lo stesso scrittore PDF dei documenti;
ogni documento è un segnalibro di primo livello. Lo zip è deterministico (date fisse).
"""

from __future__ import annotations

import io
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

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
    """I PDF nell'ordine del dossier, preceduti dall'indice, con un segnalibro per documento."""
    from pypdf import PdfReader, PdfWriter

    voci = ordina(voci)
    lettori = [PdfReader(io.BytesIO(v.dati)) for v in voci]
    pagine = [len(r.pages) for r in lettori]
    n_indice = 1
    for _ in range(3):  # l'indice può occupare più pagine: si ricalcola finché è stabile
        inizio, righe = n_indice + 1, []
        for v, n in zip(voci, pagine):
            righe.append((v.titolo, v.file, inizio))
            inizio += n
        dati_indice = _indice(titolo, intestazione, righe, bozza)
        n = len(PdfReader(io.BytesIO(dati_indice)).pages)
        if n == n_indice:
            break
        n_indice = n
    w = PdfWriter()
    w.append(PdfReader(io.BytesIO(dati_indice)), outline_item="Indice", import_outline=False)
    for v, r in zip(voci, lettori):
        # segnalibro del documento, con i segnalibri propri (articoli, sezioni) annidati sotto
        w.append(r, outline_item=v.titolo)
    w.add_metadata({"/Title": titolo})
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def zip_di(file: list[tuple[str, bytes]]) -> bytes:
    """Zip deterministico dei file (nome, contenuto), nell'ordine dato."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for nome, dati in file:
            info = zipfile.ZipInfo(nome, date_time=_DATA_ZIP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, dati)
    return out.getvalue()


_RIGHE_PER_PAGINA_INDICE = 30  # stima per partire: l'indice si rifà solo se la stima sbaglia


def pdf_unico_su_file(voci: list[VoceDossier], destinazione: Path, titolo: str, intestazione: str, *,
                      bozza: bool = False, cache=None) -> int:
    """Come ``pdf_unico``, ma legge i PDF dai loro file e scrive il dossier in ``destinazione``;
    restituisce il numero di pagine. Le pagine di ogni documento sono quelle già note dalla resa
    (nessuna rilettura per contarle); l'indice si impagina una volta se la stima delle sue pagine
    è giusta. Il file è identico a quello di ``pdf_unico`` sugli stessi documenti."""
    from pypdf import PdfReader, PdfWriter

    voci = ordina(voci)
    pagine = []
    for v in voci:
        if v.pagine is None:
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
    """L'indice impaginato, dalla cache se c'è (una rigenerazione senza modifiche non carica WeasyPrint)."""
    from cer_docs.documents.cache import chiave_documento, conta_resa
    from cer_docs.documents.scrittura_pdf import Impaginatore

    k = chiave_documento(doc, "pdf") if cache is not None else None
    if k is not None:
        voce = cache.leggi(k)
        if voce is not None and voce.pagine is not None:
            return voce.dati, voce.pagine
    dati, n = Impaginatore().pdf_e_pagine(doc)
    conta_resa("pdf", doc)
    if k is not None:
        cache.scrivi(k, dati, n)
    return dati, n


def zip_su_file(file: list[tuple[str, Path]], destinazione: Path) -> None:
    """Come ``zip_di`` (stessi byte), leggendo i file dal disco a blocchi e scrivendo lo zip su disco."""
    with zipfile.ZipFile(destinazione, "w", zipfile.ZIP_DEFLATED) as z:
        for nome, percorso in file:
            info = zipfile.ZipInfo(nome, date_time=_DATA_ZIP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.file_size = Path(percorso).stat().st_size
            with open(percorso, "rb") as sorgente, z.open(info, "w") as dest:
                shutil.copyfileobj(sorgente, dest, 1 << 20)

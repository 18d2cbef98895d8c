"""Il dossier di una pratica: un PDF unico con indice e segnalibri, nell'ordine in cui la
richiesta al GSE usa i documenti, e uno zip con tutti i file generati.

Si produce quando ``cer-docs genera`` è chiamato senza ``--documenti`` (tutto il pacchetto).
Il PDF unico parte da una pagina d'indice resa con lo stesso scrittore PDF dei documenti;
ogni documento è un segnalibro di primo livello. Lo zip è deterministico (date fisse).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

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
    documento: str
    titolo: str
    file: str
    dati: bytes


def ordina(voci: list[VoceDossier]) -> list[VoceDossier]:
    pos = {d: i for i, d in enumerate(ORDINE_DOSSIER)}
    return sorted(voci, key=lambda v: (pos.get(v.documento, len(pos)), voci.index(v)))


def _indice(titolo: str, intestazione: str, righe: list[tuple[str, str, int]], bozza: bool) -> bytes:
    doc = Documento(tipo="indice", titolo=titolo, intestazione=intestazione, bozza=bozza)
    doc.blocchi.append(Titolo(testo=titolo, sottotitoli=[intestazione]))
    doc.blocchi.append(Paragrafo(segmenti=[Segmento(f"{plurale(len(righe), 'documento', 'documenti')} nell'ordine della richiesta.")]))
    doc.blocchi.append(Tabella(
        colonne=[Colonna("N.", 0.5, "destra"), Colonna("Documento", 5.0), Colonna("File", 4.0),
                 Colonna("Pagina", 0.9, "destra")],
        righe=[[str(i), t, f, str(p)] for i, (t, f, p) in enumerate(righe, 1)],
    ))
    return render_pdf(doc)


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

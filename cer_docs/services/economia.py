"""Simulazione economica per la UI e la riga di comando: la sola porta verso ``cer_docs.economia``.

L'anno e la data del rapporto arrivano da chi chiama (la UI e la CLI li prendono dall'orologio o
dall'utente). Errori d'uso: ``ErroreEconomia``, con un messaggio italiano da mostrare così com'è.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from cer_docs.economia import grafici
from cer_docs.economia.fotovoltaico import DESCRIZIONE_METODO, ErrorePvgis
from cer_docs.economia.misure import ErroreMisure, leggi_misure, leggi_prezzi, prezzi_suborari
from cer_docs.economia.riparto import CATEGORIE, ETICHETTE_CATEGORIE
from cer_docs.economia.simulazione import (ErroreSimulazione, ImpiantoIpotetico, Opzioni, Simulazione,
                                           sensibilita_prezzi, simula)
from cer_docs.italiano import importo, numero
from cer_docs.model import Pratica
from cer_docs.rules.base import ParametroNonDefinito, param

from .pnrr import apri_pratica

__all__ = ["CATEGORIE", "DESCRIZIONE_METODO", "ETICHETTE_CATEGORIE", "ErroreEconomia", "ImpiantoIpotetico",
           "Richiesta", "Simulazione", "apri_pratica", "confronto", "durata_tariffa", "grafici", "json_simulazione",
           "rapporto_pdf", "report_testo", "sensibilita", "simulazione"]


class ErroreEconomia(Exception):
    """Errore d'uso con un messaggio italiano da mostrare così com'è."""


@dataclass
class Richiesta:
    """Ciò che l'utente sceglie: anno, misure, prezzi, PVGIS per impianto, orizzonte, ipotesi."""

    anno: int
    misure: bytes | None = None
    prezzi: bytes | None = None
    pvgis: dict[str, bytes] | None = None
    orizzonte_anni: int | None = None
    riparto: dict[str, Decimal] | None = None
    impianti_aggiunti: list[ImpiantoIpotetico] | None = None
    famiglie_aggiunte: int = 0
    consumo_famiglia_kwh: float | None = None
    configurazione_ipotesi: int = 0

    def opzioni(self) -> Opzioni:
        try:
            misure = leggi_misure(self.misure) if self.misure is not None else None
        except ErroreMisure as e:
            raise ErroreEconomia(f"Misure: {e}") from None
        try:
            prezzi = leggi_prezzi(self.prezzi) if self.prezzi is not None else None
            suborari = prezzi_suborari(self.prezzi) if self.prezzi is not None else False
        except ErroreMisure as e:
            raise ErroreEconomia(f"Prezzi: {e}") from None
        if self.orizzonte_anni is not None and not 1 <= self.orizzonte_anni <= 50:
            raise ErroreEconomia("l'orizzonte va da 1 a 50 anni")
        return Opzioni(anno=self.anno, misure=misure, prezzi=prezzi, prezzi_suborari=suborari,
                       pvgis=dict(self.pvgis or {}),
                       orizzonte_anni=self.orizzonte_anni, riparto=self.riparto,
                       impianti_aggiunti=list(self.impianti_aggiunti or []), famiglie_aggiunte=self.famiglie_aggiunte,
                       consumo_famiglia_kwh=self.consumo_famiglia_kwh,
                       configurazione_famiglie=self.configurazione_ipotesi)


def _coperta(fn, *args, **kwargs):  # noqa: ANN001, ANN202
    try:
        return fn(*args, **kwargs)
    except (ErroreSimulazione, ErrorePvgis) as e:
        raise ErroreEconomia(str(e)) from None
    except ParametroNonDefinito as e:
        raise ErroreEconomia(f"le regole codificate non coprono l'anno chiesto ({e}): scegli un anno dal 2024") from None


def simulazione(pratica: Pratica, richiesta: Richiesta) -> Simulazione:
    return _coperta(simula, pratica, richiesta.opzioni())


def sensibilita(pratica: Pratica, richiesta: Richiesta) -> list[dict[str, Any]]:
    return _coperta(sensibilita_prezzi, pratica, richiesta.opzioni())


def durata_tariffa(anno: int) -> int:
    return int(param("tariffa_premio_durata_anni", dt.date(anno, 12, 31)))


def rapporto_pdf(pratica: Pratica, richiesta: Richiesta, redatto_il: dt.date,
                 sim: Simulazione | None = None) -> bytes:
    from cer_docs.economia.report import rapporto_pdf as _pdf

    sim = sim or simulazione(pratica, richiesta)
    return _coperta(_pdf, sim, sensibilita(pratica, richiesta), redatto_il)


def json_simulazione(sim: Simulazione) -> str:
    return json.dumps(sim.as_dict(), ensure_ascii=False, indent=2)


def confronto(base: Simulazione, variante: Simulazione, nome_variante: str) -> list[dict[str, Any]]:
    """Le voci principali dei due scenari affiancate, per tabella e grafico."""
    tb, tv = base.totali(), variante.totali()
    voci = [("Energia condivisa (MWh)", "energia_condivisa_kwh", 1000), ("Tariffa premio (€)", "tariffa_premio_euro", 1),
            ("Valorizzazione (€)", "valorizzazione_euro", 1), ("Quota eccedentaria (€)", "quota_eccedentaria_euro", 1),
            ("Beneficio netto (€)", "beneficio_netto_euro", 1)]
    righe = []
    for etichetta, chiave, div in voci:
        righe.append({"voce": etichetta, "scenario": "Pratica attuale", "valore": float(tb[chiave]) / div})
        righe.append({"voce": etichetta, "scenario": nome_variante, "valore": float(tv[chiave]) / div})
    return righe


def report_testo(sim: Simulazione) -> str:
    """Riepilogo leggibile per il terminale."""
    t = sim.totali()
    righe = [f"Simulazione economica – {sim.denominazione}",
             (f"Misure: {numero(sim.ore)} ore dal {sim.inizio} al {sim.fine}" if sim.misurato
              else f"Anno {sim.anno}: {numero(sim.ore)} ore, profili e produzione stimati"),
             f"Prezzi: {sim.prezzi} (media {numero(sim.prezzo_medio_euro_mwh, 1)} €/MWh)", ""]
    for c in sim.configurazioni:
        righe.append(f"Configurazione {c.id} – {c.denominazione} ({c.tipo})")
        righe.append(f"  energia immessa {numero(c.energia_immessa_kwh, 0)} kWh, prelevata "
                     f"{numero(c.energia_prelevata_kwh, 0)} kWh, condivisa {numero(c.energia_condivisa_kwh, 0)} kWh")
        for i in c.impianti:
            righe.append(f"  · {i.id}: {numero(i.potenza_kw)} kW, fascia {i.fascia}, F {numero(i.fattore_f, 2)}, "
                         f"condivisa {numero(i.energia_condivisa_kwh, 0)} kWh, tariffa premio {importo(i.tariffa_premio_euro)}")
        righe.append(f"  tariffa premio {importo(c.tariffa_premio_euro)}; valorizzazione {importo(c.valorizzazione_euro)}; "
                     f"corrispettivi GSE −{importo(c.corrispettivi_gse_euro)}; beneficio netto "
                     f"{importo(c.beneficio_netto_euro)} (di cui quota eccedentaria {importo(c.quota_eccedentaria_euro)})")
        for m in c.membri:
            if m.beneficio_euro:
                righe.append(f"    {m.nome}: {importo(m.beneficio_euro)}")
        for k, v in c.comunita_euro.items():
            if v:
                righe.append(f"    {ETICHETTE_CATEGORIE.get(k, k)} (alla comunità): {importo(v)}")
        righe.append("")
    righe.append(f"Totale beneficio netto: {importo(t['beneficio_netto_euro'])} all'anno; in {sim.orizzonte_anni} anni "
                 f"{importo(t['beneficio_orizzonte_euro'])} (valori costanti, dopo i corrispettivi una tantum)")
    if sim.avvisi:
        righe += ["", "Avvisi:"] + [f"  ! {a}" for a in sim.avvisi]
    righe += ["", "Ipotesi:"] + [f"  - {i}" for i in sim.ipotesi]
    return "\n".join(righe) + "\n"


def leggi_file(percorso: str | Path) -> bytes:
    try:
        return Path(percorso).expanduser().read_bytes()
    except OSError as e:
        raise ErroreEconomia(f"non posso leggere '{percorso}' ({e.strerror or e})") from None

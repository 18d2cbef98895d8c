"""I risultati della simulazione: per impianto, per membro, per configurazione e in totale.

Importi in ``Decimal`` al centesimo, energie in kWh (float). ``Simulazione.as_dict()`` è il JSON di
``cer-docs simula --json``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

import numpy as np

@dataclass
class EsitoImpianto:
    id: str
    denominazione: str
    fonte: str
    potenza_kw: float
    fascia: int
    produttore: str
    incentivato: bool
    fattore_f: float
    correzione_euro_mwh: float
    energia_prodotta_kwh: float
    energia_immessa_kwh: float
    energia_condivisa_kwh: float
    energia_incentivata_kwh: float
    tariffa_premio_euro: Decimal
    tariffa_media_euro_mwh: float
    corrispettivo_gse_euro: Decimal
    metodo_produzione: str


@dataclass
class EsitoMembro:
    soggetto: str
    nome: str
    categorie: dict[str, Decimal]
    beneficio_euro: Decimal
    prelievo_condiviso_kwh: float
    immissione_condivisa_kwh: float


@dataclass
class EsitoConfigurazione:
    id: str
    denominazione: str
    tipo: str
    energia_condivisa_kwh: float
    energia_immessa_kwh: float
    energia_prelevata_kwh: float
    energia_prodotta_kwh: float
    consumo_kwh: float
    tariffa_premio_euro: Decimal
    valorizzazione_euro: Decimal
    quota_eccedentaria_euro: Decimal
    corrispettivi_gse_euro: Decimal
    corrispettivi_gse_una_tantum_euro: Decimal
    beneficio_netto_euro: Decimal
    quota_eccedente_pct: dict[str, float]
    impianti: list[EsitoImpianto]
    membri: list[EsitoMembro]
    categorie_euro: dict[str, Decimal]
    comunita_euro: dict[str, Decimal]
    mensile: list[dict[str, float]]
    giorno_tipo: list[dict[str, Any]]


@dataclass
class Simulazione:
    denominazione: str
    anno: int
    al: dt.date
    ore: int
    inizio: str
    fine: str
    misurato: bool
    prezzi: str
    prezzo_medio_euro_mwh: float
    orizzonte_anni: int
    configurazioni: list[EsitoConfigurazione]
    ipotesi: list[str]
    avvisi: list[str]
    fonti: list[dict[str, Any]]

    # ----------------------------------------------------------------- totali
    def _somma(self, campo: str) -> Any:
        return sum((getattr(c, campo) for c in self.configurazioni), Decimal(0) if campo.endswith("_euro") else 0.0)

    @property
    def beneficio_netto_euro(self) -> Decimal:
        return self._somma("beneficio_netto_euro")

    def totali(self) -> dict[str, Any]:
        campi = ("energia_condivisa_kwh", "energia_immessa_kwh", "energia_prelevata_kwh", "energia_prodotta_kwh",
                 "consumo_kwh", "tariffa_premio_euro", "valorizzazione_euro", "quota_eccedentaria_euro",
                 "corrispettivi_gse_euro", "corrispettivi_gse_una_tantum_euro", "beneficio_netto_euro")
        out = {c: self._somma(c) for c in campi}
        out["beneficio_orizzonte_euro"] = (self.beneficio_netto_euro * self.orizzonte_anni
                                           - out["corrispettivi_gse_una_tantum_euro"])
        return out

    def membri(self) -> list[EsitoMembro]:
        """I membri con il beneficio sommato su tutte le configurazioni."""
        per: dict[str, EsitoMembro] = {}
        for c in self.configurazioni:
            for m in c.membri:
                if m.soggetto not in per:
                    per[m.soggetto] = EsitoMembro(m.soggetto, m.nome, {}, Decimal("0.00"), 0.0, 0.0)
                t = per[m.soggetto]
                for k, v in m.categorie.items():
                    t.categorie[k] = t.categorie.get(k, Decimal("0.00")) + v
                t.beneficio_euro += m.beneficio_euro
                t.prelievo_condiviso_kwh += m.prelievo_condiviso_kwh
                t.immissione_condivisa_kwh += m.immissione_condivisa_kwh
        return list(per.values())

    def categorie(self) -> dict[str, Decimal]:
        out: dict[str, Decimal] = {}
        for c in self.configurazioni:
            for k, v in c.categorie_euro.items():
                out[k] = out.get(k, Decimal("0.00")) + v
        return out

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["al"] = self.al.isoformat()
        d["totali"] = self.totali()
        d["membri"] = [asdict(m) for m in self.membri()]
        return _json(d)


def _json(o: Any) -> Any:
    if isinstance(o, dict):
        return {k: _json(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [_json(v) for v in o]
    if isinstance(o, Decimal):
        return float(o)
    if isinstance(o, float):
        return round(o, 3)
    if isinstance(o, (np.floating, np.integer)):
        return _json(o.item())
    if isinstance(o, dt.date):
        return o.isoformat()
    return o

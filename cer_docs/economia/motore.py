"""Il motore orario della simulazione: numpy puro, senza pratica, file né orologio.

Per ogni configurazione e ogni ora *h*:

* energia condivisa ``E_h = min(Σ immissioni_h, Σ prelievi_h)`` sui punti della configurazione;
* ripartizione di ``E_h`` tra gli impianti partendo da quelli entrati in esercizio per primi
  (Regole Operative, Appendice A): l'impianto *k* nell'ordine riceve
  ``clip(E_h − Σ_{j<k} immissione_j,h ; 0 ; immissione_k,h)``;
* tariffa premio per impianto e ora: ``min(cap; base + max(0; P_rif − Pz_h)) + correzione`` (la
  correzione geografica solo per il fotovoltaico, fuori dal tetto), per (1 − F) sull'energia non
  attribuibile ai punti esenti; l'energia prelevata dai punti esenti va per prima agli impianti con
  contributo (tra questi, in proporzione alla loro energia condivisa: scelta di modello);
* valorizzazione ``E_h × corrispettivo unitario``;
* quota eccedentaria annua per insieme di impianti (solo tariffa / tariffa con contributo): la
  differenza in punti percentuali tra il rapporto condivisa/immessa e la soglia, per la tariffa di
  quell'insieme.

I contributi dei membri per il riparto: per ogni punto ``Σ_h prelievo_i,h / Σ prelievi_h × E_h`` e per
ogni impianto ``Σ_h immissione_k,h / Σ immissioni_h × E_h`` (il suo apporto nelle ore di condivisione).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

KWH_PER_MWH = 1000.0


@dataclass(frozen=True)
class Fascia:
    numero: int
    fino_a_kw: float | None
    base_euro_mwh: float
    cap_euro_mwh: float


@dataclass(frozen=True)
class ParametriEconomici:
    fasce: tuple[Fascia, ...]
    prezzo_riferimento_euro_mwh: float
    valorizzazione_euro_mwh: float
    soglia_solo_tariffa_pct: float
    soglia_con_contributo_pct: float


def fascia_di(potenza_kw: float, fasce: tuple[Fascia, ...]) -> Fascia:
    """La fascia della potenza: le soglie sono comprese (200 kW è nella prima, 600 kW nella seconda)."""
    for f in fasce:
        if f.fino_a_kw is None or potenza_kw <= f.fino_a_kw:
            return f
    return fasce[-1]


def tariffa_oraria(potenza_kw: float, correzione_euro_mwh: float, pz: np.ndarray, par: ParametriEconomici) -> np.ndarray:
    """Tariffa premio piena (prima di 1 − F) in euro/MWh per ogni ora, dato il prezzo zonale ``pz``.

    ``correzione_euro_mwh`` è già zero per gli impianti non fotovoltaici: si somma fuori dal tetto.
    """
    f = fascia_di(potenza_kw, par.fasce)
    variabile = np.maximum(0.0, par.prezzo_riferimento_euro_mwh - np.asarray(pz, dtype=np.float64))
    return np.minimum(f.cap_euro_mwh, f.base_euro_mwh + variabile) + correzione_euro_mwh


def percentuale_eccedente(condivisa_kwh: float, immessa_kwh: float, soglia_pct: float) -> float:
    """Quota eccedentaria in punti percentuali: max(0; condivisa/immessa × 100 − soglia)."""
    if immessa_kwh <= 0:
        return 0.0
    return max(0.0, condivisa_kwh / immessa_kwh * 100.0 - soglia_pct)


def ripartisci_per_anzianita(condivisa: np.ndarray, immissioni: np.ndarray, ordine: np.ndarray) -> np.ndarray:
    """Energia condivisa di ogni impianto per ora, dai più anziani (``ordine`` = indici dal più anziano)."""
    if immissioni.shape[0] == 0:
        return immissioni.copy()
    imm = immissioni[ordine]
    prima = np.cumsum(imm, axis=0) - imm
    quota = np.clip(condivisa[None, :] - prima, 0.0, imm)
    out = np.empty_like(quota)
    out[ordine] = quota
    return out


@dataclass
class ImpiantoSim:
    id: str
    potenza_kw: float
    anzianita: tuple          # chiave d'ordine: (data di entrata in esercizio, posizione nel file)
    incentivato: bool = True
    quota_incentivabile: float = 1.0   # 1 − potenza d'obbligo / potenza
    fattore_f: float = 0.0
    correzione_euro_mwh: float = 0.0


@dataclass
class IngressoConfigurazione:
    id: str
    prelievi: np.ndarray                   # (punti, ore) kWh
    esenti: np.ndarray                     # (punti,) bool: esenti da 1 − F
    immissioni: np.ndarray                 # (impianti, ore) kWh
    impianti: list[ImpiantoSim]
    prezzi: np.ndarray                     # (impianti, ore) euro/MWh, prezzo zonale dell'impianto
    parametri: ParametriEconomici


@dataclass
class RisultatoConfigurazione:
    condivisa: np.ndarray                  # (ore,)
    immessa: np.ndarray
    prelevata: np.ndarray
    per_impianto: np.ndarray               # (impianti, ore) condivisa attribuita per anzianità
    incentivata: np.ndarray                # (impianti, ore)
    tariffa_euro: np.ndarray               # (impianti,) euro nel periodo
    tariffa_media_euro_mwh: np.ndarray     # (impianti,)
    valorizzazione_euro: float
    eccedente_pct: dict[str, float] = field(default_factory=dict)
    eccedentaria_euro: dict[str, float] = field(default_factory=dict)
    contributo_prelievo_kwh: np.ndarray = field(default_factory=lambda: np.zeros(0))
    contributo_immissione_kwh: np.ndarray = field(default_factory=lambda: np.zeros(0))

    @property
    def quota_eccedentaria_euro(self) -> float:
        return float(sum(self.eccedentaria_euro.values()))


def _quota(parte: np.ndarray, totale: np.ndarray, condivisa: np.ndarray) -> np.ndarray:
    """Σ_h parte_i,h / totale_h × condivisa_h per ogni riga (0 dove il totale è zero)."""
    fattore = np.divide(condivisa, totale, out=np.zeros_like(condivisa), where=totale > 0)
    return parte @ fattore


def calcola(ing: IngressoConfigurazione) -> RisultatoConfigurazione:
    par = ing.parametri
    prel = ing.prelievi
    imm = ing.immissioni
    n = prel.shape[1] if prel.ndim == 2 and prel.shape[0] else imm.shape[1]
    prelevata = prel.sum(axis=0) if prel.shape[0] else np.zeros(n)
    immessa = imm.sum(axis=0) if imm.shape[0] else np.zeros(n)
    condivisa = np.minimum(prelevata, immessa)
    ordine = np.array(sorted(range(len(ing.impianti)), key=lambda k: ing.impianti[k].anzianita), dtype=np.intp)
    per_imp = ripartisci_per_anzianita(condivisa, imm, ordine)
    quota_inc = np.array([(i.quota_incentivabile if i.incentivato else 0.0) for i in ing.impianti])
    incentivata = per_imp * quota_inc[:, None] if len(ing.impianti) else per_imp
    f = np.array([i.fattore_f if i.incentivato else 0.0 for i in ing.impianti])
    # energia dei punti esenti: prima agli impianti con contributo (F > 0), in proporzione tra loro
    esente = np.zeros_like(incentivata)
    con_f = f > 0
    if con_f.any() and ing.esenti.any():
        prel_esenti = prel[ing.esenti].sum(axis=0)
        inc_f = incentivata[con_f]
        tot_f = inc_f.sum(axis=0)
        usata = np.minimum(prel_esenti, tot_f)
        quota = np.divide(usata, tot_f, out=np.zeros_like(usata), where=tot_f > 0)
        esente[con_f] = inc_f * quota[None, :]
    tariffa_euro = np.zeros(len(ing.impianti))
    for k, i in enumerate(ing.impianti):
        if not i.incentivato:
            continue
        t = tariffa_oraria(i.potenza_kw, i.correzione_euro_mwh, ing.prezzi[k], par)
        ridotta = incentivata[k] - esente[k]
        tariffa_euro[k] = float(t @ esente[k] + t @ ridotta * (1.0 - i.fattore_f)) / KWH_PER_MWH
    inc_tot = incentivata.sum(axis=1)
    media = np.divide(tariffa_euro * KWH_PER_MWH, inc_tot, out=np.zeros_like(tariffa_euro), where=inc_tot > 0)
    valorizzazione = float(condivisa.sum()) * par.valorizzazione_euro_mwh / KWH_PER_MWH
    # quota eccedentaria, per insieme di impianti incentivati
    eccedente_pct: dict[str, float] = {}
    eccedentaria: dict[str, float] = {}
    imm_tot = imm.sum(axis=1) if imm.shape[0] else np.zeros(0)
    for nome, soglia, maschera in (("solo_tariffa", par.soglia_solo_tariffa_pct, (f == 0) & (quota_inc > 0)),
                                   ("con_contributo", par.soglia_con_contributo_pct, (f > 0) & (quota_inc > 0))):
        if not maschera.any():
            continue
        pct = percentuale_eccedente(float(inc_tot[maschera].sum()), float((imm_tot * quota_inc)[maschera].sum()), soglia)
        eccedente_pct[nome] = pct
        eccedentaria[nome] = pct / 100.0 * float(tariffa_euro[maschera].sum())
    return RisultatoConfigurazione(
        condivisa=condivisa, immessa=immessa, prelevata=prelevata, per_impianto=per_imp, incentivata=incentivata,
        tariffa_euro=tariffa_euro, tariffa_media_euro_mwh=media, valorizzazione_euro=valorizzazione,
        eccedente_pct=eccedente_pct, eccedentaria_euro=eccedentaria,
        contributo_prelievo_kwh=_quota(prel, prelevata, condivisa) if prel.shape[0] else np.zeros(0),
        contributo_immissione_kwh=_quota(imm, immessa, condivisa) if imm.shape[0] else np.zeros(0),
    )

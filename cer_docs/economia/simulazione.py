"""Dalla pratica alla simulazione economica: ingressi, motore orario, riparto, riepiloghi.

``simula(pratica, opzioni)`` è una funzione pura dei fatti della pratica, delle opzioni e dei dati che
viaggiano nel pacchetto: nessun orologio (l'anno arriva dalle opzioni), nessuna rete. Le regole di
legge (fasce, correzione geografica, soglie, F, valorizzazione, corrispettivi) sono lette dai
parametri datati in vigore all'ultimo giorno del periodo simulato; le ipotesi di modello sono elencate nel risultato.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np

from cer_docs.italiano import data_lunga, numero
from cer_docs.model.pratica import Configurazione, Impianto, Pratica, PuntoConnessione
from cer_docs.pnrr.contributo import calcola_contributi
from cer_docs.rules.base import param, parametro, rif
from cer_docs.rules.corrispettivi_gse import corrispettivi_configurazione

from . import dati, fotovoltaico, profili
from .misure import Misure, allinea
from .esiti import EsitoConfigurazione, EsitoImpianto, EsitoMembro, Simulazione
from .motore import Fascia, ImpiantoSim, IngressoConfigurazione, ParametriEconomici, calcola, fascia_di
from .riparto import (CATEGORIE, ETICHETTE_CATEGORIE, Avente, Riparto, euro, in_centesimi, resti_maggiori,
                      ripartisci)

STAGIONI = {"inverno": (12, 1, 2), "primavera": (3, 4, 5), "estate": (6, 7, 8), "autunno": (9, 10, 11)}
PARAMETRI_USATI = ("tariffa_premio_fasce", "tariffa_premio_correzione_geografica", "fattore_f",
                   "fattore_f_punti_esenti", "quota_eccedentaria_soglia_pct", "valorizzazione_tiad",
                   "corrispettivi_gse", "energia_condivisa_periodo_minuti", "prezzo_zonale_aggregazione_oraria",
                   "tariffa_premio_durata_anni", "impianto_potenza_massima_kw")


class ErroreSimulazione(ValueError):
    """La simulazione non si può fare: il messaggio dice cosa manca e dove, in italiano."""


# --------------------------------------------------------------------------- opzioni

@dataclass
class ImpiantoIpotetico:
    potenza_kw: float
    fonte: str = "fotovoltaico"
    configurazione: int = 0
    contributo_pnrr_pct: float = 0.0      # contributo in conto capitale in % del costo massimo di riferimento


@dataclass
class Opzioni:
    anno: int
    misure: Misure | None = None
    prezzi: tuple[np.ndarray, np.ndarray] | None = None     # (istanti UTC, euro/MWh) al posto della serie fornita
    prezzi_suborari: bool = False                            # lo scenario aveva più prezzi per ora (mediati)
    moltiplicatore_prezzi: float = 1.0
    pvgis: dict[str, bytes] = field(default_factory=dict)    # impianto id → CSV orario PVGIS
    orizzonte_anni: int | None = None                        # None = durata della tariffa premio
    riparto: dict[str, Decimal] | None = None                # percentuali al posto del regolamento
    impianti_aggiunti: list[ImpiantoIpotetico] = field(default_factory=list)
    famiglie_aggiunte: int = 0
    consumo_famiglia_kwh: float | None = None
    configurazione_famiglie: int = 0                         # indice della configurazione delle famiglie ipotetiche


# --------------------------------------------------------------------------- ingressi

def _parametri(al: dt.date, tipo: str) -> ParametriEconomici:
    t = param("tariffa_premio_fasce", al)
    fasce = tuple(Fascia(i + 1, f["fino_a_kw"], float(f["base_euro_mwh"]), float(f["cap_euro_mwh"]))
                  for i, f in enumerate(t["fasce"]))
    v = param("valorizzazione_tiad", al)
    unitario = float(v["tras_e_euro_mwh"]) + (float(v["btau_euro_mwh"]) if tipo == "AUC" else 0.0)
    s = param("quota_eccedentaria_soglia_pct", al)
    return ParametriEconomici(fasce, float(t["prezzo_riferimento_euro_mwh"]), unitario,
                              float(s["solo_tariffa"]), float(s["con_contributo"]))


@dataclass
class _Luogo:
    regione: str
    zona_mercato: str
    zona_correzione: str
    lat: float
    lon: float
    descrizione: str


class _Luoghi:
    def __init__(self, pratica: Pratica):
        self.pratica = pratica
        self.avvisi: list[str] = []

    def _da_comune(self, comune: str | None, provincia: str | None) -> _Luogo | None:
        c = dati.trova_comune(comune, provincia)
        if c is None:
            return None
        zm, zc, lat, lon = dati.info_regione(c.regione)
        return _Luogo(c.regione, c.zona_mercato, c.zona_correzione_geografica, lat, lon, c.comune)

    def comunita(self) -> _Luogo:
        sede = self.pratica.comunita.sede if self.pratica.comunita else None
        if sede is not None:
            l = self._da_comune(sede.comune, sede.provincia)
            if l:
                return l
            reg = dati.regione_normalizzata(sede.regione)
            if reg:
                zm, zc, lat, lon = dati.info_regione(reg)
                return _Luogo(reg, zm, zc, lat, lon, reg)
        for _p, _c, imp in self.pratica.impianti():
            if imp.ubicazione:
                l = self._da_comune(imp.ubicazione.comune, imp.ubicazione.provincia)
                if l:
                    return l
        raise ErroreSimulazione("non trovo dove si trova la comunità: indica il comune della sede (comunita.sede.comune "
                                "e provincia) o il comune di almeno un impianto (ubicazione.comune)")

    def impianto(self, imp: Impianto) -> _Luogo:
        l = None
        if imp.ubicazione:
            l = self._da_comune(imp.ubicazione.comune, imp.ubicazione.provincia)
            if l is None and imp.ubicazione.comune:
                self.avvisi.append(f"Impianto {imp.id}: il comune «{imp.ubicazione.comune}» non è nell'elenco dei "
                                   "comuni; uso quello della sede della comunità.")
        l = l or self.comunita()
        if imp.latitudine is not None and imp.longitudine is not None:
            l = _Luogo(l.regione, l.zona_mercato, l.zona_correzione, float(imp.latitudine), float(imp.longitudine),
                       l.descrizione)
        return l

    def punto(self, pratica: Pratica, p: PuntoConnessione) -> _Luogo:
        s = pratica.soggetto(p.soggetto)
        luogo = s.luogo if s else None
        if luogo is not None:
            l = self._da_comune(luogo.comune, luogo.provincia)
            if l:
                return l
        return self.comunita()


def _membri_attivi(pratica: Pratica, inizio: dt.date) -> dict[str, Any]:
    """I membri che non hanno già lasciato la comunità quando il periodo simulato comincia."""
    return {m.soggetto: m for m in pratica.membri if m.data_recesso is None or m.data_recesso > inizio}


def _anzianita(imp: Impianto, posizione: int) -> tuple:
    d = imp.data_entrata_esercizio or imp.data_entrata_esercizio_prevista or dt.date.max
    return (d, posizione)


def _configurazione(pratica: Pratica, ci: int, conf: Configurazione, cal: dati.Calendario, opz: Opzioni,
                    al: dt.date, luoghi: _Luoghi, f_per_impianto: dict[str, float], prezzo_scenario: np.ndarray | None,
                    ipotesi: list[str], avvisi: list[str]) -> EsitoConfigurazione:
    n = cal.n
    membri = _membri_attivi(pratica, cal.indice()[0].date())
    esenti_tipi = set(param("fattore_f_punti_esenti", al))
    potenza_max = float(param("impianto_potenza_massima_kw", al))
    std = profili.standard()
    # ---- punti
    punti = []
    for pi, p in enumerate(conf.punti_connessione):
        if conf.cabina_primaria and p.cabina_primaria and p.cabina_primaria != conf.cabina_primaria:
            avvisi.append(f"{_etichetta(conf)}: il punto {p.pod} è sotto la cabina primaria {p.cabina_primaria}, diversa da quella "
                          f"della configurazione ({conf.cabina_primaria}): escluso dal calcolo dell'energia condivisa.")
            continue
        punti.append(p)
    pod_index = {p.pod: k for k, p in enumerate(punti)}
    carico = np.zeros((len(punti), n))
    for k, p in enumerate(punti):
        s = pratica.soggetto(p.soggetto)
        if opz.misure is not None:
            serie = opz.misure.serie("prelievo", p.pod)
            if serie is None:
                if opz.misure.serie("immissione", p.pod) is None:
                    avvisi.append(f"{_etichetta(conf)}: nessuna misura per il punto {p.pod}: conta zero.")
            else:
                carico[k] = serie
            continue
        membro = p.soggetto in membri
        prof = p.profilo_consumo or (profili.profilo_predefinito(s.tipo if s else "altro", p.uso) if membro else "nessuno")
        l = luoghi.punto(pratica, p)
        serie, note = profili.prelievo_orario(
            cal, prof, regione=l.regione, lat=l.lat, lon=l.lon,
            potenza_kw=float(p.potenza_impegnata_kw) if p.potenza_impegnata_kw is not None else None,
            consumo_annuo_kwh=float(p.consumo_annuo_kwh) if p.consumo_annuo_kwh is not None else None,
            consumi_mensili_kwh=p.consumi_mensili_kwh)
        carico[k] = serie
        fonte_consumo = ("bollette mensili" if p.consumi_mensili_kwh else
                         "consumo annuo dichiarato" if p.consumo_annuo_kwh is not None else
                         "famiglia media ARERA" if prof == "domestico" else
                         f"consumo tipico stimato di {numero(std['profili'][prof]['consumo_annuo_kwh'] or 0)} kWh all'anno")
        ipotesi.append(f"{_etichetta(conf)} · punto {p.pod} ({_nome(pratica, p.soggetto)}): {profili.etichetta(prof)}; "
                       f"{fonte_consumo}; {numero(float(serie.sum()), 0)} kWh nel periodo")
        for nt in note:
            avvisi.append(f"{_etichetta(conf)} · punto {p.pod}: {nt}.")
    # ---- impianti
    impianti = list(conf.impianti)   # compresi quelli ipotetici (pratica_con_ipotesi)
    produzione = np.zeros((len(impianti), n))
    sim: list[ImpiantoSim] = []
    metodi: list[str] = []
    pod_impianto = []
    correzioni, zone = [], []
    prudenti: list[str] = []
    for k, imp in enumerate(impianti):
        l = luoghi.impianto(imp)
        pv = imp.fonte == "fotovoltaico"
        if opz.misure is not None:
            metodo = "misure del distributore"
        elif imp.id in opz.pvgis:
            produzione[k] = fotovoltaico.da_pvgis_csv(opz.pvgis[imp.id], cal, float(imp.potenza_kw))
            metodo = "CSV orario PVGIS dell'impianto"
        elif pv:
            incl = float(imp.inclinazione_gradi) if imp.inclinazione_gradi is not None else std["inclinazione_predefinita_gradi"]
            orient = float(imp.orientamento_gradi) if imp.orientamento_gradi is not None else std["orientamento_predefinito_gradi"]
            spec = fotovoltaico.produzione_specifica(cal, l.lat, l.lon, incl, orient)
            produzione[k] = spec * float(imp.potenza_kw)
            metodo = f"pvlib, {incl:g}° di inclinazione, orientamento {orient:+g}°, meteo PVGIS riportato a {l.descrizione}"
            if imp.producibilita_kwh_kw is None and l.zona_correzione != "nord":
                prudenti.append(f"«{_etichetta(imp)}»")
        else:
            ore_eq = std["ore_equivalenti_non_fotovoltaico"]
            produzione[k] = float(imp.potenza_kw) * ore_eq / 8760.0
            metodo = f"produzione costante, {ore_eq} ore equivalenti (ipotesi)"
        if opz.misure is None and imp.producibilita_kwh_kw is not None and produzione[k].sum() > 0:
            produzione[k] *= float(imp.producibilita_kwh_kw) * float(imp.potenza_kw) * cal.n / 8760.0 / produzione[k].sum()
            metodo += f"; riscalata alla producibilità dichiarata di {float(imp.producibilita_kwh_kw):g} kWh/kW"
        metodi.append(metodo)
        incentivato = (imp.intervento != "esistente" and imp.fonte != "non_rinnovabile"
                       and float(imp.potenza_kw) <= potenza_max)
        quota = max(0.0, 1.0 - float(imp.potenza_obbligo_kw) / float(imp.potenza_kw))
        corr = correzione_geografica(imp.fonte, l.zona_correzione, al)
        correzioni.append(corr)
        zone.append(l.zona_mercato)
        sim.append(ImpiantoSim(imp.id, float(imp.potenza_kw), _anzianita(imp, k), incentivato, quota,
                               f_per_impianto.get(imp.id, 0.0), corr))
        pod_impianto.append(imp.pod)
        if imp.data_entrata_esercizio is None:
            ipotesi.append(f"{_etichetta(conf)} · impianto «{_etichetta(imp)}»: non ancora in esercizio, simulato come se producesse "
                           f"per tutto il periodo; ordine di anzianità dalla data prevista "
                           f"({data_lunga(imp.data_entrata_esercizio_prevista) if imp.data_entrata_esercizio_prevista else 'non indicata: ultimo'})")
    if prudenti:
        avvisi.append(f"{_etichetta(conf)}: la produzione di {', '.join(prudenti)} usa il meteo di un sito piemontese riportato "
                      "al luogo dell'impianto: al Centro-Sud è una stima prudente (meno sole del vero). Indica la "
                      "producibilità dell'impianto (producibilita_kwh_kw) o carica il suo CSV orario di PVGIS.")
    # ---- immissioni e prelievi netti per punto
    immissioni = np.zeros((len(impianti), n))
    prelievi = carico.copy()
    if opz.misure is not None:
        for pod in set(pod_impianto):
            ks = [k for k, x in enumerate(pod_impianto) if x == pod]
            serie = opz.misure.serie("immissione", pod)
            if serie is None:
                avvisi.append(f"{_etichetta(conf)}: nessuna misura di immissione per il punto {pod} dell'impianto "
                              f"{', '.join(_etichetta(impianti[k]) for k in ks)}: conta zero.")
                continue
            pot = np.array([float(impianti[k].potenza_kw) for k in ks])
            for k, q in zip(ks, pot / pot.sum()):
                immissioni[k] = serie * q
                produzione[k] = immissioni[k]
        if any(len([1 for x in pod_impianto if x == pod]) > 1 for pod in set(pod_impianto)):
            ipotesi.append(f"{_etichetta(conf)}: dove un punto ha più impianti, l'immissione misurata è divisa in proporzione alla potenza.")
    else:
        for pod in set(pod_impianto):
            ks = [k for k, x in enumerate(pod_impianto) if x == pod]
            gen = produzione[ks].sum(axis=0)
            kp = pod_index.get(pod)
            load = carico[kp] if kp is not None else np.zeros(n)
            netta = np.maximum(gen - load, 0.0)
            if kp is not None:
                prelievi[kp] = np.maximum(load - gen, 0.0)
            for k in ks:
                immissioni[k] = np.divide(produzione[k], gen, out=np.zeros(n), where=gen > 0) * netta
    # ---- prezzi per impianto
    prezzi = np.zeros((len(impianti), n))
    for k in range(len(impianti)):
        base = prezzo_scenario if prezzo_scenario is not None else dati.prezzi_zonali(cal, zone[k])
        prezzi[k] = base * opz.moltiplicatore_prezzi
    esenti = np.array([(pratica.soggetto(p.soggetto).tipo if pratica.soggetto(p.soggetto) else "") in esenti_tipi
                       for p in punti], dtype=bool)
    par = _parametri(al, conf.tipo)
    r = calcola(IngressoConfigurazione(conf.id, prelievi, esenti, immissioni, sim, prezzi, par))
    # ---- denaro al centesimo
    incentivati = {i.id for i in sim if i.incentivato}
    corrisp = corrispettivi_configurazione(conf, al, incentivati)
    corr_per = {c.impianto_id: c for c in corrisp.impianti}
    quota_anno = Decimal(cal.n) / Decimal(8760) if opz.misure is not None else Decimal(1)
    cent_tip = [in_centesimi(x) for x in r.tariffa_euro]
    cent_corr_imp = resti_maggiori(in_centesimi(corrisp.annuo_euro * quota_anno),
                                   [c.servizio_annuo_euro for c in corrisp.impianti]) if corrisp.impianti else []
    corr_imp = {c.impianto_id: x for c, x in zip(corrisp.impianti, cent_corr_imp)}
    tip_cent = sum(cent_tip)
    val_cent = in_centesimi(r.valorizzazione_euro)
    ecc_cent = in_centesimi(r.quota_eccedentaria_euro)
    corr_cent = sum(cent_corr_imp)
    netto_cent = tip_cent + val_cent - corr_cent
    # ---- aventi diritto
    aventi: dict[str, Avente] = {}
    for k, p in enumerate(punti):
        if p.soggetto in membri:
            a = aventi.setdefault(p.soggetto, Avente(p.soggetto, _nome(pratica, p.soggetto),
                                                     impresa=_impresa(pratica, p.soggetto)))
            a.peso_consumo += float(r.contributo_prelievo_kwh[k])
    terzi_impianti = {iid: t for t in pratica.produttori_terzi for iid in t.impianti}
    terzi: dict[str, list] = {}
    cond_tot = float(r.condivisa.sum())
    for k, imp in enumerate(impianti):
        t = terzi_impianti.get(imp.id)
        if t is not None:
            val_imp = r.valorizzazione_euro * (float(r.per_impianto[k].sum()) / cond_tot if cond_tot > 0 else 0.0)
            base = (cent_tip[k] + in_centesimi(val_imp))
            pct = Decimal(str(t.quota_incentivo_pct or 0))
            quota = int((Decimal(base) * pct / 100).to_integral_value())
            voce = terzi.setdefault(t.soggetto, [t.soggetto, _nome(pratica, t.soggetto), 0])
            voce[2] += quota
            continue
        if imp.produttore in membri:
            a = aventi.setdefault(imp.produttore, Avente(imp.produttore, _nome(pratica, imp.produttore),
                                                         impresa=_impresa(pratica, imp.produttore)))
            a.peso_produzione += float(r.contributo_immissione_kwh[k])
    percentuali = opz.riparto
    if percentuali is None and pratica.comunita and pratica.comunita.riparto_benefici:
        rb = pratica.comunita.riparto_benefici
        percentuali = {c: getattr(rb, c) for c in CATEGORIE}
    if not percentuali or sum(percentuali.values()) == 0:
        percentuali = {"consumatori": Decimal(100)}
        ipotesi.append(f"{_etichetta(conf)}: il regolamento non fissa il riparto: tutto il beneficio ai consumatori in "
                       "proporzione al prelievo nelle ore di condivisione.")
    ai_consumatori = bool(pratica.comunita and "consumatori_non_imprese" in pratica.comunita.destinazione_eccedenza)
    rip: Riparto = ripartisci(netto_cent=netto_cent, eccedenza_cent=ecc_cent, percentuali=percentuali,
                              aventi=list(aventi.values()), terzi=[tuple(v) for v in terzi.values()],
                              eccedenza_ai_consumatori=ai_consumatori)
    esiti_membri = []
    ordine_membri = [m.soggetto for m in pratica.membri] + [s for s in rip.membri_cent if s not in membri]
    for sid in ordine_membri:
        cat = rip.membri_cent.get(sid, {})
        a = aventi.get(sid)
        esiti_membri.append(EsitoMembro(sid, _nome(pratica, sid), {k: euro(v) for k, v in cat.items()},
                                        euro(sum(cat.values())), a.peso_consumo if a else 0.0,
                                        a.peso_produzione if a else 0.0))
    esiti_imp = []
    for k, imp in enumerate(impianti):
        esiti_imp.append(EsitoImpianto(
            imp.id, imp.denominazione or imp.id, imp.fonte, float(imp.potenza_kw),
            fascia_di(float(imp.potenza_kw), par.fasce).numero, imp.produttore, sim[k].incentivato, sim[k].fattore_f,
            correzioni[k], float(produzione[k].sum()), float(immissioni[k].sum()), float(r.per_impianto[k].sum()),
            float(r.incentivata[k].sum()), euro(cent_tip[k]), float(r.tariffa_media_euro_mwh[k]),
            euro(corr_imp.get(imp.id, 0)), metodi[k]))
    return EsitoConfigurazione(
        id=conf.id, denominazione=conf.denominazione or conf.id, tipo=conf.tipo,
        energia_condivisa_kwh=cond_tot, energia_immessa_kwh=float(r.immessa.sum()),
        energia_prelevata_kwh=float(r.prelevata.sum()), energia_prodotta_kwh=float(produzione.sum()),
        consumo_kwh=float(carico.sum()),
        tariffa_premio_euro=euro(tip_cent), valorizzazione_euro=euro(val_cent), quota_eccedentaria_euro=euro(ecc_cent),
        corrispettivi_gse_euro=euro(corr_cent), corrispettivi_gse_una_tantum_euro=corrisp.una_tantum_euro,
        beneficio_netto_euro=euro(netto_cent), quota_eccedente_pct=dict(r.eccedente_pct),
        impianti=esiti_imp, membri=esiti_membri,
        categorie_euro={k: euro(v) for k, v in rip.categorie_cent.items()},
        comunita_euro={k: euro(v) for k, v in rip.comunita_cent.items()},
        mensile=_mensile(cal, produzione.sum(axis=0), carico.sum(axis=0), r.condivisa, r.immessa, r.prelevata),
        giorno_tipo=_giorno_tipo(cal, produzione.sum(axis=0), carico.sum(axis=0), r.condivisa),
    )


def correzione_geografica(fonte: str, zona_correzione: str, al: dt.date) -> float:
    """Correzione della tariffa per zona (euro/MWh): solo per le fonti del parametro (il fotovoltaico)."""
    fc = param("tariffa_premio_correzione_geografica", al)
    return float(fc["zone"].get(zona_correzione, 0)) if fonte in fc["fonti"] else 0.0


def _etichetta(x: Configurazione | Impianto) -> str:
    """Nome leggibile di una configurazione o di un impianto (l'id solo se manca la denominazione)."""
    return x.denominazione or x.id


def _nome(pratica: Pratica, sid: str) -> str:
    s = pratica.soggetto(sid)
    return s.nome_completo if s else sid


def _impresa(pratica: Pratica, sid: str) -> bool:
    s = pratica.soggetto(sid)
    return bool(s and s.tipo == "impresa")


def _mensile(cal, prod, cons, cond, imm, prel) -> list[dict[str, float]]:
    out = []
    for m in range(1, 13):
        sel = cal.mese == m
        if not sel.any():
            continue
        out.append({"mese": m, "produzione_kwh": float(prod[sel].sum()), "consumo_kwh": float(cons[sel].sum()),
                    "condivisa_kwh": float(cond[sel].sum()), "immessa_kwh": float(imm[sel].sum()),
                    "prelevata_kwh": float(prel[sel].sum())})
    return out


def _giorno_tipo(cal, prod, cons, cond) -> list[dict[str, Any]]:
    out = []
    for nome, mesi in STAGIONI.items():
        sel_s = np.isin(cal.mese, mesi)
        if not sel_s.any():
            continue
        for h in range(24):
            sel = sel_s & (cal.ora == h)
            giorni = max(1, len(np.unique(cal.giorno_anno[sel])))
            out.append({"stagione": nome, "ora": h, "produzione_kwh": float(prod[sel].sum() / giorni),
                        "consumo_kwh": float(cons[sel].sum() / giorni), "condivisa_kwh": float(cond[sel].sum() / giorni)})
    return out


# --------------------------------------------------------------------------- what-if

def pratica_con_ipotesi(pratica: Pratica, opz: Opzioni) -> Pratica:
    """Copia della pratica con gli impianti e le famiglie ipotetiche delle opzioni (la pratica non cambia)."""
    if not opz.impianti_aggiunti and not opz.famiglie_aggiunte:
        return pratica
    from cer_docs.model.pratica import Impianto as _Imp
    from cer_docs.model.pratica import Membro, Soggetto, Ubicazione

    p = pratica.model_copy(deep=True)
    p.__dict__.pop("_cache_soggetti", None)
    if not p.configurazioni:
        raise ErroreSimulazione("la pratica non ha configurazioni a cui aggiungere impianti o membri")
    for i, ip in enumerate(opz.impianti_aggiunti, start=1):
        conf = p.configurazioni[min(ip.configurazione, len(p.configurazioni) - 1)]
        sid = f"ipotesi-produttore-{i}"
        p.soggetti.append(Soggetto(id=sid, tipo="altro", denominazione=f"Nuovo impianto {i} (ipotesi)"))
        p.membri.append(Membro(soggetto=sid, ruolo="produttore"))
        pod = f"IPOTESI-IMPIANTO-{i}"
        conf.punti_connessione.append(PuntoConnessione(pod=pod, soggetto=sid, cabina_primaria=conf.cabina_primaria,
                                                       uso="Impianto"))
        ubic = next((imp.ubicazione for imp in conf.impianti if imp.ubicazione), None)
        if ubic is None and p.comunita:
            ubic = Ubicazione(comune=p.comunita.sede.comune, provincia=p.comunita.sede.provincia)
        imp = _Imp(id=f"ipotesi-impianto-{i}", denominazione=f"Nuovo impianto {i} (ipotesi)", fonte=ip.fonte,
                   potenza_kw=Decimal(str(ip.potenza_kw)), pod=pod, produttore=sid, ubicazione=ubic)
        conf.impianti.append(imp)
    conf = p.configurazioni[min(opz.configurazione_famiglie, len(p.configurazioni) - 1)]
    for i in range(1, opz.famiglie_aggiunte + 1):
        sid = f"ipotesi-famiglia-{i}"
        p.soggetti.append(Soggetto(id=sid, tipo="persona_fisica", nome="Famiglia", cognome=f"ipotetica {i}"))
        p.membri.append(Membro(soggetto=sid, ruolo="consumatore"))
        conf.punti_connessione.append(PuntoConnessione(
            pod=f"IPOTESI-FAMIGLIA-{i}", soggetto=sid, cabina_primaria=conf.cabina_primaria, uso="Abitazione",
            profilo_consumo="domestico",
            consumo_annuo_kwh=Decimal(str(opz.consumo_famiglia_kwh)) if opz.consumo_famiglia_kwh else None))
    return p


# --------------------------------------------------------------------------- simulazione

def _fattori_f(pratica: Pratica, al: dt.date, opz: Opzioni) -> dict[str, float]:
    out = {c.impianto_id: float(c.fattore_f) for c in calcola_contributi(pratica, al) if c.fattore_f is not None}
    ff = param("fattore_f", al)
    for i, ip in enumerate(opz.impianti_aggiunti, start=1):   # intensità dichiarata per l'impianto ipotetico
        if ip.contributo_pnrr_pct > 0:
            intensita = min(float(ip.contributo_pnrr_pct), float(ff["intensita_massima_pct"]))
            out[f"ipotesi-impianto-{i}"] = float(ff["f_massimo"]) * intensita / float(ff["intensita_massima_pct"])
    return out


def simula(pratica: Pratica, opz: Opzioni) -> Simulazione:
    if not pratica.configurazioni:
        raise ErroreSimulazione("la pratica non ha configurazioni: aggiungi almeno una configurazione con punti e impianti")
    if not any(c.impianti for c in pratica.configurazioni):
        raise ErroreSimulazione("nessuna configurazione ha impianti: senza produzione non c'è energia condivisa")
    pratica = pratica_con_ipotesi(pratica, opz)
    ipotesi: list[str] = []
    avvisi: list[str] = []
    if opz.misure is not None:
        cal = dati.calendario_ore(opz.misure.ore)
        anno = int(cal.indice()[0].year)
        if opz.misure.ore_incomplete:
            avvisi.append(f"{opz.misure.ore_incomplete} ore hanno meno quarti d'ora del previsto: sono sommati quelli presenti.")
    else:
        cal = dati.calendario_anno(opz.anno)
        anno = opz.anno
    al = cal.indice()[-1].date()        # regole in vigore all'ultimo giorno del periodo simulato
    periodo = param("energia_condivisa_periodo_minuti", al)
    if periodo != 60:
        raise ErroreSimulazione(f"il periodo dell'energia condivisa è di {periodo} minuti: la simulazione calcola per ore")
    prezzo_scenario = None
    if opz.prezzi is not None:
        prezzo_scenario, mancanti = allinea(opz.prezzi[0], opz.prezzi[1], cal.utc)
        if mancanti:
            raise ErroreSimulazione(f"lo scenario di prezzo non copre {mancanti} delle {cal.n} ore simulate: "
                                    "servono tutte le ore del periodo")
        descr_prezzi = "scenario di prezzo fornito dall'utente (stesso prezzo per tutte le zone)"
        if opz.prezzi_suborari:
            descr_prezzi += ", prezzi sub-orari mediati sull'ora (regola da confermare)"
            if param("prezzo_zonale_aggregazione_oraria", al) != "media":
                avvisi.append("Lo scenario ha più prezzi per ora, ma nel periodo simulato il prezzo zonale era orario: "
                              "i prezzi sono stati mediati sull'ora; controlla lo scenario.")
    else:
        descr_prezzi = ("prezzi zonali orari forniti (novembre 2023 – ottobre 2024 sul calendario 2023, "
                        "riportati su mese, giorno e ora locale)")
    if opz.moltiplicatore_prezzi != 1.0:
        descr_prezzi += f", moltiplicati per {opz.moltiplicatore_prezzi:g}".replace(".", ",")
    luoghi = _Luoghi(pratica)
    f_imp = _fattori_f(pratica, al, opz)
    esiti = [_configurazione(pratica, ci, c, cal, opz, al, luoghi, f_imp, prezzo_scenario, ipotesi, avvisi)
             for ci, c in enumerate(pratica.configurazioni) if c.impianti or c.punti_connessione]
    avvisi.extend(luoghi.avvisi)
    if opz.misure is not None:
        noti = {p.pod.strip().upper() for c in pratica.configurazioni for p in c.punti_connessione}
        estranei = sorted(opz.misure.punti() - noti)
        if estranei:
            avvisi.append(f"Le misure contengono punti che non sono nella pratica e non sono stati contati: "
                          f"{', '.join(estranei[:10])}{' e altri' if len(estranei) > 10 else ''}.")
    # prezzo medio sulle ore (zona della comunità o scenario)
    if prezzo_scenario is not None:
        medio = float(np.mean(prezzo_scenario)) * opz.moltiplicatore_prezzi
    else:
        medio = float(np.mean(dati.prezzi_zonali(cal, luoghi.comunita().zona_mercato))) * opz.moltiplicatore_prezzi
    durata = int(param("tariffa_premio_durata_anni", al))
    orizzonte = opz.orizzonte_anni or durata
    ipotesi[:0] = _ipotesi_generali(al, opz, orizzonte)
    idx = cal.indice()
    return Simulazione(
        denominazione=pratica.denominazione, anno=anno, al=al, ore=cal.n,
        inizio=idx[0].isoformat(), fine=(idx[-1] + np.timedelta64(1, "h")).isoformat(),
        misurato=opz.misure is not None, prezzi=descr_prezzi, prezzo_medio_euro_mwh=medio, orizzonte_anni=orizzonte,
        configurazioni=esiti, ipotesi=ipotesi, avvisi=avvisi, fonti=fonti_parametri(al))


def _ipotesi_generali(al: dt.date, opz: Opzioni, orizzonte: int) -> list[str]:
    v = parametro("valorizzazione_tiad")
    out = [
        f"Regole in vigore al {al.strftime('%d/%m/%Y')} (parametri datati con fonte, elencati sotto).",
        "Energia condivisa ora per ora: minimo tra l'immissione e il prelievo totali dei punti della configurazione; "
        "ripartita tra gli impianti dal più anziano (data di entrata in esercizio, o prevista).",
        "L'energia prelevata dai punti esenti dal fattore F va per prima agli impianti con contributo, "
        "in proporzione tra loro (scelta di modello: le regole non fissano la partizione oraria).",
        "Quota eccedentaria: differenza in punti percentuali tra condivisa/immessa e la soglia, sul periodo simulato.",
        f"Orizzonte: {orizzonte} anni con i valori dell'anno simulato (nessuna attualizzazione né inflazione).",
        "Riparto ai membri per contributo nelle ore di condivisione: prelievo per i consumatori, immissione per i produttori.",
    ]
    if v.non_confermato and v.nota:
        out.append(f"Valorizzazione da confermare. {v.nota}")
    return out


def fonti_parametri(al: dt.date) -> list[dict[str, Any]]:
    out = []
    for pid in PARAMETRI_USATI:
        p = parametro(pid)
        out.append({"parametro": pid, "descrizione": " ".join(p.descrizione.split()), "riferimento": rif(pid, al),
                    "non_confermato": p.non_confermato, "nota": p.nota,
                    "verificato_il": p.last_value_still_valid_on.isoformat() if p.last_value_still_valid_on else None})
    return out


def sensibilita_prezzi(pratica: Pratica, opz: Opzioni, fattori: tuple[float, ...] = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)
                       ) -> list[dict[str, Any]]:
    """Beneficio al variare del prezzo zonale (tutti i prezzi moltiplicati per il fattore)."""
    righe = []
    for f in fattori:
        o = Opzioni(**{**opz.__dict__, "moltiplicatore_prezzi": f})
        s = simula(pratica, o)
        t = s.totali()
        righe.append({"fattore": f, "prezzo_medio_euro_mwh": s.prezzo_medio_euro_mwh,
                      "tariffa_premio_euro": t["tariffa_premio_euro"], "valorizzazione_euro": t["valorizzazione_euro"],
                      "quota_eccedentaria_euro": t["quota_eccedentaria_euro"],
                      "beneficio_netto_euro": t["beneficio_netto_euro"]})
    return righe


__all__ = ["ETICHETTE_CATEGORIE", "ErroreSimulazione", "EsitoConfigurazione", "EsitoImpianto", "EsitoMembro",
           "ImpiantoIpotetico", "Opzioni", "correzione_geografica", "Simulazione", "fonti_parametri", "pratica_con_ipotesi", "sensibilita_prezzi",
           "simula"]

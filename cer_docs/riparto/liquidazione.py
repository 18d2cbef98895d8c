"""Atteso contro ricevuto e riparto di un periodo, sul motore della simulazione alimentato dalle misure.

``liquida(pratica, periodo, misure, al)``:

1. le misure sono ristrette alle ore del periodo (anno ``AAAA`` o mese ``AAAA-MM``, ora italiana) e, per
   ogni punto, ai soli giorni in cui il suo titolare era membro (``data_adesione`` ≤ giorno <
   ``data_recesso``) e il punto era nella configurazione (``data_ingresso`` ≤ giorno < ``data_uscita``): chi
   entra o esce a metà periodo conta per i suoi giorni attivi, ora per ora;
2. il motore orario (``cer_docs.economia.simulazione.simula``) calcola l'atteso del periodo e di ogni
   mese: tariffa premio, valorizzazione, quota eccedentaria (soglie 55 %/45 %, in punti percentuali),
   corrispettivi GSE, pesi di ogni membro nelle ore di condivisione;
3. gli incassi del GSE del periodo (``pratica.incassi_gse``) sono confrontati con l'atteso mese per mese e
   per componente; l'acconto con la formula delle Regole Operative (``acconto.py``);
4. il riparto divide quanto **ricevuto**, tolti i corrispettivi GSE e i costi della comunità: fondo B = la
   quota eccedentaria (quella pagata dal GSE se è indicata, altrimenti la stessa proporzione dell'atteso);
   fondo A = il resto, con la quota pattuita ai produttori terzi e le categorie del regolamento; i membri
   per il loro contributo nelle ore di condivisione (``cer_docs.economia.riparto``, al centesimo).
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import json
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from cer_docs.economia.esiti import Simulazione, _json
from cer_docs.economia.misure import Misure
from cer_docs.economia.riparto import euro, in_centesimi, resti_maggiori, ripartisci, Avente, CATEGORIE
from cer_docs.economia.simulazione import Opzioni, simula
from cer_docs.model.pratica import Evento, Pratica, QuotaRiparto, RipartoApprovato
from cer_docs.rules.base import Rilievo, leggi, rif

from .acconto import AccontoImpianto, acconti
from .incassi import COMPONENTI, nel_periodo

ROMA = ZoneInfo("Europe/Rome")
ZERO = Decimal("0.00")
TOLLERANZA_ACCONTO = Decimal("1.00")   # euro: sotto questa differenza l'acconto torna con la formula


class ErroreLiquidazione(ValueError):
    """Il riparto non si può fare: il messaggio dice cosa manca, in italiano."""


# --------------------------------------------------------------------------- periodo

def limiti_periodo(periodo: str) -> tuple[dt.date, dt.date]:
    """Primo e ultimo giorno (compreso) di ``AAAA`` o ``AAAA-MM``."""
    try:
        if len(periodo) == 4:
            a = int(periodo)
            return dt.date(a, 1, 1), dt.date(a, 12, 31)
        a, m = int(periodo[:4]), int(periodo[5:7])
        if periodo[4] != "-" or len(periodo) != 7:
            raise ValueError
        return dt.date(a, m, 1), dt.date(a, m, calendar.monthrange(a, m)[1])
    except (ValueError, IndexError):
        raise ErroreLiquidazione(f"periodo «{periodo}» non valido: scrivi l'anno (2026) o anno e mese (2026-03)") from None


def _giorni_locali(ore: np.ndarray) -> np.ndarray:
    return np.array([dt.datetime.fromtimestamp(int(t), ROMA).date().toordinal() for t in ore], dtype=np.int64)


def _intervallo_attivo(pratica: Pratica, pod: str) -> tuple[dt.date | None, dt.date | None, str | None]:
    for c in pratica.configurazioni:
        for p in c.punti_connessione:
            if p.pod.strip().upper() != pod:
                continue
            dal, al_ = p.data_ingresso, p.data_uscita
            m = next((m for m in pratica.membri if m.soggetto == p.soggetto), None)
            if m is not None:
                if m.data_adesione and (dal is None or m.data_adesione > dal):
                    dal = m.data_adesione
                if m.data_recesso and (al_ is None or m.data_recesso < al_):
                    al_ = m.data_recesso
            return dal, al_, p.soggetto
    return None, None, None


def restringi(misure: Misure, pratica: Pratica, inizio: dt.date, fine: dt.date) -> tuple[Misure, dict[str, int]]:
    """Le misure del periodo, con ogni punto azzerato nei giorni in cui non era attivo; giorni di partecipazione
    di ogni membro nel periodo (dalle date di adesione e recesso)."""
    giorni = _giorni_locali(misure.ore)
    sel = (giorni >= inizio.toordinal()) & (giorni <= fine.toordinal())
    if not sel.any():
        raise ErroreLiquidazione(f"le misure non coprono nessuna ora dal {inizio:%d/%m/%Y} al {fine:%d/%m/%Y}")
    g = giorni[sel]
    out = Misure(ore=misure.ore[sel], ore_incomplete=misure.ore_incomplete, risoluzione_minuti=misure.risoluzione_minuti)
    attivi: dict[str, int] = {}
    for tipo in ("prelievo", "immissione"):
        for pod, serie in getattr(misure, tipo).items():
            dal, al_, _sid = _intervallo_attivo(pratica, pod)
            maschera = np.ones(len(g), dtype=bool)
            if dal is not None:
                maschera &= g >= dal.toordinal()
            if al_ is not None:
                maschera &= g < al_.toordinal()
            getattr(out, tipo)[pod] = np.where(maschera, serie[sel], 0.0)
    for m in pratica.membri:          # giorni di partecipazione dalle date, anche senza misure
        dal = max(inizio, m.data_adesione or inizio)
        al_ = min(fine, (m.data_recesso - dt.timedelta(days=1)) if m.data_recesso else fine)
        attivi[m.soggetto] = max(0, (al_ - dal).days + 1)
    for t in pratica.produttori_terzi:
        attivi.setdefault(t.soggetto, (fine - inizio).days + 1)
    return out, attivi


# --------------------------------------------------------------------------- risultati

@dataclass
class QuotaMembro:
    soggetto: str
    nome: str
    importo_euro: Decimal
    fondo_a_euro: Decimal
    fondo_b_euro: Decimal
    categorie: dict[str, Decimal]
    prelievo_condiviso_kwh: float
    immissione_condivisa_kwh: float
    giorni_attivi: int
    giorni_periodo: int
    iban: str | None
    codice_fiscale: str | None
    produttore_terzo: bool = False
    mensile: list[dict[str, Any]] = field(default_factory=list)   # mese, prelievo e immissione nelle ore condivise


@dataclass
class RigaRiconciliazione:
    mese: str
    atteso_tariffa_premio_euro: Decimal
    atteso_valorizzazione_euro: Decimal
    atteso_euro: Decimal
    acconto_formula_euro: Decimal | None
    ricevuto: dict[str, Decimal]
    ricevuto_euro: Decimal
    differenza_euro: Decimal
    spiegazione: list[str]
    energia_condivisa_kwh: float


@dataclass
class Liquidazione:
    periodo: str
    denominazione: str
    inizio: dt.date
    fine: dt.date
    al: dt.date
    stimato: bool                        # nessun incasso registrato: riparto sull'atteso
    atteso_euro: Decimal
    incassato_euro: Decimal
    incassato_per_componente: dict[str, Decimal]
    corrispettivi_gse_euro: Decimal
    costi_euro: Decimal
    totale_euro: Decimal                 # netto da ripartire = fondo A + fondo B
    fondo_a_euro: Decimal
    fondo_b_euro: Decimal
    produttori_terzi_euro: Decimal
    comunita_euro: dict[str, Decimal]    # categoria → euro che restano alla comunità
    energia_condivisa_kwh: float
    quote: list[QuotaMembro]
    riconciliazione: list[RigaRiconciliazione]
    acconti: list[AccontoImpianto]
    avvisi: list[Rilievo]
    simulazione: Simulazione = field(repr=False)

    @property
    def ai_membri_euro(self) -> Decimal:
        return sum((q.importo_euro for q in self.quote), ZERO)

    def quota(self, soggetto: str) -> QuotaMembro | None:
        return next((q for q in self.quote if q.soggetto == soggetto), None)

    def senza_iban(self) -> list[QuotaMembro]:
        return [q for q in self.quote if q.importo_euro > 0 and not q.iban]

    def impronta(self) -> str:
        dati = {"periodo": self.periodo, "totale": str(self.totale_euro), "fondo_a": str(self.fondo_a_euro),
                "fondo_b": str(self.fondo_b_euro),
                "quote": [[q.soggetto, str(q.importo_euro), str(q.fondo_a_euro), str(q.fondo_b_euro)] for q in self.quote]}
        return hashlib.sha256(json.dumps(dati, sort_keys=True).encode()).hexdigest()

    def as_dict(self) -> dict[str, Any]:
        d = {k: v for k, v in asdict(self).items() if k != "simulazione"}
        d["avvisi"] = [{"codice": a.codice, "gravita": a.gravita, "messaggio": a.messaggio,
                        "riferimento": a.riferimento} for a in self.avvisi]
        d["membri"] = {q.soggetto: {"importo_euro": q.importo_euro, "fondo_a_euro": q.fondo_a_euro,
                                    "fondo_b_euro": q.fondo_b_euro} for q in self.quote}
        d["fondi"] = {"A": self.fondo_a_euro, "B": self.fondo_b_euro}
        d["ai_membri_euro"] = self.ai_membri_euro
        d["senza_iban"] = [q.soggetto for q in self.senza_iban()]
        d["impronta"] = self.impronta()
        return _json(d)


# --------------------------------------------------------------------------- calcolo

def _euro_str(d: Decimal) -> str:
    from cer_docs.italiano import importo
    return importo(d)


def _simula(pratica: Pratica, misure: Misure) -> Simulazione:
    return simula(pratica, Opzioni(anno=0, misure=misure))


def liquida(pratica: Pratica, periodo: str, misure: Misure, al: dt.date) -> Liquidazione:
    """Riconciliazione e riparto del periodo. ``al`` è la data di oggi (per dire che cosa deve ancora arrivare)."""
    inizio, fine = limiti_periodo(periodo)
    avvisi: list[Rilievo] = []
    mis, attivi = restringi(misure, pratica, inizio, fine)
    sim = _simula(pratica, mis)
    regole_al = sim.al
    giorni_periodo = (fine - inizio).days + 1
    ore_attese = sum(24 for _ in range(giorni_periodo))
    if sim.ore < ore_attese - 2 * giorni_periodo / 365:   # i giorni di 23/25 ore si compensano nell'anno
        avvisi.append(Rilievo("RIP-MISURE-PARZIALI", "avviso", "misure",
                              f"Le misure coprono {sim.ore} ore su circa {ore_attese} del periodo: l'atteso vale solo "
                              "per le ore misurate.", ""))
    for a in sim.avvisi:
        avvisi.append(Rilievo("RIP-SIMULAZIONE", "avviso", "misure", a, ""))
    # ---- incassi del periodo per configurazione
    conf_ids = [c.id for c in sim.configurazioni]
    atteso_conf = {c.id: in_centesimi(c.tariffa_premio_euro + c.valorizzazione_euro) for c in sim.configurazioni}
    incassi = [i for i in pratica.incassi_gse if nel_periodo(i.periodo, periodo)]
    ignote = sorted({i.configurazione for i in incassi if i.configurazione and i.configurazione not in conf_ids})
    if ignote:
        raise ErroreLiquidazione(f"gli incassi citano configurazioni che non sono nella pratica: {', '.join(ignote)}")
    stimato = not incassi
    incassato: dict[str, int] = {c: 0 for c in conf_ids}
    ecc_ricevuta: dict[str, int] = {c: 0 for c in conf_ids}
    ecc_indicata = any(i.componente == "quota_eccedentaria" for i in incassi)
    per_comp: dict[str, int] = {k: 0 for k in COMPONENTI}
    for i in incassi:
        cent = in_centesimi(i.importo_euro)
        per_comp[i.componente] += cent
        if i.configurazione:
            parti = {i.configurazione: cent}
        else:
            pesi = [atteso_conf[c] for c in conf_ids]
            if sum(pesi) == 0:
                pesi = [1] * len(conf_ids)
            parti = dict(zip(conf_ids, resti_maggiori(cent, pesi)))
        for c, x in parti.items():
            incassato[c] += x
            if i.componente == "quota_eccedentaria":
                ecc_ricevuta[c] += x
    if stimato:
        incassato = dict(atteso_conf)
        avvisi.append(Rilievo("RIP-SENZA-INCASSI", "avviso", "incassi_gse",
                              f"Nessun incasso del GSE registrato per il periodo {periodo}: il riparto usa gli importi "
                              "attesi dalle misure. È una stima: registra gli incassi (CSV periodo, componente, "
                              "importo_euro) prima di pagare.", ""))
    elif len(conf_ids) > 1 and any(i.configurazione is None for i in incassi):
        avvisi.append(Rilievo("RIP-INCASSI-SENZA-CONFIGURAZIONE", "avviso", "incassi_gse",
                              "Alcuni incassi non dicono la configurazione: sono stati divisi tra le configurazioni in "
                              "proporzione all'atteso. Indica la colonna configurazione per un riparto esatto.", ""))
    costi_tot = sum((in_centesimi(c.importo_euro) for c in pratica.costi_comunita
                     if c.periodo == periodo or (len(periodo) == 4 and c.periodo[:4] == periodo)), 0)
    pesi_costi = [atteso_conf[c] or 1 for c in conf_ids]
    costi_conf = dict(zip(conf_ids, resti_maggiori(costi_tot, pesi_costi))) if conf_ids else {}
    # ---- riparto per configurazione
    per_membro: dict[str, dict[str, int]] = {}
    comunita: dict[str, int] = {}
    tot_netto = tot_b = tot_corr = tot_terzi = 0
    percentuali = None
    if pratica.comunita and pratica.comunita.riparto_benefici:
        rb = pratica.comunita.riparto_benefici
        percentuali = {c: getattr(rb, c) for c in CATEGORIE}
    if not percentuali or sum(percentuali.values()) == 0:
        percentuali = {"consumatori": Decimal(100)}
    ai_consumatori = bool(pratica.comunita and "consumatori_non_imprese" in pratica.comunita.destinazione_eccedenza)
    terzi_ids = {t.soggetto for t in pratica.produttori_terzi}
    pesi_membro: dict[str, list[float]] = {}
    for c in sim.configurazioni:
        atteso = atteso_conf[c.id]
        ricevuto = incassato[c.id]
        corr = in_centesimi(c.corrispettivi_gse_euro)
        netto = ricevuto - corr - costi_conf.get(c.id, 0)
        rapporto = Decimal(ricevuto) / Decimal(atteso) if atteso else Decimal(0)
        if ecc_indicata:
            ecc = ecc_ricevuta[c.id]
        else:
            ecc = int((Decimal(in_centesimi(c.quota_eccedentaria_euro)) * rapporto).to_integral_value())
        terzi = []
        for m in c.membri:
            if m.soggetto in terzi_ids and m.categorie.get("produttori_terzi"):
                quota = int((Decimal(in_centesimi(m.categorie["produttori_terzi"])) * rapporto).to_integral_value())
                terzi.append((m.soggetto, m.nome, quota))
        aventi = []
        for m in c.membri:
            s = pratica.soggetto(m.soggetto)
            pesi_membro.setdefault(m.soggetto, [0.0, 0.0])
            pesi_membro[m.soggetto][0] += m.prelievo_condiviso_kwh
            pesi_membro[m.soggetto][1] += m.immissione_condivisa_kwh
            if m.soggetto in terzi_ids and not any(x.soggetto == m.soggetto for x in pratica.membri):
                continue
            if m.prelievo_condiviso_kwh > 0 or m.immissione_condivisa_kwh > 0:
                aventi.append(Avente(m.soggetto, m.nome, m.prelievo_condiviso_kwh, m.immissione_condivisa_kwh,
                                     impresa=bool(s and s.tipo == "impresa")))
        rip = ripartisci(netto_cent=netto, eccedenza_cent=ecc, percentuali=percentuali, aventi=aventi,
                         terzi=terzi, eccedenza_ai_consumatori=ai_consumatori)
        for sid, cat in rip.membri_cent.items():
            d = per_membro.setdefault(sid, {})
            for k, v in cat.items():
                d[k] = d.get(k, 0) + v
        for k, v in rip.comunita_cent.items():
            comunita[k] = comunita.get(k, 0) + v
        tot_netto += netto
        tot_b += rip.categorie_cent.get("eccedenza", 0)
        tot_corr += corr
        tot_terzi += rip.categorie_cent.get("produttori_terzi", 0)
        if netto < 0:
            avvisi.append(Rilievo("RIP-NETTO-NEGATIVO", "avviso", f"configurazioni[{conf_ids.index(c.id)}]",
                                  f"Configurazione {c.id}: corrispettivi e costi superano quanto ricevuto; ai membri "
                                  "non va nulla e la differenza resta a carico della comunità.", ""))
    # ---- quote per membro
    quote = []
    ordine = [m.soggetto for m in pratica.membri] + [t.soggetto for t in pratica.produttori_terzi]
    for sid in dict.fromkeys(ordine):
        cat = per_membro.get(sid, {})
        s = pratica.soggetto(sid)
        tot = sum(cat.values())
        b = cat.get("eccedenza", 0)
        pesi = pesi_membro.get(sid, [0.0, 0.0])
        quote.append(QuotaMembro(
            soggetto=sid, nome=s.nome_completo if s else sid, importo_euro=euro(tot), fondo_a_euro=euro(tot - b),
            fondo_b_euro=euro(b), categorie={k: euro(v) for k, v in cat.items()},
            prelievo_condiviso_kwh=pesi[0], immissione_condivisa_kwh=pesi[1],
            giorni_attivi=attivi.get(sid, 0), giorni_periodo=giorni_periodo,
            iban=(s.iban if s else None) or None, codice_fiscale=(s.codice_fiscale if s else None),
            produttore_terzo=sid in terzi_ids))
    for q in quote:
        if q.importo_euro > 0 and not q.iban:
            avvisi.append(Rilievo("RIP-SENZA-IBAN", "avviso", f"soggetti[{pratica.indice_soggetto(q.soggetto)}].iban",
                                  f"{q.nome} riceve {_euro_str(q.importo_euro)} ma non ha un IBAN: non entra nel "
                                  "file dei bonifici. Aggiungi l'IBAN o pagalo in altro modo.", ""))
    totale = euro(tot_netto)
    somma = sum((q.importo_euro for q in quote), ZERO) + sum((euro(v) for v in comunita.values()), ZERO)
    if somma != totale:     # l'invariante del riparto: niente si crea, niente si perde
        raise AssertionError((somma, totale))
    # ---- riconciliazione mese per mese
    acc = acconti(pratica, regole_al)
    mensile: dict[str, list[dict[str, Any]]] = {}
    righe = _riconcilia(pratica, mis, periodo, inizio, fine, al, acc, avvisi, mensile)
    for q in quote:
        q.mensile = mensile.get(q.soggetto, [])
    return Liquidazione(
        periodo=periodo, denominazione=pratica.denominazione, inizio=inizio, fine=fine, al=regole_al, stimato=stimato,
        atteso_euro=euro(sum(atteso_conf.values())), incassato_euro=euro(sum(incassato.values())),
        incassato_per_componente={k: euro(v) for k, v in per_comp.items() if v},
        corrispettivi_gse_euro=euro(tot_corr), costi_euro=euro(costi_tot), totale_euro=totale,
        fondo_a_euro=euro(tot_netto - tot_b), fondo_b_euro=euro(tot_b), produttori_terzi_euro=euro(tot_terzi),
        comunita_euro={k: euro(v) for k, v in comunita.items() if v},
        energia_condivisa_kwh=sum(c.energia_condivisa_kwh for c in sim.configurazioni),
        quote=quote, riconciliazione=righe, acconti=acc, avvisi=avvisi, simulazione=sim)


def _mesi(inizio: dt.date, fine: dt.date) -> list[str]:
    out, d = [], inizio
    while d <= fine:
        out.append(f"{d.year:04d}-{d.month:02d}")
        d = (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return out


def _riconcilia(pratica: Pratica, mis: Misure, periodo: str, inizio: dt.date, fine: dt.date, al: dt.date,
                acc: list[AccontoImpianto], avvisi: list[Rilievo],
                mensile: dict[str, list[dict[str, Any]]]) -> list[RigaRiconciliazione]:
    noti = [a.mensile_euro for a in acc]
    acconto_mese = sum((x for x in noti if x is not None), ZERO) if acc and all(x is not None for x in noti) else None
    if acc and acconto_mese is None:
        avvisi.append(Rilievo("RIP-ACCONTO-NON-STIMATO", "info", "configurazioni",
                              "L'acconto non si controlla: le ore equivalenti non sono note per la fonte o la zona di "
                              f"{', '.join(a.impianto for a in acc if a.mensile_euro is None)}.",
                              rif("acconto_gse", fine)))
    cong = leggi("conguaglio_termine", fine).valore
    righe = []
    giorni = _giorni_locali(mis.ore)
    for mese in _mesi(inizio, fine):
        a, b = limiti_periodo(mese)
        sel = (giorni >= a.toordinal()) & (giorni <= b.toordinal())
        ricevuto = {k: ZERO for k in COMPONENTI}
        for i in pratica.incassi_gse:
            if i.periodo == mese:
                ricevuto[i.componente] += i.importo_euro
        ricevuto = {k: v for k, v in ricevuto.items() if v}
        if sel.any():
            sub = Misure(ore=mis.ore[sel], prelievo={k: v[sel] for k, v in mis.prelievo.items()},
                         immissione={k: v[sel] for k, v in mis.immissione.items()})
            s = _simula(pratica, sub)
            tip = sum((c.tariffa_premio_euro for c in s.configurazioni), ZERO)
            val = sum((c.valorizzazione_euro for c in s.configurazioni), ZERO)
            cond = sum(c.energia_condivisa_kwh for c in s.configurazioni)
            for m in s.membri():
                mensile.setdefault(m.soggetto, []).append(
                    {"mese": mese, "prelievo_kwh": m.prelievo_condiviso_kwh, "immissione_kwh": m.immissione_condivisa_kwh})
        else:
            tip = val = ZERO
            cond = 0.0
        atteso = tip + val
        tot = sum(ricevuto.values(), ZERO)
        spieg = []
        if not ricevuto:
            spieg.append("Nessun importo del GSE registrato per il mese.")
        if "acconto" in ricevuto and acconto_mese is not None:
            d = ricevuto["acconto"] - acconto_mese
            if abs(d) > TOLLERANZA_ACCONTO:
                spieg.append(f"Acconto diverso dalla formula delle Regole Operative ({_euro_str(acconto_mese)}): "
                             f"differenza {_euro_str(d)}. Controlla potenza, fascia e fattore F comunicati al GSE.")
                avvisi.append(Rilievo("RIP-ACCONTO-DIVERSO", "avviso", "incassi_gse",
                                      f"{mese}: acconto ricevuto {_euro_str(ricevuto['acconto'])}, formula "
                                      f"{_euro_str(acconto_mese)}.", rif("acconto_gse", fine), parametri=["acconto_gse"]))
            else:
                spieg.append("Acconto coerente con la formula delle Regole Operative.")
        if ricevuto and set(ricevuto) <= {"acconto"}:
            termine = dt.date(int(mese[:4]) + 1, cong["mese"], cong["giorno"])
            if al < termine:
                spieg.append(f"Solo acconto: il conguaglio del mese è atteso entro il {termine:%d/%m/%Y}.")
            else:
                spieg.append(f"Solo acconto, ma il conguaglio doveva essere pubblicato entro il {termine:%d/%m/%Y}: "
                             "cercalo sul portale del GSE.")
        for comp, att in (("tariffa_premio", tip), ("valorizzazione", val)):
            if comp in ricevuto and abs(ricevuto[comp] - att) > TOLLERANZA_ACCONTO:
                spieg.append(f"{comp.replace('_', ' ').capitalize()}: ricevuto {_euro_str(ricevuto[comp])}, "
                             f"atteso dalle misure {_euro_str(att)}.")
        if ricevuto and not set(ricevuto) <= {"acconto"}:
            diff = tot - atteso
            if abs(diff) <= TOLLERANZA_ACCONTO:
                spieg.append("Il ricevuto torna con l'atteso dalle misure.")
            else:
                spieg.append(f"Differenza di {_euro_str(diff)} rispetto all'atteso dalle misure: misure del GSE diverse "
                             "dalle tue, punti o impianti non ancora attivi per il GSE, o conguaglio parziale.")
        righe.append(RigaRiconciliazione(mese, tip, val, atteso, acconto_mese, ricevuto, tot, tot - atteso, spieg, cond))
    from .estratti import periodo_esteso   # qui: estratti importa questo modulo
    in_sospeso = [r for r in righe if r.ricevuto and set(r.ricevuto) <= {"acconto"}]
    eccesso = sum((r.differenza_euro for r in in_sospeso if r.differenza_euro > 0), ZERO)
    if eccesso > TOLLERANZA_ACCONTO:
        avvisi.append(Rilievo("RIP-ACCONTI-DA-CONGUAGLIARE", "avviso", "incassi_gse",
                              f"Nei mesi con il solo acconto ({', '.join(periodo_esteso(r.mese) for r in in_sospeso)}) il GSE ha pagato "
                              f"{_euro_str(eccesso)} più dell'atteso dalle misure: con il conguaglio li recupererà. "
                              "Valuta di accantonarli invece di ripartirli.", ""))
    return righe


# --------------------------------------------------------------------------- approvazione e pagamento

def approva(pratica: Pratica, liq: Liquidazione, approvato_il: dt.date, delibera: str | None = None,
            autore: str | None = None) -> Pratica:
    """Copia della pratica con il riparto congelato come nuova versione e l'evento dell'assemblea."""
    if liq.stimato:
        raise ErroreLiquidazione("il riparto usa importi attesi, non ricevuti: registra gli incassi del GSE prima "
                                 "di farlo approvare")
    p = pratica.model_copy(deep=True)
    versione = 1 + sum(1 for r in p.riparti_approvati if r.periodo == liq.periodo)
    p.riparti_approvati.append(RipartoApprovato(
        periodo=liq.periodo, versione=versione, approvato_il=approvato_il, delibera=delibera,
        totale_euro=liq.totale_euro, fondo_a_euro=liq.fondo_a_euro, fondo_b_euro=liq.fondo_b_euro,
        quote=[QuotaRiparto(soggetto=q.soggetto, importo_euro=q.importo_euro, fondo_a_euro=q.fondo_a_euro,
                            fondo_b_euro=q.fondo_b_euro) for q in liq.quote if q.importo_euro],
        impronta=liq.impronta()))
    p.eventi.append(Evento(data=approvato_il, tipo="riparto_approvato", autore=autore, oggetto="riparti_approvati",
                           descrizione=f"Riparto {liq.periodo} approvato dall'assemblea (versione {versione}): "
                                       f"{_euro_str(liq.totale_euro)}, fondo A {_euro_str(liq.fondo_a_euro)}, "
                                       f"fondo B {_euro_str(liq.fondo_b_euro)}",
                           riferimento=delibera, nota=liq.periodo))
    return p


def approvato(pratica: Pratica, periodo: str) -> RipartoApprovato | None:
    """L'ultima versione approvata del riparto del periodo."""
    vers = [r for r in pratica.riparti_approvati if r.periodo == periodo]
    return max(vers, key=lambda r: r.versione) if vers else None


def evento_pagamento(liq: Liquidazione, data: dt.date, nome_file: str, totale: Decimal, bonifici: int,
                     autore: str | None = None) -> Evento:
    return Evento(data=data, tipo="pagamento_membri", autore=autore, oggetto="riparti_approvati", nota=liq.periodo,
                  descrizione=f"File dei bonifici del riparto {liq.periodo}: {bonifici} bonifici per "
                              f"{_euro_str(totale)} ({nome_file})")

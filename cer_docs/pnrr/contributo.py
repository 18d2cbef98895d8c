"""Contributo PNRR di un impianto: importo, modalità di erogazione, fattore F sulla tariffa.

Funzioni pure dei fatti della pratica e di una data esplicita ``al``: i costi massimi per
fascia di potenza, la quota massima, l'anticipo e le esenzioni sono quelli in vigore a
quella data (``rules/params``). Il calcolo dell'importo è quello di
``cer_docs.rules.pnrr.contributo_massimo`` (quota × min(spesa, costo massimo × kW) − altri
contributi in conto capitale): qui lo si spiega voce per voce e lo si completa con

* le opzioni di erogazione per fascia di potenza (Regole Operative 2024: fino a 200 kW
  anticipo + saldo oppure saldo unico; oltre, anche la quota intermedia), con l'anticipo
  massimo in vigore (10 %, poi 30 % dal DM 127/2025);
* il fattore F che il contributo comporta sulla tariffa premio, TIP × (1 − F): lineare da 0
  a ``f_massimo`` quando l'intensità (contributo per kW / costo massimo di riferimento)
  arriva a ``intensita_massima_pct`` (dominio.md §5.3);
* i punti di prelievo della configurazione esenti dalla riduzione (enti territoriali, enti
  religiosi, ETS, associazioni ambientali; persone fisiche dal DM 127/2025).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from cer_docs.italiano import importo, numero, percentuale
from cer_docs.model.pratica import Configurazione, Impianto, Pratica
from cer_docs.rules.base import Rilievo, param, rif
from cer_docs.rules.pnrr import contributo_massimo, costo_massimo_kw

__all__ = ["CalcoloContributo", "OpzioneErogazione", "PuntoEsente", "Rata", "calcola_contributi",
           "calcola_contributo", "fascia_potenza", "fattore_f"]

AMBITO = "pnrr"
CENT = Decimal("0.01")
CENTO = Decimal(100)
QUATTRO_DECIMALI = Decimal("0.0001")

TITOLI_OPZIONE = {
    "anticipo_e_saldo": "anticipo e saldo",
    "intermedia_e_saldo": "quota intermedia e saldo",
    "saldo_unico": "tutto a saldo",
}


@dataclass(frozen=True)
class Rata:
    descrizione: str
    quota_pct: Decimal
    importo: Decimal
    condizione: str


@dataclass(frozen=True)
class OpzioneErogazione:
    numero: int
    codice: str
    titolo: str
    rate: tuple[Rata, ...]


@dataclass(frozen=True)
class PuntoEsente:
    pod: str
    soggetto: str
    tipo: str


@dataclass
class CalcoloContributo:
    """Il contributo di un impianto spiegato voce per voce (importi in euro, ``Decimal``)."""

    percorso: str
    impianto_id: str
    denominazione: str
    al: dt.date
    potenza_kw: Decimal
    fascia: str | None
    costo_massimo_kw: Decimal | None
    spesa_massima: Decimal | None
    spesa_ammissibile: Decimal | None
    base_calcolo: Decimal | None
    quota_pct: Decimal
    altri_contributi: Decimal
    contributo_massimo: Decimal | None
    contributo_richiesto: Decimal | None
    contributo: Decimal | None
    intensita_pct: Decimal | None
    fattore_f: Decimal | None
    anticipo_massimo_pct: Decimal
    opzioni_erogazione: list[OpzioneErogazione] = field(default_factory=list)
    punti_esenti: list[PuntoEsente] = field(default_factory=list)
    rilievi: list[Rilievo] = field(default_factory=list)
    riferimenti: dict[str, str] = field(default_factory=dict)
    cup: str | None = None
    codice_progetto_gse: str | None = None

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["al"] = self.al.isoformat()
        d["rilievi"] = [r.as_dict() for r in self.rilievi]
        return _json_ready(d)


def _json_ready(o: Any) -> Any:
    if isinstance(o, dict):
        return {k: _json_ready(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [_json_ready(v) for v in o]
    if isinstance(o, Decimal):
        return str(o)
    if isinstance(o, dt.date):
        return o.isoformat()
    return o


def _r(codice: str, gravita: str, oggetto: str, messaggio: str, riferimento: str) -> Rilievo:
    return Rilievo(codice=codice, gravita=gravita, oggetto=oggetto, messaggio=messaggio,  # type: ignore[arg-type]
                   riferimento=riferimento, ambito=AMBITO)


def _kw(x: Decimal | int | float) -> str:
    return f"{numero(Decimal(str(x)))} kW"


def fascia_potenza(potenza_kw: Decimal, al: dt.date) -> str | None:
    """``"oltre 20 e fino a 200 kW"``: la fascia dei costi massimi in cui cade la potenza."""
    sotto = None
    for f in param("pnrr_costi_massimi", al):
        tetto = Decimal(str(f["fino_a_kw"]))
        if potenza_kw <= tetto:
            return f"fino a {_kw(tetto)}" if sotto is None else f"oltre {numero(sotto)} e fino a {_kw(tetto)}"
        sotto = tetto
    return None


def fattore_f(contributi_totali: Decimal, potenza_kw: Decimal, costo_kw: Decimal, al: dt.date) -> tuple[Decimal, Decimal]:
    """(intensità %, F): intensità = contributi per kW / costo massimo di riferimento per kW."""
    p = param("fattore_f", al)
    intensita_max = Decimal(str(p["intensita_massima_pct"]))
    f_max = Decimal(str(p["f_massimo"]))
    if potenza_kw <= 0 or costo_kw <= 0:
        return Decimal(0), Decimal(0)
    intensita = (contributi_totali / potenza_kw / costo_kw * CENTO)
    f = f_max * min(intensita, intensita_max) / intensita_max
    return (intensita.quantize(CENT, rounding=ROUND_HALF_UP), f.quantize(QUATTRO_DECIMALI, rounding=ROUND_HALF_UP))


def _opzioni(potenza_kw: Decimal, contributo: Decimal, al: dt.date) -> list[OpzioneErogazione]:
    anticipo = Decimal(str(param("pnrr_anticipo_massimo_pct", al)))
    fasce = param("pnrr_modalita_erogazione", al)
    scelta = next((f for f in fasce if potenza_kw <= Decimal(str(f["fino_a_kw"]))), None)
    if scelta is None:
        return []

    def quota(pct: Decimal) -> Decimal:
        return (contributo * pct / CENTO).quantize(CENT, rounding=ROUND_HALF_UP)

    saldo_cond = ("a lavori conclusi e con tutte le spese ammissibili sostenute; il saldo si ricalcola sulle spese "
                  "effettivamente pagate e non supera mai il contributo concesso")
    out = []
    for n, o in enumerate(scelta["opzioni"], start=1):
        codice = o["codice"]
        if codice == "anticipo_e_saldo":
            a = quota(anticipo)
            rate = (Rata("Anticipo", anticipo, a, "dopo l'atto di concessione e la firma dell'atto d'obbligo sul "
                                                  "portale GSE; è un massimo, si può chiedere meno"),
                    Rata("Saldo", CENTO - anticipo, contributo - a, saldo_cond))
        elif codice == "intermedia_e_saldo":
            qi = Decimal(str(o["quota_intermedia_pct"]))
            sm = Decimal(str(o["spesa_sostenuta_minima_pct"]))
            i = quota(qi)
            rate = (Rata("Quota intermedia", qi, i, f"dopo aver sostenuto almeno il {percentuale(sm)} della spesa "
                                                     "ammissibile"),
                    Rata("Saldo", CENTO - qi, contributo - i, saldo_cond))
        else:
            rate = (Rata("Saldo", CENTO, contributo, saldo_cond),)
        out.append(OpzioneErogazione(numero=n, codice=codice, titolo=TITOLI_OPZIONE.get(codice, codice), rate=rate))
    return out


def _punti_esenti(pratica: Pratica, conf: Configurazione, al: dt.date) -> list[PuntoEsente]:
    esenti = set(param("fattore_f_punti_esenti", al))
    out = []
    for pc in conf.punti_connessione:
        if pc.data_uscita is not None and pc.data_uscita <= al:
            continue
        s = pratica.soggetto(pc.soggetto)
        if s is not None and s.tipo in esenti:
            out.append(PuntoEsente(pod=pc.pod, soggetto=s.nome_completo, tipo=s.tipo))
    return out


def calcola_contributo(pratica: Pratica, percorso: str, conf: Configurazione, imp: Impianto,
                       al: dt.date) -> CalcoloContributo:
    """Il contributo dell'impianto ``imp`` (che deve avere ``contributo_pnrr``) alla data ``al``."""
    cp = imp.contributo_pnrr
    if cp is None:
        raise ValueError(f"l'impianto '{imp.id}' non ha un contributo PNRR")
    base_path = f"{percorso}.contributo_pnrr"
    nome = f"«{imp.nome}»"
    quota = Decimal(str(param("pnrr_quota_massima_pct", al)))
    altri = cp.altri_contributi_euro or Decimal("0.00")
    costo = costo_massimo_kw(imp.potenza_kw, al)
    rilievi: list[Rilievo] = []
    riferimenti = {
        "costi_massimi": rif("pnrr_costi_massimi", al),
        "quota_massima": rif("pnrr_quota_massima_pct", al),
        "anticipo": rif("pnrr_anticipo_massimo_pct", al),
        "erogazione": rif("pnrr_modalita_erogazione", al),
        "fattore_f": rif("fattore_f", al),
        "esenzioni": rif("fattore_f_punti_esenti", al),
    }
    calcolo = CalcoloContributo(
        percorso=percorso, impianto_id=imp.id, denominazione=imp.nome, al=al,
        potenza_kw=imp.potenza_kw, fascia=fascia_potenza(imp.potenza_kw, al), costo_massimo_kw=costo,
        spesa_massima=None, spesa_ammissibile=cp.spesa_ammissibile_euro, base_calcolo=None, quota_pct=quota,
        altri_contributi=altri, contributo_massimo=None, contributo_richiesto=cp.contributo_richiesto_euro,
        contributo=None, intensita_pct=None, fattore_f=None,
        anticipo_massimo_pct=Decimal(str(param("pnrr_anticipo_massimo_pct", al))),
        punti_esenti=_punti_esenti(pratica, conf, al), rilievi=rilievi, riferimenti=riferimenti,
        cup=cp.cup, codice_progetto_gse=cp.codice_progetto_gse,
    )
    if costo is None:
        pmax = param("impianto_potenza_massima_kw", al)
        rilievi.append(_r("PNRR_POTENZA", "errore", f"{percorso}.potenza_kw",
                          f"L'impianto {nome} ha {_kw(imp.potenza_kw)}: il contributo PNRR spetta solo a impianti "
                          f"fino a {_kw(pmax)}, quindi non si calcola.", rif("impianto_potenza_massima_kw", al)))
        return calcolo
    spesa_massima = (costo * imp.potenza_kw).quantize(CENT, rounding=ROUND_HALF_UP)
    calcolo.spesa_massima = spesa_massima
    spesa = cp.spesa_ammissibile_euro
    if spesa is None:
        spesa = spesa_massima
        rilievi.append(_r("PNRR_SPESA_NON_INDICATA", "avviso", f"{base_path}.spesa_ammissibile_euro",
                          f"Per {nome} manca la spesa ammissibile: il contributo è calcolato sul costo massimo di "
                          f"riferimento ({importo(costo)}/kW × {_kw(imp.potenza_kw)} = {importo(spesa_massima)}). "
                          "Inserisci la spesa del preventivo, IVA esclusa, per un importo realistico.",
                          riferimenti["costi_massimi"]))
    elif spesa > spesa_massima:
        rilievi.append(_r("PNRR_SPESA_OLTRE_COSTO_MASSIMO", "info", f"{base_path}.spesa_ammissibile_euro",
                          f"La spesa di {nome} ({importo(spesa)}) supera il costo massimo di riferimento "
                          f"({importo(costo)}/kW × {_kw(imp.potenza_kw)} = {importo(spesa_massima)}): il contributo "
                          "si calcola su quest'ultimo, la parte eccedente resta a carico del beneficiario.",
                          riferimenti["costi_massimi"]))
    calcolo.base_calcolo = min(spesa, spesa_massima)
    massimo = contributo_massimo(imp.potenza_kw, spesa, al, altri)
    calcolo.contributo_massimo = massimo
    richiesto = cp.contributo_richiesto_euro
    if richiesto is not None and massimo is not None and richiesto > massimo:
        rilievi.append(_r("PNRR_CONTRIBUTO_MASSIMO", "errore", f"{base_path}.contributo_richiesto_euro",
                          f"Il contributo richiesto per {nome} ({importo(richiesto)}) supera il massimo ammissibile "
                          f"di {importo(massimo)}: riduci l'importo richiesto.",
                          f"{riferimenti['costi_massimi']}; {riferimenti['quota_massima']}"))
    contributo = massimo if richiesto is None or massimo is None else min(richiesto, massimo)
    calcolo.contributo = contributo
    if altri > 0:
        rilievi.append(_r("PNRR_CUMULO", "info", f"{base_path}.altri_contributi_euro",
                          f"Altri contributi in conto capitale su {nome} ({importo(altri)}) riducono il contributo "
                          f"PNRR: il totale dei contributi non supera il {percentuale(quota)} della spesa ammissibile. "
                          "Non sono cumulabili i contributi di altri programmi UE sugli stessi costi.",
                          riferimenti["quota_massima"]))
    if contributo is not None:
        calcolo.intensita_pct, calcolo.fattore_f = fattore_f(contributo + altri, imp.potenza_kw, costo, al)
        calcolo.opzioni_erogazione = _opzioni(imp.potenza_kw, contributo, al)
    if param("pnrr_erogazioni_in_ridefinizione", al):
        # che cosa resta da confermare lo aggiunge il rilievo (il parametro non è confermato): una volta sola
        rilievi.append(_r("PNRR_EROGAZIONI_NUOVE_REGOLE", "avviso", base_path,
                          "Dal 20/02/2026 il contributo è un programma di sovvenzione gestito dal GSE: anticipi e "
                          "pagamenti intermedi seguiranno le nuove Regole Operative. Le opzioni qui sotto sono quelle "
                          f"in vigore prima: confermale con il GSE prima di chiedere l'erogazione.",
                          rif("pnrr_erogazioni_in_ridefinizione", al)))
    return calcolo


def calcola_contributi(pratica: Pratica, al: dt.date) -> list[CalcoloContributo]:
    """Un calcolo per ogni impianto che ha il contributo PNRR, nell'ordine del file."""
    return [calcola_contributo(pratica, percorso, conf, imp, al)
            for percorso, conf, imp in pratica.impianti() if imp.contributo_pnrr is not None]

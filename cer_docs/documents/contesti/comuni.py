"""Aiuti comuni a tutti i costruttori del contesto: parametri datati, numeri e percentuali con
le loro forme, luoghi, date, importi, impianti.

Qui si formatta all'italiana; le frasi stanno nelle clausole.
"""

from __future__ import annotations

import contextvars
import copy
import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from cer_docs import italiano
from cer_docs.model.pratica import Impianto, Indirizzo
from cer_docs.model.vocabolario import CATEGORIE_SOGGETTO, FONTI_ENERGIA
from cer_docs.rules.base import param

from ..motore import LACUNA, lacuna

SPAZIO_FISSO = "\u00a0"


# ----------------------------------------------------------------------------- una generazione
#
# Un pacchetto ha un documento per membro (dichiarazione, modulo di adesione): le parti comuni a
# tutta la pratica (l'ente, chi lo rappresenta, chi è membro attivo, chi ha quali punti) si
# calcolano una volta per generazione invece che a ogni documento, che altrimenti rileggerebbe
# tutti i membri (costo quadratico). Fuori da ``una_generazione()`` ogni calcolo si rifà.

_generazione: contextvars.ContextVar[dict | None] = contextvars.ContextVar("generazione_documenti", default=None)


@contextmanager
def una_generazione() -> Iterator[None]:
    """Il blocco in cui si preparano i documenti di una generazione: la pratica non cambia."""
    tok = _generazione.set({})
    try:
        yield
    finally:
        _generazione.reset(tok)


def comune(pratica: Any, nome: str, al: dt.date | None, calcola: Callable[[], Any], *, copia: bool = False) -> Any:
    """Il risultato di ``calcola()`` per la pratica, calcolato una volta nella generazione in corso
    (``copia``: una copia profonda a ogni chiamata, per chi modifica ciò che riceve)."""
    memo = _generazione.get()
    if memo is None:
        return calcola()
    chiave = (id(pratica), nome, al)
    voce = memo.get(chiave)
    if voce is None or voce[0] is not pratica:
        voce = memo[chiave] = (pratica, calcola())  # la pratica resta referenziata: il suo id non si riusa
    return _copia(voce[1]) if copia else voce[1]


def _copia(v: Any) -> Any:
    """Copia profonda di dizionari, liste e tuple (ciò che i costruttori preparano: testi, flag,
    numeri); ``copy.deepcopy`` costava quanto ricalcolare. Un oggetto d'altro tipo, che qui non ci
    sarebbe, passa a ``copy.deepcopy``."""
    if isinstance(v, dict):
        return {k: _copia(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_copia(x) for x in v]
    if isinstance(v, tuple):
        return tuple(_copia(x) for x in v)
    if v is None or isinstance(v, (str, bool, int, float, Decimal, dt.date)):
        return v
    return copy.deepcopy(v)


def punti_per_soggetto(pratica: Any) -> dict[str, list[tuple[Any, Any]]]:
    """soggetto → [(configurazione, punto di connessione)], nell'ordine della pratica."""
    def calcola() -> dict[str, list[tuple[Any, Any]]]:
        out: dict[str, list[tuple[Any, Any]]] = {}
        for c in pratica.configurazioni:
            for pc in c.punti_connessione:
                out.setdefault(pc.soggetto, []).append((c, pc))
        return out
    return comune(pratica, "punti_per_soggetto", None, calcola)


def p(pid: str, al: dt.date) -> Any:
    """Parametro datato; se manca alla data ``al`` esce ``ParametroNonDefinito`` (il servizio
    lo traduce in «nessuna regola in vigore a quella data»)."""
    return param(pid, al)


def categorie_plurali(codici) -> list[str]:
    """Le categorie di soggetti (codici dei parametri) come le nomina lo statuto, al plurale."""
    return [CATEGORIE_SOGGETTO[t].plurale for t in codici if t in CATEGORIE_SOGGETTO]


def luogo(ind: Indirizzo | None) -> str | None:
    """«San Godenzo (FI), Via Roma 12»."""
    if ind is None or not (ind.comune or ind.indirizzo):
        return None
    comune = ind.comune or LACUNA
    if ind.provincia:
        comune += f" ({ind.provincia})"
    return f"{comune}, {ind.indirizzo}" if ind.indirizzo else comune


def comune_prov(ind: Indirizzo | None) -> str | None:
    if ind is None or not ind.comune:
        return None
    return f"{ind.comune} ({ind.provincia})" if ind.provincia else ind.comune


def pct(x: Decimal | int | None) -> str | None:
    if x is None:
        return None
    return italiano.percentuale(Decimal(x).normalize() if isinstance(x, Decimal) else x)


def _inizia_per_vocale(x: Decimal | int) -> bool:
    intero = int(Decimal(x))
    return italiano.numero_in_lettere(intero)[0] in "aeiou"


def percentuale_con_articoli(x: Decimal | int) -> dict[str, str]:
    """Le forme con articolo: «il 12%», «l'8%», «al 12%», «all'11%», «del 40%»."""
    t = pct(x) or ""
    v = _inizia_per_vocale(x)
    return {
        "pct": t,
        "il": f"l'{t}" if v else f"il {t}",
        "al": f"all'{t}" if v else f"al {t}",
        "del": f"dell'{t}" if v else f"del {t}",
        "pari_al": f"pari all'{t}" if v else f"pari al {t}",
    }


def numero_e_lettere(n: int) -> dict[str, str]:
    return {"cifre": str(n), "lettere": italiano.numero_in_lettere(n), "completo": f"{n} ({italiano.numero_in_lettere(n)})"}


def durata_anni(anni: int) -> str:
    """«un anno», «3 (tre) anni»."""
    return "un anno" if anni == 1 else f"{numero_e_lettere(anni)['completo']} anni"


_MESI_SOLO = ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre",
              "ottobre", "novembre", "dicembre")


def data_per_atto_pubblico(d: dt.date | None, percorso: str | None = None) -> str:
    """«l'anno duemilaventicinque, il giorno venti del mese di ottobre» (spazi se manca; ``percorso``: il
    dato nel file pratica, per nominarlo nell'avviso)."""
    if d is None:
        s = lacuna(percorso) if percorso else LACUNA
        return f"l'anno {s}, il giorno {s} del mese di {s}"
    giorno = "primo" if d.day == 1 else italiano.numero_in_lettere(d.day)
    return f"l'anno {italiano.numero_in_lettere(d.year)}, il giorno {giorno} del mese di {_MESI_SOLO[d.month - 1]}"


def data(d: dt.date | None) -> str | None:
    return italiano.data_lunga(d) if d else None


def data_breve(d: dt.date | None) -> str | None:
    """«20/10/2025» per le colonne delle tabelle (mai la forma ISO)."""
    return d.strftime("%d/%m/%Y") if d else None


def elenco_parole(voci: list[str]) -> str:
    voci = [v for v in voci if v]
    if len(voci) <= 1:
        return "".join(voci)
    return ", ".join(voci[:-1]) + " e " + voci[-1]


def kw(x: Decimal | int | None) -> str | None:
    if x is None:
        return None
    return f"{italiano.numero(Decimal(x), 1)}{SPAZIO_FISSO}kW"


def euro(x: Decimal | None) -> str | None:
    return italiano.importo(Decimal(x), spazio=SPAZIO_FISSO) if x is not None else None


def nome_impianto(imp: Impianto) -> str:
    """Come un documento nomina un impianto: la denominazione, altrimenti fonte, potenza e POD
    (mai l'id interno del file pratica)."""
    if imp.denominazione:
        return f"«{imp.denominazione}»"
    return f"l'impianto {FONTI_ENERGIA[imp.fonte].nome} da {kw(imp.potenza_kw)} sul punto {imp.pod}"


_ORIGINI_IMPIANTO = {
    "data_esercizio": "data_entrata_esercizio_prevista", "contributo": "contributo_pnrr.contributo_richiesto_euro",
    "spesa": "contributo_pnrr.spesa_ammissibile_euro", "cup": "contributo_pnrr.cup",
    "codice_gse": "contributo_pnrr.codice_progetto_gse", "data_domanda": "contributo_pnrr.data_domanda",
}


def origini_impianto(campo: str, base: str) -> dict[str, str]:
    """Per ``Contesto.origini``: i campi di ``impianto()`` che possono mancare, sotto ``campo`` nel contesto
    (``impianto``, ``impianti_dichiarati[0]``), con il loro dato nel file pratica sotto ``base``
    (``parti.percorso_impianto``)."""
    return {f"{campo}.{k}": f"{base}.{v}" for k, v in _ORIGINI_IMPIANTO.items()}


def impianto(imp: Impianto, base: str | None = None) -> dict[str, Any]:
    """Un impianto per gli elenchi del pacchetto (mandato, accordo, DSAN, lettera PNRR). ``base``: l'impianto
    nel file pratica (``parti.percorso_impianto``), per nominare nell'avviso il CENSIMP e la data di entrata
    in esercizio che mancano."""
    pn = imp.contributo_pnrr
    obbligo = Decimal(imp.potenza_obbligo_kw or 0)
    data_es = imp.data_entrata_esercizio or imp.data_entrata_esercizio_prevista
    manca_censimp = lacuna(f"{base}.censimp") if base else LACUNA
    manca_data = lacuna(f"{base}.data_entrata_esercizio_prevista") if base else LACUNA
    return {
        "nome": nome_impianto(imp), "fonte": FONTI_ENERGIA[imp.fonte].nome, "potenza": kw(imp.potenza_kw),
        "pod": imp.pod, "censimp": imp.censimp or manca_censimp,
        "data_esercizio": data(data_es), "esercizio_previsto": imp.data_entrata_esercizio is None,
        "il_data_esercizio": italiano.con_data("il", data_es) if data_es else f"il {manca_data}",
        "componenti_nuovi": imp.componenti_nuovi, "fotovoltaico": imp.fonte == "fotovoltaico",
        "con_obbligo": obbligo > 0, "potenza_obbligo": kw(obbligo) if obbligo > 0 else None,
        "altri_incentivi": elenco_parole(list(imp.altri_incentivi)) or None,
        "pnrr": pn is not None,
        "contributo": euro(pn.contributo_richiesto_euro) if pn else None,
        "spesa": euro(pn.spesa_ammissibile_euro) if pn else None,
        "altri_contributi": euro(pn.altri_contributi_euro) if pn and pn.altri_contributi_euro else None,
        "cup": (pn.cup if pn else None), "codice_gse": (pn.codice_progetto_gse if pn else None),
        "data_domanda": data(pn.data_domanda) if pn else None,
        "concesso": bool(pn and pn.data_concessione),
    }


def i_numero(n: int, resto: str, genere: str = "m") -> str:
    """«i 7 (sette) punti…», «gli 8 (otto) impianti…», «le 11 (undici) …»: l'articolo segue la
    pronuncia del numero."""
    ne = numero_e_lettere(n)
    return f"{italiano.articolo(ne['lettere'], genere, 'p')} {ne['completo']} {resto}"

"""L'acconto mensile della tariffa premio secondo la formula delle Regole Operative.

Per impianto incentivato: ``P (kW) × H (ore equivalenti) × α (simultaneità) × TIP_acconto / 12``, con
``TIP_acconto = (parte fissa della fascia + parte variabile media + correzione geografica) × (1 − F)``
(€/MWh, quindi diviso 1.000 per i kWh). I valori stanno nel parametro datato ``acconto_gse`` (non
confermato: una differenza rispetto a questa stima è al più un avviso). Funzione pura di pratica e data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from cer_docs.economia.motore import fascia_di
from cer_docs.economia.simulazione import Opzioni, _fattori_f, _Luoghi, _parametri, correzione_geografica
from cer_docs.model.pratica import Pratica
from cer_docs.rules.base import leggi, param


@dataclass
class AccontoImpianto:
    impianto: str
    configurazione: str
    potenza_kw: float
    ore_equivalenti: float | None
    simultaneita: float
    tariffa_acconto_euro_mwh: float
    fattore_f: float
    mensile_euro: Decimal | None          # None: ore equivalenti non note per la fonte o la zona
    calcolo: str


def acconti(pratica: Pratica, al: dt.date) -> list[AccontoImpianto]:
    lettura = leggi("acconto_gse", al)
    v = lettura.valore
    potenza_max = float(param("impianto_potenza_massima_kw", al))
    luoghi = _Luoghi(pratica)
    f_imp = _fattori_f(pratica, al, Opzioni(anno=al.year))
    out = []
    for _p, conf, imp in pratica.impianti():
        if imp.intervento == "esistente" or imp.fonte == "non_rinnovabile" or float(imp.potenza_kw) > potenza_max:
            continue
        par = _parametri(al, conf.tipo)
        fascia = fascia_di(float(imp.potenza_kw), par.fasce)
        zona = luoghi.impianto(imp).zona_correzione
        corr = correzione_geografica(imp.fonte, zona, al)
        f = f_imp.get(imp.id, 0.0)
        tip = (fascia.base_euro_mwh + float(v["parte_variabile_euro_mwh"]) + corr) * (1 - f)
        ore = (v["ore_equivalenti"].get(imp.fonte) or {}).get(zona)
        alfa = float(v["simultaneita"])
        quota = max(0.0, 1.0 - float(imp.potenza_obbligo_kw) / float(imp.potenza_kw))
        if ore is None:
            out.append(AccontoImpianto(imp.id, conf.id, float(imp.potenza_kw), None, alfa, tip, f, None,
                                       f"ore equivalenti non note per {imp.fonte} in zona {zona}"))
            continue
        mwh = float(imp.potenza_kw) * quota * float(ore) * alfa / 1000
        mensile = (Decimal(str(mwh)) * Decimal(str(tip)) / 12).quantize(Decimal("0.01"), ROUND_HALF_UP)
        calcolo = (f"{float(imp.potenza_kw):g} kW × {float(ore):g} h × {alfa:g} × "
                   f"({fascia.base_euro_mwh:g} + {float(v['parte_variabile_euro_mwh']):g} + {corr:g}) €/MWh"
                   f"{f' × (1 − {f:.3g})' if f else ''} ÷ 12").replace(".", ",")
        out.append(AccontoImpianto(imp.id, conf.id, float(imp.potenza_kw), float(ore), alfa, tip, f, mensile, calcolo))
    return out

"""Contesto dell'informativa sul trattamento dei dati personali (una per pratica)."""

from __future__ import annotations

import datetime as dt

from cer_docs.model.pratica import Pratica

from ..motore import Contesto
from . import parti
from .comuni import luogo
from .ente import base_pacchetto, origini_pacchetto
from .oggetti import impianti_pnrr
from .rapporti import integra_informativa


def contesto_informativa(pratica: Pratica, al: dt.date) -> Contesto:
    valori, flag = base_pacchetto(pratica, al)
    ref = [pratica.soggetto(c.referente.soggetto) for c in pratica.configurazioni
           if c.referente.soggetto and c.referente.qualifica != "comunita"]
    valori["referenti_terzi"] = [{"nome": r.nome_completo} for r in ref if r is not None]
    flag["referente_distinto"] = bool(valori["referenti_terzi"])
    origini = origini_pacchetto(pratica)
    if pratica.comunita is not None:
        origini["titolare.contatto"] = "comunita.pec"
        origini["titolare.sede"] = "comunita.sede.indirizzo"
        valori["titolare"] = {"nome": pratica.comunita.denominazione, "il": valori["ente"]["il"],
                              "sede": luogo(pratica.comunita.sede), "contatto": pratica.comunita.pec}
    else:
        conf = pratica.configurazioni[0] if pratica.configurazioni else None
        r = pratica.soggetto(conf.referente.soggetto) if conf else None
        if r is not None:
            origini["titolare.contatto"] = f"{parti.percorso(r)}.email"
            origini["titolare.sede"] = parti.percorso_luogo(r, "indirizzo")
        # il titolare con l'articolo che il suo nome vuole: «il Condominio Aurora», «Mario Rossi»
        valori["titolare"] = {"nome": r.nome_completo if r else None,
                              "il": parti.denominazione(r)["il"] if r else None,
                              "sede": luogo(r.luogo) if r else None,
                              "contatto": (r.pec or r.email) if r else None}
    flag["pnrr_presente"] = bool(impianti_pnrr(pratica))
    tipo_titolare = None
    if pratica.comunita is None and pratica.configurazioni:
        r0 = pratica.soggetto(pratica.configurazioni[0].referente.soggetto)
        tipo_titolare = r0.tipo if r0 else None
    integra_informativa(pratica, al, valori, flag, tipo_titolare)  # rapporti.py
    return Contesto(valori=valori, flag=flag, avvisi=[], origini=origini)

"""Contesto dell'avviso pubblico e del modulo di una manifestazione di interesse."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cer_docs import italiano
from cer_docs.model.vocabolario import RUOLI_CANDIDATO

from ..motore import LACUNA, Contesto
from .comuni import categorie_plurali, data, elenco_parole, luogo, p


def contesto_campagna(campagna, al: dt.date) -> Contesto:
    """Avviso pubblico e modulo di una manifestazione di interesse (``model.campagna.Campagna``)."""
    c = campagna
    ammessi = categorie_plurali(p("membri_categorie_ammesse", al))
    ateco = p("ateco_esclusi", al)
    valori: dict[str, Any] = {
        "campagna": {"codice": c.codice, "titolo": c.titolo, "finalita": c.finalita,
                     "comuni": elenco_parole(list(c.comuni)) or None,
                     "cabine": elenco_parole(list(c.cabine_primarie)) or None,
                     "pubblicazione": data(c.data_pubblicazione), "scadenza": data(c.scadenza),
                     "il_scadenza": italiano.con_data("il", c.scadenza) if c.scadenza else f"il {LACUNA}",
                     "canale": c.canale},
        "ente_procedente": {"denominazione": c.ente.denominazione, "codice_fiscale": c.ente.codice_fiscale,
                            "pec": c.ente.pec, "sede": luogo(c.ente.sede), "sito": c.ente.sito,
                            "comune": c.ente.sede.comune,
                            "dal": italiano.denominazione_articolata(c.ente.denominazione, "m")["dal"]},
        "responsabile": {"nome": c.responsabile.nome, "qualifica": c.responsabile.qualifica,
                         "al_quale": "alla quale" if c.responsabile.sesso == "F" else "al quale",
                         "email": c.responsabile.email, "telefono": c.responsabile.telefono},
        "ruoli_campagna": [{"testo": f"{RUOLI_CANDIDATO[r].nome} ({RUOLI_CANDIDATO[r].aiuto})"}
                           for r in c.ruoli_ammessi],
        "categorie_ammesse": [{"testo": x} for x in ammessi],
        "ateco_esclusi_campagna": "; ".join(f"{elenco_parole(list(vs))} (classificazione ATECO {k})"
                                            for k, vs in ateco.items()),
        "allegati": [{"testo": a} for a in c.allegati_richiesti],
        "spazio": LACUNA,
        "firmatari_avviso": [{"nome": c.responsabile.nome,
                              "qualifica": c.responsabile.qualifica or _responsabile(c.responsabile.sesso)}],
        "firmatari_modulo": [{"nome": LACUNA, "qualifica": "il richiedente o il suo legale rappresentante"}],
    }
    flag = {
        "campagna_con_finalita": bool(c.finalita), "campagna_con_cabine": bool(c.cabine_primarie),
        "campagna_con_allegati": bool(c.allegati_richiesti), "campagna_con_sito": bool(c.ente.sito),
        "campagna_produttori": any(r in c.ruoli_ammessi for r in ("produttore", "prosumer", "produttore_terzo")),
        "campagna_terzi": "produttore_terzo" in c.ruoli_ammessi,
    }
    avvisi = [] if c.scadenza else ["la campagna non indica la scadenza: l'avviso la lascia da completare"]
    return Contesto(valori=valori, flag=flag, avvisi=avvisi)


def _responsabile(sesso: str | None) -> str:
    return "la responsabile del procedimento" if sesso == "F" else "il responsabile del procedimento"

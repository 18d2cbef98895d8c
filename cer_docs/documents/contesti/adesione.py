"""Contesto del modulo di adesione (uno per membro attivo alla data)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cer_docs import italiano
from cer_docs.model.pratica import Pratica
from cer_docs.model.vocabolario import RUOLI_MEMBRO, TIPI_SOGGETTO

from ..motore import Contesto
from . import parti
from .comuni import comune, data, euro, punti_per_soggetto
from .ente import FEMMINILI, base_pacchetto, origini_pacchetto
from .statuto import riferimento_configurazione


def _membri_per_soggetto(pratica: Pratica) -> dict[str, Any]:
    """soggetto → il suo primo membro nella pratica (una volta per generazione)."""
    def calcola() -> dict[str, Any]:
        out: dict[str, Any] = {}
        for x in pratica.membri:
            out.setdefault(x.soggetto, x)
        return out
    return comune(pratica, "membri_per_soggetto", None, calcola)


def contesto_adesione(pratica: Pratica, sid: str, al: dt.date) -> Contesto:
    valori, flag = base_pacchetto(pratica, al)
    s = pratica.soggetto(sid)
    assert s is not None
    m = _membri_per_soggetto(pratica)[sid]
    valori["richiedente"] = {"nome": s.nome_completo, "identificazione": parti.identificazione(s),
                             "categoria": TIPI_SOGGETTO[s.tipo].nome, "ruolo": RUOLI_MEMBRO[m.ruolo].nome,
                             "email": s.pec or s.email, "data_adesione": data(m.data_adesione)}
    c = pratica.comunita
    flag["quota_adesione_definita"] = bool(c and c.quota_associativa_euro is not None)
    valori["quota_adesione"] = euro(c.quota_associativa_euro) if c and c.quota_associativa_euro is not None else None
    punti = [{"pod": pc.pod, **parti.punto(k, pc),
              "configurazione": riferimento_configurazione(pratica, k)["la"]["nome"]}
             for k, pc in punti_per_soggetto(pratica).get(sid, [])]
    valori["punti_richiedente"] = punti
    flag["richiedente_con_punti"] = bool(punti)
    n, q = parti.nome_firmatario(s)
    f = parti.femminile(s) if s.tipo == "persona_fisica" else None
    g_soggetto = parti.femminile_soggetto(s)
    valori["richiedente"]["ammesso"] = italiano.per_genere(g_soggetto, "ammesso", "ammessa")
    valori["richiedente"]["Il_richiedente"] = parti.accordo(g_soggetto)["Il_richiedente"]
    valori["richiedente"]["libero"] = italiano.per_genere(g_soggetto, "libero", "libera")
    membro = valori["termini"]["membro"]
    valori["richiedente"]["membro"] = italiano.per_genere(g_soggetto, membro, FEMMINILI.get(membro, membro))
    valori["firmatari_adesione"] = [{"nome": n, "qualifica": q or parti.accordo(f)["richiedente"]}]
    # l'email del modulo è la PEC o, se manca, l'email: se mancano entrambe si completa l'email
    return Contesto(valori=valori, flag=flag, avvisi=[],
                    origini={**origini_pacchetto(pratica), "richiedente.email": f"{parti.percorso(s)}.email"})

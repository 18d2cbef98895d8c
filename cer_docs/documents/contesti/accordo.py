"""Contesto dell'accordo con il produttore terzo (uno per produttore terzo)."""

from __future__ import annotations

import datetime as dt

from cer_docs.model.pratica import Pratica
from cer_docs.model.vocabolario import TIPI_CONFIGURAZIONE

from ..motore import LACUNA, Contesto
from . import parti
from .comuni import data, impianto, origini_impianto, percentuale_con_articoli
from .ente import base_pacchetto, origini_pacchetto
from .statuto import nominata, riferimento_configurazione
from .rapporti import integra_accordo


def contesto_accordo(pratica: Pratica, sid: str, al: dt.date) -> Contesto:
    valori, flag = base_pacchetto(pratica, al)
    t = next(x for x in pratica.produttori_terzi if x.soggetto == sid)
    s = pratica.soggetto(sid)
    impianti, confs = [], []
    origini = origini_pacchetto(pratica)
    for _, c, imp in pratica.impianti():
        if imp.id in t.impianti or imp.produttore == sid:
            origini.update(origini_impianto(f"impianti_produttore[{len(impianti)}]", parti.percorso_impianto(c, imp)))
            impianti.append(impianto(imp, parti.percorso_impianto(c, imp)))
            if c not in confs:
                confs.append(c)
    conf = confs[0] if confs else None
    tipo = conf.tipo if conf else "CER"
    flag["accordo_cer"] = tipo == "CER"
    flag["accordo_auc"] = tipo == "AUC"
    flag["accordo_aid"] = tipo == "AID"
    flag["accordo_istruzioni"] = tipo in ("AUC", "AID")
    flag["quota_terzo_definita"] = t.quota_incentivo_pct is not None
    flag["impianti_terzo_pnrr"] = any(i["pnrr"] for i in impianti)
    valori["produttore"] = {"nome": s.nome_completo if s else None,
                            "identificazione": parti.identificazione(s) if s else None}
    valori["impianti_produttore"] = impianti
    valori["quota_terzo"] = percentuale_con_articoli(t.quota_incentivo_pct) if t.quota_incentivo_pct is not None else None
    valori["data_accordo"] = data(t.data_accordo)
    if t.luogo_accordo:
        valori["luogo_firma"] = t.luogo_accordo
    rif = riferimento_configurazione(pratica, conf) if conf else {
        "numero": None, "riferimento": None, "denominazione": None, "cabina_primaria": None,
        "la": nominata("configurazione", "f", LACUNA), "il_gruppo": nominata(TIPI_CONFIGURAZIONE["AUC"].breve, "m", LACUNA)}
    valori["configurazione"] = {**rif, "tipo": TIPI_CONFIGURAZIONE[tipo].nome}
    ref = conf.referente if conf else None
    rs = pratica.soggetto(ref.soggetto) if ref else None
    flag["accordo_referente_comunita"] = bool(ref and ref.qualifica == "comunita" and pratica.comunita is not None)
    valori["referente"] = {"nome": rs.nome_completo if rs else None,
                           "identificazione": parti.identificazione(rs, con_nascita_rappresentante=False) if rs else None}
    firme = []
    if s is not None:
        n, q = parti.nome_firmatario(s)
        firme.append({"nome": n, "qualifica": q or "il produttore"})
    if pratica.comunita is not None:
        firme.append(valori["rappresentante_ente"]["firma"])
    if rs is not None:
        n, q = parti.nome_firmatario(rs)
        ref_parola = parti.accordo(parti.femminile(rs) if rs.tipo == "persona_fisica" else None)["referente"]
        firme.append({"nome": n, "qualifica": (ref_parola if q is None else f"{q}, referente")})
    valori["firmatari_accordo"] = firme
    avvisi = [] if impianti else [f"accordo con {valori['produttore']['nome']}: nessun impianto indicato"]
    integra_accordo(pratica, sid, al, valori, flag)  # rapporti.py
    return Contesto(valori=valori, flag=flag, avvisi=avvisi, origini=origini)

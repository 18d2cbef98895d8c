"""Contesto di regolamento, mandato al referente e accordo con il produttore terzo per ciò che
riguarda i rapporti tra i documenti: preavvisi che più documenti citano, a chi il referente versa
le somme del GSE, quale atto fonda la configurazione (statuto della CER o atto costitutivo del
gruppo), luogo e data di firma, approvazione del regolamento.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from cer_docs import italiano
from cer_docs.model.pratica import Configurazione, Pratica

from ..motore import LACUNA, lacuna
from .comuni import numero_e_lettere, percentuale_con_articoli


def _numero(n: int) -> dict[str, str]:
    return numero_e_lettere(int(n))


def _pct(x: Decimal) -> dict[str, str]:
    return percentuale_con_articoli(x)


def preavviso_recesso(pratica: Pratica) -> dict[str, Any]:
    """Il preavviso che lo statuto chiede per recedere dall'ente («sei mesi»), o ``None``.

    Una sola regola nei tre documenti: il preavviso riguarda il rapporto con l'ente (recesso da
    associato o socio); l'uscita dei punti e degli impianti da una configurazione non lo attende,
    perché il cliente finale può lasciare la configurazione in ogni momento (art. 32 c. 1 lett. b
    D.lgs. 199/2021): lo statuto lo dice all'articolo sul recesso, il regolamento all'articolo
    sull'uscita, l'accordo con il produttore terzo, che non è membro, rinvia al regolamento."""
    c = pratica.comunita
    mesi = c.recesso.preavviso_mesi if c and c.recesso and c.recesso.preavviso_mesi else 0
    if mesi:
        return {"durata": f"{_numero(mesi)['lettere']} {'mese' if mesi == 1 else 'mesi'}"}
    return {"durata": None}


def fondamento(pratica: Pratica, conf: Configurazione) -> dict[str, str]:
    """L'atto su cui si fonda la configurazione: lo statuto della CER o l'atto costitutivo del gruppo."""
    if pratica.comunita is not None:
        return {"lo": "lo statuto", "dello": "dello statuto", "nome": "statuto"}
    if conf.tipo == "AUC":
        return {"lo": "l'atto costitutivo del gruppo", "dello": "dell'atto costitutivo del gruppo",
                "nome": "atto costitutivo del gruppo"}
    return {"lo": "le istruzioni del mandante", "dello": "delle istruzioni del mandante",
            "nome": "dichiarazione del cliente finale"}


def _data(d: dt.date | None) -> str | None:
    return italiano.data_lunga(d) if d else None


def luogo_e_data(luogo: str | None, d: dt.date | None) -> dict[str, str | None]:
    """«a Urbino», «ad Arezzo»; «l'8 novembre 2025», «il 1° marzo 2026»: pronti per «Fatto …, …»."""
    return {"luogo": luogo, "data": _data(d),
            "a_luogo": italiano.a_luogo(luogo) if luogo else None,
            "il_data": italiano.con_data("il", d) if d else None}


def integra_regolamento(pratica: Pratica, conf: Configurazione, al: dt.date, valori: dict[str, Any],
                        flag: dict[str, bool]) -> None:
    valori["preavviso_recesso"] = preavviso_recesso(pratica)
    flag["recesso_ente_con_preavviso"] = valori["preavviso_recesso"]["durata"] is not None
    valori["fondamento"] = fondamento(pratica, conf)
    # quota dei produttori terzi: di che cosa è percentuale e chi riceve il resto
    terzi = []
    for t in valori.get("produttori_terzi", []):
        t = dict(t)
        if t.get("quota_incentivo"):
            x = next((p.quota_incentivo_pct for p in pratica.produttori_terzi
                      if pratica.soggetto(p.soggetto) and pratica.soggetto(p.soggetto).nome_completo == t["nome"]),
                     None)
            t["quota_resto"] = _pct(Decimal(100) - Decimal(x)) if x is not None else None
        else:
            t["quota_resto"] = None
        terzi.append(t)
    valori["produttori_terzi"] = terzi
    # approvazione: organo competente della CER, con data e firme; nel gruppo la firmano tutti
    c = pratica.comunita
    if c is not None:
        pres = pratica.soggetto(c.organi.presidente)
        valori["firmatari_approvazione"] = [
            {"nome": pres.nome_completo if pres else lacuna("comunita.organi.presidente"), "qualifica": "il Presidente"},
            {"nome": LACUNA, "qualifica": "il segretario della riunione"},
        ]
    else:
        valori["firmatari_approvazione"] = []


def integra_mandato(pratica: Pratica, conf: Configurazione, al: dt.date, valori: dict[str, Any],
                    flag: dict[str, bool]) -> None:
    ref = conf.referente
    c = pratica.comunita
    valori["fondamento"] = fondamento(pratica, conf)
    luogo = ref.mandato.luogo_firma or valori.get("luogo_firma")
    valori["firma_mandato"] = luogo_e_data(luogo, ref.mandato.data_firma)
    flag["luogo_mandato_noto"] = bool(luogo)
    flag["data_mandato_nota"] = ref.mandato.data_firma is not None
    # le somme del GSE vanno al soggetto delegato al riparto che lo statuto indica
    delegato = (c.soggetto_delegato_riparto or "comunita") if c is not None else None
    flag["mandato_versa_al_delegato"] = bool(c is not None and delegato != ref.soggetto)
    if c is not None and delegato == "comunita":
        valori["delegato_riparto"] = {"al": "alla Comunità", "nome": "la Comunità"}
    elif c is not None:
        ds = pratica.soggetto(delegato)
        nome = ds.nome_completo if ds else delegato
        valori["delegato_riparto"] = {"al": f"a {nome}, soggetto delegato al riparto secondo lo statuto",
                                      "nome": nome}
    else:
        valori["delegato_riparto"] = {"al": None, "nome": None}


def integra_accordo(pratica: Pratica, sid: str, al: dt.date, valori: dict[str, Any], flag: dict[str, bool]) -> None:
    t = next(x for x in pratica.produttori_terzi if x.soggetto == sid)
    luogo = t.luogo_accordo or valori.get("luogo_firma")
    valori["firma_accordo"] = luogo_e_data(luogo, t.data_accordo)
    flag["luogo_accordo_noto"] = bool(luogo)
    flag["data_accordo_nota"] = t.data_accordo is not None
    if t.quota_incentivo_pct is not None:
        valori["quota_terzo_resto"] = _pct(Decimal(100) - Decimal(t.quota_incentivo_pct))
    else:
        valori["quota_terzo_resto"] = None


def integra_informativa(pratica: Pratica, al: dt.date, valori: dict[str, Any], flag: dict[str, bool],
                        titolare_tipo: str | None) -> None:
    """Informativa privacy: base giuridica per finalità (lettera dell'art. 6 GDPR), conservazione per
    finalità (parametri datati), DPO obbligatorio se il titolare è un ente pubblico."""
    from cer_docs.rules.base import param

    basi = param("privacy_basi_giuridiche", al)
    valori["base"] = {k: f"articolo 6, paragrafo 1, lettera {v}), del Regolamento (UE) 2016/679"
                      for k, v in basi.items()}
    cons = param("privacy_conservazione", al)
    durata_tip = int(param("tariffa_premio_durata_anni", al))
    valori["conservazione"] = {
        "rapporto": _numero(cons["dopo_cessazione_rapporto"])["lettere"],
        "contabili": _numero(cons["scritture_contabili"])["lettere"],
        "gse": _numero(cons["dopo_contratto_gse"])["lettere"],
        "tariffa": _numero(durata_tip)["lettere"],
    }
    pubblici = set(param("ets_controllo_enti_pubblici", al)["tipi_pubblici"])
    flag["titolare_pubblico"] = titolare_tipo in pubblici
    valori["dpo"] = {"contatto": LACUNA}
    flag["informativa_con_regolamento"] = any(c.tipo in ("CER", "AUC") for c in pratica.configurazioni)
    # il referente che è anche titolare non è un «responsabile» di se stesso
    titolare = (valori.get("titolare") or {}).get("nome")
    valori["referenti_terzi"] = [r for r in valori.get("referenti_terzi", []) if r["nome"] != titolare]
    flag["referente_distinto"] = bool(valori["referenti_terzi"])
    if pratica.comunita is not None:
        valori["fondamento_rapporto"] = "dello statuto e del regolamento della configurazione"
    elif any(c.tipo == "AUC" for c in pratica.configurazioni):
        valori["fondamento_rapporto"] = "dell'atto costitutivo del gruppo e del regolamento della configurazione"
    else:
        valori["fondamento_rapporto"] = "del contratto con il referente"

"""Costruttori del contesto dei documenti del pacchetto GSE: mandato al referente, accordo
con il produttore terzo, dichiarazioni sostitutive (una per dichiarante), lettera ai
fornitori PNRR (una per impianto finanziato), modulo di adesione (uno per membro),
informativa privacy e registro dei membri.

Come in ``contesto.py``: qui si scelgono le varianti (flag) e si preparano gli elenchi; le
clausole mostrano soltanto. I numeri di legge arrivano dai parametri datati.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from cer_docs import italiano
from cer_docs.model.pratica import Configurazione, Impianto, Pratica, Soggetto

from .contesto_registri import integra_dsan, integra_lettera, integra_registro
from .contesto_configurazione import integra_accordo, integra_informativa, integra_mandato
from .contesto import (
    _FONTE_ENERGIA, _MEMBRI, _MEMBRI_PER_FORMA, _RUOLO, _TIPO_CONF, SPAZIO_FISSO, _categorie, _elenco_parole,
    _nome_impianto, _p, comune_prov, femminile_da_cf, identificazione, luogo, nome_firmatario,
    numero_e_lettere, percentuale_con_articoli,
)
from .motore import LACUNA, Contesto

# Categoria di un soggetto al singolare, per le dichiarazioni (lessico, non norma).
_CATEGORIA = {
    "persona_fisica": "persona fisica", "impresa": "piccola o media impresa", "associazione": "associazione",
    "ente_territoriale": "ente territoriale o autorità locale", "ente_religioso": "ente religioso",
    "ente_ricerca": "ente od organismo di ricerca e formazione", "ets": "ente del Terzo settore",
    "associazione_ambientale": "ente o associazione di protezione ambientale",
    "amministrazione_locale": "amministrazione locale compresa nell'elenco ISTAT delle amministrazioni pubbliche",
    "ater": "azienda territoriale per l'edilizia residenziale pubblica",
    "ipab": "istituzione pubblica di assistenza e beneficenza", "asp": "azienda pubblica di servizi alla persona",
    "consorzio_bonifica": "consorzio di bonifica", "pa_centrale": "amministrazione pubblica centrale",
    "condominio": "condominio", "altro": "altro soggetto",
}
_DIMENSIONE = {"micro": "microimpresa", "piccola": "piccola impresa", "media": "media impresa",
               "grande": "grande impresa"}
_QUALIFICA_REF = {
    "comunita": "la comunità, tramite il proprio legale rappresentante",
    "membro": "membro della configurazione", "esco_uni_11352": "ESCO certificata UNI CEI 11352",
    "condominio": "condominio", "amministratore_condominio": "amministratore di condominio",
    "proprietario_edificio": "proprietario dell'edificio", "autoconsumatore": "autoconsumatore",
}
_TIPI_LAVORO = [
    "progettazione", "direzione dei lavori", "collaudo", "costi di connessione alla rete",
    "fornitura e posa in opera dei componenti dell'impianto",
]


def _data(d: dt.date | None) -> str | None:
    return italiano.data_lunga(d) if d else None


def _kw(x: Decimal | int | None) -> str | None:
    if x is None:
        return None
    return f"{italiano.numero(Decimal(x), 1)}{SPAZIO_FISSO}kW"


def _euro(x: Decimal | None) -> str | None:
    return italiano.importo(Decimal(x), spazio=SPAZIO_FISSO) if x is not None else None


def _ente(pratica: Pratica) -> dict[str, Any]:
    c = pratica.comunita
    if c is None:
        return {"denominazione": pratica.denominazione, "nome_breve": pratica.denominazione, "codice_fiscale": None,
                "sede_indirizzo": None, "pec": None}
    return {"denominazione": c.denominazione, "nome_breve": c.sigla or c.denominazione,
            "codice_fiscale": c.codice_fiscale, "sede_indirizzo": luogo(c.sede), "pec": c.pec}


def _rappresentante_ente(pratica: Pratica) -> dict[str, Any]:
    """Chi rappresenta la comunità: il presidente indicato nella pratica."""
    c = pratica.comunita
    pres = pratica.soggetto(c.organi.presidente) if c else None
    if pres is None:
        return {"nome": None, "identificazione": None, "firma": {"nome": LACUNA, "qualifica": "il legale rappresentante"}}
    return {"nome": pres.nome_completo, "identificazione": identificazione(pres),
            "firma": {"nome": pres.nome_completo,
                      "qualifica": f"per {c.denominazione}, legale rappresentante" if c else None}}


def _base(pratica: Pratica, al: dt.date) -> tuple[dict[str, Any], dict[str, bool]]:
    c = pratica.comunita
    termini = _MEMBRI[_MEMBRI_PER_FORMA[c.forma_giuridica]] if c else _MEMBRI["partecipanti"]
    valori: dict[str, Any] = {"ente": _ente(pratica), "termini": termini, "spazio": LACUNA,
                              "rappresentante_ente": _rappresentante_ente(pratica),
                              "luogo_firma": (c.sede.comune if c and c.sede.comune else None)}
    flag = {"con_comunita": c is not None, "senza_comunita": c is None}
    if c is not None:
        valori["soggetto"] = {"il": "la Comunità", "Il": "La Comunità", "del": "della Comunità",
                              "al": "alla Comunità", "dal": "dalla Comunità"}
    else:
        valori["soggetto"] = {"il": "il Gruppo", "Il": "Il Gruppo", "del": "del Gruppo", "al": "al Gruppo",
                              "dal": "dal Gruppo"}
    valori["termine_variazioni"] = numero_e_lettere(int(_p("variazioni_configurazione_termine_giorni", al)))
    durata = int(_p("referente_mandato_durata_anni", al))
    valori["referente_mandato"] = {"durata": "un anno" if durata == 1 else f"{numero_e_lettere(durata)['completo']} anni"}
    valori["pnrr_esercizio_minimo"] = numero_e_lettere(int(_p("pnrr_esercizio_minimo_anni", al)))
    return valori, flag


def _impianto(imp: Impianto) -> dict[str, Any]:
    pn = imp.contributo_pnrr
    obbligo = Decimal(imp.potenza_obbligo_kw or 0)
    data_es = imp.data_entrata_esercizio or imp.data_entrata_esercizio_prevista
    return {
        "id": imp.id, "nome": _nome_impianto(imp), "fonte": _FONTE_ENERGIA[imp.fonte], "potenza": _kw(imp.potenza_kw),
        "pod": imp.pod, "censimp": imp.censimp or LACUNA,
        "data_esercizio": _data(data_es), "esercizio_previsto": imp.data_entrata_esercizio is None,
        "componenti_nuovi": imp.componenti_nuovi, "fotovoltaico": imp.fonte == "fotovoltaico",
        "con_obbligo": obbligo > 0, "potenza_obbligo": _kw(obbligo) if obbligo > 0 else None,
        "altri_incentivi": _elenco_parole(list(imp.altri_incentivi)) or None,
        "pnrr": pn is not None,
        "contributo": _euro(pn.contributo_richiesto_euro) if pn else None,
        "spesa": _euro(pn.spesa_ammissibile_euro) if pn else None,
        "altri_contributi": _euro(pn.altri_contributi_euro) if pn and pn.altri_contributi_euro else None,
        "cup": (pn.cup if pn else None), "codice_gse": (pn.codice_progetto_gse if pn else None),
        "data_domanda": _data(pn.data_domanda) if pn else None,
        "concesso": bool(pn and pn.data_concessione),
    }


def _beneficiario(pratica: Pratica, imp: Impianto) -> str:
    pn = imp.contributo_pnrr
    return (pn.beneficiario if pn and pn.beneficiario else None) or imp.produttore


# ----------------------------------------------------------------------------- elenchi per il catalogo


def configurazioni_con_mandato(pratica: Pratica) -> list[Configurazione]:
    """Le configurazioni il cui referente agisce con mandato (non la comunità stessa)."""
    out = []
    for c in pratica.configurazioni:
        if c.referente.qualifica == "comunita" and pratica.comunita is not None and c.tipo == "CER":
            continue
        if c.tipo == "AID" and c.referente.qualifica == "autoconsumatore":
            continue  # l'autoconsumatore a distanza è referente di sé stesso
        out.append(c)
    return out


def impianti_pnrr(pratica: Pratica) -> list[tuple[Configurazione, Impianto]]:
    return [(c, i) for _, c, i in pratica.impianti() if i.contributo_pnrr is not None]


def dichiaranti(pratica: Pratica) -> list[str]:
    """Chi deve rendere una dichiarazione sostitutiva, nell'ordine: referenti, membri, produttori
    terzi e altri produttori, beneficiari PNRR. «comunita» indica la comunità come referente."""
    out: list[str] = []

    def agg(x: str | None) -> None:
        if x and x not in out:
            out.append(x)

    for c in pratica.configurazioni:
        if c.referente.qualifica == "comunita" and pratica.comunita is not None:
            agg("comunita")
        else:
            agg(c.referente.soggetto)
    for m in pratica.membri:
        agg(m.soggetto)
    for t in pratica.produttori_terzi:
        agg(t.soggetto)
    for _, _, imp in pratica.impianti():
        agg(imp.produttore)
    for _, imp in impianti_pnrr(pratica):
        agg(_beneficiario(pratica, imp))
    return [x for x in out if x == "comunita" or pratica.soggetto(x) is not None]


# ----------------------------------------------------------------------------- mandato al referente


def contesto_mandato(pratica: Pratica, conf: Configurazione, al: dt.date) -> Contesto:
    valori, flag = _base(pratica, al)
    avvisi: list[str] = []
    ref = conf.referente
    rs = pratica.soggetto(ref.soggetto)
    if rs is None:
        avvisi.append(f"mandato al referente '{conf.id}': la pratica non indica il soggetto referente")
    qual = ref.qualifica
    flag["mandato_cer"] = conf.tipo == "CER"
    flag["mandato_auc"] = conf.tipo == "AUC"
    flag["mandato_aid"] = conf.tipo == "AID"
    flag["mandato_auc_assemblea"] = flag["mandato_auc"] and qual in ("amministratore_condominio", "condominio")
    flag["mandato_auc_membri"] = flag["mandato_auc"] and not flag["mandato_auc_assemblea"]
    flag["referente_esco"] = qual == "esco_uni_11352"
    flag["mandato_cer_con_ente"] = flag["mandato_cer"] and pratica.comunita is not None
    flag["mandato_cer_senza_ente"] = flag["mandato_cer"] and pratica.comunita is None
    valori["referente"] = {
        "nome": rs.nome_completo if rs else None,
        "identificazione": identificazione(rs) if rs else None,
        "qualifica": _QUALIFICA_REF.get(qual, qual),
    }
    partecipanti, visti = [], set()
    for p in conf.punti_connessione:
        s = pratica.soggetto(p.soggetto)
        if s is None or s.id in visti or (rs is not None and s.id == rs.id and not flag["mandato_aid"]):
            continue
        visti.add(s.id)
        partecipanti.append({"identificazione": identificazione(s), "firma": nome_firmatario(s)})
    valori["mandanti"] = [{"identificazione": x["identificazione"]} for x in partecipanti]
    assemblea = next((e for e in pratica.eventi if e.tipo == "delibera"), None)
    valori["assemblea"] = {"data": _data(assemblea.data) if assemblea else None,
                           "riferimento": (assemblea.riferimento if assemblea else None)}
    valori["configurazione"] = {"id": conf.id, "denominazione": conf.denominazione or conf.id,
                                "cabina_primaria": conf.cabina_primaria, "tipo": _TIPO_CONF[conf.tipo]}
    firme = []
    if flag["mandato_cer_con_ente"]:
        firme.append(valori["rappresentante_ente"]["firma"])
    elif flag["mandato_auc_assemblea"]:
        firme.append({"nome": LACUNA, "qualifica": "il presidente dell'assemblea condominiale"})
    else:
        firme += [{"nome": x["firma"][0], "qualifica": x["firma"][1]} for x in partecipanti]
    if rs is not None:
        n, q = nome_firmatario(rs)
        firme.append({"nome": n, "qualifica": ("il referente" if q is None else f"{q}, referente")})
    valori["firmatari_mandato"] = firme
    integra_mandato(pratica, conf, al, valori, flag)  # contesto_configurazione.py
    return Contesto(valori=valori, flag=flag, avvisi=avvisi)


# ----------------------------------------------------------------------------- produttore terzo


def contesto_accordo(pratica: Pratica, sid: str, al: dt.date) -> Contesto:
    valori, flag = _base(pratica, al)
    t = next(x for x in pratica.produttori_terzi if x.soggetto == sid)
    s = pratica.soggetto(sid)
    impianti, confs = [], []
    for _, c, imp in pratica.impianti():
        if imp.id in t.impianti or imp.produttore == sid:
            impianti.append(_impianto(imp))
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
    valori["produttore"] = {"nome": s.nome_completo if s else sid,
                            "identificazione": identificazione(s) if s else None}
    valori["impianti_produttore"] = impianti
    valori["quota_terzo"] = percentuale_con_articoli(t.quota_incentivo_pct) if t.quota_incentivo_pct is not None else None
    valori["data_accordo"] = _data(t.data_accordo)
    valori["configurazione"] = {"id": conf.id if conf else None,
                                "denominazione": (conf.denominazione or conf.id) if conf else None,
                                "cabina_primaria": conf.cabina_primaria if conf else None, "tipo": _TIPO_CONF[tipo]}
    ref = conf.referente if conf else None
    rs = pratica.soggetto(ref.soggetto) if ref else None
    flag["accordo_referente_comunita"] = bool(ref and ref.qualifica == "comunita" and pratica.comunita is not None)
    valori["referente"] = {"nome": rs.nome_completo if rs else None,
                           "identificazione": identificazione(rs, con_nascita_rappresentante=False) if rs else None}
    firme = []
    if s is not None:
        n, q = nome_firmatario(s)
        firme.append({"nome": n, "qualifica": q or "il produttore"})
    if pratica.comunita is not None:
        firme.append(valori["rappresentante_ente"]["firma"])
    if rs is not None:
        n, q = nome_firmatario(rs)
        firme.append({"nome": n, "qualifica": ("il referente" if q is None else f"{q}, referente")})
    valori["firmatari_accordo"] = firme
    avvisi = [] if impianti else [f"accordo con {valori['produttore']['nome']}: nessun impianto indicato"]
    integra_accordo(pratica, sid, al, valori, flag)  # contesto_configurazione.py
    return Contesto(valori=valori, flag=flag, avvisi=avvisi)


# ----------------------------------------------------------------------------- DSAN


def contesto_dsan(pratica: Pratica, sid: str, al: dt.date) -> Contesto:
    valori, flag = _base(pratica, al)
    avvisi: list[str] = []
    comunita = sid == "comunita"
    s: Soggetto | None = None if comunita else pratica.soggetto(sid)
    # chi firma e in che veste
    if comunita:
        rapp = valori["rappresentante_ente"]
        valori["dichiarante"] = {
            "identificazione": (f"{rapp['identificazione']}, nella qualità di legale rappresentante di "
                                f"{pratica.comunita.denominazione}, codice fiscale "
                                f"{pratica.comunita.codice_fiscale or LACUNA}") if rapp["identificazione"] else None,
            "nome": pratica.comunita.denominazione,
        }
        firma = rapp["firma"]
    else:
        assert s is not None
        if s.tipo == "persona_fisica":
            ident = identificazione(s)
        else:
            r = s.rappresentante
            chi = " ".join(x for x in (r.nome, r.cognome) if x) if r else ""
            ident = (f"{chi or LACUNA}, codice fiscale {(r.codice_fiscale if r else None) or LACUNA}, nella qualità di "
                     f"{(r.carica if r else None) or 'legale rappresentante'} di {s.denominazione or s.id}, con sede in "
                     f"{luogo(s.sede) or LACUNA}, codice fiscale {s.codice_fiscale or LACUNA}")
        valori["dichiarante"] = {"identificazione": ident, "nome": s.nome_completo}
        n, q = nome_firmatario(s)
        firma = {"nome": n, "qualifica": q}
    if comunita:
        pres = pratica.soggetto(pratica.comunita.organi.presidente)
        cf_firma = pres.codice_fiscale if pres else None
    elif s.tipo == "persona_fisica":
        cf_firma = s.codice_fiscale
    else:
        cf_firma = s.rappresentante.codice_fiscale if s.rappresentante else None
    f = femminile_da_cf(cf_firma)
    valori["sottoscritto"] = {True: "La sottoscritta", False: "Il sottoscritto", None: "Il/La sottoscritto/a"}[f]
    valori["firmatari_dsan"] = [firma]

    # referente
    confs_ref = [c for c in pratica.configurazioni
                 if (comunita and c.referente.qualifica == "comunita") or (not comunita and c.referente.soggetto == sid
                                                                           and c.referente.qualifica != "comunita")]
    flag["dsan_referente"] = bool(confs_ref)
    valori["configurazioni_referente"] = [{"denominazione": c.denominazione or c.id, "cabina_primaria": c.cabina_primaria}
                                          for c in confs_ref]
    dest = set(pratica.comunita.destinazione_eccedenza) if pratica.comunita else set()
    if not dest:
        dest = {"consumatori_non_imprese", "finalita_sociali"}
    flag["dsan_eccedenza_consumatori"] = "consumatori_non_imprese" in dest
    flag["dsan_eccedenza_sociali"] = "finalita_sociali" in dest

    # membro
    membro = next((m for m in pratica.membri if m.soggetto == sid), None)
    flag["dsan_membro"] = membro is not None and s is not None
    # i requisiti d'impresa (PMI, ATECO, attività non principale) valgono per i membri di una CER;
    # nei gruppi di autoconsumatori possono partecipare anche le grandi imprese
    in_cer = any(c.tipo == "CER" and any(p.soggetto == sid for p in c.punti_connessione)
                 for c in pratica.configurazioni) or pratica.comunita is not None
    flag["dsan_membro_impresa"] = flag["dsan_membro"] and in_cer and s is not None and s.tipo == "impresa"
    flag["dsan_membro_persona"] = flag["dsan_membro"] and s is not None and s.tipo == "persona_fisica"
    ateco = _p("ateco_esclusi", al)
    if s is not None:
        cls = str(s.classificazione_ateco or 2025)
        valori["membro"] = {
            "categoria": _CATEGORIA.get(s.tipo, s.tipo),
            "dimensione": _DIMENSIONE.get(s.dimensione or "", None),
            "ateco": s.codice_ateco, "classificazione": f"ATECO {cls}",
            "ateco_esclusi": _elenco_parole(list(ateco.get(cls, []))),
            "comune": comune_prov(s.luogo),
            "ruolo": _RUOLO.get(membro.ruolo) if membro else None,
            "ente": valori["ente"]["denominazione"],
        }
        if flag["dsan_membro_impresa"] and s.dimensione == "grande":
            avvisi.append(f"{s.nome_completo} è indicata come grande impresa: non può essere membro, "
                          "la dichiarazione va verificata")
    else:
        valori["membro"] = {"categoria": None, "dimensione": None, "ateco": None, "classificazione": None,
                            "ateco_esclusi": None, "comune": None, "ruolo": None, "ente": None}
    punti = []
    for c in pratica.configurazioni:
        for p in c.punti_connessione:
            if p.soggetto == sid:
                punti.append({"pod": p.pod, "indirizzo": p.indirizzo or LACUNA, "uso": p.uso or LACUNA})
    valori["punti_dichiarati"] = punti
    flag["dsan_punti"] = bool(punti) and flag["dsan_membro"]

    # produttore
    propri = [imp for _, _, imp in pratica.impianti() if imp.produttore == sid]
    valori["impianti_dichiarati"] = [_impianto(i) for i in propri]
    flag["dsan_produttore"] = bool(propri)
    flag["dsan_produttore_terzo"] = any(t.soggetto == sid for t in pratica.produttori_terzi)

    # beneficiario PNRR
    pnrr = [imp for _, imp in impianti_pnrr(pratica) if _beneficiario(pratica, imp) == sid]
    valori["impianti_pnrr_beneficiario"] = [_impianto(i) for i in pnrr]
    flag["dsan_pnrr"] = bool(pnrr)
    flag["dsan_pnrr_persona"] = flag["dsan_pnrr"] and s is not None and s.tipo == "persona_fisica"
    flag["dsan_pnrr_ente"] = flag["dsan_pnrr"] and not flag["dsan_pnrr_persona"]
    if not any(flag[k] for k in ("dsan_referente", "dsan_membro", "dsan_produttore", "dsan_pnrr")):
        avvisi.append(f"la dichiarazione di {valori['dichiarante']['nome']} non ha voci")
    integra_dsan(pratica, sid, valori, al)  # contesto_registri.py
    return Contesto(valori=valori, flag=flag, avvisi=avvisi)


# ----------------------------------------------------------------------------- lettera ai fornitori


def contesto_lettera(pratica: Pratica, impianto_id: str, al: dt.date) -> Contesto:
    valori, flag = _base(pratica, al)
    imp = next(i for _, _, i in pratica.impianti() if i.id == impianto_id)
    pn = imp.contributo_pnrr
    assert pn is not None
    b = pratica.soggetto(_beneficiario(pratica, imp))
    valori["beneficiario"] = {
        "nome": b.nome_completo if b else None,
        "codice_fiscale": b.codice_fiscale if b else None,
        "partita_iva": (b.partita_iva if b and b.partita_iva else None),
        "sede": luogo(b.luogo) if b else None,
        "pec": (b.pec or b.email) if b else None,
    }
    flag["beneficiario_con_partita_iva"] = bool(b and b.partita_iva)
    valori["impianto"] = _impianto(imp)
    valori["cup"] = pn.cup
    valori["cig"] = pn.cig
    valori["codice_gse"] = pn.codice_progetto_gse
    flag["cup_assegnato"] = bool(pn.cup)
    flag["cup_da_assegnare"] = not pn.cup
    flag["cig_presente"] = bool(pn.cig)
    valori["dicitura_pnrr"] = str(_p("pnrr_dicitura_fattura", al))
    flag["obbligo_cup"] = bool(_p("fattura_cup_obbligo", al))
    metodi = list(_p("pnrr_pagamento_tracciabile", al)["metodi"])
    nomi = {"bonifico_bancario": "bonifico bancario", "bonifico_postale": "bonifico postale"}
    valori["pagamenti_ammessi"] = _elenco_parole([nomi.get(m, m.replace("_", " ")) for m in metodi]).replace(" e ", " o ")
    valori["tipi_lavoro"] = [{"testo": t} for t in _TIPI_LAVORO]
    valori["data_lettera"] = italiano.data_lunga(al)
    if b is not None and b.luogo is not None and b.luogo.comune:
        valori["luogo_firma"] = b.luogo.comune
    if b is not None:
        n, q = nome_firmatario(b)
        valori["firmatari_lettera"] = [{"nome": n, "qualifica": q or "il beneficiario"}]
    else:
        valori["firmatari_lettera"] = [{"nome": LACUNA, "qualifica": "il beneficiario"}]
    avvisi = [] if pn.cup else [f"impianto {imp.id}: CUP non ancora assegnato, la lettera indica il codice del progetto GSE"]
    integra_lettera(pratica, imp, al, valori, flag, avvisi)  # contesto_registri.py
    return Contesto(valori=valori, flag=flag, avvisi=avvisi)


# ----------------------------------------------------------------------------- modulo di adesione


def contesto_adesione(pratica: Pratica, sid: str, al: dt.date) -> Contesto:
    valori, flag = _base(pratica, al)
    s = pratica.soggetto(sid)
    assert s is not None
    m = next(x for x in pratica.membri if x.soggetto == sid)
    valori["richiedente"] = {"nome": s.nome_completo, "identificazione": identificazione(s),
                             "categoria": _CATEGORIA.get(s.tipo, s.tipo), "ruolo": _RUOLO[m.ruolo],
                             "email": s.pec or s.email, "data_adesione": _data(m.data_adesione)}
    c = pratica.comunita
    flag["quota_adesione_definita"] = bool(c and c.quota_associativa_euro is not None)
    valori["quota_adesione"] = _euro(c.quota_associativa_euro) if c and c.quota_associativa_euro is not None else None
    punti = [{"pod": p.pod, "indirizzo": p.indirizzo or LACUNA, "uso": p.uso or LACUNA,
              "configurazione": k.denominazione or k.id}
             for k in pratica.configurazioni for p in k.punti_connessione if p.soggetto == sid]
    valori["punti_richiedente"] = punti
    flag["richiedente_con_punti"] = bool(punti)
    n, q = nome_firmatario(s)
    valori["firmatari_adesione"] = [{"nome": n, "qualifica": q or "il richiedente"}]
    return Contesto(valori=valori, flag=flag, avvisi=[])


# ----------------------------------------------------------------------------- informativa e registro


def contesto_informativa(pratica: Pratica, al: dt.date) -> Contesto:
    valori, flag = _base(pratica, al)
    ref = [pratica.soggetto(c.referente.soggetto) for c in pratica.configurazioni
           if c.referente.soggetto and c.referente.qualifica != "comunita"]
    valori["referenti_terzi"] = [{"nome": r.nome_completo} for r in ref if r is not None]
    flag["referente_distinto"] = bool(valori["referenti_terzi"])
    if pratica.comunita is not None:
        valori["titolare"] = {"nome": pratica.comunita.denominazione, "sede": luogo(pratica.comunita.sede),
                              "contatto": pratica.comunita.pec}
    else:
        conf = pratica.configurazioni[0] if pratica.configurazioni else None
        r = pratica.soggetto(conf.referente.soggetto) if conf else None
        valori["titolare"] = {"nome": r.nome_completo if r else None, "sede": luogo(r.luogo) if r else None,
                              "contatto": (r.pec or r.email) if r else None}
    flag["pnrr_presente"] = bool(impianti_pnrr(pratica))
    tipo_titolare = None
    if pratica.comunita is None and pratica.configurazioni:
        r0 = pratica.soggetto(pratica.configurazioni[0].referente.soggetto)
        tipo_titolare = r0.tipo if r0 else None
    integra_informativa(pratica, al, valori, flag, tipo_titolare)  # contesto_configurazione.py
    return Contesto(valori=valori, flag=flag, avvisi=[])


def contesto_registro(pratica: Pratica, al: dt.date) -> Contesto:
    valori, flag = _base(pratica, al)
    righe = []
    for i, m in enumerate(pratica.membri, 1):
        s = pratica.soggetto(m.soggetto)
        righe.append({
            "numero": str(i), "nome": s.nome_completo if s else m.soggetto,
            "codice_fiscale": (s.codice_fiscale if s else None) or "",
            "categoria": _CATEGORIA.get(s.tipo, s.tipo) if s else "",
            "ruolo": _RUOLO[m.ruolo], "adesione": m.data_adesione.strftime("%d/%m/%Y") if m.data_adesione else None,
            "recesso": m.data_recesso.strftime("%d/%m/%Y") if m.data_recesso else "–",
            "quota": _euro(m.quota_versata_euro) or "–",
        })
    valori["registro"] = righe
    valori["numero_membri"] = numero_e_lettere(len(righe))
    valori["data_registro"] = italiano.data_lunga(al)
    flag["registro_vuoto"] = not righe
    integra_registro(pratica, al, valori, flag)  # contesto_registri.py
    return Contesto(valori=valori, flag=flag, avvisi=[])


# ----------------------------------------------------------------------------- campagna


def contesto_campagna(campagna, al: dt.date) -> Contesto:
    """Avviso pubblico e modulo di una manifestazione di interesse (``model.campagna.Campagna``)."""
    c = campagna
    nomi_cat = _categorie()
    ammessi = [nomi_cat[t] for t in _p("membri_categorie_ammesse", al) if t in nomi_cat]
    ateco = _p("ateco_esclusi", al)
    ruoli = {"consumatore": "consumatore (cliente finale che preleva energia)",
             "produttore": "produttore (titolare di un impianto a fonte rinnovabile, esistente o da realizzare)",
             "prosumer": "prosumer (cliente finale che produce e consuma)",
             "produttore_terzo": "produttore terzo (soggetto che non entra nella comunità ma mette a disposizione un impianto)"}
    valori: dict[str, Any] = {
        "campagna": {"codice": c.codice, "titolo": c.titolo, "finalita": c.finalita,
                     "comuni": _elenco_parole(list(c.comuni)) or None,
                     "cabine": _elenco_parole(list(c.cabine_primarie)) or None,
                     "pubblicazione": _data(c.data_pubblicazione), "scadenza": _data(c.scadenza),
                     "canale": c.canale},
        "ente_procedente": {"denominazione": c.ente.denominazione, "codice_fiscale": c.ente.codice_fiscale,
                            "pec": c.ente.pec, "sede": luogo(c.ente.sede), "sito": c.ente.sito,
                            "comune": c.ente.sede.comune},
        "responsabile": {"nome": c.responsabile.nome, "qualifica": c.responsabile.qualifica,
                         "email": c.responsabile.email, "telefono": c.responsabile.telefono},
        "ruoli_campagna": [{"testo": ruoli[r]} for r in c.ruoli_ammessi],
        "categorie_ammesse": [{"testo": x} for x in ammessi],
        "ateco_esclusi_campagna": "; ".join(f"{_elenco_parole(list(vs))} (classificazione ATECO {k})"
                                            for k, vs in ateco.items()),
        "allegati": [{"testo": a} for a in c.allegati_richiesti],
        "spazio": LACUNA,
        "firmatari_avviso": [{"nome": c.responsabile.nome, "qualifica": c.responsabile.qualifica or "il responsabile del procedimento"}],
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

"""Contesto del mandato al referente (uno per configurazione con referente diverso dalla comunità)."""

from __future__ import annotations

import datetime as dt

from cer_docs.model.pratica import Configurazione, Pratica
from cer_docs.model.vocabolario import QUALIFICHE_REFERENTE, TIPI_CONFIGURAZIONE

from ..motore import LACUNA, Contesto
from . import parti
from ..specifiche import load_spec
from .comuni import data
from .gruppo import e_condominio
from .ente import base_pacchetto, origini_pacchetto
from .statuto import riferimento_configurazione
from .rapporti import integra_mandato


def contesto_mandato(pratica: Pratica, conf: Configurazione, al: dt.date) -> Contesto:
    valori, flag = base_pacchetto(pratica, al)
    avvisi: list[str] = []
    ref = conf.referente
    rs = pratica.soggetto(ref.soggetto)
    rif_conf = riferimento_configurazione(pratica, conf)
    if rs is None:
        avvisi.append(f"mandato al referente della {rif_conf['riferimento']}: la pratica non indica il soggetto referente")
    qual = ref.qualifica
    flag["mandato_cer"] = conf.tipo == "CER"
    flag["mandato_auc"] = conf.tipo == "AUC"
    flag["mandato_aid"] = conf.tipo == "AID"
    flag["mandato_auc_assemblea"] = flag["mandato_auc"] and qual in ("amministratore_condominio", "condominio")
    flag["mandato_auc_membri"] = flag["mandato_auc"] and not flag["mandato_auc_assemblea"]
    flag["referente_amministratore"] = flag["mandato_auc_assemblea"] and qual == "amministratore_condominio"
    flag["referente_esco"] = qual == "esco_uni_11352"
    flag["mandato_cer_con_ente"] = flag["mandato_cer"] and pratica.comunita is not None
    flag["mandato_cer_senza_ente"] = flag["mandato_cer"] and pratica.comunita is None
    ident = parti.identificazione_articolata(rs) if rs else {"identificazione": None, "il": None, "al": None}
    valori["referente"] = {
        "nome": rs.nome_completo if rs else None,
        "identificazione": ident["identificazione"], "il_identificazione": ident["il"],
        "al_identificazione": ident["al"],
        "qualifica": QUALIFICHE_REFERENTE[qual].nome,
    }
    partecipanti, visti = [], set()
    for pc in conf.punti_connessione:
        s = pratica.soggetto(pc.soggetto)
        if s is None or s.id in visti or (rs is not None and s.id == rs.id and not flag["mandato_aid"]):
            continue
        visti.add(s.id)
        partecipanti.append({"id": s.id, "identificazione": parti.identificazione(s), "firma": parti.nome_firmatario(s)})
    assemblea = next((e for e in pratica.eventi_validi() if e.tipo == "delibera"), None)
    # nel condominio la deliberazione vale come mandato per chi partecipava al gruppo quando è stata
    # presa; chi è entrato dopo (un nuovo inquilino) firma di persona
    adesione = {m.soggetto: m.data_adesione for m in pratica.membri}
    ingresso = {pc.soggetto: pc.data_ingresso for pc in conf.punti_connessione if pc.data_ingresso}

    def dopo_la_delibera(x: dict) -> bool:
        if not (flag["mandato_auc_assemblea"] and assemblea is not None):
            return False
        d = ingresso.get(x["id"]) or adesione.get(x["id"])
        return d is not None and d > assemblea.data

    # fuori dall'assemblea condominiale il mandato è un contratto firmato in una data: chi è entrato
    # nella configurazione dopo quella data non può figurare tra chi l'ha firmato, vi aderisce dopo
    firmato_il = ref.mandato.data_firma if (flag["mandato_auc_membri"] or flag["mandato_cer_senza_ente"]) else None

    def dopo_la_firma(x: dict) -> bool:
        d = ingresso.get(x["id"]) or adesione.get(x["id"])
        return firmato_il is not None and d is not None and d > firmato_il

    valori["mandanti"] = [{"identificazione": x["identificazione"]} for x in partecipanti
                          if not dopo_la_delibera(x) and not dopo_la_firma(x)]
    successivi = [x for x in partecipanti if dopo_la_delibera(x)]
    valori["mandanti_successivi"] = [{"identificazione": x["identificazione"]} for x in successivi]
    flag["con_mandanti_successivi"] = bool(successivi)
    aderenti = [x for x in partecipanti if dopo_la_firma(x)]
    valori["aderenti_successivi"] = [{"identificazione": x["identificazione"]} for x in aderenti]
    flag["con_aderenti_successivi"] = bool(aderenti)
    # il verbale citato è quello che genera lo strumento: il titolo si legge dalla sua specifica
    titolo_verbale = None
    if assemblea is not None and flag["mandato_auc_assemblea"] and e_condominio(pratica, conf):
        titolo_verbale = _titolo_verbale_condominio()
    valori["assemblea"] = {"data": data(assemblea.data) if assemblea else None,
                           "riferimento": (assemblea.riferimento if assemblea else None),
                           "titolo_verbale": titolo_verbale}
    # più mandanti (gruppo, partecipanti senza ente): il testo li chiama al plurale
    flag["mandanti_plurale"] = ((flag["mandato_auc"] or flag["mandato_cer_senza_ente"])
                                and len(valori["mandanti"]) + len(successivi) + len(aderenti) > 1)
    valori["configurazione"] = {**rif_conf, "tipo": TIPI_CONFIGURAZIONE[conf.tipo].nome}
    m = ref.mandato
    valori["data_mandato"] = data(m.data_firma)
    if m.luogo_firma:
        valori["luogo_firma"] = m.luogo_firma
    elif flag["mandato_auc"]:
        # il gruppo sta in un solo edificio: il mandato si firma nel comune dell'edificio
        edificio = next((s.luogo.comune for pc in conf.punti_connessione
                         if (s := pratica.soggetto(pc.soggetto)) is not None and s.tipo == "condominio"
                         and s.luogo is not None and s.luogo.comune), None)
        if edificio is None and rs is not None and rs.luogo is not None and rs.luogo.comune:
            edificio = rs.luogo.comune
        if edificio:
            valori["luogo_firma"] = edificio
    firme = []
    if flag["mandato_cer_con_ente"]:
        firme.append(valori["rappresentante_ente"]["firma"])
    elif flag["mandato_auc_assemblea"]:
        # il mandato viene dalla deliberazione (il verbale lo firmano presidente e segretario): qui firma
        # di persona solo chi è entrato nel gruppo dopo, e il referente per accettazione
        firme += [{"nome": x["firma"][0], "qualifica": x["firma"][1] or "mandante"} for x in successivi]
    else:
        firme += [{"nome": x["firma"][0], "qualifica": x["firma"][1]} for x in partecipanti if x not in aderenti]
    if rs is not None:
        n, q = parti.nome_firmatario(rs)
        # sotto la firma il termine definito nel testo, «referente», senza articolo né genere
        firme.append({"nome": n, "qualifica": ("referente" if q is None else f"{q}, referente")})
    # chi aderisce dopo firma sotto le parti originarie, con la data della sua adesione da completare
    firme += [{"nome": x["firma"][0],
               "qualifica": ", ".join(q for q in (x["firma"][1], f"aderente al mandato in data {LACUNA}") if q)}
              for x in aderenti]
    if aderenti and not valori["mandanti"]:
        avvisi.append(f"mandato al referente della {rif_conf['riferimento']}: alla data di firma del mandato "
                      f"({data(firmato_il)}) nessun partecipante era ancora entrato nella configurazione; "
                      "controlla la data di firma e le date di ingresso")
    valori["firmatari_mandato"] = firme
    integra_mandato(pratica, conf, al, valori, flag)  # rapporti.py
    return Contesto(valori=valori, flag=flag, avvisi=avvisi, origini=origini_pacchetto(pratica))


def _titolo_verbale_condominio() -> str:
    """Il titolo del verbale dell'assemblea condominiale, come lo stampa il documento che lo genera."""
    spec = load_spec("atto_costitutivo_gruppo")
    return next(pt.titolo for pt in spec.parti
                if pt.tipo == "titolo" and "gruppo_condominio" in pt.condizione.se and pt.titolo)

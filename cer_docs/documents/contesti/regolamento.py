"""Contesto del regolamento di una configurazione (CER o gruppo di autoconsumatori): punti di
connessione, impianti, produttori terzi, referente, soglie e rinvii allo statuto."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from cer_docs.model.pratica import Configurazione, Pratica
from cer_docs.model.vocabolario import (FONTI_ENERGIA, RUOLI_CANDIDATO, RUOLI_IN_CONFIGURAZIONE, RUOLI_MEMBRO,
                                        TIPI_CONFIGURAZIONE)
from cer_docs.rules import fatti
from cer_docs.rules.fiscale import contesto_trattamento_fiscale

from ..motore import LACUNA, Contesto
from . import parti
from .comuni import categorie_plurali, durata_anni, i_numero, elenco_parole, kw, nome_impianto, numero_e_lettere, p, \
    percentuale_con_articoli
from .ente import FORME, ente, organi, soggetto_regolatore, termini
from .statuto import contesto_statuto, riferimento_configurazione
from .rapporti import integra_regolamento


def contesto_regolamento(pratica: Pratica, conf: Configurazione, al: dt.date) -> Contesto:
    """Contesto del regolamento di una configurazione (CER o gruppo di autoconsumatori)."""
    avvisi: list[str] = []
    origini: dict[str, str] = {}   # i dati che mancano nella tabella dei punti, per nominarli nell'avviso
    if pratica.comunita is not None:
        base = contesto_statuto(pratica, al)
        valori, flag = dict(base.valori), dict(base.flag)
        avvisi += [a for a in base.avvisi if "atto" not in a]
    else:
        valori, flag = _contesto_senza_comunita(pratica, al)
    valori = dict(valori)
    flag["con_comunita"] = pratica.comunita is not None
    flag["senza_comunita"] = pratica.comunita is None
    if pratica.comunita is not None:
        from ..motore import numera_articoli
        from ..specifiche import load_spec

        valori["statuto_art"] = numera_articoli(load_spec("statuto"), base)
    else:
        valori["statuto_art"] = {}

    flag["tipo_cer"] = conf.tipo == "CER"
    flag["tipo_auc"] = conf.tipo == "AUC"
    flag["tipo_aid"] = conf.tipo == "AID"
    con_ente = conf.tipo == "CER" or pratica.comunita is not None
    valori["soggetto"] = soggetto_regolatore(con_ente, valori["termini"]["membri"] if con_ente
                                             else "partecipanti al Gruppo")

    membri = {m.soggetto: m for m in fatti.membri_attivi(pratica, al)}
    terzi = fatti.produttori_terzi(pratica)

    def nome(sid: str | None) -> str | None:
        s = pratica.soggetto(sid)
        return s.nome_completo if s else None

    esenti = set(p("fattore_f_punti_esenti", al))
    valori["categorie_esenti"] = categorie_plurali(p("fattore_f_punti_esenti", al))
    punti = []
    for k, pc in enumerate(conf.punti_connessione):
        dove = parti.percorso_punto(conf, pc)
        origini.update({f"punti_connessione[{k}].uso": f"{dove}.uso",
                        f"punti_connessione[{k}].indirizzo": f"{dove}.indirizzo",
                        f"punti_connessione[{k}].cabina_primaria": f"configurazioni[id:{conf.id}].cabina_primaria"})
        ruolo = membri[pc.soggetto].ruolo if pc.soggetto in membri else None
        # la colonna «Ruolo» mostra le etichette del vocabolario, come l'interfaccia
        if ruolo:
            descr = RUOLI_MEMBRO[ruolo].etichetta
        elif pc.soggetto in terzi:
            descr = RUOLI_CANDIDATO["produttore_terzo"].etichetta
        elif pratica.comunita is None:
            descr = RUOLI_IN_CONFIGURAZIONE["partecipante"].etichetta
        else:
            descr = None
        tit = pratica.soggetto(pc.soggetto)
        esente = tit is not None and tit.tipo in esenti and pc.soggetto not in terzi
        punti.append({"pod": pc.pod, "titolare": nome(pc.soggetto), "uso": pc.uso, "indirizzo": pc.indirizzo,
                      "cabina_primaria": pc.cabina_primaria or conf.cabina_primaria, "ruolo": descr,
                      "esente": "sì" if esente else "no"})
    impianti = []
    impianti_pnrr = []
    for imp in conf.impianti:
        if fatti.e_impianto_di_terzo(pratica, imp):
            ruolo = RUOLI_CANDIDATO["produttore_terzo"].etichetta
        elif imp.produttore in membri:
            ruolo = RUOLI_IN_CONFIGURAZIONE["produttore_membro"].etichetta
        elif pratica.comunita is None and any(pc.soggetto == imp.produttore for pc in conf.punti_connessione):
            ruolo = RUOLI_IN_CONFIGURAZIONE["produttore_partecipante"].etichetta
        else:
            ruolo = RUOLI_MEMBRO["produttore"].etichetta
        pnrr = imp.contributo_pnrr is not None
        impianti.append({
            "denominazione": imp.denominazione or nome_impianto(imp), "fonte": FONTI_ENERGIA[imp.fonte].nome,
            "nome_tabella": imp.denominazione or nome_impianto(imp),
            "potenza": kw(imp.potenza_kw), "produttore": nome(imp.produttore),
            "ruolo": ruolo, "pod": imp.pod, "pnrr": "sì" if pnrr else "no",
            "censimp": imp.censimp,
        })
        if pnrr:
            impianti_pnrr.append(nome_impianto(imp))
    valori["punti_connessione"] = punti
    valori["impianti"] = impianti
    valori["impianti_pnrr"] = impianti_pnrr
    flag["pnrr_nella_configurazione"] = bool(impianti_pnrr)
    valori["numero_punti"] = numero_e_lettere(len(punti))
    valori["numero_impianti"] = numero_e_lettere(len(impianti))
    valori["punti_frase"] = ("il punto di connessione indicato" if len(punti) == 1 else
                             i_numero(len(punti), "punti di connessione indicati"))
    valori["impianti_frase"] = ("l'impianto di produzione indicato" if len(impianti) == 1 else
                                i_numero(len(impianti), "impianti di produzione indicati"))

    terzi_conf = []
    for t in pratica.produttori_terzi:
        propri = [imp for imp in conf.impianti if imp.id in t.impianti]
        if not propri:
            continue
        terzi_conf.append({
            "nome": nome(t.soggetto),
            "impianti": ("l'impianto " if len(propri) == 1 else "gli impianti ")
                        + elenco_parole([nome_impianto(i) for i in propri]),
            "quota_incentivo": percentuale_con_articoli(t.quota_incentivo_pct) if t.quota_incentivo_pct is not None else None,
        })
    valori["produttori_terzi"] = terzi_conf
    flag["produttori_terzi_nella_configurazione"] = bool(terzi_conf)
    flag["quota_terzi_definita"] = any(t["quota_incentivo"] for t in terzi_conf)

    ref = conf.referente
    rs = pratica.soggetto(ref.soggetto)
    flag["referente_comunita"] = ref.qualifica == "comunita"
    flag["referente_esco"] = ref.qualifica == "esco_uni_11352"
    flag["referente_altro"] = not (flag["referente_comunita"] or flag["referente_esco"])
    flag["referente_con_mandato"] = not flag["referente_comunita"]
    if flag["referente_comunita"] and pratica.comunita is None:
        flag["referente_comunita"], flag["referente_con_mandato"] = False, True
    firmatari_conf, visti = [], set()
    for pc in conf.punti_connessione:
        s = pratica.soggetto(pc.soggetto)
        if s is None or s.id in visti:
            continue
        visti.add(s.id)
        n, q = parti.nome_firmatario(s)
        firmatari_conf.append({"nome": n, "qualifica": q})
    valori["firmatari_configurazione"] = firmatari_conf
    valori["referente"] = {"nome": rs.nome_completo if rs else None,
                           "identificazione": parti.identificazione(rs, con_nascita_rappresentante=False) if rs else None,
                           "al_quale": parti.accordo(parti.femminile_soggetto(rs) if rs else None)["al_quale"]}

    valori["configurazione"] = {**riferimento_configurazione(pratica, conf), "tipo": TIPI_CONFIGURAZIONE[conf.tipo].nome}
    valori["termine_variazioni"] = numero_e_lettere(int(p("variazioni_configurazione_termine_giorni", al)))
    soglie = p("quota_eccedentaria_soglia_pct", al)
    valori["soglia"] = {
        "solo_tariffa": percentuale_con_articoli(soglie["solo_tariffa"]),
        "con_contributo": percentuale_con_articoli(soglie["con_contributo"]),
    }
    valori["pnrr_esercizio_minimo"] = numero_e_lettere(int(p("pnrr_esercizio_minimo_anni", al)))
    integra_regolamento(pratica, conf, al, valori, flag)  # rapporti tra documenti: rapporti.py
    fiscale = contesto_trattamento_fiscale(al, "la Comunità" if pratica.comunita is not None else "il gruppo",
                                           pratica.comunita.forma_giuridica if pratica.comunita is not None else None,
                                           senza_ente=pratica.comunita is None)
    valori.update(fiscale["valori"])
    flag.update(fiscale["flag"])
    if flag["fiscale_nota_presente"] and flag["fiscale_da_confermare"]:
        avvisi.append("l'articolo sul trattamento fiscale degli incentivi segue l'orientamento dell'Agenzia delle "
                      f"Entrate ({valori['fiscale_fonti']}) letto in sintesi e non ancora verificato sui testi "
                      "ufficiali: fallo confermare da un consulente fiscale prima della firma")
    return Contesto(valori=valori, flag=flag, avvisi=avvisi, origini=origini)


def _contesto_senza_comunita(pratica: Pratica, al: dt.date) -> tuple[dict[str, Any], dict[str, bool]]:
    """Per un gruppo di autoconsumatori senza ente giuridico: i campi comuni con valori neutri."""
    valori: dict[str, Any] = {
        "ente": ente(pratica),
        "termini": termini(None),
        "organi": organi("associazione_non_riconosciuta"),
        "spazio": LACUNA,
        "riparto": {v: percentuale_con_articoli(0) for v in ("spese_gestione", "produttori", "consumatori",
                                                               "fondo_sociale")},
        "delegato": {"identificazione": None, "nome": None},
        "referente_mandato": {"durata": durata_anni(int(p("referente_mandato_durata_anni", al)))},
        "recesso": {"preavviso": None, "mesi": "mesi"},
        "restituzione_pnrr": {"anni": None, "quota_entro": None, "quota_dopo": None},
    }
    flag: dict[str, bool] = {f"forma_{f}": False for f in FORME}
    flag.update({
        "riparto_definito": False, "riparto_non_definito": True, "riparto_spese_gestione": False, "riparto_produttori": False,
        "riparto_consumatori": False, "riparto_fondo_sociale": False,
        "eccedenza_consumatori_non_imprese": True, "eccedenza_finalita_sociali": True, "eccedenza_entrambe": True,
        "eccedenza_solo_consumatori": False, "eccedenza_solo_sociali": False,
        "delegato_comunita": False, "delegato_soggetto": False,
        "recesso_preavviso": False, "recesso_fine_esercizio": False, "recesso_immediato": True,
        "recesso_preavviso_fine_esercizio": False, "recesso_preavviso_immediato": False,
        "restituzione_pnrr_prevista": False, "restituzione_pnrr_dopo": False,
        "pnrr_presente": any(i.contributo_pnrr is not None for _, _, i in pratica.impianti()),
        "produttori_terzi_presenti": bool(pratica.produttori_terzi),
        "piu_configurazioni": len(pratica.configurazioni) > 1,
        "forma_associativa": False, "forma_associazione": False, "ente_terzo_settore": False,
        "personalita_giuridica": False, "consiglio_indirizzo": False,
    })
    return valori, flag

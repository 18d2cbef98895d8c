"""Contesto dell'atto costitutivo di un gruppo di autoconsumatori (AUC): accordo di diritto privato
tra i partecipanti oppure, in condominio, verbale dell'assemblea condominiale che costituisce il
gruppo e designa il referente. Il gruppo non è un ente: l'atto è il contratto dell'art. 32 c. 1
lett. c) D.lgs. 199/2021 e contiene ciò che le Regole operative chiedono al contratto del gruppo
(diritti dei clienti finali, soggetto responsabile del riparto, destinazione dell'eccedenza)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cer_docs import italiano
from cer_docs.model.pratica import Configurazione, Pratica
from cer_docs.model.vocabolario import FONTI_ENERGIA, TIPI_CONFIGURAZIONE
from cer_docs.rules.base import param

from ..motore import LACUNA, Contesto, lacuna
from . import parti
from .comuni import elenco_parole, luogo, nome_impianto, numero_e_lettere, percentuale_con_articoli


def e_condominio(pratica: Pratica, conf: Configurazione) -> bool:
    """Il gruppo nasce da un'assemblea condominiale se il referente è il condominio o il suo
    amministratore, o se un condominio è tra i partecipanti."""
    if conf.referente.qualifica in ("condominio", "amministratore_condominio"):
        return True
    return any((s := pratica.soggetto(p.soggetto)) is not None and s.tipo == "condominio"
               for p in conf.punti_connessione)


def contesto_gruppo(pratica: Pratica, conf: Configurazione, al: dt.date) -> Contesto:
    avvisi: list[str] = []
    origini: dict[str, str] = {}
    condominio = e_condominio(pratica, conf)
    valori: dict[str, Any] = {"spazio": LACUNA}
    flag: dict[str, bool] = {"gruppo_condominio": condominio, "gruppo_accordo_privato": not condominio}

    cond = next((s for p in conf.punti_connessione if (s := pratica.soggetto(p.soggetto)) is not None
                 and s.tipo == "condominio"), None)
    if cond is None and condominio:
        cond = pratica.soggetto(conf.referente.soggetto)
    delibera = next((e for e in pratica.eventi_validi() if e.tipo == "delibera"), None)
    adesione = {m.soggetto: m.data_adesione for m in pratica.membri}
    partecipanti, firme, visti = [], [], set()
    for p in conf.punti_connessione:
        s = pratica.soggetto(p.soggetto)
        if s is None or s.id in visti:
            continue
        # il verbale elenca chi partecipa alla data dell'assemblea; chi entra dopo aderisce per iscritto
        entrata = p.data_ingresso or adesione.get(s.id)
        if condominio and delibera is not None and entrata is not None and entrata > delibera.data:
            continue
        visti.add(s.id)
        partecipanti.append({"identificazione": parti.identificazione(s), "nome": s.nome_completo})
        n, q = parti.nome_firmatario(s)
        firme.append({"nome": n, "qualifica": q})
    valori["partecipanti"] = partecipanti
    valori["numero_partecipanti"] = numero_e_lettere(len(partecipanti))

    data = delibera.data if delibera else (conf.referente.mandato.data_firma if not condominio else None)
    sede = (cond.luogo if cond is not None else None)
    comune = (sede.comune if sede is not None and sede.comune else None)
    primo = pratica.soggetto(conf.punti_connessione[0].soggetto) if conf.punti_connessione else None
    if comune is None and primo is not None and primo.luogo is not None:
        comune = primo.luogo.comune
    valori["gruppo"] = {
        "denominazione": conf.denominazione or conf.id,
        "tipo": TIPI_CONFIGURAZIONE[conf.tipo].nome,
        "cabina_primaria": conf.cabina_primaria,
        "data": italiano.data_lunga(data) if data else None,
        "il_data": italiano.con_data("il", data) if data else None,
        "luogo": comune,
        "a_luogo": italiano.a_luogo(comune) if comune else None,
        "edificio": (luogo(sede) if sede is not None else
                     (conf.punti_connessione[0].indirizzo if conf.punti_connessione else None)),
    }
    valori["condominio"] = {
        "nome": cond.nome_completo if cond else None,
        "identificazione": (f"con sede in {luogo(cond.sede) or lacuna(parti.percorso_luogo(cond, 'indirizzo'))}, "
                            f"codice fiscale {cond.codice_fiscale or lacuna(parti.percorso(cond) + '.codice_fiscale')}"
                            if cond else None)}
    # l'edificio: la sede del condominio o, senza, l'indirizzo del primo POD
    if cond is not None:
        origini["gruppo.edificio"] = parti.percorso_luogo(cond, "indirizzo")
    elif conf.punti_connessione:
        origini["gruppo.edificio"] = parti.percorso_punto(conf, conf.punti_connessione[0]) + ".indirizzo"
    rs = pratica.soggetto(conf.referente.soggetto)
    ident = (parti.identificazione_articolata(rs, con_nascita_rappresentante=False) if rs
             else {"identificazione": None, "il": None})
    valori["referente"] = {"identificazione": ident["identificazione"], "il_identificazione": ident["il"],
                           "nome": rs.nome_completo if rs else None}
    if rs is None:
        avvisi.append("l'atto del gruppo non può designare il referente: la pratica non lo indica")
    durata = int(param("referente_mandato_durata_anni", al))
    valori["referente_mandato"] = {"durata": "un anno" if durata == 1 else f"{numero_e_lettere(durata)['completo']} anni"}
    soglie = param("quota_eccedentaria_soglia_pct", al)
    valori["soglia"] = {"solo_tariffa": percentuale_con_articoli(soglie["solo_tariffa"]),
                        "con_contributo": percentuale_con_articoli(soglie["con_contributo"])}
    valori["impianti_gruppo"] = [
        {"nome": nome_impianto(i), "fonte": FONTI_ENERGIA[i.fonte].nome,
         "produttore": (parti.denominazione(pratica.soggetto(i.produttore))["il"] if pratica.soggetto(i.produttore)
                        else i.produttore)}
        for i in conf.impianti]
    flag["gruppo_con_impianti"] = bool(conf.impianti)
    # sulle parti comuni: l'impianto del condominio è un'innovazione (art. 1120 c. 2 n. 2 c.c., maggioranza
    # dell'art. 1136 c. 2); quello di un singolo condòmino si installa con la comunicazione dell'art. 1122-bis
    del_condominio = cond is not None and any(i.produttore == cond.id for i in conf.impianti)
    flag["impianti_del_condominio"] = condominio and del_condominio
    flag["impianti_dei_condomini"] = condominio and any(cond is None or i.produttore != cond.id
                                                         for i in conf.impianti)
    flag["gruppo_data_nota"] = data is not None
    flag["gruppo_luogo_noto"] = comune is not None
    valori["termine_variazioni"] = numero_e_lettere(int(param("variazioni_configurazione_termine_giorni", al)))
    if condominio:
        valori["firmatari_gruppo"] = [{"nome": LACUNA, "qualifica": "il presidente dell'assemblea"},
                                      {"nome": LACUNA, "qualifica": "il segretario dell'assemblea"}]
    else:
        valori["firmatari_gruppo"] = firme
    if data is None:
        avvisi.append("la pratica non indica la data dell'atto del gruppo (evento «delibera» o firma del mandato)")
    return Contesto(valori=valori, flag=flag, avvisi=avvisi, origini=origini)

"""Passo 5: referente della configurazione, mandato e richiesta di accesso al GSE."""

from __future__ import annotations

import streamlit as st

from cer_docs.services import procedura as proc
from ui import campi
from ui import componenti as ui


def mostra(lavoro: ui.Lavoro) -> None:
    p = lavoro.pratica
    if not p.configurazioni:
        st.info("Prima crea una configurazione (passo «Configurazioni»): il referente è di una configurazione.",
                icon=":material/info:")
        return
    ci = ui.scegli_configurazione(lavoro)
    v = proc.valori_referente(p, ci)
    nomi = proc.etichette_soggetti(p)
    k = lambda nome: lavoro.chiave(f"ref-{ci}-{nome}")  # noqa: E731
    with st.container():  # niente st.form: ogni campo arriva subito e resta in bozza
        campi.sezione("Referente")
        c1, c2 = st.columns(2)
        valori = {
            "qualifica": campi.scelta("Chi è il referente", proc.ETICHETTE_QUALIFICA, v["qualifica"], k("qualifica"),
                                      where=c1),
            "soggetto": campi.scelta("Soggetto referente", nomi, v["soggetto"], k("soggetto"), vuoto="Nessuno",
                                     where=c2, aiuto="Serve se il referente è un membro, una ESCO, il condominio o "
                                                     "chi lo rappresenta; non serve se è la comunità."),
        }
        campi.sezione("Mandato al referente")
        c1, c2 = st.columns(2)
        valori["mandato_data_firma"] = campi.data("Data di firma del mandato", v["mandato_data_firma"],
                                                  k("mandato-firma"), where=c1)
        valori["mandato_data_revoca"] = campi.data("Data di revoca", v["mandato_data_revoca"], k("mandato-revoca"),
                                                   where=c2)
        campi.sezione("Richiesta di accesso al servizio (portale GSE)")
        c1, c2, c3 = st.columns(3)
        valori["richiesta_data_invio"] = campi.data("Data di invio", v["richiesta_data_invio"], k("invio"), where=c1)
        valori["richiesta_esito"] = campi.scelta("Esito", proc.ETICHETTE_ESITO, v["richiesta_esito"], k("esito"),
                                                 vuoto="In attesa", where=c2)
        valori["richiesta_data_esito"] = campi.data("Data dell'esito", v["richiesta_data_esito"], k("data-esito"),
                                                    where=c3)
        inviato = st.button("Salva e continua", key=f"salva-referente-{lavoro.versione}", type="primary", icon=":material/save:")
    if inviato:
        ui.applica_passo(lavoro, "referente", lambda: proc.applica_referente(p, ci, valori, ui.oggi()),
                         "referente e mandato")

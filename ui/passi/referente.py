"""Passo 5: referente della configurazione, mandato e richiesta di accesso al GSE."""

from __future__ import annotations

import streamlit as st

from cer_docs.services import catalogo
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
    nomi = proc.etichette_soggetti(p)
    k = lambda nome: lavoro.chiave(f"ref-{ci}-{nome}")  # noqa: E731
    # il passo si disegna dal catalogo: etichette, tipo di campo e aiuto stanno nelle dichiarazioni
    q = {d.percorso.rsplit(".", 2)[-2] + "." + d.percorso.rsplit(".", 1)[-1]: d
         for d in catalogo.domande_del_passo("referente")}
    v = catalogo.valori(p, list(q.values()), (ci,))

    def campo(nome: str, chiave: str, where, **extra):
        d = q[nome]
        return campi.domanda(d, v[d.percorso], k(chiave), where=where, **extra)

    with st.container():  # niente st.form: ogni campo arriva subito e resta in bozza
        campi.sezione("Referente")
        c1, c2 = st.columns(2)
        valori = {
            "qualifica": campo("referente.qualifica", "qualifica", c1, scelte=proc.ETICHETTE_QUALIFICA),
            "soggetto": campo("referente.soggetto", "soggetto", c2, scelte=nomi, vuoto="Nessuno"),
        }
        campi.sezione("Mandato al referente")
        c1, c2, c3 = st.columns(3)
        valori["mandato_data_firma"] = campo("mandato.data_firma", "mandato-firma", c1)
        valori["mandato_luogo_firma"] = campo("mandato.luogo_firma", "mandato-luogo", c2)
        valori["mandato_data_revoca"] = campo("mandato.data_revoca", "mandato-revoca", c3)
        campi.sezione("Richiesta di accesso al servizio (portale GSE)")
        c1, c2, c3 = st.columns(3)
        valori["richiesta_data_invio"] = campo("richiesta_accesso.data_invio", "invio", c1)
        valori["richiesta_esito"] = campo("richiesta_accesso.esito", "esito", c2, scelte=proc.ETICHETTE_ESITO,
                                          vuoto="In attesa")
        valori["richiesta_data_esito"] = campo("richiesta_accesso.data_esito", "data-esito", c3)
        inviato = st.button("Salva e continua", key=f"salva-referente-{lavoro.versione}", type="primary", icon=":material/save:")
    if inviato:
        ui.applica_passo(lavoro, "referente", lambda: proc.applica_referente(p, ci, valori, ui.oggi()),
                         "referente e mandato")

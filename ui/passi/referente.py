"""Passo 5: referente della configurazione, mandato e richiesta di accesso al GSE.

Il passo è generato dal catalogo delle domande (``cer_docs/services/catalogo.py``) e applicato dal
motore (``cer_docs/services/motore_passi.py``), per la configurazione scelta."""

from __future__ import annotations

import streamlit as st

from cer_docs.services import catalogo, motore_passi
from ui import campi
from ui import componenti as ui


def mostra(lavoro: ui.Lavoro) -> None:
    p = lavoro.pratica
    if not p.configurazioni:
        st.info("Prima crea una configurazione (passo «Configurazioni»): il referente è di una configurazione.",
                icon=":material/info:")
        return
    ci = ui.scegli_configurazione(lavoro)
    indici = (ci,)
    with st.container():  # niente st.form: ogni campo arriva subito e resta in bozza
        valori = campi.modulo(catalogo.domande_del_passo("referente"), motore_passi.valori(p, "referente", indici),
                              lavoro.chiave, motore_passi.scelte(p, "referente", indici), indici=indici)
        inviato = st.button("Salva e continua", key=f"salva-referente-{lavoro.versione}", type="primary",
                            icon=":material/save:")
    if inviato:
        ui.applica_passo(lavoro, "referente",
                         lambda: motore_passi.applica(p, "referente", valori, indici, ui.oggi()),
                         "referente e mandato")

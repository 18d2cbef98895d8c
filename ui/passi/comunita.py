"""Passo 1: la comunità (forma giuridica, sede, atto costitutivo, notaio) e lo stato della pratica.

Il passo è generato dal catalogo delle domande (``cer_docs/services/catalogo.py``) e applicato dal
motore (``cer_docs/services/motore_passi.py``); i dati del notaio si chiedono solo per un atto
notarile (``solo_se`` delle domande)."""

from __future__ import annotations

import streamlit as st

from cer_docs.services import catalogo, motore_passi
from ui import campi
from ui import componenti as ui


def mostra(lavoro: ui.Lavoro) -> None:
    p = lavoro.pratica
    if p.comunita is None:
        st.info("Questa pratica non ha una comunità: per un gruppo di autoconsumatori (AUC) o un autoconsumatore "
                "a distanza (AID) non serve, e puoi passare al passo «Soggetti e membri». Se invece è una CER, "
                "compila qui i dati dell'ente.", icon=":material/info:")
    with st.container():  # niente st.form: ogni campo arriva subito e resta in bozza
        valori = campi.modulo(catalogo.domande_del_passo("comunita"), motore_passi.valori(p, "comunita"),
                              lavoro.chiave, motore_passi.scelte(p, "comunita"))
        inviato = st.button("Salva e continua", key=f"salva-comunita-{lavoro.versione}", type="primary",
                            icon=":material/save:")
    if inviato:
        ui.applica_passo(lavoro, "comunita", lambda: motore_passi.applica(p, "comunita", valori, oggi=ui.oggi()),
                         "dati della comunità")

"""Passo 7: statuto e riparto (fondatori, organi, ripartizione dei benefici, eccedenza, recesso).

Il passo è generato dal catalogo delle domande (``cer_docs/services/catalogo.py``): etichette,
tipi di campo, scelte, sezioni e aiuti stanno nelle dichiarazioni; il motore
(``cer_docs/services/motore_passi.py``) legge i valori, li applica per percorso e li convalida."""

from __future__ import annotations

import streamlit as st

from cer_docs.italiano import percentuale
from cer_docs.services import catalogo, motore_passi
from ui import campi
from ui import componenti as ui


def mostra(lavoro: ui.Lavoro) -> None:
    p = lavoro.pratica
    if p.comunita is None:
        st.info("Lo statuto è quello della comunità (CER): questa pratica non ne ha una. Per un gruppo di "
                "autoconsumatori o un autoconsumatore a distanza passa al riepilogo.", icon=":material/info:")
        return
    v = motore_passi.valori(p, "statuto")
    note = {sez: testo for (passo, sez), testo in catalogo.NOTE_SEZIONI.items() if passo == "statuto"}
    if v["riparto_spese_gestione"] is not None:
        riparto = "Ripartizione dei benefici"
        note[riparto] += f" Somma delle quote salvate: {percentuale(motore_passi.totale_riparto(v))}."
    with st.container():  # niente st.form: ogni campo arriva subito e resta in bozza
        valori = campi.modulo(catalogo.domande_del_passo("statuto"), v, lavoro.chiave, motore_passi.scelte(p, "statuto"),
                              note=note)
        inviato = st.button("Salva e continua", key=f"salva-statuto-{lavoro.versione}", type="primary",
                            icon=":material/save:")
    if inviato:
        ui.applica_passo(lavoro, "statuto", lambda: motore_passi.applica(p, "statuto", valori, oggi=ui.oggi()),
                         "statuto e riparto")

"""Passo 8: riepilogo della verifica, con la fonte di ogni rilievo e il passo dove correggerlo."""

from __future__ import annotations

import streamlit as st

from cer_docs.italiano import data_lunga
from cer_docs.services import procedura as proc
from ui import componenti as ui


def mostra(lavoro: ui.Lavoro) -> None:
    ui.avviso_modifiche_non_salvate(lavoro, "il riepilogo riguarda la versione salvata", "verificarle",
                                    chiave=lavoro.chiave("riepilogo"))
    al = ui.oggi()
    esito = ui.esito_verifica(lavoro, al)
    st.caption(f"Verifica alla data del {data_lunga(al)} con le regole in vigore a quella data.")
    ui.mostra_rilievi(esito, chiave=lavoro.chiave("riepilogo"), correggi=ui.vai_al_passo)
    if esito.errori == 0:
        st.button("Vai ai documenti", type="primary", icon=":material/arrow_forward:",
                  on_click=ui.vai_al_passo, args=(proc.Destinazione("documenti"),), key=lavoro.chiave("ai-documenti"))

"""Documenti: genera e scarica i documenti costitutivi della pratica scelta; conserva le versioni
modificate dall'avvocato, confrontale, controllale e rigenera senza perdere le modifiche."""

from __future__ import annotations

import streamlit as st

from ui import componenti as ui
from ui import revisione
from ui.passi import documenti as passo_documenti


def corpo() -> None:
    st.title("Documenti")
    lavoro = ui.scegli_pratica("pratica-documenti")
    if lavoro is None:
        ui.nessuna_pratica("generarne i documenti")
        return
    ui.mostra_flash()
    genera, versioni = st.tabs(["Genera", "Versioni e revisione dell'avvocato"])
    with genera:
        st.caption("Statuto, atto costitutivo, regolamento della configurazione e copia dello statuto per il GSE, "
                   "in DOCX modificabile e PDF.")
        passo_documenti.mostra(lavoro)
    with versioni:
        revisione.mostra(lavoro)


ui.esegui(corpo)

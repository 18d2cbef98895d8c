"""Verifiche: i rilievi della pratica a una data scelta, con la fonte e il passo dove correggere."""

from __future__ import annotations

import streamlit as st

from cer_docs.services import procedura as proc
from cer_docs.services.verifica import DataNonCoperta
from ui import campi
from ui import componenti as ui


def _correggi(destinazione: proc.Destinazione) -> None:
    ui.vai_al_passo(destinazione)
    st.session_state["_vai_alla_procedura"] = True


def corpo() -> None:
    if st.session_state.pop("_vai_alla_procedura", False):
        ui.vai_a("procedura", passo=st.session_state.get(ui.CHIAVE_PASSO))
    st.title("Verifiche")
    lavoro = ui.scegli_pratica("pratica-verifiche")
    if lavoro is None:
        ui.nessuna_pratica("verificarla")
        return
    # le verifiche guardano la versione salvata: le modifiche ancora in bozza non ci sono, e lo si dice
    ui.avviso_modifiche_non_salvate(lavoro, "le verifiche riguardano la versione salvata", "verificarle", chiave="verifiche",
                                    vai=_correggi)
    al = campi.data("Verifica alla data", ui.oggi(), "verifica-al",
                    aiuto="Le regole si applicano come erano in vigore a questa data.") or ui.oggi()
    try:
        esito = ui.esito_verifica(lavoro, al)
    except DataNonCoperta as e:
        st.error(ui.md(e), icon=":material/event_busy:")
        return
    ui.mostra_rilievi(esito, chiave=lavoro.chiave("verifiche"), correggi=_correggi)


ui.esegui(corpo)

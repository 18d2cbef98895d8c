"""Procedura guidata: un passo alla volta, ogni passo salvato nel database quando lo confermi."""

from __future__ import annotations

import streamlit as st

from cer_docs.services import procedura as proc
from ui import bozze, campi
from ui import componenti as ui
from ui.passi import PASSI_UI


def _passo_corrente(codice: str) -> str:
    ids = [p.id for p in proc.PASSI]
    richiesto = st.session_state.pop(ui.CHIAVE_VAI_A, None)
    if richiesto in ids:
        st.session_state["passo"] = richiesto
    elif st.session_state.get("passo") not in ids:
        dal_link = st.query_params.get("passo")
        memoria = st.session_state.get(ui.CHIAVE_PASSO)
        st.session_state["passo"] = next((x for x in (dal_link, memoria) if x in ids), ids[0])
    numeri = {p.id: i for i, p in enumerate(proc.PASSI, start=1)}
    modificati = bozze.passi_modificati(codice)

    def etichetta(x: str) -> str:
        segno = " ✎" if x in modificati else ""
        return f"{numeri[x]}. {proc.passo(x).titolo}{segno}"

    scelto = st.radio("Passo della procedura", ids, key="passo", horizontal=True, label_visibility="collapsed",
                      format_func=etichetta)
    if modificati:
        st.caption("✎ = modifiche non ancora salvate: restano qui finché non salvi o le annulli, anche se cambi "
                   "passo o pagina (non se ricarichi o chiudi la scheda: il browser lo chiede prima).")
    _conferma_uscita(bool(modificati))
    st.session_state[ui.CHIAVE_PASSO] = scelto
    st.query_params["passo"] = scelto
    return scelto


def _conferma_uscita(attiva: bool) -> None:
    """Con modifiche non salvate, ricaricare o chiudere la scheda fa chiedere conferma al browser: le bozze
    stanno nella sessione, che una scheda ricaricata non ritrova. Lo script gira nella stessa origine della
    pagina (iframe senza altezza) e mette o toglie il gestore ``beforeunload`` della finestra dell'app."""
    ui.script_nella_pagina("w.onbeforeunload=function(e){e.preventDefault();e.returnValue='';return '';};" if attiva
                           else "w.onbeforeunload=null;")


def corpo() -> None:
    lavoro = ui.pratica_aperta()
    if lavoro is None:
        st.title("Procedura guidata")
        ui.nessuna_pratica("continuare la procedura guidata", selettore=True)
        return
    p = lavoro.pratica
    st.header(p.denominazione, anchor=False)
    st.caption(f"Codice {ui.md(lavoro.codice)} · {proc.ETICHETTE_STATO.get(p.pratica.stato, p.pratica.stato)} · "
               f"versione {lavoro.aperta.versione}, salvata il {ui.quando(lavoro.aperta.aggiornata_il)}")
    bozze.raccogli()
    passo = _passo_corrente(lavoro.codice)
    info = proc.passo(passo)
    st.subheader(info.titolo, divider="gray", anchor=False)
    st.caption(info.descrizione)
    # l'indicazione del «Correggi» resta finché si sta sul passo che l'ha chiesta e non lo si salva
    if indicazione := ui.indicazione_da_correggere(lavoro, passo):
        st.info(ui.md(indicazione), icon=":material/edit:")
    ui.mostra_flash()
    ui.mostra_problemi_salvati(lavoro, passo)
    bozze.apri(lavoro.codice, passo)
    campi.cerca_campo(passo)
    try:
        PASSI_UI[passo](lavoro)
    finally:
        bozze.chiudi()
        trovato = campi.campo_trovato()
    ui.annulla_modifiche(lavoro, passo)
    if trovato:                 # dopo un «Correggi»: la pagina scorre fino al campo da correggere
        ui.mostra_campo(trovato)


ui.esegui(corpo)

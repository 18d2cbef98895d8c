"""Scadenze: il cruscotto di tutte le pratiche (scadute, entro 30 / 60 / 90 giorni, per pratica)."""

from __future__ import annotations

import streamlit as st

from cer_docs.italiano import data_lunga, plurale
from cer_docs.services import scadenze as svc
from ui import campi
from ui import componenti as ui


def _tabella(voci) -> None:
    st.dataframe([{
        "Scadenza": data_lunga(v.scadenza.data),
        "Quando": (f"scaduta da {plurale(-v.giorni, 'giorno', 'giorni')}" if v.giorni < 0 else
                   "oggi" if v.giorni == 0 else f"tra {plurale(v.giorni, 'giorno', 'giorni')}"),
        "Pratica": v.denominazione,
        "Che cosa": v.scadenza.titolo,
        "Se si manca": v.scadenza.conseguenza,
        "Fonte": v.scadenza.riferimento,
    } for v in voci], hide_index=True, width="stretch")


def _apri(codice: str) -> None:
    ui.vai_a("cronologia", pratica=codice)


def corpo() -> None:
    st.title("Scadenze")
    ui.mostra_flash()
    al = campi.data("Situazione alla data", ui.oggi(), "scadenze-al") or ui.oggi()
    cr = svc.cruscotto(al, attore=ui.attore())
    if not cr.per_pratica and not cr.illeggibili:
        st.info("Nessuna pratica nell'archivio: crea una pratica o carica gli esempi dalla pagina Pratiche.",
                icon=":material/inbox:")
        return
    st.markdown(f":red-badge[:material/event_busy: Scadute: {len(cr.scadute)}] "
                f":orange-badge[:material/alarm: Entro 30 giorni: {len(cr.entro_30)}] "
                f":blue-badge[:material/event: Tra 31 e 60 giorni: {len(cr.entro_60)}] "
                f":gray-badge[:material/event: Tra 61 e 90 giorni: {len(cr.entro_90)}]")
    schede = st.tabs(["Scadute", "Entro 30 giorni", "31–60 giorni", "61–90 giorni", "Per pratica"])
    for scheda, voci, vuoto in zip(schede[:4], (cr.scadute, cr.entro_30, cr.entro_60, cr.entro_90),
                                   ("Nessuna scadenza mancata.", "Nessuna scadenza nei prossimi 30 giorni.",
                                    "Nessuna scadenza tra 31 e 60 giorni.", "Nessuna scadenza tra 61 e 90 giorni.")):
        with scheda:
            if voci:
                _tabella(voci)
            else:
                st.success(vuoto)
    with schede[4]:
        for g in cr.per_pratica:
            with st.container(border=True):
                st.markdown(f"**{ui.md(g.denominazione)}** · {ui.md(g.etichetta_stato)}")
                st.caption(f"Scadute {len(g.scadute)} · entro 30 giorni {len(g.entro_30)} · 31–60 giorni "
                           f"{len(g.entro_60)} · 61–90 giorni {len(g.entro_90)}")
                st.button("Apri la cronologia", key=f"cron-{g.codice}", on_click=_apri, args=(g.codice,))
    for codice in cr.illeggibili:
        st.warning(f"La pratica «{ui.md(codice)}» non si può leggere: aprila dalla pagina Pratiche.")


ui.esegui(corpo)

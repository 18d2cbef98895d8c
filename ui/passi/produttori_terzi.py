"""Passo 6: produttori terzi (non membri) e gli impianti che mettono a disposizione.

Tabella generata dal catalogo delle domande (``cer_docs/services/catalogo.py``): le colonne, le
loro etichette, scelte e aiuti vengono dalle dichiarazioni; il motore
(``cer_docs/services/motore_passi.py``) legge le righe, le applica per percorso e le convalida."""

from __future__ import annotations

import streamlit as st

from cer_docs.services import catalogo, motore_passi
from ui import campi
from ui import componenti as ui

PASSO = "produttori_terzi"


def chiave_tabella(lavoro: ui.Lavoro) -> str:
    return lavoro.chiave("tabella-terzi")


def mostra(lavoro: ui.Lavoro) -> None:
    p = lavoro.pratica
    domande = [d for d in catalogo.domande_del_passo(PASSO) if d.elenco]
    voci = motore_passi.scelte(p, PASSO)
    candidati = voci["soggetto"]
    righe = motore_passi.righe(p, PASSO)
    if not candidati:
        st.info("Nessun produttore terzo possibile: un produttore terzo è un soggetto che non è membro. Se ce n'è uno, "
                "inseriscilo nel passo «Soggetti e membri» lasciando vuoto il ruolo, poi torna qui. Se non ce ne "
                "sono, passa al passo successivo.", icon=":material/info:")
    elif not righe:
        st.caption("Nessun produttore terzo: se non ce ne sono, passa al passo successivo.")
    with st.container():  # niente st.form: ogni campo arriva subito e resta in bozza
        modificata = ui.griglia(
            chiave_tabella(lavoro), campi.tabella_generata(domande, righe), column_order=[d.nome for d in domande],
            column_config={"_index": ui.COLONNA_RIGA, **campi.colonne_generate(domande, voci)},
        )
        procedi = ui.conferma_righe_tolte(chiave_tabella(lavoro), modificata,
                                          lambda r: candidati.get(r.get("soggetto"), "produttore"))
        inviato = st.button("Salva e continua", key=f"salva-produttori_terzi-{lavoro.versione}", type="primary",
                            icon=":material/save:", disabled=not procedi)
    if inviato:
        ui.applica_passo(lavoro, PASSO,
                         lambda: motore_passi.applica_righe(p, PASSO, ui.righe_tabella(modificata), ui.oggi()),
                         "produttori terzi", tabelle={chiave_tabella(lavoro): modificata})

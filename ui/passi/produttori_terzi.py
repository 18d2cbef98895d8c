"""Passo 6: produttori terzi (non membri) e gli impianti che mettono a disposizione."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cer_docs.model import vocabolario as voc
from cer_docs.services import procedura as proc
from ui import componenti as ui

COLONNE = ["soggetto", "impianti", "quota_incentivo_pct", "data_accordo", "luogo_accordo"]


def chiave_tabella(lavoro: ui.Lavoro) -> str:
    return lavoro.chiave("tabella-terzi")


def tabella(righe: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(righe, columns=COLONNE)
    df["data_accordo"] = ui.colonna(df["data_accordo"])
    df["quota_incentivo_pct"] = pd.to_numeric(df["quota_incentivo_pct"], errors="coerce").astype(float)
    df["soggetto"] = ui.colonna(df["soggetto"])
    df["luogo_accordo"] = ui.colonna(df["luogo_accordo"])
    df.index = pd.RangeIndex(1, len(df) + 1)
    return df


def mostra(lavoro: ui.Lavoro) -> None:
    p = lavoro.pratica
    candidati = proc.candidati_produttori_terzi(p)
    impianti = proc.etichette_impianti(p)
    righe = proc.righe_produttori_terzi(p)
    if not candidati:
        st.info("Nessun produttore terzo possibile: un produttore terzo è un soggetto che non è membro. Se ce n'è uno, "
                "inseriscilo nel passo «Soggetti e membri» lasciando vuoto il ruolo, poi torna qui. Se non ce ne "
                "sono, passa al passo successivo.", icon=":material/info:")
    elif not righe:
        st.caption("Nessun produttore terzo: se non ce ne sono, passa al passo successivo.")
    cc = st.column_config
    with st.container():  # niente st.form: ogni campo arriva subito e resta in bozza
        modificata = ui.griglia(
            chiave_tabella(lavoro), tabella(righe), column_order=COLONNE,
            column_config={
                "_index": ui.COLONNA_RIGA,
                "soggetto": cc.SelectboxColumn(voc.RUOLI_CANDIDATO["produttore_terzo"].etichetta, options=list(candidati),
                                               format_func=candidati.get, width="large"),
                "impianti": cc.MultiselectColumn("Impianti messi a disposizione", options=list(impianti),
                                                 format_func=impianti.get, width="large"),
                "quota_incentivo_pct": cc.NumberColumn("Quota dell'incentivo (%)", min_value=0.0, max_value=100.0,
                                                       step=1.0, format="localized"),
                "data_accordo": cc.DateColumn("Data dell'accordo", format="DD/MM/YYYY"),
                "luogo_accordo": cc.TextColumn("Luogo dell'accordo", help="Dove si firma l'accordo con il produttore"),
            },
        )
        procedi = ui.conferma_righe_tolte(chiave_tabella(lavoro), modificata,
                                          lambda r: candidati.get(r.get("soggetto"), "produttore"))
        inviato = st.button("Salva e continua", key=f"salva-produttori_terzi-{lavoro.versione}", type="primary",
                            icon=":material/save:", disabled=not procedi)
    if inviato:
        ui.applica_passo(lavoro, "produttori_terzi",
                         lambda: proc.applica_produttori_terzi(p, ui.righe_tabella(modificata), ui.oggi()),
                         "produttori terzi", tabelle={chiave_tabella(lavoro): modificata})

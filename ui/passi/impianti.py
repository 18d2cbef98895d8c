"""Passo 4: gli impianti di produzione di ogni configurazione."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cer_docs.model import vocabolario as voc
from cer_docs.services import procedura as proc
from ui import campi
from ui import componenti as ui

COLONNE = ["denominazione", "fonte", "potenza_kw", "pod", "produttore", "intervento",
           "data_entrata_esercizio_prevista", "data_entrata_esercizio", "censimp", "comune", "provincia",
           "popolazione", "popolazione_fonte", "potenza_obbligo_kw", "contributo_pnrr"]
_DATE = ("data_entrata_esercizio", "data_entrata_esercizio_prevista")


def chiave_tabella(lavoro: ui.Lavoro, ci: int) -> str:
    return lavoro.chiave(f"tabella-impianti-{ci}")


def tabella(righe: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(righe, columns=["id", *COLONNE])
    for c in _DATE:
        df[c] = ui.colonna(df[c])
    for c in ("potenza_kw", "potenza_obbligo_kw"):
        df[c] = pd.to_numeric(df[c], errors="coerce").astype(float)
    df["popolazione"] = pd.to_numeric(df["popolazione"], errors="coerce").astype("Int64")
    df["contributo_pnrr"] = df["contributo_pnrr"].fillna(False).astype(object)
    for c in ("id", "denominazione", "fonte", "pod", "produttore", "intervento", "censimp", "comune", "provincia",
              "popolazione_fonte"):
        df[c] = ui.colonna(df[c])
    df.index = pd.RangeIndex(1, len(df) + 1)
    return df


def mostra(lavoro: ui.Lavoro) -> None:
    p = lavoro.pratica
    if not p.configurazioni:
        st.info("Prima crea una configurazione con i suoi POD (passo «Configurazioni»): ogni impianto è collegato "
                "a un POD.", icon=":material/info:")
        return
    ci = ui.scegli_configurazione(lavoro)
    conf = p.configurazioni[ci]
    nomi = proc.etichette_soggetti(p)
    pods = proc.pod_della_configurazione(p, ci)
    if not conf.punti_connessione:
        st.warning("Questa configurazione non ha ancora POD: aggiungili nel passo «Configurazioni», poi collega qui "
                   "gli impianti.", icon=":material/warning:")
    cc = st.column_config
    righe = proc.righe_impianti(p, ci)
    with st.form(lavoro.chiave(f"form-impianti-{ci}"), border=False):
        st.caption("Un impianto per riga. Il contributo PNRR già registrato resta invariato: qui si vede solo se c'è.")
        modificata = st.data_editor(
            tabella(righe), key=chiave_tabella(lavoro, ci), num_rows="dynamic", hide_index=False, placeholder="", width="stretch",
            height=min(36 * (len(righe) + 2) + 4, 480), column_order=COLONNE,
            column_config={
                "_index": ui.COLONNA_RIGA,
                "denominazione": cc.TextColumn("Nome dell'impianto", width="large"),
                "fonte": cc.SelectboxColumn("Fonte", options=list(proc.ETICHETTE_FONTE),
                                            format_func=proc.ETICHETTE_FONTE.get, default="fotovoltaico"),
                "potenza_kw": cc.NumberColumn("Potenza (kW)", min_value=0.0, step=0.1, format="localized"),
                "pod": cc.SelectboxColumn("POD", options=pods, width="medium"),
                "produttore": cc.SelectboxColumn(voc.RUOLI_CANDIDATO["produttore"].etichetta, options=list(nomi), format_func=nomi.get,
                                                 width="large"),
                "intervento": cc.SelectboxColumn("Intervento", options=list(proc.ETICHETTE_INTERVENTO),
                                                 format_func=proc.ETICHETTE_INTERVENTO.get,
                                                 default="nuova_costruzione"),
                "data_entrata_esercizio_prevista": cc.DateColumn("Entrata in esercizio prevista",
                                                                 format="DD/MM/YYYY", min_value=campi.DATA_MINIMA),
                "data_entrata_esercizio": cc.DateColumn("Entrata in esercizio", format="DD/MM/YYYY",
                                                        min_value=campi.DATA_MINIMA),
                "censimp": cc.TextColumn("CENSIMP"),
                "comune": cc.TextColumn("Comune"),
                "provincia": cc.TextColumn("Prov.", max_chars=2, width="small"),
                "popolazione": cc.NumberColumn("Abitanti del comune", min_value=0, step=1, format="localized"),
                "popolazione_fonte": cc.TextColumn("Fonte della popolazione", width="medium"),
                "potenza_obbligo_kw": cc.NumberColumn("Potenza d'obbligo (kW)", min_value=0.0, step=0.1,
                                                      format="localized"),
                "contributo_pnrr": cc.CheckboxColumn("Contributo PNRR", disabled=True),
            },
        )
        inviato = st.form_submit_button("Salva e continua", type="primary", icon=":material/save:")
    if inviato:
        al = ui.oggi()
        ui.applica_passo(lavoro, "impianti",
                         lambda: proc.applica_impianti(p, ci, ui.righe_tabella(modificata), al, al), "impianti")

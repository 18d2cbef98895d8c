"""Passo 3: configurazioni (tipo, cabina primaria) e i loro punti di connessione (POD)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cer_docs.services import procedura as proc
from ui import campi
from ui import componenti as ui

COLONNE = ["pod", "cabina_primaria", "soggetto", "uso", "indirizzo", "scambio_sul_posto", "data_ingresso",
           "data_uscita"]


def chiave_tabella(lavoro: ui.Lavoro, ci: int | None) -> str:
    return lavoro.chiave(f"tabella-punti-{'nuova' if ci is None else ci}")


def tabella(righe: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(righe, columns=COLONNE)
    for c in ("data_ingresso", "data_uscita"):
        df[c] = ui.colonna(df[c])
    df["scambio_sul_posto"] = df["scambio_sul_posto"].fillna(False).astype(object)
    for c in ("pod", "cabina_primaria", "soggetto", "uso", "indirizzo"):
        df[c] = ui.colonna(df[c])
    df.index = pd.RangeIndex(1, len(df) + 1)
    return df


def mostra(lavoro: ui.Lavoro) -> None:
    p = lavoro.pratica
    if not p.soggetti:
        st.info("Prima inserisci i soggetti (passo «Soggetti e membri»): ogni POD ha un titolare.",
                icon=":material/info:")
    ci = ui.scegli_configurazione(lavoro, nuova=True)
    v = proc.valori_configurazione(p, ci)
    nomi = proc.etichette_soggetti(p)
    k = lambda nome: lavoro.chiave(f"conf-{'nuova' if ci is None else ci}-{nome}")  # noqa: E731
    cc = st.column_config
    with st.container():  # niente st.form: ogni campo arriva subito e resta in bozza
        c1, c2, c3 = st.columns([2, 2, 1])
        valori = {
            "denominazione": campi.testo("Nome della configurazione", v["denominazione"], k("nome"), where=c1),
            "tipo": campi.scelta("Tipo di configurazione", proc.ETICHETTE_TIPO_CONFIGURAZIONE, v["tipo"], k("tipo"),
                                 where=c2),
            "cabina_primaria": campi.testo("Cabina primaria", v["cabina_primaria"], k("cabina"), where=c3,
                                           segnaposto="AC001E00934",
                                           aiuto="Il codice dell'area convenzionale sulla mappa delle cabine "
                                                 "primarie del GSE."),
        }
        st.markdown("**Punti di connessione (POD)** · uno per riga; la cabina primaria di ogni POD si verifica "
                    "sulla mappa del GSE.")
        righe = proc.righe_punti(p, ci)
        modificata = ui.griglia(
            chiave_tabella(lavoro, ci), tabella(righe), column_order=COLONNE,
            column_config={
                "_index": ui.COLONNA_RIGA,
                "pod": cc.TextColumn("POD", max_chars=15, required=True, width="medium"),
                "cabina_primaria": cc.TextColumn("Cabina primaria del POD", max_chars=20, width="medium"),
                "soggetto": cc.SelectboxColumn("Titolare", options=list(nomi), format_func=nomi.get, width="large"),
                "uso": cc.TextColumn("Uso"),
                "indirizzo": cc.TextColumn("Indirizzo", width="large"),
                "scambio_sul_posto": cc.CheckboxColumn("Scambio sul posto"),
                "data_ingresso": cc.DateColumn("Ingresso", format="DD/MM/YYYY"),
                "data_uscita": cc.DateColumn("Uscita", format="DD/MM/YYYY"),
            },
        )
        procedi = ui.conferma_righe_tolte(chiave_tabella(lavoro, ci), modificata,
                                          lambda r: f"{r.get('pod') or 'POD vuoto'}, {nomi.get(r.get('soggetto'), '')}")
        inviato = st.button("Salva e continua", key=f"salva-configurazioni-{lavoro.versione}", type="primary",
                            icon=":material/save:", disabled=not procedi)
    if inviato:
        al = ui.oggi()

        def _modifica():
            nuova, indice = proc.applica_configurazione(p, ci, valori, ui.righe_tabella(modificata), al, al)
            st.session_state[ui.CHIAVE_CONF] = indice
            return nuova

        ui.applica_passo(lavoro, "configurazioni", _modifica, "configurazione e punti di connessione",
                         tabelle={chiave_tabella(lavoro, ci): modificata})
    if ci is not None and len(p.configurazioni) > 1:
        _elimina(lavoro, ci)


def _elimina(lavoro: ui.Lavoro, ci: int) -> None:
    nome = proc.etichette_configurazioni(lavoro.pratica)[ci]
    with st.expander("Elimina questa configurazione", icon=":material/delete:"):
        st.warning(f"Eliminare «{ui.md(nome)}» toglie anche i suoi POD e impianti dalla pratica.")
        if st.checkbox("Sì, voglio eliminarla", key=lavoro.chiave(f"conferma-elimina-conf-{ci}")):
            if st.button("Elimina la configurazione", type="primary", key=lavoro.chiave(f"elimina-conf-{ci}")):
                st.session_state[ui.CHIAVE_CONF] = 0
                ui.applica_passo(lavoro, "configurazioni",
                                 lambda: proc.elimina_configurazione(lavoro.pratica, ci, ui.oggi()),
                                 f"eliminata la configurazione {nome}", avanza=False)

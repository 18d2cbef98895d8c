"""Passo 3: configurazioni (tipo, cabina primaria) e i loro punti di connessione (POD)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cer_docs.services import procedura as proc
from ui import campi
from ui import componenti as ui

COLONNE = ["pod", "cabina_primaria", "soggetto", "uso", "indirizzo", "scambio_sul_posto", "data_ingresso",
           "data_uscita", "consumo_annuo_kwh", "profilo_consumo", "potenza_impegnata_kw"]


def chiave_tabella(lavoro: ui.Lavoro, ci: int | None) -> str:
    return lavoro.chiave(f"tabella-punti-{'nuova' if ci is None else ci}")


def tabella(righe: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(righe, columns=COLONNE)
    for c in ("data_ingresso", "data_uscita"):
        df[c] = ui.colonna(df[c])
    df["scambio_sul_posto"] = df["scambio_sul_posto"].fillna(False).astype(object)
    for c in ("consumo_annuo_kwh", "potenza_impegnata_kw"):
        df[c] = pd.to_numeric(df[c], errors="coerce").astype(float)
    for c in ("pod", "cabina_primaria", "soggetto", "uso", "indirizzo", "profilo_consumo"):
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
    nomi = lavoro.per_versione("etichette-soggetti", lambda: proc.etichette_soggetti(p))
    k = lambda nome: lavoro.chiave(f"conf-{'nuova' if ci is None else ci}-{nome}")  # noqa: E731
    cc = st.column_config
    profili = proc.ETICHETTE_PROFILO_CONSUMO
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
        # righe e tabella una volta per versione salvata, non a ogni clic
        dati = lavoro.per_versione(f"punti-{ci}", lambda: tabella(proc.righe_punti(p, ci)))
        modificata = ui.griglia(
            chiave_tabella(lavoro, ci), dati, column_order=COLONNE,
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
                "consumo_annuo_kwh": cc.NumberColumn("Consumo annuo (kWh)", min_value=0.0, step=1.0,
                                                     format="localized",
                                                     help="Dalle bollette dell'ultimo anno; serve alla simulazione "
                                                          "economica. Vuoto: si usa il consumo tipico del profilo."),
                "profilo_consumo": cc.SelectboxColumn("Profilo di consumo", options=list(profili),
                                                      format_func=profili.get, width="medium",
                                                      help="Come si distribuiscono i consumi nelle ore del giorno "
                                                           "(simulazione economica). Vuoto: si deduce dal titolare "
                                                           "e dall'uso."),
                "potenza_impegnata_kw": cc.NumberColumn("Potenza impegnata (kW)", min_value=0.0, step=0.5,
                                                        format="localized",
                                                        help="Quella scritta in bolletta (per esempio 3 kW)."),
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
    if ci is not None and p.configurazioni[ci].punti_connessione:
        _consumi_mensili(lavoro, ci)
    if ci is not None and len(p.configurazioni) > 1:
        _elimina(lavoro, ci)


def _consumi_mensili(lavoro: ui.Lavoro, ci: int) -> None:
    """I consumi mese per mese di un POD (dalle bollette): la simulazione li preferisce al consumo annuo."""
    p = lavoro.pratica
    nomi = proc.etichette_soggetti(p)
    punti = {pc.pod: f"{pc.pod} · {nomi.get(pc.soggetto, pc.soggetto)}"
             for pc in p.configurazioni[ci].punti_connessione}
    with st.expander("Consumi mese per mese di un POD (facoltativo)", icon=":material/calendar_month:"):
        st.caption("Se hai le bollette di un anno, scrivi i dodici mesi: la simulazione economica li usa al posto del "
                   "consumo annuo. Lascia tutto vuoto per toglierli.")
        pod = st.selectbox("POD", list(punti), format_func=punti.get, key=lavoro.chiave(f"mensili-pod-{ci}"))
        attuali = proc.valori_consumi_mensili(p, ci, pod)
        df = pd.DataFrame({"mese": [m.capitalize() for m in proc.MESI], "kwh": attuali})
        df["kwh"] = pd.to_numeric(df["kwh"], errors="coerce").astype(float)
        df.index = pd.RangeIndex(1, 13)
        chiave = lavoro.chiave(f"mensili-{ci}-{pod}")
        modificata = st.data_editor(
            df, key=chiave, num_rows="fixed", hide_index=True, width="stretch", height=ui.altezza_tabella(12),
            column_config={"mese": st.column_config.TextColumn("Mese", disabled=True),
                           "kwh": st.column_config.NumberColumn("Consumo (kWh)", min_value=0.0, format="localized")})
        if st.button("Salva i consumi mensili", key=lavoro.chiave(f"salva-mensili-{ci}"), icon=":material/save:"):
            valori = [None if pd.isna(x) else float(x) for x in modificata["kwh"]]
            ui.applica_passo(lavoro, "configurazioni",
                             lambda: proc.applica_consumi_mensili(p, ci, pod, valori, ui.oggi()),
                             f"consumi mensili del POD {pod}", avanza=False, bozza="mensili-",
                             cosa=f"Consumi mensili di {pod}")


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

"""Passo 3: configurazioni (tipo, cabina primaria) e i loro punti di connessione (POD)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cer_docs.services import catalogo, motore_passi
from cer_docs.services import procedura as proc
from ui import campi
from ui import componenti as ui

PASSO = "configurazioni"


def chiave_tabella(lavoro: ui.Lavoro, ci: int | None) -> str:
    return lavoro.chiave(f"tabella-punti-{'nuova' if ci is None else ci}")


def mostra(lavoro: ui.Lavoro) -> None:
    p = lavoro.pratica
    if not p.soggetti:
        st.info("Prima inserisci i soggetti (passo «Soggetti e membri»): ogni POD ha un titolare.",
                icon=":material/info:")
    ci = ui.scegli_configurazione(lavoro, nuova=True)
    indici = (proc.indice_configurazione(p, ci),)
    domande = catalogo.domande_del_modulo(PASSO)
    colonne = [d for d in domande if d.elenco]
    spec = motore_passi.PASSI_GENERATI[PASSO]
    tab = next(iter(spec.tabelle.values()))
    v = lavoro.per_versione(f"valori-conf-{ci}", lambda: motore_passi.valori(p, PASSO, indici))
    voci = lavoro.per_versione(f"voci-conf-{ci}", lambda: motore_passi.scelte(p, PASSO, indici))
    nomi = voci["soggetto"]
    with st.container():  # niente st.form: ogni campo arriva subito e resta in bozza
        valori = campi.modulo([d for d in domande if not d.elenco], v, lavoro.chiave, voci,
                              indici=("nuova" if ci is None else ci,))
        st.markdown(f"**{tab.titolo}** · uno per riga; la cabina primaria di ogni POD si verifica sulla mappa del "
                    "GSE (vuota: quella della configurazione).")
        # righe e tabella una volta per versione salvata, non a ogni clic
        dati = lavoro.per_versione(f"punti-{ci}", lambda: campi.tabella_generata(colonne, v[tab.nome]))
        modificata = ui.griglia(
            chiave_tabella(lavoro, ci), dati, column_order=[d.nome for d in colonne],
            column_config={"_index": ui.COLONNA_RIGA, **campi.colonne_generate(colonne, voci)},
        )
        procedi = ui.conferma_righe_tolte(chiave_tabella(lavoro, ci), modificata,
                                          lambda r: f"{r.get('pod') or 'POD vuoto'}, {nomi.get(r.get('soggetto'), '')}")
        inviato = st.button("Salva e continua", key=f"salva-configurazioni-{lavoro.versione}", type="primary",
                            icon=":material/save:", disabled=not procedi)
    if inviato:
        al = ui.oggi()

        def _modifica():
            nuova = motore_passi.applica(p, PASSO, {**valori, tab.nome: ui.righe_tabella(modificata)}, indici, al,
                                         al=al)
            st.session_state[ui.CHIAVE_CONF] = indici[0]
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
    d = catalogo.domande_del_modulo("consumi_mensili")[0]
    with st.expander(f"{d.etichetta} (facoltativo)", icon=":material/calendar_month:"):
        st.caption(d.aiuto)
        pod = st.selectbox("POD", list(punti), format_func=punti.get, key=lavoro.chiave(f"mensili-pod-{ci}"))
        indici = (ci, list(punti).index(pod))
        attuali = motore_passi.valori(p, "consumi_mensili", indici)[d.nome]
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
                             lambda: motore_passi.applica(p, "consumi_mensili", {d.nome: valori}, indici, ui.oggi()),
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

"""Passo 4: gli impianti di produzione di ogni configurazione."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cer_docs.model import vocabolario as voc
from cer_docs.services import catalogo, motore_passi
from cer_docs.services import procedura as proc
from ui import campi
from ui import componenti as ui

COLONNE = ["denominazione", "fonte", "potenza_kw", "pod", "produttore", "intervento",
           "data_entrata_esercizio_prevista", "data_entrata_esercizio", "censimp", "comune", "provincia",
           "popolazione", "popolazione_fonte", "potenza_obbligo_kw", "componenti_nuovi", "altri_incentivi",
           "inclinazione_gradi", "orientamento_gradi", "producibilita_kwh_kw", "latitudine", "longitudine",
           "contributo_pnrr"]
_NUMERI = ("potenza_kw", "potenza_obbligo_kw", "inclinazione_gradi", "orientamento_gradi", "producibilita_kwh_kw",
           "latitudine", "longitudine")
_DATE = ("data_entrata_esercizio", "data_entrata_esercizio_prevista")
MODULO_PNRR = "contributo_pnrr"   # modulo generato dal catalogo (domande, motore, interruttore, tabelle)


def chiave_tabella(lavoro: ui.Lavoro, ci: int) -> str:
    return lavoro.chiave(f"tabella-impianti-{ci}")


def tabella(righe: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(righe, columns=["id", *COLONNE])
    for c in _DATE:
        df[c] = ui.colonna(df[c])
    for c in _NUMERI:
        df[c] = pd.to_numeric(df[c], errors="coerce").astype(float)
    df["popolazione"] = pd.to_numeric(df["popolazione"], errors="coerce").astype("Int64")
    df["contributo_pnrr"] = df["contributo_pnrr"].fillna(False).astype(object)
    df["componenti_nuovi"] = df["componenti_nuovi"].astype(object).where(df["componenti_nuovi"].notna(), True)
    df["altri_incentivi"] = ui.colonna(df["altri_incentivi"])
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
    nomi = lavoro.per_versione("etichette-soggetti", lambda: proc.etichette_soggetti(p))
    pods = proc.pod_della_configurazione(p, ci)
    if not conf.punti_connessione:
        st.warning("Questa configurazione non ha ancora POD: aggiungili nel passo «Configurazioni», poi collega qui "
                   "gli impianti.", icon=":material/warning:")
    cc = st.column_config
    righe = lavoro.per_versione(f"impianti-{ci}", lambda: proc.righe_impianti(p, ci))
    etichette_pod = lavoro.per_versione(f"etichette-pod-{ci}", lambda: _etichette_pod(conf, nomi))
    with st.container():  # niente st.form: ogni campo arriva subito e resta in bozza
        st.caption("Un impianto per riga. Il contributo PNRR di un impianto si compila sotto la tabella, nella "
                   "sezione «Contributo PNRR», dopo aver salvato l'impianto.")
        modificata = ui.griglia(
            chiave_tabella(lavoro, ci), lavoro.per_versione(f"tabella-impianti-{ci}", lambda: tabella(righe)),
            column_order=COLONNE,
            column_config={
                "_index": ui.COLONNA_RIGA,
                "denominazione": cc.TextColumn("Nome dell'impianto", width="large"),
                "fonte": cc.SelectboxColumn("Fonte", options=list(proc.ETICHETTE_FONTE),
                                            format_func=proc.ETICHETTE_FONTE.get, default="fotovoltaico"),
                "potenza_kw": cc.NumberColumn("Potenza (kW)", min_value=0.0, step=0.1, format="localized"),
                "pod": cc.SelectboxColumn("POD", options=pods, format_func=lambda x: etichette_pod.get(x, x),
                                          width="large", help="Il POD con il suo titolare e l'indirizzo"),
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
                "componenti_nuovi": cc.CheckboxColumn("Componenti nuovi", default=True,
                                                      help="Moduli e inverter mai usati prima (requisito degli "
                                                           "incentivi per i nuovi impianti)"),
                "altri_incentivi": cc.TextColumn("Altri incentivi", width="medium",
                                                 help="Separati da virgola, per esempio «conto energia»"),
                "inclinazione_gradi": cc.NumberColumn(
                    "Inclinazione (°)", min_value=0.0, max_value=90.0, step=1.0, format="localized",
                    help="Per la simulazione economica: 0° = pannelli orizzontali, 90° = verticali (sui tetti a "
                         "falda, l'inclinazione della falda). Vuoto: 30°."),
                "orientamento_gradi": cc.NumberColumn(
                    "Orientamento (°)", min_value=-180.0, max_value=180.0, step=1.0, format="localized",
                    help="Verso dove guardano i pannelli: 0° = sud, -90° = est, 90° = ovest, ±180° = nord "
                         "(come in PVGIS). Vuoto: sud."),
                "producibilita_kwh_kw": cc.NumberColumn(
                    "Producibilità (kWh/kW)", min_value=0.0, step=10.0, format="localized",
                    help="I kWh prodotti in un anno da ogni kW, dalla relazione del progettista o da PVGIS. Se "
                         "la scrivi, la simulazione riporta la produzione calcolata a questo totale."),
                "latitudine": cc.NumberColumn("Latitudine", min_value=-90.0, max_value=90.0, step=0.0001,
                                              format="%.4f",
                                              help="In gradi decimali (per esempio 43,9781); serve insieme alla "
                                                   "longitudine. Vuote: la simulazione usa il capoluogo di regione."),
                "longitudine": cc.NumberColumn("Longitudine", min_value=-180.0, max_value=180.0, step=0.0001,
                                               format="%.4f",
                                               help="In gradi decimali, positiva a est di Greenwich (per esempio "
                                                    "11,4662); serve insieme alla latitudine."),
                "contributo_pnrr": cc.CheckboxColumn("Contributo PNRR", disabled=True,
                                                     help="Si compila nella sezione «Contributo PNRR» qui sotto"),
            },
        )
        procedi = ui.conferma_righe_tolte(chiave_tabella(lavoro, ci), modificata,
                                          lambda r: str(r.get("denominazione") or r.get("pod") or "impianto"))
        inviato = st.button("Salva e continua", key=f"salva-impianti-{lavoro.versione}", type="primary",
                            icon=":material/save:", disabled=not procedi)
    if inviato:
        al = ui.oggi()
        ui.applica_passo(lavoro, "impianti",
                         lambda: proc.applica_impianti(p, ci, ui.righe_tabella(modificata), al, al), "impianti",
                         tabelle={chiave_tabella(lavoro, ci): modificata}, bozza="tabella-impianti")
    _contributo_pnrr(lavoro, ci)


def _etichette_pod(conf, nomi: dict[str, str]) -> dict[str, str]:
    """«IT001E… · Mario Rossi · via Roma 1»: il POD con il titolare e l'indirizzo."""
    out = {}
    for pc in conf.punti_connessione:
        parti = [pc.pod, nomi.get(pc.soggetto, pc.soggetto)]
        if pc.indirizzo:
            parti.append(pc.indirizzo)
        out[pc.pod] = " · ".join(parti)
    return out


def _contributo_pnrr(lavoro: ui.Lavoro, ci: int) -> None:
    """Il contributo PNRR di un impianto: domanda, CUP e CIG, date, costi, accordo di concessione."""
    p = lavoro.pratica
    conf = p.configurazioni[ci]
    st.markdown("#### Contributo PNRR", help="Il contributo in conto capitale per le CER nei comuni sotto la soglia "
                                              "di abitanti. Il registro delle spese e le fatture si tengono nella "
                                              "pagina «Contributo PNRR».")
    if not conf.impianti:
        st.caption("Salva prima almeno un impianto: il contributo si riferisce a un impianto.")
        return
    impianti = {i.id: i.denominazione or i.id for i in conf.impianti}
    iid = st.selectbox("Impianto", list(impianti), format_func=impianti.get, key=f"pnrr-impianto-{ci}",
                       help="Scegli l'impianto di cui compilare il contributo.")
    indici = (ci, next(j for j, i in enumerate(conf.impianti) if i.id == iid))
    v = motore_passi.valori(p, MODULO_PNRR, indici)
    spec = motore_passi.PASSI_GENERATI[MODULO_PNRR]
    k = lambda nome: lavoro.chiave(f"pnrr-{ci}-{iid}-{nome}")  # noqa: E731
    nome_int = spec.interruttore[0]
    valori: dict = {nome_int: campi.casella("L'impianto ha chiesto (o ottenuto) il contributo PNRR", v[nome_int],
                                            k(nome_int))}
    procedi = True
    if not valori[nome_int]:
        if v[nome_int]:
            st.warning("Salvando, il contributo PNRR di questo impianto viene tolto.", icon=":material/warning:")
        else:
            st.caption("Spunta la casella per compilare domanda, CUP, CIG, date, costi e accordo di concessione.")
    else:
        domande = catalogo.domande_del_modulo(MODULO_PNRR)
        valori.update(campi.modulo([d for d in domande if not d.elenco], v, lavoro.chiave,
                                   motore_passi.scelte(p, MODULO_PNRR, indici), indici=(ci, iid)))
        for elenco, tab in spec.tabelle.items():
            colonne = [d for d in domande if d.elenco == elenco]
            chiave = lavoro.chiave(tab.chiave.format(ci, iid))
            st.markdown(f"**{tab.titolo}**")
            tabella = ui.griglia(chiave, campi.tabella_generata(colonne, v[tab.nome]),
                                 column_order=[d.nome for d in colonne],
                                 column_config={"_index": ui.COLONNA_RIGA, **campi.colonne_generate(colonne, {})},
                                 height=ui.altezza_tabella(len(v[tab.nome])) // 2 + 40)
            procedi = ui.conferma_righe_tolte(chiave, tabella,
                                              lambda r, tab=tab: r.get(tab.chi) or "riga") and procedi
            valori[tab.nome] = ui.righe_tabella(tabella)
        spese = len(c.spese) if (c := conf.impianti[indici[1]].contributo_pnrr) is not None else 0
        if spese:
            st.caption(f"Il registro contiene {spese} {'spesa' if spese == 1 else 'spese'}: restano invariate (si "
                       "gestiscono nella pagina «Contributo PNRR»).")
    if st.button("Salva il contributo PNRR", key=k("salva"), icon=":material/save:", disabled=not procedi):
        al = ui.oggi()
        ui.applica_passo(lavoro, "impianti", lambda: motore_passi.applica(p, MODULO_PNRR, valori, indici, al, al=al),
                         f"contributo PNRR di {impianti[iid]}", avanza=False, bozza=f"pnrr-{ci}-",
                         cosa=f"Contributo PNRR di {impianti[iid]}")

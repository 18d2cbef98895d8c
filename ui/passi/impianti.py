"""Passo 4: gli impianti di produzione di ogni configurazione."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cer_docs.services import catalogo, motore_passi
from ui import bozze, campi
from ui import componenti as ui

PASSO = "impianti"
_PNRR_NON_SALVATO = "_pnrr_non_salvato"   # dopo «Salva e continua»: il contributo PNRR ha modifiche in bozza
_PNRR_SALVATO = "_pnrr_salvato"           # (pratica, configurazione, impianto) dell'ultimo «Salva il contributo PNRR»
MODULO_PNRR = "contributo_pnrr"   # modulo generato dal catalogo (domande, motore, interruttore, tabelle)


def chiave_tabella(lavoro: ui.Lavoro, ci: int) -> str:
    return lavoro.chiave(f"tabella-impianti-{ci}")


def mostra(lavoro: ui.Lavoro) -> None:
    p = lavoro.pratica
    if not p.configurazioni:
        st.info("Prima crea una configurazione con i suoi POD (passo «Configurazioni»): ogni impianto è collegato "
                "a un POD.", icon=":material/info:")
        return
    ci = ui.scegli_configurazione(lavoro)
    conf = p.configurazioni[ci]
    if st.session_state.pop(_PNRR_NON_SALVATO, None) == (lavoro.codice, ci):
        st.warning("Il contributo PNRR qui sotto ha modifiche non ancora salvate: restano in bozza finché non premi "
                   "«Salva il contributo PNRR» (la tabella degli impianti si salva a parte).", icon=":material/warning:")
    if not conf.punti_connessione:
        st.warning("Questa configurazione non ha ancora POD: aggiungili nel passo «Configurazioni», poi collega qui "
                   "gli impianti.", icon=":material/warning:")
    domande = [d for d in catalogo.domande_del_passo(PASSO) if d.elenco and d.id_modulo == PASSO]
    indici = (ci,)
    voci = lavoro.per_versione(f"voci-impianti-{ci}", lambda: motore_passi.scelte(p, PASSO, indici))

    def _tabella() -> pd.DataFrame:
        righe = motore_passi.righe(p, PASSO, indici)
        for riga, imp in zip(righe, conf.impianti):
            riga["contributo_pnrr"] = imp.contributo_pnrr is not None
        df = campi.tabella_generata(domande, righe, altre=("id", "contributo_pnrr"))
        df["contributo_pnrr"] = df["contributo_pnrr"].fillna(False)
        return df

    with st.container():  # niente st.form: ogni campo arriva subito e resta in bozza
        st.caption("Un impianto per riga. Il contributo PNRR di un impianto si compila sotto la tabella, nella "
                   "sezione «Contributo PNRR», dopo aver salvato l'impianto.")
        modificata = ui.griglia(
            chiave_tabella(lavoro, ci), lavoro.per_versione(f"tabella-impianti-{ci}", _tabella),
            column_order=[*[d.nome for d in domande], "contributo_pnrr"],
            column_config={
                "_index": ui.COLONNA_RIGA, **campi.colonne_generate(domande, voci),
                "contributo_pnrr": st.column_config.CheckboxColumn(
                    "Contributo PNRR", disabled=True, help="Si compila nella sezione «Contributo PNRR» qui sotto"),
            },
        )
        procedi = ui.conferma_righe_tolte(chiave_tabella(lavoro, ci), modificata,
                                          lambda r: str(r.get("denominazione") or r.get("pod") or "impianto"))
        inviato = st.button("Salva e continua", key=f"salva-impianti-{lavoro.versione}", type="primary",
                            icon=":material/save:", disabled=not procedi)
    if inviato:
        st.session_state.pop(_PNRR_SALVATO, None)   # i problemi della tabella non vanno accanto al contributo
        al = ui.oggi()
        # il contributo PNRR si salva col suo pulsante: con modifiche in bozza non si passa oltre senza dirlo
        in_sospeso = bool(bozze.campi_modificati(lavoro.codice, PASSO, f"pnrr-{ci}-"))
        if in_sospeso:
            st.session_state[_PNRR_NON_SALVATO] = (lavoro.codice, ci)
        ui.applica_passo(lavoro, PASSO,
                         lambda: motore_passi.applica_righe(p, PASSO, ui.righe_tabella(modificata), al, indici, al=al),
                         "impianti", tabelle={chiave_tabella(lavoro, ci): modificata}, bozza="tabella-impianti",
                         avanza=not in_sospeso)
    _contributo_pnrr(lavoro, ci)


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
    # dopo un «Correggi» su un dato del contributo: si apre l'impianto del rilievo, non il primo
    da_aprire = st.session_state.pop(ui.CHIAVE_IMPIANTO_DA_APRIRE, None)
    if da_aprire and da_aprire[0] in (ci, None) and 0 <= da_aprire[1] < len(conf.impianti):
        st.session_state[f"pnrr-impianto-{ci}"] = conf.impianti[da_aprire[1]].id
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
    inviato = st.button("Salva il contributo PNRR", key=k("salva"), icon=":material/save:", disabled=not procedi)
    # l'esito dell'ultimo salvataggio anche qui, accanto al pulsante (in cima al passo è fuori vista): i problemi
    # che non lo lasciano salvare o i dati salvati da ricontrollare (un CUP con la lettera O al posto dello zero)
    if st.session_state.get(_PNRR_SALVATO) == (lavoro.codice, ci, iid):
        problemi, avvisi = st.session_state.get(ui.CHIAVE_PROBLEMI), st.session_state.get(ui.CHIAVE_AVVISI)
        if problemi and problemi[:2] == (lavoro.codice, PASSO):
            ui.mostra_problemi(problemi[2])
        elif avvisi and avvisi[:2] == (lavoro.codice, PASSO):
            ui.mostra_avvisi(avvisi[2])
    if inviato:
        st.session_state[_PNRR_SALVATO] = (lavoro.codice, ci, iid)
        al = ui.oggi()
        ui.applica_passo(lavoro, PASSO, lambda: motore_passi.applica(p, MODULO_PNRR, valori, indici, al, al=al),
                         f"contributo PNRR di {impianti[iid]}", avanza=False, bozza=f"pnrr-{ci}-",
                         cosa=f"Contributo PNRR di {impianti[iid]}",
                         avvisi=motore_passi.avvisi(MODULO_PNRR, valori, al))

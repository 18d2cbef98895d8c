"""Passo 2: soggetti e membri in una tabella modificabile, importazione da CSV/XLSX, dettagli di un soggetto.

Tabella generata dal catalogo delle domande (``cer_docs/services/catalogo.py``, ``_soggetti``): colonne,
etichette, scelte e aiuti vengono dalle dichiarazioni; il motore (``cer_docs/services/motore_passi.py``)
legge le righe, le applica per percorso (il soggetto e, con un ruolo, il suo membro) e le convalida.
L'importazione da un file passa per la stessa conversione (``cer_docs/services/importazione.py``)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cer_docs.services import catalogo, motore_passi
from cer_docs.services import importazione as imp
from cer_docs.services import procedura as proc
from ui import bozze, campi
from ui import componenti as ui

PASSO = "soggetti"
MODULO_DETTAGLIO = "dettaglio_soggetto"
# il riquadro «Dettagli di un soggetto» ricorda se è aperto (chiave) e si disegna solo aperto: chiuso, il
# browser non monta a ogni clic la scelta tra 500 soggetti e i suoi venti campi (bench/RISULTATI.md)
CHIAVE_DETTAGLIO_APERTO = "dettaglio-soggetto-aperto"
CHIAVE_SCELTA = "dettaglio-soggetto"                 # la casella «Soggetto» del riquadro
_SCELTO = "_dettaglio-soggetto-scelto"               # la scelta, che sopravvive al riquadro chiuso
_DETTAGLIO_SALVATO = "_dettaglio-soggetto-salvato"   # (pratica, soggetto) dell'ultimo «Salva i dettagli»
_RIGHE_RIMESSE = "_soggetti-righe-rimesse"   # (pratica, nomi) delle righe tolte rimesse dopo un salvataggio rifiutato


def chiave_tabella(lavoro: ui.Lavoro) -> str:
    return lavoro.chiave("tabella-soggetti")


def colonne() -> list:
    """Le colonne della tabella (una per nome: l'indirizzo è di residenza o di sede secondo il tipo)."""
    return [d for d in catalogo.domande_del_modulo(PASSO) if d.elenco]


COLONNA_CHI = "chi"
"""Colonna di sola lettura, fissa a sinistra: chi è la riga (nome e cognome o denominazione), in vista anche
scorrendo fino a ruolo e date. Una sola colonna fissa oltre al numero di riga, stretta: su un telefono (390 px)
resta spazio per le altre. Si ricalcola dai dati salvati (e dopo un salvataggio non riuscito); le colonne da
modificare sono Nome, Cognome e Denominazione."""


def _chi(riga) -> str | None:
    nome = " ".join(str(x).strip() for x in (riga.get("nome"), riga.get("cognome")) if not imp.valore_vuoto(x))
    return nome or (None if imp.valore_vuoto(riga.get("denominazione")) else str(riga.get("denominazione")))


def _con_chi(df: pd.DataFrame) -> pd.DataFrame:
    df.insert(0, COLONNA_CHI, [_chi(r) for _i, r in df.iterrows()] if len(df) else [])
    return df


def tabella(righe: list[dict]) -> pd.DataFrame:
    return _con_chi(campi.tabella_generata(colonne(), righe, altre=("id",)))


def configurazione_colonne(voci: dict[str, dict]) -> dict:
    return {"_index": ui.COLONNA_RIGA,
            COLONNA_CHI: st.column_config.TextColumn("Soggetto", disabled=True, pinned=True, width=130,
                                                     help="Nome e cognome, o denominazione: resta in vista "
                                                          "scorrendo la tabella a destra. Si modificano nelle "
                                                          "colonne Nome, Cognome e Denominazione."),
            **campi.colonne_generate(colonne(), voci)}


def _plurale(n: int, uno: str, molti: str) -> str:
    return f"{n} {uno if n == 1 else molti}"


def _descrivi(riga) -> str:
    """Chi è una riga della tabella, nei messaggi: nome e cognome, la denominazione o il codice fiscale (un
    vuoto della tabella può essere NaN: non è un nome)."""
    cf = riga.get("codice_fiscale")
    return _chi(riga) or (None if imp.valore_vuoto(cf) else str(cf)) or "senza nome"


def mostra(lavoro: ui.Lavoro) -> None:
    p = lavoro.pratica
    # righe, tabella e colonne si ricavano una volta per versione salvata, non a ogni clic
    righe = lavoro.per_versione("soggetti-righe", lambda: motore_passi.righe(p, PASSO))
    dati = lavoro.per_versione("soggetti-tabella", lambda: tabella(righe))
    voci = lavoro.per_versione("soggetti-voci", lambda: motore_passi.scelte(p, PASSO))
    membri = sum(1 for r in righe if r["ruolo"])
    if not righe:
        st.info("Nessun soggetto ancora. Aggiungi una riga per ogni persona, impresa o ente (il «+» sotto la "
                "tabella), oppure importa un elenco da un file CSV o Excel.", icon=":material/group_add:")
    else:
        vuoto = next(d.vuoto for d in colonne() if d.nome == "ruolo")
        st.caption(f"{_plurale(len(righe), 'soggetto', 'soggetti')}, di cui {_plurale(membri, 'membro', 'membri')}. "
                   f"Il ruolo «{vuoto}» indica chi partecipa senza essere membro (per esempio un produttore terzo).")
    _righe_rimesse(lavoro)
    with st.container():  # niente st.form: ogni campo arriva subito e resta in bozza
        modificata = ui.griglia(chiave_tabella(lavoro), dati, column_config=configurazione_colonne(voci),
                                column_order=[c for c in dati.columns if c != "id"])
        procedi = ui.conferma_righe_tolte(chiave_tabella(lavoro), modificata, _descrivi)
        inviato = st.button("Salva e continua", key=f"salva-soggetti-{lavoro.versione}", type="primary",
                            icon=":material/save:", disabled=not procedi)
    if inviato:
        st.session_state.pop(_DETTAGLIO_SALVATO, None)   # i problemi della tabella non vanno nel pannello
        st.session_state.pop(_RIGHE_RIMESSE, None)
        # i messaggi usano i numeri di riga che la tabella mostra (dopo righe tolte non sono più 1, 2, 3...)
        # e, se il salvataggio non riesce, la tabella li tiene: il numero del messaggio è quello che si vede
        numeri = [int(i) for i in modificata.index]
        ui.applica_passo(lavoro, PASSO,
                         lambda: motore_passi.applica_righe(
                             p, PASSO, campi.righe_generate(colonne(), modificata.drop(columns=[COLONNA_CHI])),
                             ui.oggi(), numeri=numeri),
                         "soggetti e membri", tabelle={chiave_tabella(lavoro): _rimetti_citati(lavoro, modificata)},
                         bozza="tabella-soggetti", rinumera=False)
    _importazione(lavoro)
    _dettaglio(lavoro)


def _rimetti_citati(lavoro: ui.Lavoro, modificata: pd.DataFrame) -> pd.DataFrame:
    """La tabella da cui ripartire se il salvataggio non riesce: ciò che l'utente vede (con la colonna
    «Soggetto» rifatta dai nomi scritti), più le righe tolte di soggetti che non si possono togliere
    (titolari di un POD, produttori, organi: il motore rifiuta e dice perché), rimesse al loro posto e con il
    loro numero. Le altre modifiche restano; «Annulla le modifiche» non serve per riavere la riga."""
    modificata = _con_chi(modificata.drop(columns=[COLONNA_CHI]))
    base = (st.session_state.get("_bozze_basi") or {}).get(chiave_tabella(lavoro))
    if base is None or "id" not in base.columns:
        return modificata
    restano = {str(x) for x in modificata["id"] if isinstance(x, str) and x}
    tolte = base[[isinstance(x, str) and x not in restano for x in base["id"]]]
    if tolte.empty:
        return modificata
    citati = motore_passi.tolti_ma_citati(lavoro.pratica, restano)
    rimesse = tolte[[x in citati for x in tolte["id"]]]
    # i numeri delle righe nuove vengono dopo quelli della tabella di partenza (``ui.griglia``): nessun doppione
    rimesse = rimesse[[i not in modificata.index for i in rimesse.index]]
    if rimesse.empty:
        return modificata
    st.session_state[_RIGHE_RIMESSE] = (lavoro.codice, [_descrivi(r) for _i, r in rimesse.iterrows()])
    return pd.concat([modificata, rimesse]).sort_index()


def _righe_rimesse(lavoro: ui.Lavoro) -> None:
    """Sopra la tabella, dopo un salvataggio non riuscito per righe che non si possono togliere: sono tornate."""
    rimesse = st.session_state.get(_RIGHE_RIMESSE)
    problemi = st.session_state.get(ui.CHIAVE_PROBLEMI)
    if not rimesse or rimesse[0] != lavoro.codice or not rimesse[1] or not problemi \
            or problemi[:2] != (lavoro.codice, PASSO):
        return
    nomi = ", ".join(f"«{ui.md(n)}»" for n in rimesse[1])
    st.info(f"{'La riga di' if len(rimesse[1]) == 1 else 'Le righe di'} {nomi} "
            f"{'è tornata' if len(rimesse[1]) == 1 else 'sono tornate'} nella tabella: non si "
            f"{'può' if len(rimesse[1]) == 1 else 'possono'} togliere, il perché è nei problemi qui sopra. Le altre "
            "modifiche restano nella tabella, da salvare.", icon=":material/undo:")


def _importazione(lavoro: ui.Lavoro) -> None:
    p = lavoro.pratica
    with st.expander("Importa soggetti da un file CSV o Excel", icon=":material/upload_file:"):
        st.markdown("La prima riga del file contiene le intestazioni, in italiano: **nome**, **cognome** (persone) "
                    "o **denominazione** (enti e imprese), e poi a piacere codice fiscale, partita IVA, data di "
                    "nascita, luogo di nascita, indirizzo, CAP, comune, provincia, email, ruolo, data di adesione, "
                    "data di uscita, **POD** e **potenza impianto kW**. Il POD di ogni membro diventa un punto di "
                    "connessione della configurazione che scegli; con la potenza, anche un impianto fotovoltaico "
                    "su quel POD. Le righe con problemi vengono elencate e scartate; le altre si aggiungono.")
        st.download_button("Scarica un modello CSV", data=imp.modello_csv(), file_name="modello-soggetti.csv",
                           mime="text/csv", icon=":material/download:", on_click="ignore")
        file = st.file_uploader("File CSV o XLSX", type=["csv", "xlsx"], key=lavoro.chiave("importa-soggetti"))
        if file is None:
            return
        try:
            esito = imp.leggi_membri(file.getvalue(), file.name, pratica=p, oggi=ui.oggi())
        except imp.ErroreImportazione as e:
            st.error(f"Il file «{ui.md(file.name)}» non si può importare: {ui.md(e)}.", icon=":material/error:")
            return
        if esito.problemi:
            elenco = "\n".join(f"- {ui.md(ui.frase(x))}" for x in esito.problemi[:100])
            altro = f"\n- … e altri {len(esito.problemi) - 100} problemi" if len(esito.problemi) > 100 else ""
            scartate = len(esito.righe_scartate)
            st.warning(f"**{_plurale(scartate, 'riga scartata', 'righe scartate')}** (le altre restano valide):\n\n{elenco}{altro}",
                       icon=":material/warning:")
        if esito.colonne_ignorate:
            st.caption("Colonne non riconosciute e ignorate: " + ", ".join(ui.md(c) for c in esito.colonne_ignorate))
        if not esito.righe:
            st.info("Nessuna riga valida da aggiungere: correggi il file e caricalo di nuovo.")
            return
        st.success(ui.maiuscola(esito.riassunto()) + ".", icon=":material/task_alt:")
        con_pod = sum(1 for r in esito.righe if r.get("pod"))
        con_impianto = sum(1 for r in esito.righe if r.get("potenza_impianto_kw"))
        anteprima = tabella(esito.righe[:200])
        ordine = [c for c in anteprima.columns if c != "id"]
        if con_pod:
            anteprima["pod"] = [r.get("pod") for r in esito.righe[:200]]
            anteprima["potenza_impianto_kw"] = [r.get("potenza_impianto_kw") for r in esito.righe[:200]]
            ordine[4:4] = ["pod", "potenza_impianto_kw"]   # dopo soggetto, nome, cognome, denominazione
        st.dataframe(anteprima, width="stretch", placeholder="", hide_index=False, column_order=ordine,
                     column_config={**configurazione_colonne(motore_passi.scelte(p, PASSO)),
                                    "pod": st.column_config.TextColumn("POD"),
                                    "potenza_impianto_kw": st.column_config.NumberColumn("Impianto (kW)",
                                                                                         format="localized")},
                     height=min(36 * (len(anteprima) + 1) + 4, 300))
        configurazione = None
        if con_pod:
            etichette = proc.etichette_configurazioni(p)
            if not etichette:
                st.warning(f"Il file ha {con_pod} POD: crea prima una configurazione (passo «Configurazioni»), poi "
                           "importa di nuovo il file.", icon=":material/warning:")
                return
            configurazione = st.selectbox("Configurazione a cui aggiungere i POD", list(range(len(etichette))),
                                          format_func=etichette.__getitem__, key=lavoro.chiave("importa-conf"))
            st.caption(f"Si aggiungono {con_pod} {'POD' if con_pod != 1 else 'POD'}"
                       + (f" e {con_impianto} {'impianto' if con_impianto == 1 else 'impianti'}" if con_impianto
                          else "") + ".")
        n = len(esito.righe)
        in_sospeso = "soggetti" in bozze.passi_modificati(lavoro.codice)
        if in_sospeso:
            st.warning("La tabella qui sopra ha modifiche non salvate: salvale (o annullale) prima di importare, "
                       "così non si perde nulla.", icon=":material/edit_note:")
        if st.button(f"Aggiungi {n} {'soggetto' if n == 1 else 'soggetti'} alla pratica", type="primary",
                     icon=":material/add:", key=lavoro.chiave("aggiungi-importati"), disabled=in_sospeso):
            ui.applica_passo(lavoro, "soggetti",
                             lambda: imp.aggiungi_soggetti(p, esito.righe, ui.oggi(), configurazione=configurazione),
                             f"importati {_plurale(n, 'soggetto', 'soggetti')} da {file.name}", avanza=False, bozza="tabella-soggetti")


def _dettaglio(lavoro: ui.Lavoro) -> None:
    """«Dettagli di un soggetto»: modulo generato dal catalogo (``dettaglio_soggetto``); le domande si
    chiedono secondo il tipo di soggetto, luogo e data di nascita solo se la tabella non li ha."""
    p = lavoro.pratica
    if not p.soggetti:
        return
    # dopo un «Correggi» su un dettaglio di un soggetto: il riquadro si apre con quel soggetto scelto (il campo
    # lo trova ``campi.domanda`` dal percorso, e la pagina scorre fino a lui)
    da_aprire = st.session_state.pop(ui.CHIAVE_SOGGETTO_DA_APRIRE, None)
    if da_aprire is not None and 0 <= da_aprire < len(p.soggetti):
        st.session_state[CHIAVE_DETTAGLIO_APERTO] = True
        st.session_state[_SCELTO] = p.soggetti[da_aprire].id
        # la casella riparte da quella scelta (il «Correggi» viene da un altro passo: di solito non c'è già)
        st.session_state.pop(CHIAVE_SCELTA, None)
    # con la chiave l'espansore ricorda se è aperto: resta aperto mentre si compilano i campi (senza, a ogni
    # campo modificato la pagina si ridisegna e Streamlit lo richiude); chiuso, non disegna nulla
    with st.expander("Dettagli di un soggetto: rappresentante e poteri, sesso e cittadinanza, PEC, IBAN, ATECO",
                     icon=":material/badge:", key=CHIAVE_DETTAGLIO_APERTO, on_change="rerun") as espansore:
        if not espansore.open:
            return
        nomi = lavoro.per_versione("etichette-soggetti", lambda: proc.etichette_soggetti(p))
        # la scelta sopravvive al pannello chiuso (chiuso, la casella non c'è e Streamlit ne scorda lo stato)
        scelto = st.session_state.get(_SCELTO)
        sid = st.selectbox("Soggetto", list(nomi), format_func=nomi.get, key=CHIAVE_SCELTA,
                           index=list(nomi).index(scelto) if scelto in nomi else 0)
        st.session_state[_SCELTO] = sid
        indici = (proc.indice_soggetto(p, sid),)
        if indici[0] < 0:
            return
        with st.container():  # niente st.form: ogni campo arriva subito e resta in bozza
            # valori e scelte una volta per versione salvata, non a ogni clic nella tabella
            v, voci = lavoro.per_versione(f"dettaglio-{sid}", lambda: (
                motore_passi.valori(p, MODULO_DETTAGLIO, indici), motore_passi.scelte(p, MODULO_DETTAGLIO, indici)))
            valori = campi.modulo(catalogo.domande_del_modulo(MODULO_DETTAGLIO), v, lavoro.chiave, voci,
                                  indici=(sid,))
            inviato = st.button("Salva i dettagli", key=lavoro.chiave(f"det-{sid}-salva"), icon=":material/save:")
            # un salvataggio non riuscito: i problemi anche qui, accanto al pulsante (in cima al passo sono fuori vista)
            problemi = st.session_state.get(ui.CHIAVE_PROBLEMI)
            if (st.session_state.get(_DETTAGLIO_SALVATO) == (lavoro.codice, sid) and problemi
                    and problemi[:2] == (lavoro.codice, "soggetti")):
                ui.mostra_problemi(problemi[2])
        if inviato:
            st.session_state[_DETTAGLIO_SALVATO] = (lavoro.codice, sid)
            al = ui.oggi()
            ui.applica_passo(lavoro, "soggetti",
                             lambda: motore_passi.applica(p, MODULO_DETTAGLIO, valori, indici, al, al=al),
                             f"dettagli di {nomi[sid]}", avanza=False, bozza=f"det-{sid}-")

"""Passo 2: soggetti e membri in una tabella modificabile, importazione da CSV/XLSX, dettagli di un soggetto."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cer_docs.model import vocabolario as voc
from cer_docs.services import importazione as imp
from cer_docs.services import procedura as proc
from ui import bozze, campi
from ui import componenti as ui

# prima chi è (nome o denominazione), poi il resto: sul telefono si vede subito di chi è la riga
COLONNE = ["nome", "cognome", "denominazione", *[c for c in imp.CAMPI_RIGA
                                                if c not in ("nome", "cognome", "denominazione")]]
COLONNE_DATA = ("nato_il", "data_adesione", "data_recesso")


def chiave_tabella(lavoro: ui.Lavoro) -> str:
    return lavoro.chiave("tabella-soggetti")


def tabella(righe: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(righe, columns=["id", *imp.CAMPI_RIGA])
    for c in COLONNE_DATA:
        df[c] = ui.colonna(df[c])
    for c in df.columns:
        if c not in COLONNE_DATA:
            df[c] = ui.colonna(df[c])
    df.index = pd.RangeIndex(1, len(df) + 1)
    return df


def configurazione_colonne() -> dict:
    cc = st.column_config
    return {
        "_index": ui.COLONNA_RIGA,
        "tipo": cc.SelectboxColumn("Tipo", options=list(imp.ETICHETTE_TIPO), format_func=imp.ETICHETTE_TIPO.get,
                                   default="persona_fisica", required=True, width="medium"),
        "nome": cc.TextColumn("Nome", help="Persone fisiche"),
        "cognome": cc.TextColumn("Cognome", help="Persone fisiche"),
        "denominazione": cc.TextColumn("Denominazione", help="Enti, imprese, associazioni, condomini",
                                       width="large"),
        "codice_fiscale": cc.TextColumn("Codice fiscale", max_chars=16, width="medium"),
        "partita_iva": cc.TextColumn("Partita IVA", max_chars=13),
        "dimensione": cc.SelectboxColumn("Dimensione impresa", options=list(imp.ETICHETTE_DIMENSIONE),
                                         format_func=imp.ETICHETTE_DIMENSIONE.get),
        "nato_il": cc.DateColumn("Data di nascita", format="DD/MM/YYYY", min_value=campi.DATA_MINIMA),
        "nato_a": cc.TextColumn("Luogo di nascita"),
        "indirizzo": cc.TextColumn("Indirizzo", help="Residenza per le persone, sede per gli enti", width="large"),
        "cap": cc.TextColumn("CAP", max_chars=5, width="small"),
        "comune": cc.TextColumn("Comune"),
        "provincia": cc.TextColumn("Prov.", max_chars=2, width="small", help="Sigla della provincia, es. FI"),
        "email": cc.TextColumn("Email", width="medium"),
        "ruolo": cc.SelectboxColumn("Ruolo di membro", options=list(imp.ETICHETTE_RUOLO),
                                    format_func=imp.ETICHETTE_RUOLO.get,
                                    help="Vuoto se il soggetto non è membro (per esempio un produttore terzo)"),
        "data_adesione": cc.DateColumn("Data di adesione", format="DD/MM/YYYY", min_value=campi.DATA_MINIMA),
        "data_recesso": cc.DateColumn("Data di uscita", format="DD/MM/YYYY", min_value=campi.DATA_MINIMA,
                                      help="Il giorno da cui il membro non fa più parte della comunità "
                                           "(recesso o esclusione). Vuota finché è membro."),
        "quota_versata_euro": cc.NumberColumn("Quota versata (€)", min_value=0.0, step=0.01, format="localized"),
        "pod": cc.TextColumn("POD"),
        "potenza_impianto_kw": cc.NumberColumn("Impianto (kW)", format="localized"),
    }


def _plurale(n: int, uno: str, molti: str) -> str:
    return f"{n} {uno if n == 1 else molti}"


def _descrivi(riga) -> str:
    nome = " ".join(str(x) for x in (riga.get("nome"), riga.get("cognome")) if x)
    return nome or str(riga.get("denominazione") or riga.get("codice_fiscale") or "senza nome")


def mostra(lavoro: ui.Lavoro) -> None:
    p = lavoro.pratica
    # righe, tabella e colonne si ricavano una volta per versione salvata, non a ogni clic
    righe = lavoro.per_versione("soggetti-righe", lambda: proc.righe_soggetti(p))
    dati = lavoro.per_versione("soggetti-tabella", lambda: tabella(righe))
    membri = sum(1 for r in righe if r["ruolo"])
    if not righe:
        st.info("Nessun soggetto ancora. Aggiungi una riga per ogni persona, impresa o ente (il «+» sotto la "
                "tabella), oppure importa un elenco da un file CSV o Excel.", icon=":material/group_add:")
    else:
        st.caption(f"{_plurale(len(righe), 'soggetto', 'soggetti')}, di cui {_plurale(membri, 'membro', 'membri')}. "
                   "Il ruolo vuoto indica chi partecipa senza "
                   "essere membro (per esempio un produttore terzo).")
    with st.container():  # niente st.form: ogni campo arriva subito e resta in bozza
        modificata = ui.griglia(chiave_tabella(lavoro), dati, column_config=configurazione_colonne(),
                                column_order=COLONNE)
        procedi = ui.conferma_righe_tolte(chiave_tabella(lavoro), modificata, _descrivi)
        inviato = st.button("Salva e continua", key=f"salva-soggetti-{lavoro.versione}", type="primary",
                            icon=":material/save:", disabled=not procedi)
    if inviato:
        ui.applica_passo(lavoro, "soggetti", lambda: proc.applica_soggetti(p, ui.righe_tabella(modificata), ui.oggi()),
                         "soggetti e membri", tabelle={chiave_tabella(lavoro): modificata},
                         bozza="tabella-soggetti")
    _importazione(lavoro)
    _dettaglio(lavoro)


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
        colonne = list(COLONNE)
        if con_pod:
            anteprima["pod"] = [r.get("pod") for r in esito.righe[:200]]
            anteprima["potenza_impianto_kw"] = [r.get("potenza_impianto_kw") for r in esito.righe[:200]]
            colonne[3:3] = ["pod", "potenza_impianto_kw"]
        st.dataframe(anteprima, column_config=configurazione_colonne(), column_order=colonne, width="stretch",
                     placeholder="", hide_index=False, height=min(36 * (len(anteprima) + 1) + 4, 300))
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
                             lambda: proc.aggiungi_soggetti(p, esito.righe, ui.oggi(), configurazione=configurazione),
                             f"importati {_plurale(n, 'soggetto', 'soggetti')} da {file.name}", avanza=False, bozza="tabella-soggetti")


# vuoto: il sesso si ricava dal codice fiscale (rules.fatti); si indica solo se il codice manca o non basta
SESSO = {None: "Ricavato dal codice fiscale", **proc.ETICHETTE_SESSO}
AIUTO_SESSO = "Serve ad accordare le frasi dei documenti («nata a», «residente»). Se non lo indichi, si ricava dal " \
              "codice fiscale."


def _anagrafica(valori: dict, v: dict, k) -> None:
    """Sesso, cittadinanza e, se la tabella non li ha, luogo e data di nascita (li chiede l'atto costitutivo)."""
    c1, c2 = st.columns(2)
    valori["sesso"] = campi.scelta("Sesso", SESSO, v["sesso"], k("sesso"), where=c1, aiuto=AIUTO_SESSO)
    valori["cittadinanza"] = campi.testo("Cittadinanza", v["cittadinanza"], k("cittadinanza"), where=c2,
                                         segnaposto="italiana")
    if v["nato_a"] is None or v["nato_il"] is None:
        c1, c2 = st.columns(2)
        if v["nato_a"] is None:
            valori["nato_a"] = campi.testo("Luogo di nascita", None, k("nato-a"), where=c1)
        if v["nato_il"] is None:
            valori["nato_il"] = campi.data("Data di nascita", None, k("nato-il"), where=c2)


def _dettaglio(lavoro: ui.Lavoro) -> None:
    p = lavoro.pratica
    if not p.soggetti:
        return
    nomi = lavoro.per_versione("etichette-soggetti", lambda: proc.etichette_soggetti(p))
    with st.expander("Dettagli di un soggetto: rappresentante e poteri, sesso e cittadinanza, PEC, IBAN, ATECO",
                     icon=":material/badge:"):
        sid = st.selectbox("Soggetto", list(nomi), format_func=nomi.get, key="dettaglio-soggetto")
        s = p.soggetto(sid)
        if s is None:
            return
        v = proc.valori_dettaglio_soggetto(p, sid)
        k = lambda nome: lavoro.chiave(f"det-{sid}-{nome}")  # noqa: E731
        persona = s.tipo == "persona_fisica"
        with st.container():  # niente st.form: ogni campo arriva subito e resta in bozza
            c1, c2, c3 = st.columns(3)
            valori: dict = {
                "pec": campi.testo("PEC", v["pec"], k("pec"), where=c1),
                "telefono": campi.testo("Telefono", v["telefono"], k("telefono"), where=c2),
                "iban": campi.testo("IBAN", v["iban"], k("iban"), where=c3),
                "regione": campi.testo("Regione", v["regione"], k("regione")),
            }
            if persona:
                _anagrafica(valori, v, k)
            if s.tipo == "impresa":
                c1, c2, c3 = st.columns(3)
                valori["codice_ateco"] = campi.testo("Codice ATECO", v["codice_ateco"], k("ateco"), where=c1,
                                                     segnaposto="01.21.00")
                valori["classificazione_ateco"] = campi.scelta(
                    "Classificazione ATECO", {2025: "ATECO 2025", 2007: "ATECO 2007"}, v["classificazione_ateco"],
                    k("classe"), vuoto="Scegli", where=c2)
                valori["partecipazione_enti_territoriali_pct"] = campi.numero_testo(
                    "Quota di enti territoriali nel capitale (%)", v["partecipazione_enti_territoriali_pct"],
                    k("pct"), where=c3)
                valori["esco_uni_11352"] = campi.casella(voc.QUALIFICHE_REFERENTE["esco_uni_11352"].nome, v["esco_uni_11352"],
                                                         k("esco"))
            if s.tipo == "associazione":
                valori["riconosciuta"] = campi.casella(voc.CATEGORIE_SOGGETTO["associazione_riconosciuta"].etichetta, bool(v["riconosciuta"]),
                                                       k("riconosciuta"))
            if not persona:
                campi.sezione("Legale rappresentante")
                c1, c2, c3 = st.columns(3)
                valori["rapp_nome"] = campi.testo("Nome", v["rapp_nome"], k("rapp-nome"), where=c1)
                valori["rapp_cognome"] = campi.testo("Cognome", v["rapp_cognome"], k("rapp-cognome"), where=c2)
                valori["rapp_codice_fiscale"] = campi.testo("Codice fiscale", v["rapp_codice_fiscale"], k("rapp-cf"),
                                                            max_chars=16, where=c3)
                c1, c2, c3 = st.columns(3)
                valori["rapp_carica"] = campi.testo("Carica", v["rapp_carica"], k("rapp-carica"), where=c1,
                                                    segnaposto="Sindaco pro tempore")
                valori["rapp_nato_a"] = campi.testo("Luogo di nascita", v["rapp_nato_a"], k("rapp-nato-a"), where=c2)
                valori["rapp_nato_il"] = campi.data("Data di nascita", v["rapp_nato_il"], k("rapp-nato-il"), where=c3)
                c1, _ = st.columns([1, 2])
                valori["rapp_sesso"] = campi.scelta("Sesso del rappresentante", SESSO, v["rapp_sesso"],
                                                    k("rapp-sesso"), where=c1, aiuto=AIUTO_SESSO)
                campi.sezione("Poteri di firma del rappresentante")
                c1, c2, c3 = st.columns([2, 2, 1])
                valori["rapp_poteri_fonte"] = campi.testo(
                    "Da dove vengono i poteri di firma", v["rapp_poteri_fonte"], k("rapp-poteri-fonte"), where=c1,
                    segnaposto="Deliberazione della Giunta comunale",
                    aiuto="Come l'atto costitutivo la riporta: una delibera, lo statuto dell'ente, un'autorizzazione.")
                valori["rapp_poteri_atto"] = campi.testo("Atto che conferisce i poteri", v["rapp_poteri_atto"],
                                                         k("rapp-poteri-atto"), where=c2, segnaposto="n. 42")
                valori["rapp_poteri_data"] = campi.data("Data dell'atto", v["rapp_poteri_data"],
                                                        k("rapp-poteri-data"), where=c3)
            inviato = st.button("Salva i dettagli", key=k("salva"), icon=":material/save:")
        if inviato:
            al = ui.oggi()
            ui.applica_passo(lavoro, "soggetti",
                             lambda: proc.applica_dettaglio_soggetto(p, sid, valori, al, al),
                             f"dettagli di {nomi[sid]}", avanza=False, bozza=f"det-{sid}-")



"""Pagine della modalità server: «Utenti» (amministratore) e «Dati personali» (amministratore e
titolari: esportazione e cancellazione dei dati di una persona, nei limiti del loro ruolo)."""

from __future__ import annotations

import json

import streamlit as st

from cer_docs.italiano import plurale
from cer_docs.services import accesso, persona, utenti
from ui import componenti as ui


def _utenti() -> None:
    chi = ui.attore()
    st.title("Utenti")
    ui.mostra_flash()
    if chi is None or not chi.amministratore:
        st.info("Solo un amministratore dell'installazione gestisce gli account.", icon=":material/lock:")
        return
    voci = utenti.elenco_utenti(attore=chi)
    st.dataframe([{"Nome utente": v.username, "Nome": v.nome, "Email": v.email or "",
                   "Amministratore": "sì" if v.amministratore else "", "Stato": "attivo" if v.attivo else "disattivato",
                   "Pratiche": ", ".join(f"{c} ({r})" for c, r in sorted(v.pratiche.items())),
                   "Campagne": ", ".join(f"{c} ({r})" for c, r in sorted(v.campagne.items()))} for v in voci],
                 hide_index=True, width="stretch")
    with st.expander("Nuovo utente", icon=":material/person_add:"):
        with st.form("form-nuovo-utente", border=False):
            c1, c2 = st.columns(2)
            username = c1.text_input("Nome utente", key="nu-username")
            nome = c2.text_input("Nome e cognome", key="nu-nome")
            email = c1.text_input("Email (per l'accesso con l'identità dell'ente)", key="nu-email")
            password = c2.text_input("Password provvisoria", type="password", key="nu-password",
                                     help="La persona la cambierà al primo accesso.")
            amm = st.checkbox("Amministratore dell'installazione", key="nu-amm")
            if st.form_submit_button("Crea l'utente", type="primary", icon=":material/person_add:"):
                try:
                    utenti.crea_utente(username, nome, password, amministratore=amm, email=email or None, attore=chi)
                    utenti.reimposta_password(username, password, attore=chi)  # provvisoria: va cambiata
                except (utenti.ErroreUtenti, accesso.AccessoNegato) as e:
                    st.error(f"Utente non creato: {ui.md(e)}.")
                else:
                    ui.messaggio_flash(f"Utente «{username}» creato: al primo accesso cambierà la password.")
                    st.rerun()
    if not voci:
        return
    with st.expander("Password, disattivazione", icon=":material/manage_accounts:"):
        scelto = st.selectbox("Utente", [v.username for v in voci], key="gu-utente")
        nuova = st.text_input("Nuova password provvisoria", type="password", key="gu-password")
        c1, c2, c3 = st.columns(3)
        try:
            if c1.button("Reimposta la password", key="gu-reimposta", disabled=not nuova):
                utenti.reimposta_password(scelto, nuova, attore=chi)
                ui.messaggio_flash(f"Password di «{scelto}» reimpostata.")
                st.rerun()
            if c2.button("Disattiva", key="gu-disattiva"):
                utenti.disattiva(scelto, attore=chi)
                ui.messaggio_flash(f"Utente «{scelto}» disattivato.")
                st.rerun()
            if c3.button("Riattiva", key="gu-riattiva"):
                utenti.riattiva(scelto, attore=chi)
                ui.messaggio_flash(f"Utente «{scelto}» riattivato.")
                st.rerun()
        except (utenti.ErroreUtenti, accesso.AccessoNegato) as e:
            st.error(f"Non eseguito: {ui.md(e)}.")


def _dati_personali() -> None:
    chi = ui.attore()
    st.title("Dati personali")
    st.caption("Richieste degli interessati: esportazione (accesso e portabilità) e cancellazione. Vedi e cancelli "
               "solo nelle pratiche e nelle campagne in cui il tuo ruolo lo permette; ogni operazione è nel registro.")
    cf = st.text_input("Codice fiscale della persona", key="dp-cf").strip().upper()
    if not cf:
        return
    try:
        dati = persona.esporta_persona(cf, attore=chi) if st.button("Prepara l'esportazione", key="dp-esporta",
                                                                     icon=":material/download:") else None
    except ValueError as e:
        st.error(ui.md(e))
        return
    if dati is not None:
        st.success(f"Trovate: {plurale(len(dati['pratiche']), 'pratica', 'pratiche')} e "
                   f"{plurale(len(dati['candidature']), 'candidatura', 'candidature')}.")
        c1, c2 = st.columns(2)
        c1.download_button("Scarica il JSON completo", data=json.dumps(dati, ensure_ascii=False, indent=2).encode(),
                           file_name=f"dati-personali-{cf}.json", mime="application/json", on_click="ignore",
                           key="dp-json")
        c2.download_button("Scarica il PDF leggibile", data=persona.pdf_persona(dati), file_name=f"dati-personali-{cf}.pdf",
                           mime="application/pdf", on_click="ignore", key="dp-pdf")
    with st.expander("Cancellazione", icon=":material/delete_forever:"):
        conferma = st.checkbox(f"Confermo: cancella i dati di {cf} dove la legge lo permette", key="dp-conferma")
        if st.button("Cancella i dati", key="dp-cancella", disabled=not conferma, icon=":material/delete_forever:"):
            try:
                esito = persona.cancella_persona(cf, ui.oggi(), attore=chi)
            except (ValueError, accesso.AccessoNegato) as e:
                st.error(f"Non cancellato: {ui.md(e)}.")
                return
            st.success(f"Cancellati: {plurale(len(esito.pratiche), 'pratica', 'pratiche')}, "
                       f"{plurale(len(esito.candidature), 'candidatura', 'candidature')}.")
            for r in esito.rifiuti:
                dal = f" Cancellabile dal {r.possibile_dal.strftime('%d/%m/%Y')}." if r.possibile_dal else ""
                st.warning(f"Non cancellato in «{ui.md(r.dove)}»: {ui.md(r.motivo)}.{dal}", icon=":material/gavel:")


def pagina_utenti() -> None:
    ui.esegui(_utenti)


def pagina_dati_personali() -> None:
    ui.esegui(_dati_personali)

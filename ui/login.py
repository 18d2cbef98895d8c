"""Accesso all'app dell'ufficio in modalità server: login, cambio della password, uscita.

Prima del login la pagina non mostra nulla dell'archivio: né pratiche né campagne né nomi.
Il gettone della sessione resta nella scheda del browser (``st.session_state``); nel database
c'è solo la sua impronta, e la sessione scade per inattività.
"""

from __future__ import annotations

import streamlit as st

from cer_docs.services import accesso, utenti
from ui import componenti as ui


def attore_della_sessione() -> accesso.Attore | None:
    """Rivalida il gettone a ogni esecuzione: sessione scaduta o account disattivato → di nuovo il login."""
    token = st.session_state.get(ui.CHIAVE_SESSIONE)
    chi = utenti.attore_da_sessione(token) if token else None
    if chi is None:
        if token:
            st.session_state["_sessione_scaduta"] = True
        for k in (ui.CHIAVE_SESSIONE, ui.CHIAVE_ATTORE):
            st.session_state.pop(k, None)
        return None
    st.session_state[ui.CHIAVE_ATTORE] = chi
    return chi


def stessa_pagina(funzione, indirizzo: str):
    """La stessa pagina sotto un altro indirizzo (Streamlit vuole una funzione distinta per ogni pagina)."""
    def pagina() -> None:
        funzione()

    pagina.__name__ = pagina.__qualname__ = f"{funzione.__name__}_{indirizzo.replace('-', '_')}"
    return pagina


def pagina_accesso() -> None:
    st.title("cer-docs")
    st.subheader("Accedi")
    if st.session_state.pop("_sessione_scaduta", False):
        st.info("La sessione è scaduta: accedi di nuovo.", icon=":material/schedule:")
    with st.form("form-accesso"):
        username = st.text_input("Nome utente", key="accesso-utente", autocomplete="username")
        password = st.text_input("Password", type="password", key="accesso-password", autocomplete="current-password")
        entra = st.form_submit_button("Accedi", type="primary", icon=":material/login:", width="stretch")
    if entra:
        try:
            esito = utenti.accedi(username, password)
        except utenti.ErroreUtenti as e:
            st.error(f"Accesso non riuscito: {ui.md(e)}.", icon=":material/lock:")
            return
        st.session_state.pop("accesso-password", None)
        st.session_state[ui.CHIAVE_SESSIONE] = esito.token
        st.session_state[ui.CHIAVE_ATTORE] = esito.attore
        st.rerun()
    if _oidc_configurato():
        _accesso_oidc()
    st.caption("Non hai un account? Chiedilo all'amministratore di cer-docs del tuo ente.")


def _oidc_configurato() -> bool:
    """Vero se ``.streamlit/secrets.toml`` ha la sezione ``[auth]`` (accesso con il fornitore d'identità)."""
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - nessun file dei segreti: niente OIDC
        return False


def _accesso_oidc() -> None:
    st.divider()
    utente = getattr(st, "user", None)
    if utente is not None and utente.get("is_logged_in"):
        email = utente.get("email")
        if utente.get("email_verified") is False:
            st.error("Il fornitore d'identità non ha verificato la tua email: accedi con nome utente e password.")
            return
        try:
            esito = utenti.accedi_con_identita(email)
        except utenti.ErroreUtenti:
            st.error(f"Nessun account di cer-docs attivo per {ui.md(email)}: chiedi all'amministratore di crearlo "
                     "con questa email.")
            st.button("Esci dal fornitore d'identità", on_click=st.logout, key="oidc-esci")
            return
        st.session_state[ui.CHIAVE_SESSIONE] = esito.token
        st.session_state[ui.CHIAVE_ATTORE] = esito.attore
        st.rerun()
    st.button("Accedi con l'identità dell'ente", on_click=st.login, icon=":material/badge:", key="oidc-accedi",
              width="stretch")


def pagina_cambio_password(obbligatorio: bool = False) -> None:
    chi = ui.attore()
    st.title("Cambia la password")
    if obbligatorio:
        st.warning("La password che hai ricevuto è provvisoria: scegline una tua per continuare.",
                   icon=":material/key:")
    with st.form("form-password"):
        vecchia = st.text_input("Password attuale", type="password", key="pw-vecchia", autocomplete="current-password")
        nuova = st.text_input(f"Nuova password (almeno {utenti.LUNGHEZZA_MINIMA_PASSWORD} caratteri)", type="password",
                              key="pw-nuova", autocomplete="new-password")
        ripeti = st.text_input("Ripeti la nuova password", type="password", key="pw-ripeti", autocomplete="new-password")
        invia = st.form_submit_button("Cambia la password", type="primary", icon=":material/key:")
    if invia:
        if nuova != ripeti:
            st.error("Le due nuove password non coincidono.")
            return
        try:
            utenti.cambia_password(chi, vecchia, nuova)
        except (utenti.ErroreUtenti, accesso.AccessoNegato) as e:
            st.error(f"Password non cambiata: {ui.md(e)}.")
            return
        st.session_state[ui.CHIAVE_ATTORE] = utenti.attore_da_sessione(st.session_state.get(ui.CHIAVE_SESSIONE))
        ui.messaggio_flash("Password cambiata.")
        st.rerun()
    if not obbligatorio:
        ui.mostra_flash()


def pagina_cambio_obbligatorio() -> None:
    pagina_cambio_password(obbligatorio=True)
    st.button("Esci", icon=":material/logout:", on_click=ui.esci, key="esci-cambio")

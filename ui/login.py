"""Accesso all'app dell'ufficio in modalità server: login, cambio della password, uscita.

Prima del login la pagina non mostra nulla dell'archivio: né pratiche né campagne né nomi.
Il gettone della sessione sta nella scheda (``st.session_state``) e in un cookie del browser
(``SameSite=Strict``, ``Secure`` sotto HTTPS, solo per questo sito), così ricaricare la pagina o
aprirla da un segnalibro non fa perdere l'accesso; nel database c'è solo la sua impronta, e la
sessione scade per inattività (e comunque dopo la durata massima) come prima. «Esci» chiude la
sessione nel database e cancella il cookie.
"""

from __future__ import annotations

import json

import streamlit as st

from cer_docs.services import accesso, utenti
from ui import componenti as ui

COOKIE_SESSIONE = "cer_docs_sessione"
_DA_SCRIVERE = "_cookie_sessione_da_scrivere"


def _token_dal_cookie() -> str | None:
    """Il gettone del cookie mandato all'apertura della scheda. I cookie restano quelli dell'apertura
    per tutta la vita della scheda: un gettone già scartato qui (uscita, sessione scaduta) non conta più."""
    try:
        valore = st.context.cookies.get(COOKIE_SESSIONE)
    except Exception:  # noqa: BLE001 - fuori da un server (AppTest) non ci sono cookie
        return None
    if not isinstance(valore, str) or not valore.strip() or valore.strip() == st.session_state.get(ui.CHIAVE_SCARTATO):
        return None
    return valore.strip()


def _scrivi_cookie(token: str | None) -> None:
    """Scrive (o, con ``None``, cancella) il cookie della sessione dal browser: Streamlit non manda
    intestazioni ``Set-Cookie`` proprie, quindi lo fa un frammento di script della stessa origine."""
    import streamlit.components.v1 as components

    valore = json.dumps(token or "")
    durata = int(utenti.DURATA_MASSIMA.total_seconds()) if token else 0
    components.html(
        "<script>(function(){var d=window.parent.document,l=window.parent.location;"
        f"var c='{COOKIE_SESSIONE}='+encodeURIComponent({valore})+'; Path=/; Max-Age={durata}; SameSite=Strict';"
        "if(l.protocol==='https:'){c+='; Secure';}d.cookie=c;})();</script>", height=0)


def attore_della_sessione() -> accesso.Attore | None:
    """Rivalida il gettone a ogni esecuzione: sessione scaduta o account disattivato → di nuovo il login.
    Una scheda nuova (pagina ricaricata, segnalibro) riprende il gettone dal cookie."""
    token = st.session_state.get(ui.CHIAVE_SESSIONE)
    dal_cookie = False
    if not token:
        token = _token_dal_cookie()
        dal_cookie = token is not None
    chi = utenti.attore_da_sessione(token) if token else None
    if chi is None:
        for k in (ui.CHIAVE_SESSIONE, ui.CHIAVE_ATTORE):
            st.session_state.pop(k, None)
        if token:
            st.session_state["_sessione_scaduta"] = True
            st.session_state[ui.CHIAVE_SCARTATO] = token
        if token or st.session_state.pop(ui.CHIAVE_USCITO, False):
            _scrivi_cookie(None)
        return None
    if dal_cookie:
        st.session_state[ui.CHIAVE_SESSIONE] = token
    if _DA_SCRIVERE in st.session_state:
        _scrivi_cookie(st.session_state.pop(_DA_SCRIVERE))
    st.session_state[ui.CHIAVE_ATTORE] = chi
    return chi


def _entrato(esito: utenti.Accesso) -> None:
    st.session_state[ui.CHIAVE_SESSIONE] = esito.token
    st.session_state[ui.CHIAVE_ATTORE] = esito.attore
    st.session_state[_DA_SCRIVERE] = esito.token


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
        _entrato(esito)
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
        _entrato(esito)
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

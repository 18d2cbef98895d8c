"""cer-docs: l'interfaccia web. Avvio: ``cer-docs avvia`` (oppure ``streamlit run ui/app.py``).

La navigazione nasce dal registro ``ui/pagine/__init__.py``: per una pagina nuova basta un
modulo in ``ui/pagine/`` e una riga in ``PAGINE``.

Due modalità (``CER_DOCS_MODALITA``): **personale** (predefinita) per una persona sul proprio
computer, senza login, che rifiuta chi si collega da un altro computer; **server** per un ufficio,
dove nulla dell'archivio compare prima del login e ognuno vede solo ciò che è condiviso con lui.
"""

from __future__ import annotations

import sys
from pathlib import Path

RADICE = Path(__file__).resolve().parents[1]
if str(RADICE) not in sys.path:
    sys.path.insert(0, str(RADICE))

import streamlit as st  # noqa: E402

from cer_docs.services import accesso, lavori  # noqa: E402
from ui import amministrazione, componenti, login  # noqa: E402
from ui.pagine import PAGINE  # noqa: E402

st.set_page_config(page_title="cer-docs", page_icon=":material/solar_power:", layout="wide",
                   initial_sidebar_state="auto")
st.set_option("client.showErrorDetails", "none")  # mai un traceback nella pagina
st.set_option("client.toolbarMode", "minimal")
# con SQLite le generazioni in coda le esegue un thread di questo processo (uno solo, non uno per
# sessione): parte al primo giro e riprende anche i lavori lasciati da un avvio precedente
lavori.assicura_esecutore_locale()

pagine = [st.Page(p.percorso_relativo, title=p.titolo, icon=p.icona, url_path=p.id, default=p.predefinita)
          for p in PAGINE]

# gli indirizzi che esistono solo in modalità server, dopo l'accesso
INDIRIZZI_SERVER = ("dati-personali", "utenti", "password")


def _solo(funzione, titolo: str, icona: str, indirizzo: str) -> None:
    """Una sola pagina (il login o il cambio obbligatorio della password) che risponde anche a ogni indirizzo
    dell'app: un segnalibro a /procedura?pratica=... aperto prima del login mostra il login (non la
    «Page not found» inglese di Streamlit) e, dopo l'accesso, la pagina chiesta, con i suoi parametri."""
    voci = [st.Page(funzione, title=titolo, icon=icona, url_path=indirizzo, default=True)]
    for pid in [p.id for p in PAGINE] + list(INDIRIZZI_SERVER):
        voci.append(st.Page(login.stessa_pagina(funzione, pid), title=titolo, icon=icona, url_path=pid))
    st.navigation(voci, position="hidden").run()
    st.stop()


if accesso.modalita() == "server":
    # da qui ogni servizio chiamato senza attore rifiuta: nessuna pagina agisce come amministratore per sbaglio
    accesso.richiedi_attore_esplicito(True)
    chi = login.attore_della_sessione()
    if chi is None:
        _solo(login.pagina_accesso, "Accedi", ":material/login:", "accedi")
    if chi.deve_cambiare_password:
        _solo(login.pagina_cambio_obbligatorio, "Cambia la password", ":material/key:", "cambio-password")
    pagine.append(st.Page(amministrazione.pagina_dati_personali, title="Dati personali", icon=":material/shield_person:",
                          url_path="dati-personali"))
    if chi.amministratore:
        pagine.append(st.Page(amministrazione.pagina_utenti, title="Utenti", icon=":material/group:", url_path="utenti"))
    pagine.append(st.Page(login.pagina_cambio_password, title="Password", icon=":material/key:", url_path="password"))
else:
    accesso.richiedi_attore_esplicito(False)
    st.session_state.pop(componenti.CHIAVE_ATTORE, None)
    if not accesso.e_locale(st.context.ip_address):
        st.error("Questa installazione di cer-docs è in modalità personale: si usa solo dal computer su cui gira. "
                 "Per usarla in rete va avviata in modalità server, con gli account (cer-docs avvia --server).",
                 icon=":material/lock:")
        st.stop()

navigazione = st.navigation(pagine, position="sidebar")
componenti.barra_laterale()
navigazione.run()

"""Passo 1: la comunità (forma giuridica, sede, atto costitutivo) e lo stato della pratica."""

from __future__ import annotations

import streamlit as st

from cer_docs.services import catalogo
from cer_docs.services import procedura as proc
from ui import campi
from ui import componenti as ui


def mostra(lavoro: ui.Lavoro) -> None:
    p = lavoro.pratica
    v = proc.valori_comunita(p)
    k = lavoro.chiave
    if p.comunita is None:
        st.info("Questa pratica non ha una comunità: per un gruppo di autoconsumatori (AUC) o un autoconsumatore "
                "a distanza (AID) non serve, e puoi passare al passo «Soggetti e membri». Se invece è una CER, "
                "compila qui i dati dell'ente.", icon=":material/info:")
    with st.container():  # niente st.form: ogni campo arriva subito e resta in bozza
        c1, c2 = st.columns([2, 1])
        valori = {
            "denominazione": campi.testo("Denominazione", v["denominazione"], k("com-denominazione"), where=c1,
                                         aiuto="Il nome completo dell'ente, come apparirà nello statuto."),
            "sigla": campi.testo("Sigla", v["sigla"], k("com-sigla"), where=c2),
        }
        c1, c2 = st.columns(2)
        valori["forma_giuridica"] = campi.scelta("Forma giuridica", proc.ETICHETTE_FORMA_GIURIDICA,
                                                 v["forma_giuridica"], k("com-forma"), where=c1)
        valori["stato"] = campi.scelta("Stato della pratica", proc.ETICHETTE_STATO, v["stato"], k("com-stato"),
                                       where=c2)
        campi.sezione("Sede")
        c1, c2, c3 = st.columns([3, 1, 2])
        valori["sede_indirizzo"] = campi.testo("Indirizzo", v["sede_indirizzo"], k("com-indirizzo"), where=c1)
        valori["sede_cap"] = campi.testo("CAP", v["sede_cap"], k("com-cap"), max_chars=5, where=c2)
        valori["sede_comune"] = campi.testo("Comune", v["sede_comune"], k("com-comune"), where=c3)
        c1, c2 = st.columns([1, 3])
        valori["sede_provincia"] = campi.testo("Provincia (sigla)", v["sede_provincia"], k("com-provincia"),
                                               max_chars=2, segnaposto="FI", where=c1)
        valori["sede_regione"] = campi.testo("Regione", v["sede_regione"], k("com-regione"), where=c2)
        c1, c2, c3 = st.columns(3)
        valori["codice_fiscale"] = campi.testo("Codice fiscale della comunità", v["codice_fiscale"], k("com-cf"),
                                               aiuto="Si ottiene dopo la firma dell'atto; lascialo vuoto prima.",
                                               where=c1)
        valori["pec"] = campi.testo("PEC", v["pec"], k("com-pec"), where=c2)
        valori["iban"] = campi.testo("IBAN", v["iban"], k("com-iban"), where=c3)
        campi.sezione("Atto costitutivo")
        c1, c2 = st.columns(2)
        valori["atto_forma"] = campi.scelta("Forma dell'atto", proc.ETICHETTE_FORMA_ATTO, v["atto_forma"],
                                            k("com-atto-forma"), where=c1)
        valori["atto_luogo"] = campi.testo("Luogo di firma", v["atto_luogo"], k("com-atto-luogo"), where=c2)
        c1, c2 = st.columns(2)
        valori["atto_data_prevista"] = campi.data("Data prevista di firma", v["atto_data_prevista"],
                                                  k("com-atto-prevista"), where=c1)
        valori["atto_data"] = campi.data("Data di firma", v["atto_data"], k("com-atto-data"), where=c2,
                                         aiuto="Lasciala vuota finché l'atto non è firmato.")
        c1, c2, c3 = st.columns(3)
        valori["registrazione_data"] = campi.data("Data di registrazione", v["registrazione_data"],
                                                  k("com-reg-data"), where=c1,
                                                  aiuto="Registrazione all'Agenzia delle Entrate (scrittura privata).")
        valori["registrazione_ufficio"] = campi.testo("Ufficio", v["registrazione_ufficio"], k("com-reg-ufficio"),
                                                      where=c2)
        valori["registrazione_numero"] = campi.testo("Numero di registrazione", v["registrazione_numero"],
                                                     k("com-reg-numero"), where=c3)
        if valori["atto_forma"] in proc.FORME_ATTO_NOTARILI:
            _notaio(valori, v, k)
        inviato = st.button("Salva e continua", key=f"salva-comunita-{lavoro.versione}", type="primary", icon=":material/save:")
    if inviato:
        ui.applica_passo(lavoro, "comunita", lambda: proc.applica_comunita(p, valori, ui.oggi()),
                         "dati della comunità")


def _notaio(valori: dict, v: dict, k) -> None:
    """Il notaio che riceve l'atto o autentica le firme: serve alla comparizione dell'atto e alla riga
    di repertorio e raccolta. Si chiede solo per le forme notarili."""
    campi.sezione("Notaio")
    c1, c2 = st.columns([2, 1])
    d = catalogo.domanda("comunita.atto_costitutivo.notaio")
    valori["notaio"] = campi.testo(d.etichetta, v["notaio"], k("com-notaio"), where=c1,
                                   aiuto="Come apparirà nell'atto, per esempio «Federica Landini».")
    valori["notaio_sesso"] = campi.scelta("Sesso", {None: "Non indicato", **proc.ETICHETTE_SESSO},
                                          v["notaio_sesso"], k("com-notaio-sesso"), where=c2,
                                          aiuto="Per accordare la comparizione dell'atto («iscritta», «iscritto»).")
    c1, c2 = st.columns(2)
    valori["notaio_sede"] = campi.testo("Sede del notaio (comune)", v["notaio_sede"], k("com-notaio-sede"), where=c1)
    valori["notaio_distretto"] = campi.testo("Distretto notarile", v["notaio_distretto"], k("com-notaio-distretto"),
                                             where=c2)
    c1, c2 = st.columns(2)
    valori["repertorio"] = campi.testo("Repertorio", v["repertorio"], k("com-repertorio"), where=c1,
                                       aiuto="Il numero di repertorio dell'atto, che il notaio assegna alla firma.")
    valori["notaio_raccolta"] = campi.testo("Raccolta", v["notaio_raccolta"], k("com-notaio-raccolta"), where=c2)

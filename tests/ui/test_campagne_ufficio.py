"""Un ufficio comunale crea e modifica una campagna dall'app (non solo importando un YAML);
dopo un'importazione la pagina mostra la campagna nuova."""

from __future__ import annotations

import datetime as dt

from guida_ui import CAMPIONI, messaggi, nessun_errore, pulsante, scrivi_data

from cer_docs.services import campagne


def _apri(app):
    app.run()
    app.switch_page("pagine/campagne.py").run()
    nessun_errore(app)


def test_crea_una_campagna_dal_modulo(app):
    _apri(app)
    k = lambda n: f"nuova-campagna-{n}"  # noqa: E731
    # senza i dati obbligatori: tutti i problemi insieme, nulla creato
    pulsante(app, "Crea la campagna").click().run()
    errore = " ".join(messaggi(app))
    assert "Titolo: è obbligatorio" in errore and "Denominazione dell'ente: è obbligatoria" in errore
    assert "Responsabile del procedimento: è obbligatorio" in errore
    assert campagne.elenco_campagne() == []
    app.text_input(key=k("titolo")).input("Avviso CER Vicchio 2027")
    app.text_input(key=k("ente")).input("Comune di Vicchio")
    app.text_input(key=k("resp-nome")).input("Ing. Paolo Neri")
    app.text_input(key=k("comuni")).input("Vicchio, Borgo San Lorenzo")
    app.text_input(key=k("cabine")).input("ac001e00934")
    scrivi_data(app, k("scadenza"), dt.date(2027, 3, 31))
    app.selectbox(key=k("stato")).set_value("aperta")
    pulsante(app, "Crea la campagna").click().run()
    nessun_errore(app)
    assert any("Campagna «Avviso CER Vicchio 2027» creata (codice avviso-cer-vicchio-2027)" in s
               for s in messaggi(app, "success"))
    c, _v = campagne.apri_campagna("avviso-cer-vicchio-2027")
    assert c.comuni == ["Vicchio", "Borgo San Lorenzo"] and c.cabine_primarie == ["AC001E00934"]
    assert c.scadenza == dt.date(2027, 3, 31) and c.stato == "aperta"
    assert app.selectbox(key="campagna_scelta").value == "avviso-cer-vicchio-2027"


def test_modifica_una_campagna(app):
    campagne.importa_file_campagna(CAMPIONI / "campagne" / "avviso-san-godenzo.yaml")
    _apri(app)
    _c, versione = campagne.apri_campagna("mi-san-godenzo-2026")
    chiave = f"modifica-mi-san-godenzo-2026-{versione}-scadenza"
    scrivi_data(app, chiave, dt.date(2026, 11, 30))
    pulsante(app, "Salva la campagna").click().run()
    nessun_errore(app)
    c, nuova_versione = campagne.apri_campagna("mi-san-godenzo-2026")
    assert c.scadenza == dt.date(2026, 11, 30) and nuova_versione == versione + 1
    assert len(campagne.candidature("mi-san-godenzo-2026")) > 0          # le candidature restano


def test_dopo_l_importazione_si_vede_la_campagna_nuova(app):
    campagne.importa_file_campagna(CAMPIONI / "campagne" / "avviso-san-godenzo.yaml")
    _apri(app)
    assert app.selectbox(key="campagna_scelta").value == "mi-san-godenzo-2026"
    testo = (CAMPIONI / "campagne" / "avviso-san-godenzo.yaml").read_text(encoding="utf-8")
    testo = testo.replace("codice: mi-san-godenzo-2026", "codice: mi-altra-2027").replace(
        "protocollo: \"MI-2026", "protocollo: \"MI-2027")
    app.file_uploader(key="campagna_file").set_value(("altra.yaml", testo.encode(), "application/yaml"))
    app.run()
    pulsante(app, "Importa la campagna").click().run()
    nessun_errore(app)
    assert app.selectbox(key="campagna_scelta").value == "mi-altra-2027"

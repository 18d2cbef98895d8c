"""I campi data dei moduli sono testo «GG/MM/AAAA» letto all'italiana dallo stesso lettore delle tabelle
(``importazione.leggi_data``): una data impossibile non diventa in silenzio un'altra (il 31/02 non è il 28/02),
il messaggio sta sotto il campo e dice quale campo e come correggere, il testo scritto resta, e il passo
non si salva; una data giusta arriva alla pratica come ``datetime.date``."""

from __future__ import annotations

import datetime as dt

from guida_ui import CAMPIONI, chiave, messaggi, nessun_errore, pulsante, scrivi_data, versione

from cer_docs.services import archivio

CODICE = "cer-colline-sieve"


def _apri_comunita(app):
    archivio.importa_file(CAMPIONI / "pratica-esempio.yaml", autore="prova")
    app.query_params["pratica"] = CODICE
    app.query_params["passo"] = "comunita"
    app.run()
    app.switch_page("pagine/procedura.py").run()
    nessun_errore(app)


def test_data_impossibile_resta_scritta_con_il_messaggio_e_non_si_salva(app):
    _apri_comunita(app)
    prima = versione(CODICE)
    k = chiave(CODICE, "com-atto-prevista")
    scrivi_data(app, k, "31/02/2025").run()
    # il messaggio accanto al campo: il campo, il perché e come correggere
    accanto = [m for m in messaggi(app) if "Data prevista di firma" in m]
    assert accanto, messaggi(app)
    assert "'31/02/2025' non esiste: febbraio 2025 ha 28 giorni" in accanto[0]
    assert "GG/MM/AAAA" in accanto[0] and "il passo non si salva" in accanto[0]
    assert app.text_input(key=k).value == "31/02/2025"            # il testo scritto resta, nulla si perde
    pulsante(app, "Salva e continua").click().run()
    assert versione(CODICE) == prima                               # niente 28/02 salvato in silenzio
    assert archivio.apri(CODICE).pratica.comunita.atto_costitutivo.data_prevista == dt.date(2025, 10, 20)
    assert any("Non salvato" in m and "febbraio 2025 ha 28 giorni" in m for m in messaggi(app)), messaggi(app)
    assert app.text_input(key=k).value == "31/02/2025"
    # corretta, si salva come data vera
    scrivi_data(app, k, "28/02/2025")
    pulsante(app, "Salva e continua").click().run()
    nessun_errore(app)
    salvata = archivio.apri(CODICE).pratica.comunita.atto_costitutivo.data_prevista
    assert type(salvata) is dt.date and salvata == dt.date(2025, 2, 28)


def test_la_data_si_legge_sempre_giorno_mese_anno(app):
    """«03/04/2025» è il 3 aprile (mai il 4 marzo di un browser inglese); anche «3.4.2025» e «2025-04-03»."""
    _apri_comunita(app)
    k = chiave(CODICE, "com-atto-prevista")
    for scritto in ("03/04/2025", "3.4.2025"):
        scrivi_data(app, k, scritto).run()
        assert not [m for m in messaggi(app) if "Data prevista di firma" in m]
    pulsante(app, "Salva e continua").click().run()
    nessun_errore(app)
    assert archivio.apri(CODICE).pratica.comunita.atto_costitutivo.data_prevista == dt.date(2025, 4, 3)


def test_un_fatto_con_la_data_impossibile_non_si_registra(app):
    archivio.importa_file(CAMPIONI / "pratica-esempio.yaml", autore="prova")
    app.query_params["pratica"] = CODICE
    app.run()
    app.switch_page("pagine/cronologia.py").run()
    nessun_errore(app)
    prima = versione(CODICE)
    scrivi_data(app, "fatto-data", "30/02/2026").run()
    assert any("«Quando»" in m and "febbraio 2026 ha 28 giorni" in m for m in messaggi(app)), messaggi(app)
    app.checkbox(key="fatto-conferma").check().run()
    pulsante(app, "Registra il fatto").click().run()
    assert any("Fatto non registrato" in m and "30/02/2026" in m for m in messaggi(app)), messaggi(app)
    assert versione(CODICE) == prima
    assert app.text_input(key="fatto-data").value == "30/02/2026"

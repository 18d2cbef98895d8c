"""Una data salvata si può cancellare: il campo è un testo «GG/MM/AAAA» che parte dalla data della pratica;
svuotato e salvato, la data non c'è più."""

from __future__ import annotations

import datetime as dt

from guida_ui import CAMPIONI, chiave, nessun_errore, pulsante, scrivi_data

from cer_docs.services import archivio

CODICE = "cer-colline-sieve"


def test_la_data_prevista_di_firma_si_cancella_e_si_salva_vuota(app):
    archivio.importa_file(CAMPIONI / "pratica-esempio.yaml", autore="prova")
    app.query_params["pratica"] = CODICE
    app.query_params["passo"] = "comunita"
    app.run()
    app.switch_page("pagine/procedura.py").run()
    nessun_errore(app)
    campo = app.text_input(key=chiave(CODICE, "com-atto-prevista"))
    assert campo.value == "20/10/2025"                    # la data della pratica, all'italiana
    assert campo.placeholder == "GG/MM/AAAA"
    scrivi_data(app, chiave(CODICE, "com-atto-prevista"), None)
    pulsante(app, "Salva e continua").click().run()
    nessun_errore(app)
    assert archivio.apri(CODICE).pratica.comunita.atto_costitutivo.data_prevista is None
    assert archivio.apri(CODICE).pratica.comunita.atto_costitutivo.data == dt.date(2025, 10, 20)

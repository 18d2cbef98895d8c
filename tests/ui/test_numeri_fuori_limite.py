"""Un numero fuori dai limiti non si corregge in silenzio: la cella e il campo lo accettano com'è scritto
(−60 resta −60, non diventa 60) e il salvataggio lo rifiuta con un messaggio che dice riga e colonna."""

from __future__ import annotations

from guida_ui import chiave, messaggi, nessun_errore, pulsante, versione

from ui import campi
from cer_docs.services import catalogo

CODICE = "cer-colline-sieve"


def test_le_colonne_numeriche_non_impongono_limiti():
    colonne = campi.colonne_generate(catalogo.domande_del_passo("impianti"), {})
    numeriche = {n: c for n, c in colonne.items() if c["type_config"]["type"] == "number"}
    assert "potenza_kw" in numeriche
    for nome, c in numeriche.items():
        assert c["type_config"].get("min_value") is None and c["type_config"].get("max_value") is None, nome


def test_una_potenza_negativa_e_rifiutata_con_riga_e_colonna(app, riferimento):
    app.query_params["pratica"] = CODICE
    app.query_params["passo"] = "impianti"
    app.run()
    app.switch_page("pagine/procedura.py").run()
    nessun_errore(app)
    prima = versione(CODICE)
    app.session_state[chiave(CODICE, "tabella-impianti-0")] = {
        "edited_rows": {0: {"potenza_kw": -60.0}, 1: {"inclinazione_gradi": 120.0}}, "added_rows": [],
        "deleted_rows": []}
    pulsante(app, "Salva e continua").click().run()
    errori = " ".join(messaggi(app))
    assert "Riga 1 (Fotovoltaico sul tetto del Municipio), potenza (kW): deve essere maggiore di zero" in errori
    assert "Riga 2 (Fotovoltaico sulla copertura della cantina), inclinazione (gradi): non può essere maggiore " \
           "di 90" in errori
    assert versione(CODICE) == prima

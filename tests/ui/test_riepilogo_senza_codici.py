"""Riepilogo della procedura: ogni rilievo si legge in italiano (gravità e messaggio, con la fonte); il
codice interno della regola (per esempio ``ECCEDENZA_MANCANTE``) non si mostra all'utente."""

from __future__ import annotations

import re

from guida_ui import CAMPIONI

from cer_docs.services import archivio

CODICE = "cer-colline-sieve"


def test_riepilogo_mostra_il_messaggio_e_non_il_codice_della_regola(app):
    aperta = archivio.importa_file(CAMPIONI / "pratica-esempio.yaml", autore="prova")
    p = archivio.apri(CODICE).pratica
    p.comunita.destinazione_eccedenza = []
    archivio.salva(CODICE, p, archivio.apri(CODICE).versione, autore="prova")
    app.query_params["pratica"] = CODICE
    app.query_params["passo"] = "riepilogo"
    app.run()
    app.switch_page("pagine/procedura.py").run()
    assert not app.exception
    testi = " ".join(m.value for m in app.markdown)
    assert "Non è indicata la destinazione della quota di tariffa eccedentaria" in testi
    assert "ECCEDENZA_MANCANTE" not in testi
    # nessun codice di regola (parole MAIUSCOLE_CON_TRATTINI) in nessun testo della pagina
    tutto = testi + " ".join(c.value for c in app.caption) + " ".join(b.label for b in app.button)
    assert not re.search(r"\b[A-Z]{2,}_[A-Z_]{3,}\b", tutto), re.findall(r"\b[A-Z]{2,}_[A-Z_]{3,}\b", tutto)
    assert aperta is not None

"""Pagina Documenti, scheda «Versioni e revisione dell'avvocato»: carica il file modificato,
guarda il confronto affiancato e i controlli, rigenera e unisci scegliendo nei conflitti."""

from __future__ import annotations

import sys
from pathlib import Path

from guida_ui import CAMPIONI, messaggi, pulsante

from cer_docs.documents.lettura_docx import leggi_clausole
from cer_docs.services import archivio
from cer_docs.services.revisione import MIME_DOCX, revisione

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "documents"))
from avvocato import cambia_frase, elimina_clausola  # noqa: E402

CODICE = "cer-colline-sieve"
FRASE = ("nell'ambito dello stesso Comune", "all'interno del medesimo Comune")


def _apri(app):
    archivio.importa_file(CAMPIONI / "pratica-esempio.yaml", autore="test")
    app.query_params["pratica"] = CODICE
    app.run()
    app.switch_page("pagine/documenti.py").run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def _chiave(app, inizio: str) -> str:
    (k,) = {w.key for w in app.main if (getattr(w, "key", None) or "").startswith(inizio)} or {None}
    return k


def test_carica_confronta_e_controlla_lo_statuto(app):
    _apri(app)
    assert [t.label for t in app.tabs] == ["Genera", "Versioni e revisione dell'avvocato"]
    pulsante(app, "Archivia la versione generata dai dati attuali").click().run()
    assert "Versione 1 archiviata" in " ".join(messaggi(app, "success"))
    (v1,) = revisione().versioni(CODICE, "statuto")
    m = elimina_clausola(cambia_frase(revisione().contenuto(CODICE, v1.id), "cl_sede_trasferimento", *FRASE),
                         "cl_recesso_libero")
    app.file_uploader(key=_chiave(app, "rev-file")).set_value(("statuto-notaio.docx", m, MIME_DOCX))
    app.run()
    pulsante(app, "Carica come nuova versione").click().run()
    assert not app.exception
    assert ("«statuto-notaio.docx» conservato come versione 2. Rispetto alla versione di partenza: 1 modificata, "
            "1 rimossa.") in messaggi(app, "success")
    testi = [x.value for x in app.markdown]
    assert "**Modificata** · clausola sede\\_trasferimento · Art. 2 – Sede" in testi
    assert "**Rimossa** · clausola recesso\\_libero · Art. 12 – Recesso" in testi
    assert "**96** invariate · **1** modificata · **0** aggiunte · **1** rimossa · **0** spostate" in testi
    assert any("<del>nell&#x27;ambito dello stesso</del>" in t for t in testi)
    assert any("<ins>all&#x27;interno del medesimo</ins>" in t for t in testi)
    errori = messaggi(app, "error")
    assert any("elemento essenziale e)" in e and "recesso_libero" in e and "cancellata" in e for e in errori)
    # la versione firmata
    pulsante(app, "Segna come firmata").click().run()
    assert "La versione 2 è segnata come quella firmata." in messaggi(app, "success")
    assert [v.firmato for v in revisione().versioni(CODICE, "statuto")] == [False, True]


def test_unisci_con_un_conflitto_scelto_nella_pagina(app):
    _apri(app)
    r = revisione()
    g = r.archivia_generato(CODICE, "atto_costitutivo")
    avv = cambia_frase(r.contenuto(CODICE, g.id), "A1_cl_sede_trasferimento", *FRASE)
    avv = cambia_frase(avv, "cl_atto_preambolo_privato", "Via del Castagno 3", "Via del Castagno 3 (interno 2)")
    r.carica(CODICE, "atto-avvocato.docx", avv, attore="Avv. Bruni")
    aperta = archivio.apri(CODICE)
    p = aperta.pratica.model_copy(deep=True)
    (rossi,) = [s for s in p.soggetti if s.id == "rossi-mario"]
    rossi.residenza.indirizzo = "Via dei Mille 8"
    archivio.salva(CODICE, p, aperta.versione, "test", "nuovo indirizzo")
    app.run()
    app.selectbox(key=_chiave(app, "rev-documento")).set_value("atto_costitutivo").run()
    pulsante(app, "Rigenera e unisci").click().run()
    assert any("Una clausola è cambiata sia nel testo dell'avvocato sia nei dati" in w for w in messaggi(app, "warning"))
    assert pulsante(app, "Unisci con queste scelte").disabled
    app.radio(key=_chiave(app, "rev-scelta-cl_atto_preambolo_privato")).set_value("avvocato").run()
    pulsante(app, "Unisci con queste scelte").click().run()
    assert not app.exception
    assert any(s.startswith("Unione conservata come versione 4") and "1 conflitto risolto" in s
               for s in messaggi(app, "success"))
    ultima = r.versioni(CODICE, "atto_costitutivo")[-1]
    assert ultima.origine == "unito"
    testi = {c.segnalibro: c.testo for c in leggi_clausole(r.contenuto(CODICE, ultima.id))}
    assert "(interno 2)" in testi["cl_atto_preambolo_privato"]
    assert FRASE[1] in testi["A1_cl_sede_trasferimento"]

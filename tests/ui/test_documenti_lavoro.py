"""Pagina Documenti: la generazione parte come lavoro in sottofondo; la pagina mostra coda e
avanzamento letti dal database (anche da una sessione nuova, come dopo aver ricaricato), permette
di annullare con conferma e, alla fine, mostra i documenti generati."""

from __future__ import annotations

import threading

import pytest
from guida_ui import APP, CAMPIONI, messaggi, pulsante
from streamlit.testing.v1 import AppTest

from cer_docs.services import archivio, lavori
from cer_docs.services import documenti as svc_documenti
from cer_docs.services import procedura as proc

CODICE = "cer-colline-sieve"


@pytest.fixture(autouse=True)
def _nessun_esecutore_nell_app(monkeypatch):
    """I lavori li esegue il test, quando vuole: così si vede la coda e l'avanzamento."""
    monkeypatch.setattr(lavori, "assicura_esecutore_locale", lambda *a, **k: False)


def _apri(app: AppTest) -> AppTest:
    app.query_params["pratica"] = CODICE
    app.run()
    app.switch_page("pagine/documenti.py").run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def _nuova_sessione() -> AppTest:
    return _apri(AppTest.from_file(str(APP), default_timeout=180))


def _chiedi(app: AppTest, documenti: list[str]) -> None:
    versione = archivio.apri(CODICE).versione
    app.multiselect(key=f"doc-scelti-v{versione}").set_value(documenti)
    app.multiselect(key=f"doc-formati-v{versione}").set_value(["docx"])
    pulsante(app, "Genera i documenti").click().run()
    assert not app.exception, [e.value for e in app.exception]


def _barra(app: AppTest) -> str:
    (barra,) = app.get("progress")
    return barra.proto.text


def test_generazione_in_coda_avanzamento_ricarica_e_risultato(app, monkeypatch):
    archivio.importa_file(CAMPIONI / "pratica-esempio.yaml", autore="test")
    _apri(app)
    assert any("Nessun documento generato" in c.value for c in app.caption)
    _chiedi(app, ["statuto", "regolamento"])
    lav = lavori.ultimo_lavoro(CODICE)
    assert lav.stato == "in_coda" and lav.documenti == ["statuto", "regolamento"]
    assert _barra(app).startswith("In coda")
    assert any("Generazione avviata (2 documenti)" in t.value for t in app.toast), [t.value for t in app.toast]
    assert [b.label for b in app.button if b.label == "Annulla"] == ["Annulla"]

    # un secondo clic non accoda una seconda generazione della stessa pratica
    _chiedi(app, ["statuto"])
    assert any("c'è già una generazione in coda" in m for m in messaggi(app, "warning"))

    # l'esecutore lavora: la pagina (anche aperta da capo) legge l'avanzamento dal database
    vero, fermo, prosegui = svc_documenti.genera, threading.Event(), threading.Event()

    def genera_lento(*a, **k):
        fermo.set()
        assert prosegui.wait(120)
        return vero(*a, **k)

    monkeypatch.setattr(svc_documenti, "genera", genera_lento)
    esito: list[lavori.Lavoro] = []
    t = threading.Thread(target=lambda: esito.append(lavori.Esecutore().esegui_uno()))
    t.start()
    try:
        assert fermo.wait(120)
        ricaricata = _nuova_sessione()
        assert _barra(ricaricata) == "Genero «Statuto» (1 di 2)…"
        assert any("la generazione continua" in c.value for c in ricaricata.caption)
    finally:
        prosegui.set()
        t.join(120)
    assert esito[0].stato == "fatto"

    # alla fine: chi l'ha chiesta vede l'esito, tutti vedono i documenti
    app.run()
    assert "Documenti generati: scaricali qui sotto." in messaggi(app, "success")
    ricaricata.run()
    assert not ricaricata.get("progress")
    assert not messaggi(ricaricata, "success")
    gen = proc.ultima_generazione(CODICE)
    etichette = [b.label for b in ricaricata.get("download_button")]
    assert "Scarica tutto (ZIP)" in etichette and len(gen.file) == 2


def test_annullare_chiede_conferma(app):
    archivio.importa_file(CAMPIONI / "pratica-esempio.yaml", autore="test")
    _apri(app)
    _chiedi(app, ["statuto"])
    lav = lavori.ultimo_lavoro(CODICE)

    pulsante(app, "Annulla").click().run()
    assert any("Vuoi davvero annullare" in m for m in messaggi(app, "warning"))
    pulsante(app, "No, continua").click().run()
    assert lavori.lavoro(lav.id).stato == "in_coda"
    assert not any("Vuoi davvero annullare" in m for m in messaggi(app, "warning"))

    pulsante(app, "Annulla").click().run()
    pulsante(app, "Sì, annulla la generazione").click().run()
    assert lavori.lavoro(lav.id).stato == "annullato"
    assert any("Generazione annullata" in m for m in messaggi(app, "info"))
    assert not app.get("progress")
    assert lavori.Esecutore().esegui_uno() is None
    assert proc.ultima_generazione(CODICE) is None


def test_una_generazione_non_riuscita_e_spiegata(app, monkeypatch):
    archivio.importa_file(CAMPIONI / "pratica-esempio.yaml", autore="test")
    _apri(app)
    _chiedi(app, ["statuto"])

    def rotto(*a, **k):
        raise svc_documenti.ErroreGenerazione("i modelli dei documenti hanno un errore: clausola mancante")

    monkeypatch.setattr(svc_documenti, "genera", rotto)
    assert lavori.Esecutore().esegui_uno().stato == "fallito"
    app.run()
    assert ("I documenti non sono stati generati: i modelli dei documenti hanno un errore: clausola mancante."
            in messaggi(app, "error"))
    ricaricata = _nuova_sessione()
    assert any("non è riuscita" in c.value and "clausola mancante" in c.value for c in ricaricata.caption)

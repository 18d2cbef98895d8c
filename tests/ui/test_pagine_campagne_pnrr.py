"""Pagine «Manifestazioni di interesse» (ufficio) e «Contributo PNRR»."""

from __future__ import annotations

from pathlib import Path

from guida_ui import CAMPIONI, messaggi, nessun_errore, pulsante

from cer_docs.services import archivio, campagne, pnrr
from cer_docs.model import load_pratica

FATTURE = Path(__file__).resolve().parents[1] / "pnrr" / "fixtures"


def _testo(at) -> str:
    return "\n".join(str(e.value) for tipo in ("markdown", "info", "success", "warning", "error", "caption")
                     for e in at.get(tipo))


def test_campagne_vuote_dice_cosa_fare(app):
    app.run()
    app.switch_page("pagine/campagne.py").run()
    nessun_errore(app)
    assert any("Nessuna campagna" in m for m in messaggi(app, "info"))


def test_flusso_ufficio_screening_decisione_conversione(app):
    archivio.importa_file(CAMPIONI / "pratica-esempio.yaml", autore="test")
    campagne.importa_file_campagna(CAMPIONI / "campagne" / "avviso-san-godenzo.yaml")
    app.run()
    app.switch_page("pagine/campagne.py").run()
    nessun_errore(app)
    testo = _testo(app)
    assert "grande impresa" in testo and "fuori dalle aree dell'avviso" in testo
    # decisione sulla candidatura fuori area
    app.selectbox(key="dec_MI-2026-000005").select("esclusa")
    bottoni = [b for b in app.button if b.label == "Registra la decisione"]
    bottoni[4].click().run()
    nessun_errore(app)
    assert any("Decisione registrata per MI-2026-000005" in m for m in messaggi(app, "success"))
    assert {v.protocollo: v.decisione for v in campagne.candidature("mi-san-godenzo-2026")}["MI-2026-000005"] == "esclusa"
    # conversione con conferma esplicita
    assert pulsante(app, "Converti le candidature ammesse").disabled
    app.checkbox(key="conv_conferma").check().run()
    pulsante(app, "Converti le candidature ammesse").click().run()
    nessun_errore(app)
    assert any("3 candidati inseriti nella pratica «cer-colline-sieve»" in m for m in messaggi(app, "success"))
    assert len(archivio.apri("cer-colline-sieve").pratica.membri) == 9


def test_pnrr_senza_impianti_finanziati(app):
    archivio.importa_file(CAMPIONI / "auc-condominio-aurora.yaml", autore="test")
    app.query_params["pratica"] = "auc-condominio-aurora"
    app.run()
    app.switch_page("pagine/pnrr.py").run()
    nessun_errore(app)


def test_pnrr_contributo_e_caricamento_fattura(app):
    archivio.importa_file(CAMPIONI / "pratica-esempio.yaml", autore="test")
    app.query_params["pratica"] = "cer-colline-sieve"
    app.run()
    app.switch_page("pagine/pnrr.py").run()
    nessun_errore(app)
    valori = [m.value for m in app.metric]
    assert "36.800,00 €" in valori and "92.000,00 €" in valori
    registro = pnrr.registro_spese(archivio.apri("cer-colline-sieve").pratica, __import__("datetime").date(2026, 11, 22))
    assert all(not i.voci for i in registro.impianti)

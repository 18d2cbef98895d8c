"""Pagina «Simulazione economica»: cifre della pratica di riferimento, ipotesi a confronto, rapporto PDF."""

from __future__ import annotations

from guida_ui import CAMPIONI, messaggi, nessun_errore, pulsante, scaricato

from cer_docs.services import archivio


def _testo(at) -> str:
    return "\n".join(str(e.value) for tipo in ("markdown", "caption", "info", "warning") for e in at.get(tipo))


def _apri(app):
    archivio.importa_file(CAMPIONI / "pratica-esempio.yaml", autore="test")
    app.query_params["pratica"] = "cer-colline-sieve"
    app.run()
    app.switch_page("pagine/simulazione.py").run()
    nessun_errore(app)
    return app


def test_archivio_vuoto_dice_cosa_fare(app):
    app.run()
    app.switch_page("pagine/simulazione.py").run()
    nessun_errore(app)
    assert any("archivio è vuoto" in m for m in messaggi(app, "info"))


def test_cifre_grafici_e_riparto(app):
    at = _apri(app)
    metriche = {m.label: m.value for m in at.metric}
    assert metriche["Energia condivisa"].endswith("kWh") and metriche["Energia condivisa"] != "0 kWh"
    assert metriche["Beneficio netto all'anno"].endswith("€")
    assert "In 20 anni" in metriche                      # orizzonte = durata della tariffa, scelta visibile
    assert len(at.get("vega_lite_chart")) >= 4           # mesi, giorno tipo, membri, categorie
    tabelle = [t.value for t in at.dataframe]
    membri = next(t for t in tabelle if "Membro" in t.columns and "Prelievo condiviso kWh" in t.columns)
    assert "Mario Rossi" in set(membri["Membro"])
    assert "Regole in vigore" in _testo(at)


def test_ipotesi_a_confronto_famiglie_in_piu(app):
    at = _apri(app)
    at.number_input(key="sim_famiglie").set_value(20).run()
    pulsante(at, "Confronta").click().run()
    nessun_errore(at)
    testo = _testo(at)
    assert "Pratica attuale" in testo and "Ipotesi: +20 famiglie" in testo
    beneficio = [m for m in at.metric if m.label == "Beneficio netto all'anno"]
    assert len(beneficio) == 3 and beneficio[2].delta and not beneficio[2].delta.startswith("-")
    famiglie = [t.value for t in at.dataframe if "Membro" in t.value.columns and len(t.value.columns) == 2]
    assert any("Famiglia ipotetica 20" in set(t["Membro"]) for t in famiglie)


def test_riparto_che_non_somma_cento_blocca_il_confronto(app):
    at = _apri(app)
    at.number_input(key="sim_rip_fondo_sociale").set_value(50).run()
    assert any("devono fare 100" in m for m in messaggi(at, "warning"))
    assert pulsante(at, "Confronta").disabled


def test_rapporto_pdf_scaricabile(app):
    at = _apri(app)
    nome, dati = scaricato(at, "Scarica il rapporto PDF")
    assert nome.endswith(".pdf") and dati[:5] == b"%PDF-"


def test_sensibilita_al_prezzo(app):
    at = _apri(app)
    pulsante(at, "Calcola la sensibilità al prezzo").click().run()
    nessun_errore(at)
    tab = next(t.value for t in at.dataframe if "Fattore" in t.value.columns)
    assert list(tab["Fattore"]) == ["0,50", "0,75", "1,00", "1,25", "1,50", "2,00"]
    # la tariffa premio non cresce quando il prezzo sale
    valori = [float(x.replace(".", "").replace(",", ".").replace("€", "").strip()) for x in tab["Tariffa premio"]]
    assert valori == sorted(valori, reverse=True)


def test_ipotesi_nella_seconda_configurazione(app):
    archivio.importa_file(CAMPIONI / "cer-valle-due-cabine.yaml", autore="test")
    app.query_params["pratica"] = "cer-valle-due-cabine"
    app.run()
    at = app.switch_page("pagine/simulazione.py").run()
    nessun_errore(at)
    at.selectbox(key="sim_conf").select(1).run()
    at.number_input(key="sim_kw").set_value(50.0).run()
    pulsante(at, "Confronta").click().run()
    nessun_errore(at)
    assert "Ipotesi: +50 kW" in _testo(at)

"""Pagina «Riparto e pagamenti»: gennaio 2026 della pratica di riferimento con le misure d'esempio."""

from __future__ import annotations

import gzip

from guida_ui import CAMPIONI, messaggi, nessun_errore, pulsante, scaricato

from cer_docs.riparto import uscite
from cer_docs.services import archivio
from cer_docs.services import riparto as svc

CODICE = "cer-colline-sieve"


def _misure_gennaio() -> bytes:
    righe = gzip.decompress((CAMPIONI / "riparto" / "misure-2026.csv.gz").read_bytes()).decode().splitlines()
    return ("\n".join([righe[0]] + [r for r in righe[1:] if ",2026-01-" in r]) + "\n").encode()


def _apri(app, incassi: bool = False):
    archivio.importa_file(CAMPIONI / "pratica-esempio.yaml", autore="test")
    if incassi:
        aperta = archivio.apri(CODICE)
        p = svc.registra_incassi(aperta.pratica, b"periodo,componente,importo_euro\n2026-01,acconto,1570.65\n"
                                                 b"2026-01,conguaglio,-1373.30\n")
        archivio.salva(CODICE, p, aperta.versione, autore="test")
    app.query_params["pratica"] = CODICE
    app.session_state["rip_misure_dati"] = ("misure-gennaio.csv", _misure_gennaio())
    app.run()
    app.switch_page("pagine/riparto.py").run()
    app.text_input(key="rip_periodo").set_value("2026-01").run()
    nessun_errore(app)
    return app


def test_archivio_vuoto_dice_cosa_fare(app):
    app.run()
    app.switch_page("pagine/riparto.py").run()
    nessun_errore(app)
    assert any("archivio è vuoto" in m for m in messaggi(app, "info"))


def test_senza_incassi_e_una_stima_dichiarata(app):
    at = _apri(app)
    metriche = {m.label: m.value for m in at.metric}
    assert "Atteso (stima)" in metriche and metriche["Da ripartire"].endswith("€")
    assert any("Nessun incasso del GSE" in m for m in messaggi(at, "warning"))
    tabelle = [t.value for t in at.dataframe]
    quote = next(t for t in tabelle if "Quota" in t.columns)
    assert "Mario Rossi" in set(quote["Membro"])
    assert any("Senza incassi registrati" in m for m in messaggi(at, "warning"))


def test_incassi_approvazione_e_bonifici_registrati_come_eventi(app):
    at = _apri(app, incassi=True)
    metriche = {m.label: m.value for m in at.metric}
    assert metriche["Ricevuto dal GSE"] == "197,35 €"
    righe = next(t.value for t in at.dataframe if "Spiegazione" in t.value.columns)
    assert list(righe["Mese"]) == ["gennaio 2026"]   # il mese in italiano, non 2026-01
    at.text_input(key="rip_delibera").set_value("Verbale n. 1").run()
    pulsante(at, "Registra l'approvazione dell'assemblea").click().run()
    nessun_errore(at)
    p = archivio.apri(CODICE).pratica
    assert len(p.riparti_approvati) == 1 and p.riparti_approvati[0].delibera == "Verbale n. 1"
    assert any(e.tipo == "riparto_approvato" for e in p.eventi)
    assert any("approvata il" in m for m in messaggi(at, "info"))
    at.text_input(key="rip_iban").set_value("IT60X0542811101000000123456").run()
    pulsante(at, "Prepara il file dei bonifici").click().run()
    nessun_errore(at)
    assert any("bonifici per" in m for m in messaggi(at, "success"))
    nome, xml = scaricato(at, "Scarica i bonifici SEPA")
    assert nome == "bonifici-2026-01.xml" and uscite.valida(xml) == []
    eventi = [e.tipo for e in archivio.apri(CODICE).pratica.eventi]
    assert "pagamento_membri" in eventi
    nome, pdf = scaricato(at, "Scarica l'estratto PDF")
    assert pdf.startswith(b"%PDF")

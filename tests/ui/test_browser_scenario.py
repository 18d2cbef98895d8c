"""Lo scenario dell'issue 13 in un browser vero (Chromium di Debian, Playwright), da un archivio vuoto:
una nuova CER a Vicchio, 10 membri importati da CSV con i loro POD, due impianti di cui uno con il
contributo PNRR (il tetto della scuola), referente, riepilogo, documenti; tra i documenti generati la
lettera ai fornitori con il CUP. Lungo la strada si lascia un passo con modifiche non salvate e, al
ritorno, le modifiche ci sono ancora.

Le schermate (1366 e 390 px) vanno in ``CER_DOCS_SCHERMATE`` se indicata, altrimenti in una cartella
temporanea.
"""

from __future__ import annotations

import contextlib
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_comune import SEGNI_BROWSER, Esecuzioni, ambiente, avvia_streamlit
from browser_comune import attendi as _attendi
from browser_comune import controlla_e_fotografa as _controlla_e_fotografa

pytestmark = SEGNI_BROWSER

CUP = "J51B25000010006"
CSV = ("tipo;nome;cognome;denominazione;comune;provincia;ruolo;data di adesione;POD;potenza impianto kW\n"
       "ente territoriale;;;Comune di Vicchio;Vicchio;FI;prosumer;01/02/2026;IT001E00100001;60\n"
       "persona fisica;Marta;Bellini;;Vicchio;FI;prosumer;01/02/2026;IT001E00100002;6\n"
       + "".join(f"persona fisica;Nome{i};Cognome{i};;Vicchio;FI;consumatore;01/02/2026;IT001E0010{i:04d};\n"
                 for i in range(3, 11)))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    dati = tmp_path_factory.mktemp("dati-scenario")
    with avvia_streamlit(dati, ambiente(dati, CER_DOCS_AUTORE="Prova scenario")) as url:
        yield url, dati


@contextlib.contextmanager
def _rieseguito(pagina) -> Iterator[None]:
    """L'azione nel blocco rilancia lo script: all'uscita è finito e la pagina lo mostra."""
    with Esecuzioni.di(pagina).dopo():
        yield
    pagina.wait_for_timeout(300)  # le tabelle (canvas) si disegnano subito dopo


def _campo(pagina, etichetta: str):
    return pagina.get_by_label(etichetta, exact=True).first


def _scrivi(pagina, etichetta: str, testo: str, *, modulo: bool = False) -> None:
    """Scrive in un campo e ne esce; fuori da un modulo (``st.form``) questo rilancia lo script."""
    c = _campo(pagina, etichetta)
    with _rieseguito(pagina) if not modulo else contextlib.nullcontext():
        c.fill(testo)
        c.press("Tab")


def _passo(pagina, titolo: str) -> None:
    with _rieseguito(pagina):
        pagina.locator("[data-testid='stRadio'] label").filter(has_text=titolo).first.click()


def _pulsante(pagina, nome: str) -> None:
    with _rieseguito(pagina):
        pagina.get_by_role("button", name=nome).first.click()


def _nessun_errore(pagina) -> None:
    assert pagina.locator("[data-testid='stException']").count() == 0
    errori = pagina.locator("[data-testid='stAlertContentError']")
    assert errori.count() == 0, errori.first.inner_text()


@pytest.mark.slow
def test_scenario_vicchio_da_archivio_vuoto(server, browser, schermate):
    url, dati = server
    contesto = browser.new_context(viewport={"width": 1366, "height": 900}, locale="it-IT", accept_downloads=True)
    pagina = contesto.new_page()
    Esecuzioni(pagina)
    try:
        pagina.goto(url + "/", wait_until="domcontentloaded")
        _attendi(pagina, "I passi che ti aspettano")
        _controlla_e_fotografa(pagina, schermate, "scenario-inizio")
        _pulsante(pagina, "Nuova pratica")
        _scrivi(pagina, "Denominazione", "CER Vicchio Sole", modulo=True)
        _pulsante(pagina, "Crea e apri la procedura guidata")
        _attendi(pagina, "Atto costitutivo")
        _nessun_errore(pagina)

        # 1. comunità: un dato non salvato sopravvive al cambio di passo
        _scrivi(pagina, "Comune", "Vicchio")
        _scrivi(pagina, "Sigla", "VICCHIO-SOLE")
        _passo(pagina, "Configurazioni")
        assert pagina.get_by_text("modifiche non ancora salvate").count() >= 1
        _passo(pagina, "Comunità")
        assert _campo(pagina, "Sigla").input_value() == "VICCHIO-SOLE"
        assert _campo(pagina, "Comune").input_value() == "Vicchio"
        _pulsante(pagina, "Salva e continua")
        _nessun_errore(pagina)

        # 3. prima una configurazione, a cui l'importazione aggiunge i POD
        _passo(pagina, "Configurazioni")
        _scrivi(pagina, "Nome della configurazione", "Vicchio capoluogo")
        _scrivi(pagina, "Cabina primaria", "AC001E00934")
        _pulsante(pagina, "Salva e continua")
        _nessun_errore(pagina)

        # 2. dieci membri da CSV, con i loro POD e due impianti
        _passo(pagina, "Soggetti e membri")
        pagina.get_by_text("Importa soggetti da un file CSV o Excel").click()
        with _rieseguito(pagina):
            pagina.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(
                files=[{"name": "membri.csv", "mimeType": "text/csv", "buffer": CSV.encode("utf-8")}])
        _attendi(pagina, "Si aggiungono 10 POD e 2 impianti")
        _pulsante(pagina, "Aggiungi 10 soggetti alla pratica")
        _nessun_errore(pagina)
        _controlla_e_fotografa(pagina, schermate, "scenario-soggetti")

        # 4. impianti: il contributo PNRR sull'impianto del Comune (la scuola)
        _passo(pagina, "Impianti")
        # il selettore mostra già il primo impianto, quello del Comune (la tabella è un canvas: questo
        # testo viene dal selettore); se no, lo si sceglie
        if pagina.get_by_text("Fotovoltaico Comune di Vicchio").count() == 0:
            pagina.get_by_label("Impianto", exact=True).first.click()
            with _rieseguito(pagina):
                pagina.get_by_role("option").filter(has_text="Comune di Vicchio").first.click()
        assert pagina.get_by_text("Fotovoltaico Comune di Vicchio").count() >= 1
        with _rieseguito(pagina):
            pagina.get_by_text("L'impianto ha chiesto (o ottenuto) il contributo PNRR").click()
        _scrivi(pagina, "CUP", CUP)
        _scrivi(pagina, "Spesa ammissibile (€)", "96.000,00")
        _pulsante(pagina, "Salva il contributo PNRR")
        _nessun_errore(pagina)
        _controlla_e_fotografa(pagina, schermate, "scenario-impianti-pnrr")

        # 5. referente (la comunità stessa), 8. riepilogo, 9. documenti
        _passo(pagina, "Referente")
        _pulsante(pagina, "Salva e continua")
        _nessun_errore(pagina)
        _passo(pagina, "Riepilogo")
        _attendi(pagina, "Verifica alla data del")
        _controlla_e_fotografa(pagina, schermate, "scenario-riepilogo")
        _passo(pagina, "Documenti")
        _pulsante(pagina, "Genera i documenti")
        _attendi(pagina, "Documenti generati")
        assert pagina.get_by_text("Lettera ai fornitori").count() >= 1
        with pagina.expect_download() as scarico:
            pagina.get_by_role("button", name="Scarica tutto (ZIP)").click()
        contenuto = Path(scarico.value.path()).read_bytes()
        _controlla_e_fotografa(pagina, schermate, "scenario-documenti")
    except Exception:
        pagina.screenshot(path=str(schermate / "scenario-errore.png"), full_page=True)
        raise
    finally:
        contesto.close()
    with zipfile.ZipFile(io.BytesIO(contenuto)) as z:
        lettere = [n for n in z.namelist() if "fornitori" in n and n.endswith(".docx")]
        assert lettere, z.namelist()
        from docx import Document

        testo = "\n".join(p.text for p in Document(io.BytesIO(z.read(lettere[0]))).paragraphs)
        testo += "\n".join(c.text for t in Document(io.BytesIO(z.read(lettere[0]))).tables
                           for r in t.rows for c in r.cells)
    assert CUP in testo

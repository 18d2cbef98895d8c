"""Il passo «Soggetti e membri» in un browser vero (Chromium di Debian, Playwright), in inglese e in italiano:
una data scritta nella tabella («10/03/2025») è il 10 marzo in ogni lingua del browser; il pannello
«Dettagli di un soggetto» resta aperto mentre lo si compila. Schermate a 1366 e 390 px in ``schermate``.
"""

from __future__ import annotations

import datetime as dt

import pytest
from browser_comune import SEGNI_BROWSER, Esecuzioni, ambiente, avvia_streamlit, script_fermo
from browser_comune import attendi as _attendi
from browser_comune import controlla_e_fotografa as _fotografa
from guida_ui import CAMPIONI

from cer_docs.services import archivio

pytestmark = SEGNI_BROWSER

CODICE = "cer-colline-sieve"
COLONNA_ADESIONE = 16   # soggetto (fissa), nome, cognome, denominazione, tipo, ... ruolo, data di adesione


def _fermo(pagina) -> None:
    pagina.wait_for_timeout(400)
    script_fermo(pagina)
    pagina.wait_for_timeout(400)


def _scrivi_cella(pagina, riga: int, colonna: int, testo: str, cartella=None) -> None:
    """Seleziona la cella (la tabella è un canvas: si clicca la prima colonna della riga e ci si sposta con le
    frecce), scrive come una persona e conferma con Invio; aspetta l'esecuzione dello script che la modifica
    fa partire. Se la tabella non era ancora pronta (sotto carico il canvas si disegna tardi) e la modifica
    non è arrivata, riprova una volta."""
    esecuzioni = Esecuzioni.di(pagina)
    for tentativo in range(2):
        griglia = pagina.locator("[data-testid='stDataFrame']").first
        griglia.scroll_into_view_if_needed()
        box = griglia.bounding_box()
        pagina.mouse.click(box["x"] + 130, box["y"] + 35 * riga + 17)     # colonna «Soggetto» (dopo la «Riga»)
        for _ in range(colonna):
            pagina.keyboard.press("ArrowRight")
        pagina.keyboard.type(testo, delay=40)
        if cartella is not None:
            pagina.screenshot(path=str(cartella / "soggetti-cella.png"))
        try:
            with esecuzioni.dopo(timeout_ms=15_000 if tentativo == 0 else 90_000):
                pagina.keyboard.press("Enter")
            return
        except AssertionError:
            if tentativo:
                raise
            pagina.keyboard.press("Escape")
            pagina.wait_for_timeout(1000)


def _adesione(soggetto: str) -> dt.date | None:
    return next(m.data_adesione for m in archivio.apri(CODICE).pratica.membri if m.soggetto == soggetto)


@pytest.mark.slow
def test_date_della_tabella_e_dettagli_in_inglese_e_in_italiano(browser, schermate, tmp_path, monkeypatch):
    dati = tmp_path / "dati"
    dati.mkdir()
    monkeypatch.setenv("CER_DOCS_DATA_DIR", str(dati))
    archivio.importa_file(CAMPIONI / "pratica-esempio.yaml", autore="prova")
    with avvia_streamlit(dati, ambiente(dati, CER_DOCS_AUTORE="Prova soggetti")) as url:
        for lingua, scritta, attesa in (("en-US", "10/03/2025", dt.date(2025, 3, 10)),
                                        ("it-IT", "11/04/2025", dt.date(2025, 4, 11))):
            contesto = browser.new_context(viewport={"width": 1366, "height": 900}, locale=lingua)
            pagina = contesto.new_page()
            esecuzioni = Esecuzioni(pagina)
            try:
                pagina.goto(f"{url}/procedura?pratica={CODICE}&passo=soggetti", wait_until="domcontentloaded")
                _attendi(pagina, "Importa soggetti da un file CSV o Excel")
                # riga 1: il Comune di San Godenzo, membro dal 20/10/2025
                _scrivi_cella(pagina, 1, COLONNA_ADESIONE, scritta, schermate)
                with esecuzioni.dopo():
                    pagina.get_by_role("button", name="Salva e continua").first.click()
                assert pagina.locator("[data-testid='stAlertContentError']").count() == 0, lingua
                assert _adesione("comune-san-godenzo") == attesa, lingua

                # «Dettagli di un soggetto»: si apre, si scrive un campo, resta aperto
                pagina.goto(f"{url}/procedura?pratica={CODICE}&passo=soggetti", wait_until="domcontentloaded")
                _attendi(pagina, "Importa soggetti da un file CSV o Excel")
                pagina.get_by_text("Dettagli di un soggetto").first.click()
                _fermo(pagina)
                telefono = pagina.get_by_label("Telefono", exact=True).first
                telefono.fill(f"055 {attesa:%d%m}")
                telefono.press("Tab")
                _fermo(pagina)
                assert pagina.get_by_label("Telefono", exact=True).first.is_visible(), \
                    f"{lingua}: il pannello si è chiuso dopo aver scritto il telefono"
                pagina.get_by_label("IBAN", exact=True).first.fill("")
                pagina.get_by_label("IBAN", exact=True).first.press("Tab")
                _fermo(pagina)
                assert pagina.get_by_label("Telefono", exact=True).first.is_visible(), lingua
                if lingua == "it-IT":
                    for nome, (larghezza, altezza) in (("1366", (1366, 900)), ("390", (390, 844))):
                        pagina.set_viewport_size({"width": larghezza, "height": altezza})
                        pagina.wait_for_timeout(800)
                        _fotografa(pagina, schermate, f"soggetti-{nome}")
            except Exception:
                pagina.screenshot(path=str(schermate / f"soggetti-errore-{lingua}.png"), full_page=True)
                raise
            finally:
                contesto.close()

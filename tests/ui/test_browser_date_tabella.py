"""In un browser vero (Chromium di Debian, Playwright): il campo data di un modulo è testo «GG/MM/AAAA» letto
all'italiana anche in un browser inglese (il 31/02 non diventa il 28/02, il messaggio è sotto il campo e il
testo resta); nella tabella «Soggetti e membri» il menu del ruolo ha «Non membro» e nessuna voce bianca, e il
nome di chi è la riga resta in vista scorrendo a destra su un telefono (390 px). Schermate in ``schermate``."""

from __future__ import annotations

import datetime as dt

import pytest
from browser_comune import SEGNI_BROWSER, Esecuzioni, app_con_campione
from browser_comune import attendi as _attendi
from browser_comune import controlla_e_fotografa as _fotografa

from cer_docs.services import archivio

pytestmark = SEGNI_BROWSER

CODICE = "cer-colline-sieve"
COLONNA_RUOLO = 15      # dalla prima colonna (Soggetto, fissa): nome, cognome, denominazione, ... email, ruolo


@pytest.fixture
def url(tmp_path, monkeypatch):
    monkeypatch.setenv("CER_DOCS_DATA_DIR", str(tmp_path / "dati"))
    with app_con_campione(tmp_path, "pratica-esempio.yaml", "Prova date") as indirizzo:
        yield indirizzo


@pytest.mark.slow
def test_data_impossibile_in_un_browser_inglese(browser, schermate, url):
    contesto = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-US")
    pagina = contesto.new_page()
    esecuzioni = Esecuzioni(pagina)
    try:
        pagina.goto(f"{url}/procedura?pratica={CODICE}&passo=comunita", wait_until="domcontentloaded")
        _attendi(pagina, "Atto costitutivo")
        campo = pagina.get_by_label("Data prevista di firma", exact=True)
        assert campo.input_value() == "20/10/2025"
        assert campo.get_attribute("placeholder") == "GG/MM/AAAA"
        campo.fill("31/02/2025")
        with esecuzioni.dopo():
            campo.press("Tab")
        errore = pagina.locator("[data-testid='stAlertContentError']").filter(has_text="Data prevista di firma")
        assert errore.count() == 1
        assert "febbraio 2025 ha 28 giorni" in errore.inner_text()
        assert pagina.get_by_label("Data prevista di firma", exact=True).input_value() == "31/02/2025"
        errore.scroll_into_view_if_needed()
        pagina.screenshot(path=str(schermate / "data-impossibile-1366.png"))
        pagina.set_viewport_size({"width": 390, "height": 844})
        pagina.wait_for_timeout(600)
        errore.scroll_into_view_if_needed()
        pagina.screenshot(path=str(schermate / "data-impossibile-390.png"))
        pagina.set_viewport_size({"width": 1366, "height": 900})
        # il 3 aprile, non il 4 marzo del calendario inglese
        campo = pagina.get_by_label("Data prevista di firma", exact=True)
        campo.fill("03/04/2025")
        with esecuzioni.dopo():
            campo.press("Tab")
        assert pagina.locator("[data-testid='stAlertContentError']").count() == 0
        with esecuzioni.dopo():
            pagina.get_by_role("button", name="Salva e continua").first.click()
        salvata = archivio.apri(CODICE).pratica.comunita.atto_costitutivo.data_prevista
        assert salvata == dt.date(2025, 4, 3)
    except Exception:
        pagina.screenshot(path=str(schermate / "data-errore.png"), full_page=True)
        raise
    finally:
        contesto.close()


@pytest.mark.slow
def test_ruolo_non_membro_e_soggetto_in_vista_sul_telefono(browser, schermate, url):
    contesto = browser.new_context(viewport={"width": 1366, "height": 900}, locale="it-IT")
    pagina = contesto.new_page()
    Esecuzioni(pagina)
    try:
        pagina.goto(f"{url}/procedura?pratica={CODICE}&passo=soggetti", wait_until="domcontentloaded")
        _attendi(pagina, "Importa soggetti da un file CSV o Excel")
        _fotografa(pagina, schermate, "soggetti-ruolo-1366")
        pagina.set_viewport_size({"width": 390, "height": 844})
        pagina.wait_for_timeout(800)
        griglia = pagina.locator("[data-testid='stDataFrame']").first
        griglia.scroll_into_view_if_needed()
        pagina.screenshot(path=str(schermate / "soggetti-390-inizio.png"))
        # riga 2 (Mario Rossi): la cella del ruolo, in fondo a destra; il menu si apre con Invio
        box = griglia.bounding_box()
        pagina.mouse.click(box["x"] + 100, box["y"] + 35 * 2 + 17)
        for _ in range(COLONNA_RUOLO):
            pagina.keyboard.press("ArrowRight")
        pagina.wait_for_timeout(500)
        pagina.screenshot(path=str(schermate / "soggetti-390-a-destra.png"))
        pagina.keyboard.press("Enter")
        menu = pagina.locator(".glide-select [class*='-menu'], [class*='-menu'] [class*='-option']").first
        menu.wait_for(timeout=15_000)
        pagina.wait_for_timeout(300)
        pagina.screenshot(path=str(schermate / "soggetti-390-menu-ruolo.png"))
        voci = pagina.locator("[class*='-option']").all_inner_texts()
        assert voci == ["Consumatore", "Prosumer (consuma e produce)", "Produttore", "Non membro"], voci
        pagina.keyboard.press("Escape")
    except Exception:
        pagina.screenshot(path=str(schermate / "soggetti-ruolo-errore.png"), full_page=True)
        raise
    finally:
        contesto.close()


COLONNA_EMAIL = 14


@pytest.mark.slow
def test_titolare_di_pod_tolto_torna_nella_tabella(browser, schermate, url):
    """Tolta la riga di Mario Rossi (titolare di un POD) dopo aver cambiato l'email di Giulia Bianchi: il
    salvataggio rifiuta e spiega, la riga torna da sé; salvando di nuovo resta la modifica di Giulia."""
    from test_browser_soggetti import _scrivi_cella

    contesto = browser.new_context(viewport={"width": 1366, "height": 900}, locale="it-IT")
    pagina = contesto.new_page()
    esecuzioni = Esecuzioni(pagina)
    try:
        pagina.goto(f"{url}/procedura?pratica={CODICE}&passo=soggetti", wait_until="domcontentloaded")
        _attendi(pagina, "Importa soggetti da un file CSV o Excel")
        _scrivi_cella(pagina, 3, COLONNA_EMAIL, "giulia.nuova@example.it")
        # la riga 2 si seleziona dal suo segno a sinistra e si toglie con il tasto Canc
        griglia = pagina.locator("[data-testid='stDataFrame']").first
        box = griglia.bounding_box()
        pagina.mouse.click(box["x"] + 12, box["y"] + 35 * 2 + 17)
        with esecuzioni.dopo():
            pagina.keyboard.press("Delete")
        _attendi(pagina, "Stai eliminando una riga che contiene dati")
        with esecuzioni.dopo():
            pagina.get_by_text("Sì, elimina questa riga").click()
        with esecuzioni.dopo():
            pagina.get_by_role("button", name="Salva e continua").first.click()
        _attendi(pagina, "è tornata nella tabella")
        testo = pagina.inner_text("body")
        assert "«Mario Rossi» non si può togliere perché è" in testo
        assert "La riga di «Mario Rossi» è tornata nella tabella" in testo
        assert "Stai eliminando" not in testo
        _fotografa(pagina, schermate, "soggetti-riga-tornata")
        with esecuzioni.dopo():
            pagina.get_by_role("button", name="Salva e continua").first.click()
        p = archivio.apri(CODICE).pratica
        assert p.soggetto("rossi-mario") is not None
        assert p.soggetto("bianchi-giulia").email == "giulia.nuova@example.it"
    except Exception:
        pagina.screenshot(path=str(schermate / "soggetti-riga-tornata-errore.png"), full_page=True)
        raise
    finally:
        contesto.close()

"""In un browser vero (Chromium di Debian, Playwright): nella tabella «Soggetti e membri» una riga tolta che
non si può togliere (titolare di un POD) torna nella tabella ogni volta che il salvataggio la rifiuta, anche
la seconda volta e in qualunque ordine, e le altre modifiche restano. Lo stato delle modifiche della tabella
vive nel browser: solo qui si vede se la riga tolta è davvero tornata. Schermate in ``schermate``."""

from __future__ import annotations

import pytest
from browser_comune import SEGNI_BROWSER, Esecuzioni, app_con_campione
from browser_comune import attendi as _attendi
from browser_comune import controlla_e_fotografa as _fotografa

from cer_docs.services import archivio

pytestmark = SEGNI_BROWSER

CODICE = "cer-fondazione-borgo"
COLONNA_NOME = 1        # dalla prima colonna (Soggetto, fissa)


@pytest.fixture
def url(tmp_path, monkeypatch):
    monkeypatch.setenv("CER_DOCS_DATA_DIR", str(tmp_path / "dati"))
    with app_con_campione(tmp_path, "cer-fondazione-borgo.yaml", "Prova righe") as indirizzo:
        yield indirizzo


def _righe_mostrate(pagina) -> list[str]:
    """Le righe che la tabella mostra, cella per cella (numero di riga, soggetto, nome...): la griglia è un
    canvas, ma tiene in pagina una tabella nascosta per l'accessibilità con le righe disegnate."""
    return pagina.evaluate(
        "() => Array.from(document.querySelectorAll('[data-testid=stDataFrame] table tbody tr'))"
        ".map(r => Array.from(r.querySelectorAll('td')).map(c => c.innerText.trim()))")


def _togli_riga(pagina, esecuzioni, riga: int) -> None:
    """Seleziona la riga dal suo segno a sinistra, la toglie con Canc e conferma l'eliminazione. Sotto carico
    il clic può arrivare prima che la griglia (un canvas) sia pronta e non selezionare nulla: allora Canc non
    fa partire lo script e si riprova."""
    for tentativo in range(3):
        griglia = pagina.locator("[data-testid='stDataFrame']").first
        griglia.scroll_into_view_if_needed()
        box = griglia.bounding_box()
        pagina.mouse.click(box["x"] + 12, box["y"] + 35 * riga + 17)
        try:
            with esecuzioni.dopo(timeout_ms=15_000 if tentativo < 2 else 90_000):
                pagina.keyboard.press("Delete")
            break
        except AssertionError:
            if tentativo == 2:
                raise
            pagina.keyboard.press("Escape")
            pagina.wait_for_timeout(1000)
    _attendi(pagina, "Stai eliminando una riga che contiene dati")
    with esecuzioni.dopo():
        pagina.get_by_text("Sì, elimina questa riga").click()


def _righe_attese(pagina, attese: list[list[str]], timeout_s: float = 30) -> list[list[str]]:
    """Le righe mostrate (numero e soggetto), aspettando fino a ``timeout_s`` che siano quelle attese: sotto
    carico la griglia disegna le righe (e la tabella nascosta) dopo che lo script è finito."""
    import time

    scadenza = time.monotonic() + timeout_s
    while True:
        righe = [r[:2] for r in _righe_mostrate(pagina)]
        if righe == attese or time.monotonic() > scadenza:
            return righe
        pagina.wait_for_timeout(200)


@pytest.mark.slow
def test_riga_tolta_torna_anche_la_seconda_volta(browser, schermate, url):
    from test_browser_soggetti import _scrivi_cella

    contesto = browser.new_context(viewport={"width": 1366, "height": 900}, locale="it-IT")
    pagina = contesto.new_page()
    esecuzioni = Esecuzioni(pagina)
    try:
        pagina.goto(f"{url}/procedura?pratica={CODICE}&passo=soggetti", wait_until="domcontentloaded")
        _attendi(pagina, "Importa soggetti da un file CSV o Excel")
        tutte = [[str(i), n] for i, n in enumerate(
            ["Comune di Montese", "Chiara Ferrari", "Davide Montanari", "Luca Bertoni", "Silvia Gualtieri",
             "Caseificio del Borgo S.r.l.", "Circolo Culturale Il Borgo APS"], start=1)]
        assert _righe_attese(pagina, tutte) == tutte
        tutte[3][1] = "Lucas Bertoni"
        _scrivi_cella(pagina, 4, COLONNA_NOME, "Lucas")
        for riga, nome in ((6, "Caseificio del Borgo S.r.l."), (3, "Davide Montanari")):
            _togli_riga(pagina, esecuzioni, riga)
            with esecuzioni.dopo():
                pagina.get_by_role("button", name="Salva e continua").first.click()
            _attendi(pagina, "è tornata nella tabella")
            pagina.wait_for_timeout(800)
            testo = pagina.inner_text("body")
            assert f"La riga di «{nome}» è tornata nella tabella" in testo
            _fotografa(pagina, schermate, f"righe-rimesse-{riga}")
            # la riga è davvero nella tabella che il browser disegna, con il suo numero; «Lucas» resta
            assert _righe_attese(pagina, tutte) == tutte, riga
            assert "Stai eliminando" not in testo, riga
            assert "Sì, elimina questa riga" not in testo, riga
        with esecuzioni.dopo():
            pagina.get_by_role("button", name="Salva e continua").first.click()
        p = archivio.apri(CODICE).pratica
        assert p.soggetto("caseificio-borgo") is not None and p.soggetto("montanari-davide") is not None
        assert p.soggetto("bertoni-luca").nome == "Lucas"
    except Exception:
        pagina.screenshot(path=str(schermate / "righe-rimesse-errore.png"), full_page=True)
        raise
    finally:
        contesto.close()

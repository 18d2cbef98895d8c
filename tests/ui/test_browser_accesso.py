"""Il login dell'app dell'ufficio in modalità server, in un browser vero a 390 px (telefono):
prima dell'accesso nessun dato, dopo solo la pratica condivisa. Chromium di Debian, mai
``playwright install``."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from test_browser import APP, ARGOMENTI_CHROMIUM, CHROMIUM, RADICE, _attendi, _controlla_e_fotografa, _porta_libera

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="manca /usr/bin/chromium (pacchetto Debian chromium)"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="manca il pacchetto Python playwright")
PW = "cavallo batteria graffetta"


@pytest.fixture(scope="module")
def server_ufficio(tmp_path_factory):
    dati = tmp_path_factory.mktemp("dati-server")
    env = {**os.environ, "CER_DOCS_DATA_DIR": str(dati)}
    env.pop("CER_DOCS_DATABASE_URL", None)
    cli = [sys.executable, "-m", "cer_docs"]
    for args, ingresso in (
            (["importa", str(RADICE / "samples" / "pratica-esempio.yaml")], None),
            (["importa", str(RADICE / "samples" / "cer-fondazione-borgo.yaml")], None),
            (["utente", "crea", "amm", "--nome", "Alba Amministratrice", "--amministratore", "--password-stdin"], PW),
            (["utente", "crea", "bruno", "--nome", "Bruno Bianchi", "--password-stdin"], PW),
            (["utente", "ruolo", "bruno", "revisore", "--pratica", "cer-colline-sieve"], None)):
        subprocess.run(cli + args, input=(ingresso + "\n") if ingresso else None, text=True, env=env, cwd=RADICE,
                       check=True, capture_output=True)
    porta = _porta_libera()
    env["CER_DOCS_MODALITA"] = "server"
    log = open(dati / "streamlit.log", "wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(APP), "--server.port", str(porta),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none", "--server.enableXsrfProtection", "true"],
        cwd=RADICE, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{porta}"
    try:
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("il server Streamlit non è partito: " + (dati / "streamlit.log").read_text(errors="replace"))
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def test_login_a_390_px(server_ufficio, tmp_path):
    cartella = Path(os.environ.get("CER_DOCS_SCHERMATE") or tmp_path)
    cartella.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGOMENTI_CHROMIUM, headless=True)
        contesto = browser.new_context(viewport={"width": 390, "height": 844}, locale="it-IT")
        pagina = contesto.new_page()
        try:
            pagina.goto(server_ufficio + "/?pratica=cer-colline-sieve", wait_until="domcontentloaded")
            _attendi(pagina, "Nome utente")
            testo = pagina.inner_text("body")
            assert "Colline" not in testo and "cer-colline-sieve" not in testo and "Borgo" not in testo
            # il modulo sta nella larghezza del telefono, senza scorrimento orizzontale
            assert pagina.evaluate("() => document.documentElement.scrollWidth") <= 390
            _controlla_e_fotografa(pagina, cartella, "telefono-accesso")

            pagina.get_by_role("textbox", name="Nome utente").fill("bruno")
            pagina.get_by_role("textbox", name="Password").fill("password sbagliata!!")
            pagina.get_by_role("button", name="Accedi").click()
            _attendi(pagina, "nome utente o password non corretti")
            assert "Colline" not in pagina.inner_text("body")

            pagina.get_by_role("textbox", name="Password").fill(PW)
            pagina.get_by_role("button", name="Accedi").click()
            _attendi(pagina, "1 pratica nell'archivio")
            testo = pagina.inner_text("body")
            assert "cer-fondazione-borgo" not in testo
            _controlla_e_fotografa(pagina, cartella, "telefono-dopo-accesso")
        finally:
            contesto.close()
            browser.close()

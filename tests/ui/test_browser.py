"""Prova in un browser vero (Chromium di Debian, Playwright): ogni pagina si apre senza errori e
si salvano le schermate a larghezza da computer (1366×900) e da telefono (390×844).

Le schermate finiscono in una cartella temporanea, o in ``CER_DOCS_SCHERMATE`` se indicata.
Mai ``playwright install``: si usa ``/usr/bin/chromium``.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
RADICE = Path(__file__).resolve().parents[2]
APP = RADICE / "ui" / "app.py"
ARGOMENTI_CHROMIUM = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                      "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LARGHEZZE = {"computer": (1366, 900), "telefono": (390, 844)}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="manca /usr/bin/chromium (pacchetto Debian chromium)"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="manca il pacchetto Python playwright")


def _porta_libera() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    dati = tmp_path_factory.mktemp("dati-browser")
    porta = _porta_libera()
    env = {**os.environ, "CER_DOCS_DATA_DIR": str(dati), "CER_DOCS_AUTORE": "Prova browser"}
    env.pop("CER_DOCS_DATABASE_URL", None)
    log = open(dati / "streamlit.log", "wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(APP), "--server.port", str(porta),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
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


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGOMENTI_CHROMIUM, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="module")
def schermate(tmp_path_factory) -> Path:
    cartella = os.environ.get("CER_DOCS_SCHERMATE")
    if cartella:
        Path(cartella).mkdir(parents=True, exist_ok=True)
        return Path(cartella)
    return tmp_path_factory.mktemp("schermate")


def _attendi(pagina, testo: str) -> None:
    pagina.get_by_text(testo, exact=False).first.wait_for(timeout=90_000)
    # Streamlit dice sul suo contenitore se lo script sta ancora girando
    pagina.wait_for_function(
        "() => { const a = document.querySelector('[data-test-script-state]');"
        " return a && a.getAttribute('data-test-script-state') === 'notRunning'; }", timeout=90_000)
    pagina.wait_for_timeout(600)  # le tabelle (canvas) si disegnano subito dopo


def _controlla_e_fotografa(pagina, cartella: Path, nome: str) -> None:
    testo = pagina.inner_text("body")
    assert "Traceback" not in testo, nome
    assert not re.search(r"\bError\b", testo), (nome, testo[:2000])
    assert pagina.locator("[data-testid='stException']").count() == 0, nome
    # il contenuto scorre dentro il contenitore di Streamlit: si allunga la finestra per fotografarlo tutto
    larghezza, altezza = pagina.viewport_size["width"], pagina.viewport_size["height"]
    piena = pagina.evaluate(
        "() => Math.max(document.body.scrollHeight, ...Array.from(document.querySelectorAll("
        "'[data-testid=\"stMain\"], [data-testid=\"stAppViewContainer\"], [data-testid=\"stMainBlockContainer\"]'"
        ")).map(e => e.scrollHeight))")
    pagina.set_viewport_size({"width": larghezza, "height": min(max(altezza, int(piena) + 40), 9000)})
    pagina.wait_for_timeout(500)
    pagina.screenshot(path=str(cartella / f"{nome}.png"), full_page=True)
    pagina.set_viewport_size({"width": larghezza, "height": altezza})


VISITE = [
    # (nome, percorso, testo che deve comparire)
    ("procedura-1-comunita", "/procedura?pratica=cer-colline-sieve&passo=comunita", "Atto costitutivo"),
    ("procedura-2-soggetti", "/procedura?pratica=cer-colline-sieve&passo=soggetti", "Importa soggetti"),
    ("procedura-3-configurazioni", "/procedura?pratica=cer-colline-sieve&passo=configurazioni",
     "Punti di connessione"),
    ("procedura-4-impianti", "/procedura?pratica=cer-colline-sieve&passo=impianti", "Un impianto per riga"),
    ("procedura-5-referente", "/procedura?pratica=cer-colline-sieve&passo=referente", "Mandato al referente"),
    ("procedura-6-produttori-terzi", "/procedura?pratica=cer-colline-sieve&passo=produttori_terzi",
     "Produttori che non sono membri"),
    ("procedura-7-statuto", "/procedura?pratica=cer-colline-sieve&passo=statuto", "Ripartizione dei benefici"),
    ("procedura-8-riepilogo", "/procedura?pratica=cer-colline-sieve&passo=riepilogo", "Verifica alla data del"),
    ("procedura-9-documenti", "/procedura?pratica=cer-colline-sieve&passo=documenti", "Documenti da generare"),
    ("verifiche", "/verifiche?pratica=cer-fondazione-borgo", "Verifica alla data"),
    ("documenti", "/documenti?pratica=cer-colline-sieve", "Documenti da generare"),
    ("scadenze", "/scadenze", "Tra 61 e 90 giorni"),
    ("cronologia", "/cronologia?pratica=cer-colline-sieve", "Registra un fatto"),
    ("pnrr", "/pnrr?pratica=cer-colline-sieve", "Spesa ammissibile"),
    ("simulazione", "/simulazione?pratica=cer-colline-sieve", "Beneficio netto all'anno"),
    ("riparto", "/riparto?pratica=cer-colline-sieve", "Carica le misure del periodo"),
    ("campagne", "/campagne", "Importa una campagna"),
]


@pytest.mark.slow
@pytest.mark.parametrize("larghezza", list(LARGHEZZE))
def test_ogni_pagina_si_apre_senza_errori(server, browser, schermate, larghezza):
    w, h = LARGHEZZE[larghezza]
    contesto = browser.new_context(viewport={"width": w, "height": h}, locale="it-IT")
    pagina = contesto.new_page()
    try:
        pagina.goto(server + "/", wait_until="domcontentloaded")
        _attendi(pagina, "Pratiche")
        if pagina.get_by_text("I passi che ti aspettano").count():
            _controlla_e_fotografa(pagina, schermate, f"{larghezza}-pratiche-vuota")
            pagina.get_by_role("button", name="Apri un esempio").click()
            _attendi(pagina, "Aperta la pratica d'esempio")
            pagina.goto(server + "/", wait_until="domcontentloaded")
            _attendi(pagina, "pratiche nell'archivio")
        _controlla_e_fotografa(pagina, schermate, f"{larghezza}-pratiche")
        for nome, percorso, testo in VISITE:
            pagina.goto(server + percorso, wait_until="domcontentloaded")
            _attendi(pagina, testo)
            _controlla_e_fotografa(pagina, schermate, f"{larghezza}-{nome}")
        if larghezza == "computer":
            # una generazione vera (bozza), con anteprima della prima pagina
            pagina.goto(server + "/documenti?pratica=cer-fondazione-borgo", wait_until="domcontentloaded")
            _attendi(pagina, "Documenti da generare")
            pagina.get_by_role("button", name="Genera i documenti").click()
            _attendi(pagina, "Prima pagina di")
            _controlla_e_fotografa(pagina, schermate, f"{larghezza}-documenti-generati")
    finally:
        contesto.close()
    assert len(list(schermate.glob(f"{larghezza}-*.png"))) >= len(VISITE) + 1

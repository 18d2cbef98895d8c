"""Misura nel browser vero: dal clic sul passo «Soggetti e membri» alla pagina ferma, con 500 membri.

Chromium di Debian (Playwright, mai ``playwright install``), server Streamlit locale su un archivio
temporaneo con una pratica generata (``genera_pratica``). Per ogni ripetizione: clic su «Comunità»,
attesa, poi clic su «Soggetti e membri» e cronometro fino a quando Streamlit dice che lo script non
gira più e la tabella (canvas) è nella pagina. Stampa mediana, minimo e massimo; come riferimento
anche il clic su «Comunità» (un modulo senza tabella), per separare il costo della tabella da quello
fisso di ogni rerun con la macchina nelle stesse condizioni.

Obiettivo dell'issue 13: mediana sotto 300 ms. Non è un test: i tempi dipendono dalla macchina.

Uso: .venv/bin/python bench/bench_browser_membri.py [N_MEMBRI] [RIPETIZIONI]
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

QUI = Path(__file__).resolve().parent
RADICE = QUI.parent
sys.path.insert(0, str(QUI))
sys.path.insert(0, str(RADICE))
CHROMIUM = "/usr/bin/chromium"
ARGOMENTI = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync"]
OBIETTIVO_MS = 300
FERMO_SENZA_TABELLA = ("() => { const a = document.querySelector('[data-test-script-state]');"
                       " return a && a.getAttribute('data-test-script-state') === 'notRunning'; }")
FERMO = ("() => { const a = document.querySelector('[data-test-script-state]');"
         " return a && a.getAttribute('data-test-script-state') === 'notRunning'"
         " && document.querySelector("
         "'[data-testid=\"stDataFrame\"] canvas, [data-testid=\"stDataFrameResizable\"]'); }")


OSSERVA_FASI = """() => {
  window.__fasi = [];
  const segui = () => {
    const a = document.querySelector('[data-test-script-state]');
    if (!a) { setTimeout(segui, 20); return; }
    new MutationObserver(() => window.__fasi.push([a.getAttribute('data-test-script-state'), performance.now()]))
      .observe(a, {attributes: true, attributeFilter: ['data-test-script-state']});
  };
  segui();
}"""


def _porta() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    ripetizioni = int(sys.argv[2]) if len(sys.argv) > 2 else 9
    cartella = tempfile.mkdtemp(prefix="cer-docs-bench-browser-")
    os.environ["CER_DOCS_DATA_DIR"] = cartella
    os.environ.pop("CER_DOCS_DATABASE_URL", None)
    from genera_pratica import genera_pratica
    from playwright.sync_api import sync_playwright

    from cer_docs.services import archivio

    pratica = genera_pratica(n)
    codice = archivio.importa_pratica(pratica, autore="bench").codice
    porta = _porta()
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(RADICE / "ui" / "app.py"), "--server.port", str(porta),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"], cwd=RADICE, env=dict(os.environ),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{porta}"
    try:
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1):
                    break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGOMENTI, headless=True)
            pagina = browser.new_page(viewport={"width": 1366, "height": 900})
            pagina.goto(f"{url}/procedura?pratica={codice}&passo=comunita", wait_until="domcontentloaded")
            pagina.get_by_text("Atto costitutivo").first.wait_for(timeout=120_000)
            radio = pagina.locator("[data-testid='stRadio'] label")
            # fasi di ogni clic viste dal browser: quando lo script parte e quando finisce (attributo
            # data-test-script-state), per separare il tempo del server da quello del disegno
            pagina.evaluate(OSSERVA_FASI)
            tempi, riferimento, fasi = [], [], []
            for i in range(ripetizioni + 1):
                t0 = time.perf_counter()
                radio.filter(has_text="Comunità").first.click()
                pagina.wait_for_timeout(50)
                pagina.get_by_text("Atto costitutivo").first.wait_for(timeout=120_000)
                pagina.wait_for_function(FERMO_SENZA_TABELLA, timeout=120_000, polling=10)
                if i:
                    riferimento.append((time.perf_counter() - t0) * 1000)
                pagina.wait_for_timeout(300)
                pagina.evaluate("() => { window.__fasi = []; window.__clic = performance.now(); }")
                t0 = time.perf_counter()
                radio.filter(has_text="Soggetti e membri").first.click()
                pagina.wait_for_timeout(50)        # il clic fa partire lo script
                pagina.wait_for_function(FERMO, timeout=120_000, polling=10)
                if i:                               # la prima è il riscaldamento
                    tempi.append((time.perf_counter() - t0) * 1000)
                    fasi.append(pagina.evaluate("() => ({clic: window.__clic, fasi: window.__fasi, "
                                                "fine: performance.now()})"))
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=15)
    mediana = statistics.median(tempi)
    print(f"Pratica {codice}: {len(pratica.membri)} membri. Clic su «Soggetti e membri» → pagina ferma, "
          f"{ripetizioni} ripetizioni:")
    print(f"  mediana {mediana:.0f} ms, min {min(tempi):.0f} ms, max {max(tempi):.0f} ms "
          f"(obiettivo < {OBIETTIVO_MS} ms: {'raggiunto' if mediana < OBIETTIVO_MS else 'NON raggiunto'})")
    print(f"  riferimento, clic su «Comunità» (modulo senza tabella): mediana {statistics.median(riferimento):.0f} ms, "
          f"min {min(riferimento):.0f} ms")
    avvio, script, disegno = [], [], []
    for f in fasi:
        partito = next((t for stato, t in f["fasi"] if stato == "running"), None)
        finito = next((t for stato, t in reversed(f["fasi"]) if stato == "notRunning"), None)
        if partito is None or finito is None:
            continue
        avvio.append(partito - f["clic"])
        script.append(finito - partito)
        disegno.append(f["fine"] - finito)
    if script:
        print(f"  fasi (mediane, viste dal browser): clic → script partito {statistics.median(avvio):.0f} ms, "
              f"script in esecuzione {statistics.median(script):.0f} ms, fine dello script → pagina ferma "
              f"{statistics.median(disegno):.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

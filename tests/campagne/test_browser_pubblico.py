"""Il modulo pubblico in un browser vero (Chromium di Debian), a larghezza di telefono."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
pytestmark = pytest.mark.browser
playwright = pytest.importorskip("playwright.sync_api")
if not Path(CHROMIUM).exists():
    pytest.skip("Chromium di Debian non installato", allow_module_level=True)

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _porta() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


@pytest.fixture
def server(tmp_path):
    env = dict(os.environ, CER_DOCS_DATA_DIR=str(tmp_path / "dati"))
    env.pop("CER_DOCS_DATABASE_URL", None)
    prep = ("import datetime as dt\n"
            "from cer_docs.campagne.file import carica_campagna\n"
            "from cer_docs.services import campagne\n"
            f"fc = carica_campagna({str(ROOT / 'samples/campagne/avviso-san-godenzo.yaml')!r})\n"
            "c = fc.campagna.model_copy(update={'stato': 'aperta', 'scadenza': dt.date.today() + dt.timedelta(days=30)})\n"
            "campagne.crea_campagna(c, fc.candidature)\n")
    subprocess.run([sys.executable, "-c", prep], env=env, check=True, cwd=ROOT)
    porta = _porta()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "ui" / "modulo_pubblico.py"),
                             "--server.port", str(porta), "--server.headless", "true",
                             "--browser.gatherUsageStats", "false", "--client.toolbarMode", "viewer", "--server.maxUploadSize", "6"], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{porta}"
    for _ in range(120):
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=1)
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("il server Streamlit non è partito")
    yield url
    proc.terminate()
    proc.wait(timeout=20)


def test_modulo_a_larghezza_telefono(server, tmp_path):
    out = Path(os.environ.get("CER_DOCS_SCREENSHOTS", tmp_path))
    out.mkdir(parents=True, exist_ok=True)
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=1)
        page.goto(server + "/?campagna=mi-san-godenzo-2026", wait_until="networkidle")
        page.get_by_text("Invia la candidatura").wait_for(timeout=60_000)
        corpo = page.inner_text("body")
        assert "Traceback" not in corpo
        assert "Comune di San Godenzo" in corpo
        # niente scorrimento orizzontale a larghezza di telefono
        larghezza = page.evaluate("document.documentElement.scrollWidth")
        assert larghezza <= 400, larghezza
        page.set_viewport_size({"width": 390, "height": 3200})
        page.wait_for_timeout(500)
        page.screenshot(path=str(out / "pubblico-telefono.png"))
        page.get_by_label("Nome *", exact=True).fill("Anna")
        page.get_by_label("Cognome *", exact=True).fill("Rinaldi")
        page.get_by_label("Codice fiscale *", exact=True).fill("RNLNNA85M41D612X")
        page.get_by_label("Indirizzo *", exact=True).fill("Via Roma 1")
        page.get_by_label("CAP *", exact=True).fill("50060")
        page.get_by_label("Comune *", exact=True).fill("San Godenzo")
        page.get_by_label("Provincia *", exact=True).fill("FI")
        page.get_by_label("Codice POD dell'utenza", exact=True).fill("IT001E00112299")
        page.get_by_text("Ho letto l'informativa").click()
        page.get_by_text("Invia la candidatura").click()
        page.get_by_text("non è stata inviata").wait_for(timeout=60_000)
        page.screenshot(path=str(out / "pubblico-telefono-errore.png"))
        assert "Traceback" not in page.inner_text("body")
        browser.close()
    if "CER_DOCS_SCREENSHOTS" not in os.environ:
        shutil.rmtree(out, ignore_errors=True)

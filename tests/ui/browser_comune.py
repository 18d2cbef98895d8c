"""Aiuti condivisi dai test nel browser vero (Chromium di Debian con Playwright).

Un solo avviatore del server Streamlit (``avvia_streamlit``), le attese sullo stato dello script e
la fotografia della pagina intera. Le fixture ``browser`` e ``schermate`` stanno in ``conftest.py``.
Mai ``playwright install``: si usa ``/usr/bin/chromium``.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from aiuti_server import attendi_salute

CHROMIUM = Path("/usr/bin/chromium")
RADICE = Path(__file__).resolve().parents[2]
APP = RADICE / "ui" / "app.py"
ARGOMENTI_CHROMIUM = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                      "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LARGHEZZE = {"computer": (1366, 900), "telefono": (390, 844)}

# da mettere in ``pytestmark`` di ogni file di test nel browser
SEGNI_BROWSER = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="manca /usr/bin/chromium (pacchetto Debian chromium)"),
]


def porta_libera() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ambiente(dati: Path, **variabili: str) -> dict[str, str]:
    """L'ambiente di un processo di prova: archivio SQLite in ``dati``, mai il database dell'utente."""
    env = {**os.environ, "CER_DOCS_DATA_DIR": str(dati), **variabili}
    env.pop("CER_DOCS_DATABASE_URL", None)
    return env


@contextlib.contextmanager
def avvia_streamlit(dati: Path, env: Mapping[str, str] | None = None,
                    opzioni: tuple[str, ...] = ()) -> Iterator[str]:
    """Avvia ``streamlit run ui/app.py`` su una porta libera con l'archivio in ``dati``; dà l'URL.

    ``env`` sostituisce l'ambiente (di solito da ``ambiente``); ``opzioni`` si aggiungono alla riga
    di comando di Streamlit. Alla fine il server si ferma (e, se non risponde, si uccide)."""
    env = dict(env) if env is not None else ambiente(dati, CER_DOCS_AUTORE="Prova browser")
    porta = porta_libera()
    cmd = [sys.executable, "-m", "streamlit", "run", str(APP), "--server.port", str(porta),
           "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none", *opzioni]
    with server_in_prova(cmd, env, porta, dati / "streamlit.log") as url:
        yield url


@contextlib.contextmanager
def server_in_prova(cmd: list[str], env: Mapping[str, str], porta: int, registro: Path) -> Iterator[str]:
    """Avvia il server di ``cmd`` (in ascolto su ``porta``, uscita in ``registro``), aspetta che risponda
    e dà l'URL; alla fine lo ferma (e, se non risponde, lo uccide)."""
    with open(registro, "wb") as log:
        proc = subprocess.Popen(cmd, cwd=RADICE, env=dict(env), stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{porta}"
        try:
            if not attendi_salute(url):
                pytest.fail("il server non è partito: " + registro.read_text(errors="replace"))
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


def script_fermo(pagina) -> None:
    """Aspetta che Streamlit dica, sul suo contenitore, che lo script non sta girando."""
    pagina.wait_for_function(
        "() => { const a = document.querySelector('[data-test-script-state]');"
        " return a && a.getAttribute('data-test-script-state') === 'notRunning'; }", timeout=90_000)


class Esecuzioni:
    """Le esecuzioni dello script finite, contate sui messaggi di Streamlit che arrivano alla pagina
    (``script_finished`` riuscito, sul websocket). Si crea subito dopo ``new_page``, prima di aprire l'app.

    ``script_fermo`` da solo non basta dopo un clic: finché il messaggio del browser non ha fatto partire lo
    script, la pagina dice ancora «notRunning» e mostra il passo di prima (sotto carico anche per più di
    300 ms); e se i messaggi arrivano mentre il browser è occupato, React applica «running» e «notRunning»
    nello stesso disegno e lo stato «running» non si vede mai. Contare le esecuzioni finite non dipende
    da nessuno dei due tempi."""

    _per_pagina: dict[int, "Esecuzioni"] = {}

    def __init__(self, pagina) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        self._forward = ForwardMsg
        self.pagina = pagina
        self.finite = 0
        pagina.on("websocket", lambda ws: ws.on("framereceived", self._messaggio))
        Esecuzioni._per_pagina[id(pagina)] = self

    @classmethod
    def di(cls, pagina) -> "Esecuzioni":
        return cls._per_pagina[id(pagina)]

    def _messaggio(self, dati) -> None:
        if not isinstance(dati, (bytes, bytearray)):
            return
        msg = self._forward.FromString(bytes(dati))
        if msg.WhichOneof("type") == "script_finished" and msg.script_finished == self._forward.FINISHED_SUCCESSFULLY:
            self.finite += 1

    @contextlib.contextmanager
    def dopo(self, timeout_ms: int = 90_000) -> Iterator[None]:
        """``with esecuzioni.dopo(): clic...``: all'uscita lo script rilanciato dall'azione è finito e la
        pagina lo mostra (stato fermo, nessun elemento della corsa di prima)."""
        prima = self.finite
        yield
        scadenza = time.monotonic() + timeout_ms / 1000
        while self.finite <= prima:
            if time.monotonic() > scadenza:
                raise AssertionError("dopo l'azione lo script non è stato rieseguito")
            self.pagina.wait_for_timeout(20)
        script_fermo(self.pagina)
        self.pagina.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')", timeout=timeout_ms)


def attendi(pagina, testo: str) -> None:
    """Aspetta che ``testo`` compaia e che la pagina sia ferma."""
    pagina.get_by_text(testo, exact=False).first.wait_for(timeout=90_000)
    script_fermo(pagina)
    pagina.wait_for_timeout(600)  # le tabelle (canvas) si disegnano subito dopo


def controlla_e_fotografa(pagina, cartella: Path, nome: str) -> None:
    """Nessun errore né traccia nella pagina; poi la schermata della pagina intera in ``cartella``."""
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


@contextlib.contextmanager
def app_con_campione(cartella: Path, campione: str, autore: str) -> Iterator[str]:
    """L'app avviata con un archivio nuovo in ``cartella/dati`` che contiene solo il campione ``campione``
    (un file di ``samples/``); dà l'URL. Chi la usa imposta prima ``CER_DOCS_DATA_DIR`` su quella cartella
    (``monkeypatch.setenv``), perché l'importazione e le letture del test vadano nello stesso archivio."""
    from cer_docs.services import archivio

    dati = cartella / "dati"
    assert os.environ.get("CER_DOCS_DATA_DIR") == str(dati), "imposta CER_DOCS_DATA_DIR prima"
    dati.mkdir(exist_ok=True)
    archivio.importa_file(Path(__file__).resolve().parents[2] / "samples" / campione, autore="prova")
    with avvia_streamlit(dati, ambiente(dati, CER_DOCS_AUTORE=autore)) as indirizzo:
        yield indirizzo

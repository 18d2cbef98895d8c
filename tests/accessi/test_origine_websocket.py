"""Il WebSocket dell'app si apre solo dalla stessa origine e con i nomi consentiti.

Streamlit comanda l'app da un WebSocket. Con ``server.enableCORS=false`` lo accetterebbe da una pagina
di qualunque sito aperta nel browser di chi usa cer-docs (in modalità personale, senza login: lettura
e modifica delle pratiche); con un nome qualsiasi nell'intestazione Host, un sito potrebbe arrivarci
col DNS rebinding. Qui un server vero, avviato con la riga di comando di ``cer-docs avvia``, e una
richiesta di apertura del WebSocket fatta a mano."""

from __future__ import annotations

import base64
import os
import socket

import pytest

from cer_docs.cli.avvia import APP_UI, HOST_LOCALI, comando_streamlit
from tests.ui.browser_comune import ambiente, porta_libera, server_in_prova


def _apri_websocket(porta: int, host: str, origine: str | None) -> int:
    """Lo stato HTTP della richiesta di apertura del WebSocket di Streamlit (101 = aperto)."""
    chiave = base64.b64encode(os.urandom(16)).decode()
    righe = [f"GET /_stcore/stream HTTP/1.1", f"Host: {host}", "Upgrade: websocket", "Connection: Upgrade",
             f"Sec-WebSocket-Key: {chiave}", "Sec-WebSocket-Version: 13", "Sec-WebSocket-Protocol: streamlit"]
    if origine is not None:
        righe.append(f"Origin: {origine}")
    with socket.create_connection(("127.0.0.1", porta), timeout=10) as s:
        s.sendall(("\r\n".join(righe) + "\r\n\r\n").encode())
        risposta = s.recv(4096).decode("latin-1")
    return int(risposta.split(" ", 2)[1])


@pytest.fixture(scope="module")
def porta_app(tmp_path_factory):
    dati = tmp_path_factory.mktemp("origine")
    porta = porta_libera()
    cmd = comando_streamlit(APP_UI, porta, "127.0.0.1", ["--server.fileWatcherType", "none"], host=list(HOST_LOCALI))
    with server_in_prova(cmd, ambiente(dati), porta, dati / "streamlit.log"):
        yield porta
    assert "enableCORS=false" not in (dati / "streamlit.log").read_text(errors="replace"), \
        "Streamlit avvisa che CORS è spento"


def test_la_pagina_dell_app_apre_il_suo_websocket(porta_app):
    assert _apri_websocket(porta_app, f"127.0.0.1:{porta_app}", f"http://127.0.0.1:{porta_app}") == 101
    assert _apri_websocket(porta_app, f"localhost:{porta_app}", f"http://localhost:{porta_app}") == 101


def test_una_pagina_di_un_altro_sito_non_apre_il_websocket(porta_app):
    assert _apri_websocket(porta_app, f"127.0.0.1:{porta_app}", "https://sito-ostile.example") != 101
    assert _apri_websocket(porta_app, f"127.0.0.1:{porta_app}", "null") != 101


def test_un_nome_non_consentito_non_apre_il_websocket(porta_app):
    """DNS rebinding: il sito ostile fa puntare il suo nome a 127.0.0.1; la richiesta è «stessa origine»
    ma porta il suo nome nell'intestazione Host."""
    host = f"ostile.example:{porta_app}"
    assert _apri_websocket(porta_app, host, f"http://{host}") != 101

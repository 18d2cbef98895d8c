"""Le date nei messaggi della verifica si scrivono all'italiana («1° gennaio 2030»), non «01/01/2030»."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cer_docs.model import load_pratica
from cer_docs.rules import verifica

ESEMPIO = Path(__file__).resolve().parents[2] / "samples" / "pratica-esempio.yaml"


def test_firma_dell_atto_nel_futuro_con_la_data_in_lettere():
    pratica = load_pratica(ESEMPIO)
    pratica.comunita.atto_costitutivo.data = dt.date(2030, 1, 1)
    rilievi = {r.codice: r.messaggio for r in verifica(pratica, dt.date(2026, 12, 2))}
    assert "1° gennaio 2030" in rilievi["COM_ATTO_FUTURO"]
    assert all("/20" not in m for m in rilievi.values()), [m for m in rilievi.values() if "/20" in m]

"""I fatti derivati, una sola definizione per regole, scadenze e documenti."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cer_docs.model import load_pratica
from cer_docs.model.pratica import Rappresentante
from cer_docs.rules import fatti

ESEMPIO = Path(__file__).resolve().parents[2] / "samples" / "pratica-esempio.yaml"


def test_sesso_dichiarato_prevale_sul_codice_fiscale():
    assert fatti.sesso_da_codice_fiscale("BNCGLI82P43B036N") == "F"
    assert fatti.sesso_da_codice_fiscale("RSSMRA75D12D612N") == "M"
    assert fatti.sesso_da_codice_fiscale("RSSMRA75DQ1D612N") == "F"   # omocodia nel giorno (Q = 5 → 51)
    assert fatti.sesso_da_codice_fiscale("80012340487") is None       # codice di un ente
    assert fatti.sesso(Rappresentante(nome="Andrea", codice_fiscale="RSSMRA75D12D612N", sesso="F")) == "F"
    assert fatti.sesso(Rappresentante(nome="Andrea")) is None


def test_firmatario_di_persona_e_di_ente():
    p = load_pratica(ESEMPIO)
    giulia = fatti.firmatario(p.soggetto("bianchi-giulia"))
    assert (giulia.nome, giulia.sesso, giulia.per_ente) == ("Giulia Bianchi", "F", None)
    comune = fatti.firmatario(p.soggetto("comune-san-godenzo"))
    assert (comune.nome, comune.sesso, comune.per_ente, comune.carica) == (
        "Paolo Marini", "M", "Comune di San Godenzo", "Sindaco pro tempore")


def test_membri_attivi_alla_data():
    p = load_pratica(ESEMPIO)
    p.membri[1].data_recesso = dt.date(2025, 1, 31)
    assert "rossi-mario" in {m.soggetto for m in fatti.membri_attivi(p, dt.date(2025, 1, 30))}
    assert "rossi-mario" not in {m.soggetto for m in fatti.membri_attivi(p, dt.date(2025, 1, 31))}
    assert "rossi-mario" not in fatti.ids_membri_attivi(p, dt.date(2025, 10, 1))


def test_serve_mandato():
    p = load_pratica(ESEMPIO)
    conf = p.configurazioni[0]
    assert not fatti.serve_mandato(p, conf)          # la comunità stessa è referente
    conf.referente.qualifica = "membro"
    assert fatti.serve_mandato(p, conf)
    conf.tipo, conf.referente.qualifica = "AID", "autoconsumatore"
    assert not fatti.serve_mandato(p, conf)


def test_classificazione_ateco_alla_data():
    p = load_pratica(ESEMPIO)
    s = p.soggetto("il-poggio")
    assert fatti.classificazione_ateco(s, dt.date(2025, 1, 2)) == 2025   # dichiarata
    s.classificazione_ateco = None
    assert fatti.classificazione_ateco(s, dt.date(2025, 3, 31)) == 2007
    assert fatti.classificazione_ateco(s, dt.date(2025, 4, 1)) == 2025

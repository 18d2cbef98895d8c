"""Il generatore dei benchmark produce pratiche valide, e l'archivio le conserva intere."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import pytest
from stdnum.it import codicefiscale as cf_check
from stdnum.it import iva

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.genera_pratica import codice_fiscale_persona, genera_pratica, partita_iva  # noqa: E402


@pytest.fixture(scope="module")
def pratica():
    return genera_pratica(400, seed=3)


def test_forma(pratica):
    assert len(pratica.membri) == 400
    assert len({s.id for s in pratica.soggetti}) == len(pratica.soggetti)
    [conf] = pratica.configurazioni
    assert conf.tipo == "CER" and len(pratica.configurazioni) == 1
    assert {p.cabina_primaria for p in conf.punti_connessione} == {conf.cabina_primaria}
    pods = [p.pod for p in conf.punti_connessione]
    assert len(set(pods)) == len(pods) == 400
    assert all(re.fullmatch(r"IT001E\d{8}", p) for p in pods)
    assert 2 <= len(conf.impianti) <= 10
    tipi = [pratica.soggetto(m.soggetto).tipo for m in pratica.membri]
    assert tipi.count("persona_fisica") > 0.9 * len(tipi) and "impresa" in tipi
    assert {m.ruolo for m in pratica.membri if pratica.soggetto(m.soggetto).tipo == "persona_fisica"} <= {
        "consumatore", "prosumer"}


def test_identificativi_validi(pratica):
    for s in pratica.soggetti:
        assert cf_check.is_valid(s.codice_fiscale), s.id
        if s.tipo == "persona_fisica":
            assert cf_check.get_birth_date(s.codice_fiscale) == s.nato_il
        if s.partita_iva:
            assert iva.is_valid(s.partita_iva), s.id
        if s.codice_ateco:
            assert not s.codice_ateco.startswith("35.")


def test_codice_fiscale_come_la_libreria():
    from codicefiscale import codicefiscale

    for nome, cognome, sesso, nato, luogo, catastale in [
        ("Mario", "Rossi", "M", dt.date(1975, 4, 12), "Firenze", "D612"),
        ("Giulia", "Bianchi", "F", dt.date(1982, 9, 3), "Borgo San Lorenzo", "B036"),
        ("Ilaria", "De Luca", "F", dt.date(2001, 12, 31), "Empoli", "D403"),
        ("Gianfranco", "Fo", "M", dt.date(1940, 1, 1), "Roma", "H501"),
    ]:
        atteso = codicefiscale.encode(lastname=cognome, firstname=nome, gender=sesso,
                                      birthdate=nato.isoformat(), birthplace=luogo)
        assert codice_fiscale_persona(nome, cognome, sesso, nato, catastale) == atteso


def test_partita_iva_valida():
    assert all(iva.is_valid(partita_iva(n)) for n in range(0, 10_000_000, 999_983))


def test_nessun_errore_dalle_regole(pratica):
    from cer_docs.rules import verifica

    errori = [r for r in verifica(pratica, dt.date(2026, 11, 22)) if r.gravita == "errore"]
    assert errori == []


def test_deterministica():
    assert genera_pratica(50, seed=9) == genera_pratica(50, seed=9)
    assert genera_pratica(50, seed=9) != genera_pratica(50, seed=10)


def test_pratica_grande_nell_archivio(arch, pratica):
    aperta = arch.importa_pratica(pratica, "bench")
    assert arch.apri(aperta.codice).pratica == pratica
    assert arch.elenco_pratiche()[0].numero_membri == 400

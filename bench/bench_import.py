"""Benchmark dell'archivio: importazione, esportazione e riapertura di una pratica grande.

    .venv/bin/python bench/bench_import.py [--membri 10000] [--ripetizioni 5] [--seed 1]

SQLite sempre (file in una cartella temporanea), PostgreSQL se ``TEST_DATABASE_URL`` è
impostata (uno schema temporaneo, eliminato alla fine). Stampa la mediana dei tempi.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.genera_pratica import genera_pratica  # noqa: E402
from cer_docs.model import dumps_yaml, parse_text  # noqa: E402
from cer_docs.services.archivio import Archivio  # noqa: E402
from cer_docs.store import create_store_engine, encode_pratica, migrate  # noqa: E402


def _cronometra(fn: Callable[[], object]) -> tuple[float, object]:
    t0 = time.perf_counter()
    risultato = fn()
    return time.perf_counter() - t0, risultato


def _giro(url: str, pratica) -> dict[str, float]:  # noqa: ANN001
    engine = create_store_engine(url)
    try:
        migrate(engine)
        arch = Archivio(engine)
        tempi: dict[str, float] = {}
        tempi["importa"], aperta = _cronometra(lambda: arch.importa_pratica(pratica, "bench"))
        tempi["riapri"], riaperta = _cronometra(lambda: arch.apri(aperta.codice))
        tempi["esporta yaml"], _ = _cronometra(lambda: arch.esporta(aperta.codice, "yaml"))
        tempi["esporta json"], _ = _cronometra(lambda: arch.esporta(aperta.codice, "json"))
        p = riaperta.pratica.model_copy(deep=True)
        p.pratica.stato = "richiesta_inviata"
        tempi["salva"], _ = _cronometra(lambda: arch.salva(aperta.codice, p, riaperta.versione, "bench", "prova"))
        tempi["elenco"], _ = _cronometra(arch.elenco_pratiche)
        assert riaperta.pratica == pratica, "la pratica riaperta è diversa da quella importata"
        return tempi
    finally:
        engine.dispose()


def _sqlite(pratica, ripetizioni: int) -> list[dict[str, float]]:  # noqa: ANN001
    giri = []
    for _ in range(ripetizioni):
        with tempfile.TemporaryDirectory() as d:
            giri.append(_giro(f"sqlite:///{d}/bench.db", pratica))
    return giri


def _postgresql(base: str, pratica, ripetizioni: int) -> list[dict[str, float]]:  # noqa: ANN001
    admin = sa.create_engine(base)
    giri = []
    try:
        for _ in range(ripetizioni):
            schema = f"bench_{uuid.uuid4().hex[:10]}"
            with admin.begin() as c:
                c.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
            try:
                url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
                giri.append(_giro(url.render_as_string(hide_password=False), pratica))
            finally:
                with admin.begin() as c:
                    c.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
    finally:
        admin.dispose()
    return giri


def _stampa(nome: str, giri: list[dict[str, float]]) -> None:
    print(f"\n{nome} (mediana di {len(giri)} giri, database nuovo a ogni giro)")
    for voce in giri[0]:
        valori = [g[voce] for g in giri]
        print(f"  {voce:<14} {statistics.median(valori) * 1000:9.1f} ms   (min {min(valori) * 1000:.1f}, "
              f"max {max(valori) * 1000:.1f})")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="Tempi dell'archivio con una pratica grande.")
    ap.add_argument("--membri", type=int, default=10_000)
    ap.add_argument("--ripetizioni", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)

    t_gen, pratica = _cronometra(lambda: genera_pratica(args.membri, args.seed))
    json_testo = encode_pratica(pratica)
    yaml_testo = dumps_yaml(pratica)
    t_parse, _ = _cronometra(lambda: parse_text(yaml_testo, "bench.yaml"))
    print(f"Pratica di prova: {len(pratica.membri)} membri, {len(pratica.soggetti)} soggetti, "
          f"{len(pratica.configurazioni[0].punti_connessione)} POD, {len(pratica.configurazioni[0].impianti)} impianti")
    print(f"  generazione    {t_gen * 1000:9.1f} ms")
    print(f"  lettura YAML   {t_parse * 1000:9.1f} ms   (file di {len(yaml_testo.encode()) / 1e6:.1f} MB)")
    print(f"  documento JSON nel database: {len(json_testo.encode()) / 1e6:.1f} MB")

    _stampa("SQLite", _sqlite(pratica, args.ripetizioni))
    base = os.environ.get("TEST_DATABASE_URL")
    if base:
        _stampa("PostgreSQL", _postgresql(base, pratica, args.ripetizioni))
    else:
        print("\nPostgreSQL: saltato (TEST_DATABASE_URL non impostata)")


if __name__ == "__main__":
    main()

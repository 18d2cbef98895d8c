"""Misura: verifica di una pratica generata con 10.000 membri (obiettivo: meno di 5 s su 2 core).

Uso: .venv/bin/python bench/bench_verifica.py [N_MEMBRI] [RIPETIZIONI]
Stampa tempi di lettura del file YAML, di validazione del modello e di verifica delle regole.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from genera_pratica import genera_pratica  # noqa: E402

from cer_docs.model import dumps_yaml, load_pratica  # noqa: E402
from cer_docs.rules import verifica  # noqa: E402


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    ripetizioni = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    al = dt.date(2026, 11, 22)
    pratica = genera_pratica(n)
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "pratica.yaml"
        f.write_text(dumps_yaml(pratica), encoding="utf-8")
        size = f.stat().st_size
        letture, verifiche = [], []
        for _ in range(ripetizioni):
            t0 = time.perf_counter()
            p = load_pratica(f)
            t1 = time.perf_counter()
            rilievi = verifica(p, al)
            t2 = time.perf_counter()
            letture.append(t1 - t0)
            verifiche.append(t2 - t1)
    errori = sum(1 for r in rilievi if r.gravita == "errore")
    print(f"Pratica generata: {n} membri, {len(pratica.soggetti)} soggetti, file YAML {size / 1e6:.1f} MB")
    print(f"lettura + validazione del file: mediana {statistics.median(letture):.2f} s "
          f"(min {min(letture):.2f}, max {max(letture):.2f})")
    print(f"verifica delle regole:          mediana {statistics.median(verifiche):.2f} s "
          f"(min {min(verifiche):.2f}, max {max(verifiche):.2f})")
    tot = [a + b for a, b in zip(letture, verifiche)]
    print(f"totale (come `cer-docs verifica`): mediana {statistics.median(tot):.2f} s; rilievi {len(rilievi)}, errori {errori}")


if __name__ == "__main__":
    main()

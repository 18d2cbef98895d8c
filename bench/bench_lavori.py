"""Banco di prova della generazione come lavoro in sottofondo (issue 18).

Sulla pratica di riferimento (SQLite in una cartella temporanea) misura, mediana di N giri:

- la generazione diretta (``procedura.genera_documenti``) di statuto, atto costitutivo e
  regolamento in DOCX e PDF;
- la stessa generazione come lavoro, dall'accodamento alla fine, con il thread dell'app che la
  prende (``assicura_esecutore_locale``): la differenza è il costo della coda (presa, avanzamento
  scritto nel database, chiusura);
- l'attesa tra l'accodamento e l'inizio del lavoro (il thread viene svegliato dall'accodamento).

Uso: ``.venv/bin/python bench/bench_lavori.py [--giri 5]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PRATICA = ROOT / "samples" / "pratica-esempio.yaml"
AL = dt.date(2025, 10, 20)
DOCUMENTI = ["statuto", "atto_costitutivo", "regolamento"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--giri", type=int, default=5)
    args = ap.parse_args()
    os.environ["CER_DOCS_DATA_DIR"] = tempfile.mkdtemp(prefix="cer-bench-lavori-")
    os.environ.pop("CER_DOCS_DATABASE_URL", None)

    from cer_docs.services import archivio, lavori
    from cer_docs.services import procedura as proc

    archivio.importa_file(PRATICA, autore="bench")
    aperta = archivio.apri("cer-colline-sieve")
    proc.genera_documenti(aperta.pratica, DOCUMENTI, bozza=True, al=AL)  # avvio una tantum
    lavori.assicura_esecutore_locale()

    diretta, lavoro, attesa = [], [], []
    for _ in range(args.giri):
        t = time.perf_counter()
        proc.genera_documenti(aperta.pratica, DOCUMENTI, bozza=True, al=AL, versione=aperta.versione)
        diretta.append(time.perf_counter() - t)

        lav = lavori.accoda_generazione("cer-colline-sieve", DOCUMENTI, bozza=True, al=AL)
        stato = lavori.attendi(lav.id, secondi=600, ogni=1.0)  # rilegge ogni secondo, come la pagina
        # i tempi dal database (scritti da chi accoda e da chi esegue), non dal ciclo d'attesa
        lavoro.append((stato.finito_il - stato.creato_il).total_seconds())
        attesa.append((stato.iniziato_il - stato.creato_il).total_seconds())
        assert stato.stato == "fatto", stato.errore

    lavori.ferma_esecutori_locali()
    carico = os.getloadavg()[0]
    print(f"generazione diretta:  mediana {statistics.median(diretta):.2f} s")
    print(f"come lavoro:          mediana {statistics.median(lavoro):.2f} s "
          f"(attesa prima dell'inizio: mediana {statistics.median(attesa) * 1000:.0f} ms)")
    print(f"carico medio della macchina: {carico:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Misura: la tabella «Soggetti e membri» e l'importazione dei membri, senza interfaccia.

Per una pratica con N membri: lettura delle righe della tabella, salvataggio della tabella senza
modifiche (conversione, controlli di ogni riga, convalida), lettura di un CSV di M righe (conversione e
controlli di ogni riga del file) e aggiunta di 100 membri con POD e impianti. Mediana di R ripetizioni.
Funziona anche sul codice di prima (`procedura.aggiungi_soggetti`), per il confronto in RISULTATI.md.

Uso: .venv/bin/python bench/bench_soggetti.py [N_MEMBRI] [RIGHE_CSV] [RIPETIZIONI]
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time
from pathlib import Path

QUI = Path(__file__).resolve().parent
sys.path.insert(0, str(QUI))
sys.path.insert(0, str(QUI.parent))


def _mediana(fn, ripetizioni: int) -> float:
    tempi = []
    for _ in range(ripetizioni):
        t0 = time.perf_counter()
        fn()
        tempi.append((time.perf_counter() - t0) * 1000)
    return statistics.median(tempi)


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    righe_csv = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
    ripetizioni = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    from genera_pratica import genera_pratica

    from cer_docs.services import importazione as imp
    from cer_docs.services import procedura as proc

    oggi = dt.date(2026, 12, 1)
    pratica = genera_pratica(n)
    righe = proc.righe_soggetti(pratica)
    csv = ("nome;cognome;comune;provincia;ruolo;data di adesione\n"
           + "".join(f"Nome{i};Cognome{i};Vicchio;FI;consumatore;01/02/2026\n" for i in range(righe_csv))).encode()
    con_pod = ("nome;cognome;comune;provincia;ruolo;data di adesione;POD;potenza impianto kW\n"
               + "".join(f"Nuovo{i};Membro{i};Vicchio;FI;prosumer;01/02/2026;IT001E{7000000 + i:08d};"
                         f"{'4,5' if i % 3 == 0 else ''}\n" for i in range(100))).encode()
    aggiungi = getattr(imp, "aggiungi_soggetti", None) or proc.aggiungi_soggetti
    esito = imp.leggi_membri(con_pod, "pod.csv", pratica=pratica, oggi=oggi)
    assert not esito.problemi, esito.problemi[:3]
    misure = {
        f"righe della tabella ({len(righe)} soggetti)": lambda: proc.righe_soggetti(pratica),
        "salvataggio senza modifiche": lambda: proc.applica_soggetti(pratica, righe, oggi),
        f"lettura di un CSV di {righe_csv} righe": lambda: imp.leggi_membri(csv, "m.csv", pratica=pratica, oggi=oggi),
        "aggiunta di 100 membri con POD e 34 impianti": lambda: aggiungi(pratica, esito.righe, oggi, configurazione=0),
    }
    print(f"{n} membri, {ripetizioni} ripetizioni")
    for nome, fn in misure.items():
        print(f"{nome:<48}{_mediana(fn, ripetizioni):>10.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

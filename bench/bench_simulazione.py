"""Misura: motore orario della simulazione economica su 500 punti, 20 impianti, un anno (obiettivo < 1 s).

Uso: .venv/bin/python bench/bench_simulazione.py [N_PUNTI] [N_IMPIANTI] [RIPETIZIONI]
Misura separatamente il motore numpy (energia condivisa, anzianità, tariffa, F ed esenti,
valorizzazione, quota eccedentaria, contributi dei membri) e il riparto al centesimo.
Non è un test: nessuna soglia.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time
from decimal import Decimal

import numpy as np

from cer_docs.economia import dati, fotovoltaico
from cer_docs.economia.motore import ImpiantoSim, IngressoConfigurazione, calcola
from cer_docs.economia.riparto import Avente, in_centesimi, ripartisci
from cer_docs.economia.simulazione import _parametri


def main() -> None:
    n_punti = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    n_imp = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    ripetizioni = int(sys.argv[3]) if len(sys.argv) > 3 else 7
    rng = np.random.default_rng(16)
    cal = dati.calendario_anno(2026)
    base, _ = dati.profilo_domestico(cal, "Lombardia", 3.0)
    prelievi = base[None, :] * rng.uniform(0.5, 3.0, (n_punti, 1)) * rng.lognormal(0, 0.3, (n_punti, cal.n))
    spec = fotovoltaico.produzione_specifica(cal, 45.46, 9.19)
    potenze = rng.uniform(5, 1000, n_imp).round(1)
    immissioni = spec[None, :] * potenze[:, None] * rng.uniform(0.7, 1.0, (n_imp, 1))
    impianti = [ImpiantoSim(f"imp{k}", float(potenze[k]), (int(rng.integers(0, 2000)), k),
                            fattore_f=float(rng.choice([0.0, 0.0, 0.3, 0.5])), correzione_euro_mwh=10.0)
                for k in range(n_imp)]
    prezzi = np.repeat(dati.prezzi_zonali(cal, "NORD")[None, :], n_imp, axis=0)
    esenti = rng.random(n_punti) < 0.4
    ing = IngressoConfigurazione("bench", prelievi, esenti, immissioni, impianti, prezzi,
                                 _parametri(dt.date(2026, 1, 1), "CER"))
    motore, riparti = [], []
    for _ in range(ripetizioni):
        t0 = time.perf_counter()
        r = calcola(ing)
        t1 = time.perf_counter()
        aventi = [Avente(f"p{i}", f"p{i}", peso_consumo=float(c)) for i, c in enumerate(r.contributo_prelievo_kwh)]
        aventi += [Avente(f"imp{k}", f"imp{k}", peso_produzione=float(c)) for k, c in enumerate(r.contributo_immissione_kwh)]
        netto = in_centesimi(float(r.tariffa_euro.sum()) + r.valorizzazione_euro)
        rip = ripartisci(netto_cent=netto, eccedenza_cent=in_centesimi(r.quota_eccedentaria_euro),
                         percentuali={"spese_gestione": Decimal(10), "produttori": Decimal(40),
                                      "consumatori": Decimal(40), "fondo_sociale": Decimal(10)},
                         aventi=aventi, terzi=[], eccedenza_ai_consumatori=True)
        t2 = time.perf_counter()
        motore.append(t1 - t0)
        riparti.append(t2 - t1)
    print(f"{n_punti} punti, {n_imp} impianti, {cal.n} ore: energia condivisa {r.condivisa.sum() / 1e6:.2f} GWh, "
          f"tariffa premio {r.tariffa_euro.sum():,.0f} €, riparto su {len(rip.membri_cent)} aventi")
    print(f"motore orario (numpy): mediana {statistics.median(motore) * 1000:.0f} ms "
          f"(min {min(motore) * 1000:.0f}, max {max(motore) * 1000:.0f})")
    print(f"riparto al centesimo:  mediana {statistics.median(riparti) * 1000:.0f} ms")
    tot = [a + b for a, b in zip(motore, riparti)]
    print(f"totale: mediana {statistics.median(tot) * 1000:.0f} ms (obiettivo < 1000 ms)")


if __name__ == "__main__":
    main()

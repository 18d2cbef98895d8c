"""Misura: errore del metodo fotovoltaico senza rete contro l'anno tipo PVGIS nel suo sito (45° N 8° E).

Uso: .venv/bin/python bench/bench_fotovoltaico.py
Riferimento: stessa catena PVWatts con la radiazione diretta e diffusa di PVGIS (trasposizione Perez);
metodo: indice di serenità su cielo sereno Haurwitz, Erbs, Hay-Davies (cer_docs/economia/fotovoltaico.py).
Non è un test: nessuna soglia.
"""

from __future__ import annotations

import time

import numpy as np

from cer_docs.economia import dati, fotovoltaico


def main() -> None:
    t = dati.anno_tipo_pvgis()
    for incl, orient in ((30, 0), (15, -45), (35, 30)):
        t0 = time.perf_counter()
        metodo, rif = fotovoltaico.produzione_riferimento_pvgis(incl, orient)
        dt_ = time.perf_counter() - t0
        mm = np.bincount(t["mese"], weights=metodo)[1:]
        mr = np.bincount(t["mese"], weights=rif)[1:]
        mensile = (mm / mr - 1) * 100
        nrmse = np.sqrt(((metodo - rif) ** 2).mean()) / rif[rif > 0].mean() * 100
        print(f"{incl}°, orientamento {orient:+d}°: metodo {metodo.sum():.0f} kWh/kW, PVGIS {rif.sum():.0f} kWh/kW, "
              f"annuo {(metodo.sum() / rif.sum() - 1) * 100:+.1f} %, mensile da {mensile.min():+.1f} a "
              f"{mensile.max():+.1f} %, scarto quadratico orario {nrmse:.1f} % ({dt_:.2f} s)")
    cal = dati.calendario_anno(2026)
    for nome, lat, lon in (("Torino", 45.07, 7.69), ("Firenze", 43.77, 11.26), ("Roma", 41.90, 12.50),
                           ("Bari", 41.12, 16.87), ("Palermo", 38.12, 13.36)):
        print(f"{nome}: {fotovoltaico.produzione_specifica(cal, lat, lon).sum():.0f} kWh/kW (30°, sud)")


if __name__ == "__main__":
    main()

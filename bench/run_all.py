"""Esegue tutte le misure in bench/ e ne stampa i risultati (non sono test: nessuna soglia)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

QUI = Path(__file__).resolve().parent


def main() -> int:
    codice = 0
    for script in sorted(QUI.glob("bench_*.py")):
        print(f"\n### {script.name}", flush=True)
        r = subprocess.run([sys.executable, str(script)], cwd=QUI.parent)
        codice = codice or r.returncode
    return codice


if __name__ == "__main__":
    raise SystemExit(main())

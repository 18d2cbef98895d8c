"""Salute del codice di ``cer_docs/practice``: come per le regole, niente numeri o date di legge nel codice."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PRACTICE = Path(__file__).resolve().parents[2] / "cer_docs" / "practice"

_CONSENTITI = {0, 1, 2, 100, 0.01, 0.1}
# scelte di presentazione, non di legge: finestra "imminente" e promemoria del calendario,
# lunghezza dell'impronta negli UID
_CONSENTITI_PER_FILE = {"scadenze.py": {30}, "ics.py": {7, 16}}


@pytest.mark.parametrize("f", sorted(PRACTICE.glob("*.py")), ids=lambda f: f.name)
def test_nessun_numero_o_data_di_legge(f):
    albero = ast.parse(f.read_text(encoding="utf-8"))
    ammessi = _CONSENTITI | _CONSENTITI_PER_FILE.get(f.name, set())
    for nodo in ast.walk(albero):
        if isinstance(nodo, ast.Constant) and type(nodo.value) in (int, float):
            assert nodo.value in ammessi, (
                f"{f.name}:{nodo.lineno}: numero {nodo.value} nel codice della pratica; se viene dalla legge va in "
                "rules/params/ con data e fonte")
        if (isinstance(nodo, ast.Call) and getattr(nodo.func, "attr", getattr(nodo.func, "id", "")) == "date"
                and nodo.args and all(isinstance(a, ast.Constant) for a in nodo.args)):
            raise AssertionError(f"{f.name}:{nodo.lineno}: data letterale nel codice della pratica")


def test_nessun_orologio():
    for f in PRACTICE.glob("*.py"):
        testo = f.read_text(encoding="utf-8")
        for vietato in ("date.today(", "datetime.now(", "datetime.today(", "time.time(", "datetime.utcnow("):
            assert vietato not in testo, f"{f.name} legge l'orologio ({vietato})"

"""Snapshot del testo di ogni documento e variante, per ogni pratica in ``samples/``.

Il testo canonico (una riga per paragrafo o voce, ``⟦a:…⟧`` attorno ai passaggi degli
elementi essenziali) si confronta con ``tests/documents/golden/<pratica>/<caso>.txt``.
Per aggiornare gli snapshot dopo una modifica voluta dei modelli:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/documents/test_golden.py

e rileggere il diff prima di salvarlo. Una pratica aggiunta a ``samples/`` senza snapshot
viene saltata con un messaggio finché non si rigenerano gli snapshot.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
from pathlib import Path

import pytest
from aiuti_documenti import FORME, FORME_ATTO, SAMPLES

from cer_docs.documents import catalogo as cat
from cer_docs.documents.struttura import testo_canonico as canonico
from cer_docs.model import ErrorePratica, load_pratica

GOLDEN = Path(__file__).parent / "golden"
AGGIORNA = os.environ.get("UPDATE_GOLDEN") == "1"
AL_RO2024 = dt.date(2025, 1, 10)


def _al(pratica) -> dt.date:
    return pratica.pratica.aggiornata_il or dt.date(2026, 11, 20)


def _casi():
    """(pratica, caso, funzione che produce il testo)."""
    casi = []
    for f in sorted(SAMPLES.glob("*.y*ml")) + sorted(SAMPLES.glob("*.json")):
        try:
            p0 = load_pratica(f)
        except ErrorePratica:
            continue  # i file d'esempio volutamente invalidi non hanno documenti

        def fa(path=f, forma=None, atto=None, doc="statuto", conf=None, al=None):
            def testo():
                p = load_pratica(path)
                if forma:
                    p.comunita.forma_giuridica = forma
                if atto:
                    p.comunita.atto_costitutivo.forma = atto
                rs, _ = cat.richieste(p, [doc])
                r = next(x for x in rs if conf is None or (x.configurazione and x.configurazione.id == conf))
                return canonico(cat.risolvi(p, r, al or _al(p)))
            return testo

        stem = f.stem
        if p0.comunita is not None:
            for forma in FORME:
                casi.append((stem, f"statuto--{forma}", fa(forma=forma)))
            casi.append((stem, "statuto--ro2024", fa(al=AL_RO2024)))
            for atto in FORME_ATTO:
                casi.append((stem, f"atto_costitutivo--{atto}", fa(atto=atto, doc="atto_costitutivo")))
            casi.append((stem, "statuto_gse", fa(doc="statuto_gse")))
        for c in p0.configurazioni:
            if c.tipo in ("CER", "AUC"):
                casi.append((stem, f"regolamento--{c.id}", fa(doc="regolamento", conf=c.id)))
            if c.tipo == "AUC" and p0.comunita is None:
                casi.append((stem, f"atto_costitutivo_gruppo--{c.id}", fa(doc="atto_costitutivo_gruppo", conf=c.id)))
        # documenti del pacchetto: uno snapshot per documento prodotto
        rs0, _ = cat.richieste(p0, list(cat.ORDINE_PACCHETTO))
        for r0 in rs0:
            def testo_pacchetto(path=f, chiave=r0.chiave):
                p = load_pratica(path)
                rs, _ = cat.richieste(p, list(cat.ORDINE_PACCHETTO))
                r = next(x for x in rs if x.chiave == chiave)
                return canonico(cat.risolvi(p, r, _al(p)))
            nome = r0.tipo.id + (f"--{r0.oggetto}" if r0.oggetto else "")
            casi.append((stem, nome, testo_pacchetto))
    # documenti delle campagne di manifestazione di interesse
    from cer_docs.campagne.file import carica_campagna
    from cer_docs.documents.contesti import contesto_campagna
    from cer_docs.documents.motore import resolve
    from cer_docs.documents.specifiche import load_spec

    for f in sorted((SAMPLES / "campagne").glob("*.y*ml")):
        for doc in ("avviso_manifestazione", "modulo_manifestazione"):
            def testo_campagna(path=f, doc=doc):
                c = carica_campagna(path).campagna
                al = c.data_pubblicazione or dt.date(2026, 11, 20)
                return canonico(resolve(load_spec(doc), contesto_campagna(c, al)))
            casi.append((f"campagna-{f.stem}", doc, testo_campagna))
    return casi


CASI = _casi()


@pytest.mark.parametrize("pratica,caso,produci", CASI, ids=[f"{a}/{b}" for a, b, _ in CASI])
def test_snapshot_del_testo(pratica, caso, produci):
    f = GOLDEN / pratica / f"{caso}.txt"
    testo = produci()
    if AGGIORNA:
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(testo, encoding="utf-8")
        return
    if not f.exists():
        pytest.skip(f"manca lo snapshot {f.relative_to(GOLDEN.parent)}: rigeneralo con UPDATE_GOLDEN=1 "
                    "e rileggilo prima di salvarlo")
    atteso = f.read_text(encoding="utf-8")
    if testo != atteso:
        diff = "".join(difflib.unified_diff(atteso.splitlines(True), testo.splitlines(True),
                                            "snapshot", "generato", n=1))
        pytest.fail(f"il testo di {pratica}/{caso} è cambiato (UPDATE_GOLDEN=1 per accettarlo):\n{diff[:6000]}")


def test_nessuno_snapshot_orfano():
    attesi = {(a, b) for a, b, _ in CASI}
    for f in GOLDEN.rglob("*.txt"):
        pratica = f.parent.name
        if not any(SAMPLES.glob(f"{pratica}.*")):
            continue  # la pratica d'esempio non c'è più: lo snapshot resta finché qualcuno lo toglie
        assert (pratica, f.stem) in attesi, f"snapshot senza caso corrispondente: {f.relative_to(GOLDEN)}"

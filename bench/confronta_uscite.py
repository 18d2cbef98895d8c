"""Confronto delle uscite di due copie del progetto: documenti risolti e DOCX, parte per parte.

Serve a chi rende più veloce la risoluzione o lo scrittore DOCX: prima e dopo la modifica i
documenti devono essere gli stessi. Per ogni pratica d'esempio (``samples/*.yaml``, più una
pratica generata da ``bench/genera_pratica.py`` con 30 membri e la campagna d'esempio), in
bozza e no, per ogni documento producibile: ``repr`` del documento risolto, testo canonico,
avvisi del contesto e il DOCX (ogni parte dello ZIP, e lo ZIP intero).

Uso::

    # le uscite di una copia (nella sua radice, in un processo a sé)
    PYTHONPATH=/tmp/base python bench/confronta_uscite.py scarica /tmp/uscite-prima
    PYTHONPATH=$PWD      python bench/confronta_uscite.py scarica /tmp/uscite-dopo
    python bench/confronta_uscite.py confronta /tmp/uscite-prima /tmp/uscite-dopo

``scarica`` scrive in un solo processo tutte le pratiche di seguito (come un processo server
che genera per più pratiche): un'uscita che dipende da ciò che si è generato prima si vede.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import sys
import zipfile
from io import BytesIO
from pathlib import Path

AL = dt.date(2025, 10, 20)
ESEMPI = Path(__file__).resolve().parents[1] / "samples"


def _pratiche():
    from cer_docs.model import load_pratica

    for f in sorted(ESEMPI.glob("*.yaml")):
        yield f.stem, load_pratica(f)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from bench.genera_pratica import genera_pratica

    yield "generata-30", genera_pratica(30)


def scarica(cartella: Path) -> None:
    from cer_docs.documents import catalogo as cat
    from cer_docs.documents.scrittura_docx import render_docx
    from cer_docs.documents.struttura import testo_canonico

    cartella.mkdir(parents=True, exist_ok=True)
    indice: dict[str, dict] = {}
    # come ``services.documenti.genera``: i documenti di una pratica in una generazione (dove c'è)
    generazione = getattr(cat, "una_generazione", contextlib.nullcontext)
    for nome, p in _pratiche():
        for bozza in (False, True):
            richieste, note = cat.richieste(p, list(cat.TUTTI), AL)
            with generazione():
                coppie = [(r, cat.contesto_per(p, r, AL)) for r in richieste]
            for r, ctx in coppie:
                doc = cat.risolvi(p, r, AL, bozza=bozza, contesto=ctx)
                chiave = f"{nome}{'-bozza' if bozza else ''}/{cat.nome_file(p, r)}"
                docx = render_docx(doc)
                parti = {}
                with zipfile.ZipFile(BytesIO(docx)) as z:
                    for info in z.infolist():
                        dati = z.read(info.filename)
                        parti[info.filename] = hashlib.sha256(dati).hexdigest()
                        dest = cartella / chiave / info.filename
                        dest.parent.mkdir(parents=True, exist_ok=True)
                        dest.write_bytes(dati)
                indice[chiave] = {
                    "repr": hashlib.sha256(repr(doc).encode()).hexdigest(),
                    "canonico": hashlib.sha256(testo_canonico(doc).encode()).hexdigest(),
                    "avvisi": ctx.avvisi, "note": note, "lacune": doc.lacune,
                    "docx": hashlib.sha256(docx).hexdigest(), "parti": parti,
                }
                (cartella / chiave / "canonico.txt").write_text(testo_canonico(doc), encoding="utf-8")
                (cartella / chiave / "repr.txt").write_text(repr(doc), encoding="utf-8")
    from cer_docs.documents.contesti import contesto_campagna
    from cer_docs.documents.motore import resolve
    from cer_docs.documents.specifiche import load_spec
    from cer_docs.campagne.file import carica_campagna

    for f in sorted((ESEMPI / "campagne").glob("*.yaml")):
        c = carica_campagna(f)
        c = getattr(c, "campagna", c)
        ctx = contesto_campagna(c, AL)
        for d in ("avviso_manifestazione", "modulo_manifestazione"):
            doc = resolve(load_spec(d), ctx)
            docx = render_docx(doc)
            indice[f"campagna-{f.stem}/{d}"] = {
                "repr": hashlib.sha256(repr(doc).encode()).hexdigest(),
                "canonico": hashlib.sha256(testo_canonico(doc).encode()).hexdigest(),
                "avvisi": ctx.avvisi, "docx": hashlib.sha256(docx).hexdigest(),
            }
    (cartella / "indice.json").write_text(json.dumps(indice, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"{len(indice)} documenti in {cartella}")


def confronta(a: Path, b: Path) -> int:
    ia = json.loads((a / "indice.json").read_text(encoding="utf-8"))
    ib = json.loads((b / "indice.json").read_text(encoding="utf-8"))
    diversi = 0
    if set(ia) != set(ib):
        print("documenti diversi:", sorted(set(ia) ^ set(ib)))
        diversi += 1
    zip_uguali = 0
    for k in sorted(set(ia) & set(ib)):
        x, y = ia[k], ib[k]
        for campo in ("repr", "canonico", "avvisi", "note", "lacune"):
            if x.get(campo) != y.get(campo):
                print(f"{k}: {campo} diverso")
                diversi += 1
        for parte in sorted(set(x.get("parti", {})) | set(y.get("parti", {}))):
            if x["parti"].get(parte) != y["parti"].get(parte):
                print(f"{k}: parte {parte} diversa")
                diversi += 1
        zip_uguali += x["docx"] == y["docx"]
    print(f"{len(ia)} documenti; differenze: {diversi}; ZIP identici byte per byte: {zip_uguali}/{len(ia)}")
    return 1 if diversi else 0


if __name__ == "__main__":
    if sys.argv[1] == "scarica":
        scarica(Path(sys.argv[2]))
    elif sys.argv[1] == "confronta":
        raise SystemExit(confronta(Path(sys.argv[2]), Path(sys.argv[3])))
    else:
        raise SystemExit(__doc__)

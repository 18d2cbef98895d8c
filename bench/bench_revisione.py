"""Banco di prova del giro dell'avvocato sullo statuto e sull'atto della pratica di riferimento.

Misura (mediana di 5 giri) il confronto clausola per clausola con le identità, il confronto
tutto per contenuto (file senza segnalibri né proprietà), la redline e l'unione a tre vie.

Uso: ``.venv/bin/python bench/bench_revisione.py [--giri 5]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import statistics
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "documents"))

from lxml import etree  # noqa: E402

from avvocato import cambia_frase, elimina_clausola, q, sposta_articolo  # noqa: E402
from cer_docs.documents import catalogo as cat  # noqa: E402
from cer_docs.documents.confronto import confronta  # noqa: E402
from cer_docs.documents.redline import redline_docx  # noqa: E402
from cer_docs.documents.scrittura_docx import render_docx  # noqa: E402
from cer_docs.documents.unione import unisci_docx  # noqa: E402
from cer_docs.model import load_pratica  # noqa: E402

AL = dt.date(2025, 10, 20)


def _genera(p, tipo: str) -> bytes:
    r = cat.richieste(p, [tipo])[0][0]
    return render_docx(cat.risolvi(p, r, AL))


def _senza_identita(dati: bytes) -> bytes:
    z = zipfile.ZipFile(io.BytesIO(dati))
    radice = etree.fromstring(z.read("word/document.xml"))
    for b in list(radice.iter(q("bookmarkStart"), q("bookmarkEnd"))):
        b.getparent().remove(b)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zo:
        for info in z.infolist():
            if info.filename != "docProps/custom.xml":
                zo.writestr(info, etree.tostring(radice) if info.filename == "word/document.xml" else z.read(info))
    return out.getvalue()


def _misura(f, giri: int) -> float:
    tempi = []
    for _ in range(giri):
        t = time.perf_counter()
        f()
        tempi.append(time.perf_counter() - t)
    return statistics.median(tempi)


def main() -> None:
    a = argparse.ArgumentParser()
    a.add_argument("--giri", type=int, default=5)
    giri = a.parse_args().giri
    p = load_pratica(ROOT / "samples" / "pratica-esempio.yaml")
    g = _genera(p, "statuto")
    m = sposta_articolo(elimina_clausola(cambia_frase(g, "cl_sede_trasferimento", "nell'ambito", "all'interno"),
                                         "cl_recesso_libero"), "art_dati", "cl_durata_illimitata")
    nuda = _senza_identita(m)
    atto = _genera(p, "atto_costitutivo")
    (rossi,) = [s for s in p.soggetti if s.id == "rossi-mario"]
    rossi.residenza.indirizzo = "Via dei Mille 8"
    atto_nuovo = _genera(p, "atto_costitutivo")
    atto_avv = cambia_frase(atto, "A1_cl_sede_trasferimento", "nell'ambito", "all'interno")
    righe = [
        ("confronto statuto con identità", _misura(lambda: confronta(g, m), giri)),
        ("confronto statuto tutto per contenuto", _misura(lambda: confronta(g, nuda), giri)),
        ("redline statuto", _misura(lambda: redline_docx(g, m), giri)),
        ("unione a tre vie atto costitutivo", _misura(lambda: unisci_docx(atto_avv, atto_nuovo, base=atto), giri)),
    ]
    for nome, t in righe:
        print(f"{nome:45} {t * 1000:8.0f} ms")


if __name__ == "__main__":
    main()

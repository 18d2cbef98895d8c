"""``genera`` scrive ogni file appena fatto: annullamento pulito, dossier e zip dai file identici a
quelli fatti in memoria, nessun accumulo dei byte di tutti i documenti."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
import textwrap
import tracemalloc
from pathlib import Path

import pytest

from cer_docs.services import documenti as svc
from cer_docs.services import documenti_dossier as dos

ROOT = Path(__file__).resolve().parents[2]
ESEMPIO = ROOT / "samples" / "pratica-esempio.yaml"
AL = dt.date(2025, 10, 20)


class Annullato(Exception):
    pass


def _stato(cartella: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(cartella.iterdir())}


@pytest.mark.parametrize("quando", ["primo documento", "quarto documento", "file", "dossier"])
def test_annullare_da_avanzamento_lascia_la_cartella_di_prima(tmp_path, quando):
    """Chi annulla un lavoro solleva un'eccezione dentro ``avanzamento``: a ogni chiamata, anche
    mentre i documenti si impaginano, l'eccezione arriva al chiamante, la cartella di prima resta
    intatta e non resta nessuna cartella temporanea."""
    out = tmp_path / "out"
    svc.genera(ESEMPIO, out, documenti=["statuto", "dsan"], formati=["docx"], al=AL)
    prima = _stato(out)
    preparati: list[str] = []

    def avanzamento(fatti: int, totale: int, cosa: str) -> None:
        if cosa.startswith(svc.PREPARO):
            preparati.append(cosa)
            if quando == "primo documento" or (quando == "quarto documento" and len(preparati) == 4):
                raise Annullato()
        elif quando == "file" and cosa != "dossier" and fatti == 2:
            raise Annullato()  # durante la resa dei file
        if quando == "dossier" and cosa == "dossier":
            raise Annullato()

    with pytest.raises(Annullato):
        svc.genera(ESEMPIO, out, al=AL, formati=["docx", "pdf"] if quando in ("dossier", "file") else ["docx"],
                   documenti=["statuto", "dsan", "regolamento"], dossier=quando == "dossier",
                   avanzamento=avanzamento)
    assert _stato(out) == prima
    assert [p.name for p in tmp_path.iterdir()] == ["out"], "nessuna cartella temporanea accanto"


def test_avanzamento_conta_i_file_e_solo_cresce(tmp_path):
    """L'avanzamento conta i file: il totale è lo stesso dall'inizio alla fine, i file scritti solo
    crescono (una barra che non torna indietro), ogni file del manifest è annunciato una volta, dopo
    la preparazione del suo documento."""
    chiamate: list[tuple[int, int, str]] = []
    svc.genera(ESEMPIO, tmp_path / "out", documenti=["statuto", "regolamento"], al=AL,
               avanzamento=lambda f, t, c: chiamate.append((f, t, c)))
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())["documenti"]
    assert {t for _, t, _ in chiamate} == {len(manifest)} == {4}
    fatti = [f for f, _, _ in chiamate]
    assert fatti == sorted(fatti)
    file = [(f, c) for f, _, c in chiamate if not c.startswith(svc.PREPARO)]
    assert [f for f, _ in file] == list(range(4))
    assert sorted(c for _, c in file) == sorted(m["file"] for m in manifest)
    preparati = [c[len(svc.PREPARO):] for _, _, c in chiamate if c.startswith(svc.PREPARO)]
    assert len(preparati) == 2
    descrizioni = [c for _, _, c in chiamate]
    for nome in preparati:
        primo_file = next(i for i, c in enumerate(descrizioni) if c.startswith(nome + "."))
        assert descrizioni.index(svc.PREPARO + nome) < primo_file


_ANNULLA_IN_PARALLELO = textwrap.dedent("""
    import datetime as dt, json, os, sys, threading
    from pathlib import Path
    from cer_docs.documents import parallelo
    from cer_docs.services import documenti as svc
    parallelo.thread_di_impaginazione = lambda n: 2 if n > 1 else 0   # i PDF nei thread anche su un core
    out = Path(sys.argv[2])
    class Annullato(Exception): pass
    visti = []
    def avanzamento(fatti, totale, cosa):
        visti.append(cosa)
        if cosa.endswith(".pdf"):
            raise Annullato()
    try:
        svc.genera(sys.argv[1], out, documenti=["statuto", "regolamento", "dsan"], al=dt.date(2025, 10, 20),
                   avanzamento=avanzamento)
        esito = "finito"
    except Annullato:
        esito = "annullato"
    print(json.dumps({"esito": esito, "thread": sorted(t.name for t in threading.enumerate()),
                      "accanto": sorted(p.name for p in out.parent.iterdir())}))
""")


def test_annullare_durante_la_resa_in_parallelo_chiude_i_thread(tmp_path):
    r = subprocess.run([sys.executable, "-c", _ANNULLA_IN_PARALLELO, str(ESEMPIO), str(tmp_path / "out")],
                       capture_output=True, text=True, timeout=600, cwd=str(ROOT),
                       env={**__import__("os").environ, "PYTHONPATH": str(ROOT)})
    assert r.returncode == 0, r.stderr
    esito = json.loads(r.stdout.strip().splitlines()[-1])
    assert esito["esito"] == "annullato"
    assert esito["thread"] == ["MainThread"], "nessun thread d'impaginazione resta vivo"
    assert esito["accanto"] == [], "nessuna cartella (né temporanea né a metà)"


def test_dossier_e_zip_dai_file_uguali_a_quelli_in_memoria(tmp_path):
    out = tmp_path / "out"
    esito = svc.genera(ESEMPIO, out, documenti=["statuto", "atto_costitutivo", "dsan", "registro_membri"], al=AL,
                       dossier=True)
    m = json.loads((out / "manifest.json").read_text())
    pdf = [f for f in m["documenti"] if f["formato"] == "pdf"]
    voci_mem = [dos.VoceDossier(f["documento"], f["file"], f["file"], (out / f["file"]).read_bytes()) for f in pdf]
    voci_file = [dos.VoceDossier(f["documento"], f["file"], f["file"], percorso=out / f["file"], pagine=f["pagine"])
                 for f in pdf]
    in_memoria = dos.pdf_unico(voci_mem, "Dossier", "CER")
    pagine = dos.pdf_unico_su_file(voci_file, tmp_path / "d.pdf", "Dossier", "CER")
    assert (tmp_path / "d.pdf").read_bytes() == in_memoria
    from pypdf import PdfReader

    assert pagine == len(PdfReader(io.BytesIO(in_memoria)).pages)

    file = [(f["file"], out / f["file"]) for f in m["documenti"]]
    dos.zip_su_file(file, tmp_path / "z.zip")
    assert (tmp_path / "z.zip").read_bytes() == dos.zip_di([(n, p.read_bytes()) for n, p in file])
    # e il dossier scritto da genera è quello del manifest
    import hashlib

    assert hashlib.sha256((out / m["dossier"]["zip"]["file"]).read_bytes()).hexdigest() == m["dossier"]["zip"]["sha256"]
    assert esito.dossier["pdf"]["pagine"] == len(PdfReader(out / m["dossier"]["pdf"]["file"]).pages)


def test_i_byte_dei_documenti_non_restano_in_memoria(tmp_path, monkeypatch):
    """Con scrittori finti che producono 4 MB per file, 30 file (120 MB) passano per ``genera``
    senza che la memoria allocata superi di molto quella di un paio di file."""
    from cer_docs.documents import scrittura_pdf

    monkeypatch.setenv("CER_DOCS_PDF_SEQUENZIALE", "1")
    monkeypatch.setenv("CER_DOCS_CACHE_DOCUMENTI", "0")
    grande = 4 * 1024 * 1024
    n = [0]

    def finto(tag: bytes) -> bytes:
        n[0] += 1
        return tag + n[0].to_bytes(4, "big") * (grande // 4)

    monkeypatch.setattr(svc, "render_docx", lambda doc: finto(b"PK"))
    monkeypatch.setattr(scrittura_pdf.Impaginatore, "pdf_e_pagine", lambda self, doc: (finto(b"%PDF"), 1))
    tracemalloc.start()
    try:
        esito = svc.genera(ESEMPIO, tmp_path / "out", documenti=[d for d in svc.DOCUMENTI if d != "statuto_gse"],
                           al=AL, dossier=False)
        _, picco = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    scritti = sum((tmp_path / "out" / f.file).stat().st_size for f in esito.file)
    assert len(esito.file) >= 20 and scritti >= 20 * grande
    assert picco < 6 * grande, f"picco {picco / 2**20:.0f} MB per {scritti / 2**20:.0f} MB scritti"


def test_dossier_a_flusso_per_i_pacchetti_grandi_ha_le_stesse_pagine_e_segnalibri(tmp_path, monkeypatch):
    """Oltre la soglia il dossier si scrive a flusso (un PDF alla volta in memoria): stesse pagine,
    stesso testo, stessi segnalibri annidati e stesse destinazioni del dossier fatto con pypdf. E
    così l'unione veloce dei PDF di Typst (``_concatena_typst``, la strada di ogni giorno)."""
    from pypdf import PdfReader

    out = tmp_path / "out"
    svc.genera(ESEMPIO, out, documenti=["statuto", "dsan", "registro_membri"], formati=["pdf"], al=AL)
    m = json.loads((out / "manifest.json").read_text())
    voci = [dos.VoceDossier(f["documento"], f"Titolo {f['file']}", f["file"], percorso=out / f["file"],
                            pagine=f["pagine"]) for f in m["documenti"]]
    n_veloce = dos.pdf_unico_su_file(voci, tmp_path / "veloce.pdf", "Dossier", "CER")
    monkeypatch.setattr(dos, "VELOCE", False)
    monkeypatch.setattr(dos, "SOGLIA_FLUSSO", 10_000)
    n_pypdf = dos.pdf_unico_su_file(voci, tmp_path / "pypdf.pdf", "Dossier", "CER")
    monkeypatch.setattr(dos, "SOGLIA_FLUSSO", 0)
    n_flusso = dos.pdf_unico_su_file(voci, tmp_path / "flusso.pdf", "Dossier", "CER")
    a, b = PdfReader(tmp_path / "pypdf.pdf"), PdfReader(tmp_path / "flusso.pdf")
    c = PdfReader(tmp_path / "veloce.pdf", strict=True)
    assert n_pypdf == n_flusso == n_veloce == len(a.pages) == len(b.pages) == len(c.pages)
    assert [p.extract_text() for p in a.pages] == [p.extract_text() for p in b.pages] == [p.extract_text()
                                                                                         for p in c.pages]

    def segnalibri(r, voci, livello=0):
        out = []
        for v in voci:
            if isinstance(v, list):
                out += segnalibri(r, v, livello + 1)
            else:
                out.append((livello, v.title, r.get_destination_page_number(v)))
        return out

    sa, sb, sc = segnalibri(a, a.outline), segnalibri(b, b.outline), segnalibri(c, c.outline)
    assert sa == sb == sc and len([s for s in sb if s[0] == 0]) == 1 + len(voci)
    assert any(livello == 1 for livello, _, _ in sb), "i segnalibri dei documenti restano annidati"
    assert b.metadata.title == c.metadata.title == "Dossier"

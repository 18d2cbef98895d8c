"""Banco di prova del pacchetto di documenti: processi interi di ``cer-docs genera``.

Ogni misura è un processo nuovo (``python -m cer_docs genera ...``, come lo script ``cer-docs``)
cronometrato da fuori, con la memoria massima (RSS) letta da ``/usr/bin/time -f``: è ciò che
aspetta chi lancia il comando. «A freddo» = cache dei documenti vuota (cartella dati nuova);
«a caldo» = seconda generazione con la stessa cartella dati. Il carico della macchina
(``/proc/loadavg``) si annota accanto a ogni misura: i core sono condivisi.

Scenari (``--scenari``, separati da virgola):

- ``riferimento``: ``samples/pratica-esempio.yaml``, pacchetto intero;
- ``valle``: ``samples/cer-valle-due-cabine.yaml`` (40 membri), pacchetto intero;
- ``modifica``: la pratica da 40 membri, poi la stessa con l'indirizzo di un membro cambiato
  (a cache calda: si rendono solo i documenti che cambiano);
- ``m500``: pratica generata da ``bench/genera_pratica.py`` con 500 membri, pacchetto intero;
- ``m10000``: 10.000 membri, solo statuto e registro dei membri;
- ``libreoffice``: statuto, atto costitutivo e regolamento nei due formati (a freddo) contro
  LibreOffice headless che converte gli stessi tre DOCX in PDF, nella stessa esecuzione.

Bytecode: prima di misurare il banco compila i moduli di ``cer_docs`` della radice misurata
(``compileall``, nelle cartelle ``__pycache__`` accanto ai sorgenti), come fa ``pip install`` per un
pacchetto installato. Senza, con ``PYTHONDONTWRITEBYTECODE=1`` nell'ambiente (così è in questa
macchina), ogni processo ricompilava dai sorgenti ~70 moduli (~0,15 s di CPU) che nessun utente di un
pacchetto installato paga. ``--senza-bytecode`` misura come prima (i ``__pycache__`` della radice
si tolgono).

``--formati docx`` misura solo il lato DOCX (contesti, risoluzione, scrittura, zip del dossier),
senza i PDF. ``--radice ALTRA`` misura il codice di un'altra copia del progetto (per esempio la versione
prima delle modifiche, estratta con ``git archive``) con gli stessi file di pratica.

Uso: ``.venv/bin/python bench/bench_pacchetto.py [--giri 3] [--scenari riferimento,valle] [--radice DIR]``
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

AL = "2025-10-20"
AL_TUTTI_AMMESSI = "2026-10-20"
"""Per le pratiche generate: le adesioni vanno fino a 330 giorni dopo la costituzione, e il registro alla
data elenca solo chi è già ammesso; a questa data ci sono tutti (l'opzione ripetuta vince sull'``AL``)."""


def _ambiente() -> dict[str, str]:
    """L'ambiente dei processi misurati: senza ``PYTHONPYCACHEPREFIX`` (il bytecode sta accanto ai sorgenti)."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONPYCACHEPREFIX"}


def _carico() -> str:
    return Path("/proc/loadavg").read_text().split()[0]


def genera(radice: Path, pratica: Path, out: Path, dati: Path, *extra: str) -> tuple[float, int, str, float]:
    """Un processo ``cer-docs genera``: (secondi, RSS massimo in MB, carico prima, secondi di CPU).

    Il tempo di CPU (utente + sistema, figli compresi) risente poco degli altri processi sulla
    macchina: è il confronto più stabile quando i core sono condivisi."""
    carico = _carico()
    env = dict(_ambiente(), PYTHONPATH=str(radice), CER_DOCS_DATA_DIR=str(dati),
               CER_DOCS_LIMITE_MEMBRI_MASSIMI_GENERA="20000", CER_DOCS_LIMITE_DOCUMENTI_MASSIMI_GENERA="5000")
    if FORMATI:
        extra = (*extra, "--formati", FORMATI)
    cmd = ["/usr/bin/time", "-f", "TEMPO %e %M %U %S", sys.executable, "-m", "cer_docs",
           "genera", str(pratica), "--out", str(out), "--al", AL, *extra]
    r = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=str(radice))
    riga = [x for x in r.stderr.splitlines() if x.startswith("TEMPO ")]
    if r.returncode != 0 or not riga:
        raise SystemExit(f"cer-docs genera non riuscito ({r.returncode}):\n{r.stderr[-3000:]}")
    _, secondi, kb, utente, sistema = riga[-1].split()
    return float(secondi), int(kb) // 1024, carico, round(float(utente) + float(sistema), 2)


def _pratica_generata(n: int, cartella: Path) -> Path:
    from bench.genera_pratica import genera_pratica
    from cer_docs.model.io import dumps_json

    p = cartella / f"pratica-{n}.json"
    if not p.exists():
        p.write_text(dumps_json(genera_pratica(n), indent=None), encoding="utf-8")
    return p


def _pratica_modificata(cartella: Path) -> tuple[Path, Path]:
    """La pratica da 40 membri e la stessa con la residenza di un membro cambiata."""
    prima = ROOT / "samples" / "cer-valle-due-cabine.yaml"
    testo = prima.read_text(encoding="utf-8")
    vecchio = 'residenza: {indirizzo: "Via Sandro Vannini 7"'
    assert vecchio in testo, "la pratica d'esempio è cambiata: aggiorna il banco"
    dopo = cartella / "cer-valle-due-cabine-modificata.yaml"
    dopo.write_text(testo.replace(vecchio, 'residenza: {indirizzo: "Via Sandro Vannini 9"', 1), encoding="utf-8")
    return prima, dopo


def _riga(nome: str, valori: list[tuple[float, int, str]]) -> dict:
    secondi = [v[0] for v in valori]
    return {"scenario": nome, "mediana_s": round(statistics.median(secondi), 2), "min_s": min(secondi),
            "max_s": max(secondi), "cpu_mediana_s": round(statistics.median(v[3] for v in valori), 2),
            "rss_max_mb": max(v[1] for v in valori), "carichi": [v[2] for v in valori]}


SOLO_FREDDO = False
FORMATI: str | None = None  # ``--formati``: passato a ogni ``cer-docs genera``


def misura_pacchetto(radice: Path, pratica: Path, giri: int, lavoro: Path, nome: str, *extra: str) -> list[dict]:
    freddi, caldi = [], []
    for g in range(giri):
        dati = lavoro / f"dati-{nome}-{g}"
        out = lavoro / f"out-{nome}-{g}"
        freddi.append(genera(radice, pratica, out, dati, *extra))
        if not SOLO_FREDDO:
            caldi.append(genera(radice, pratica, out, dati, *extra))
        shutil.rmtree(dati, ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)
    righe = [_riga(f"{nome} a freddo", freddi)]
    if caldi:
        righe.append(_riga(f"{nome} a caldo (cache piena, stessa pratica)", caldi))
    return righe


def misura_modifica(radice: Path, giri: int, lavoro: Path) -> list[dict]:
    prima, dopo = _pratica_modificata(lavoro)
    valori = []
    for g in range(giri):
        dati, out = lavoro / f"dati-mod-{g}", lavoro / f"out-mod-{g}"
        genera(radice, prima, out, dati)
        valori.append(genera(radice, dopo, out, dati))
        shutil.rmtree(dati, ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)
    return [_riga("valle: rigenerazione dopo il cambio di indirizzo di un membro", valori)]


def misura_libreoffice(radice: Path, giri: int, lavoro: Path) -> list[dict]:
    from cer_docs.documents.libreoffice import soffice

    eseguibile = soffice()
    if eseguibile is None:
        return [{"scenario": "libreoffice", "nota": "soffice non installato"}]
    pratica = ROOT / "samples" / "pratica-esempio.yaml"
    docs = "statuto,atto_costitutivo,regolamento"
    nostri, lo = [], []
    for g in range(giri):
        dati, out = lavoro / f"dati-lo-{g}", lavoro / f"out-lo-{g}"
        nostri.append(genera(radice, pratica, out, dati, "--documenti", docs))
        docx = sorted(out.glob("*.docx"))
        conv = lavoro / f"lo-{g}"
        conv.mkdir()
        carico = _carico()
        cpu0 = os.times()
        t = time.perf_counter()
        subprocess.run([eseguibile, f"-env:UserInstallation={(conv / 'profilo').as_uri()}", "--headless",
                        "--norestore", "--convert-to", "pdf", "--outdir", str(conv), *map(str, docx)],
                       check=True, capture_output=True, timeout=300)
        secondi = time.perf_counter() - t
        cpu1 = os.times()
        cpu = (cpu1.children_user - cpu0.children_user) + (cpu1.children_system - cpu0.children_system)
        lo.append((secondi, 0, carico, round(cpu, 2)))
        assert len(list(conv.glob("*.pdf"))) == len(docx)
        for c in (dati, out, conv):
            shutil.rmtree(c, ignore_errors=True)
    a, b = _riga("3 documenti costitutivi, DOCX + PDF, cer-docs a freddo", nostri), \
        _riga("LibreOffice headless: gli stessi 3 DOCX → PDF (solo conversione)", lo)
    a["rapporto_libreoffice_su_cer_docs"] = round(b["mediana_s"] / a["mediana_s"], 2)
    return [a, b]


_FASI = r"""
import io, json, sys, time, datetime as dt
def ora(): return time.perf_counter(), time.process_time()
fasi = {}
def segna(nome, t):
    w, c = ora(); fasi[nome] = (round(w - t[0], 3), round(c - t[1], 3)); return ora()
t = ora()
import cer_docs.cli as cli
if hasattr(cli, "_register_all"): cli._register_all()
t = segna("import della CLI (tutti i comandi)", t)
from cer_docs.documents import catalogo as cat
from cer_docs.documents.scrittura_docx import render_docx
from cer_docs.documents.scrittura_pdf import Impaginatore
try:
    from cer_docs.documents.scrittura_pdf import _weasy as _avvio_pdf   # versione con WeasyPrint
    NOME_PDF = "WeasyPrint"
except ImportError:
    from cer_docs.documents.scrittura_pdf import _compilatore as _avvio_pdf   # versione con Typst
    NOME_PDF = "Typst"
from cer_docs.model import load_pratica
from cer_docs.services import documenti_dossier as dos
t = segna("import dei moduli dei documenti", t)
_avvio_pdf(); t = segna("motore PDF: import e caratteri", t)
p = load_pratica(sys.argv[1]); al = dt.date(2025, 10, 20)
t = segna("lettura della pratica", t)
rich, _ = cat.richieste(p, list(cat.TUTTI) if sys.argv[2] == "tutti" else sys.argv[2].split(","), al)
docs = [cat.risolvi(p, r, al) for r in rich]
t = segna("risoluzione dei documenti", t)
for d in docs: render_docx(d)
t = segna("DOCX (python-docx)", t)
imp = Impaginatore(); pdf = [imp.pdf(d) for d in docs]
t = segna("PDF (in sequenza)", t)
if sys.argv[2] == "tutti":
    dos.pdf_unico([dos.VoceDossier(r.tipo.id, r.tipo.titolo, f"{i}.pdf", b) for i, (r, b) in enumerate(zip(rich, pdf))], "D", "CER")
    t = segna("dossier PDF (in memoria)", t)
fasi["documenti"] = len(docs)
print(json.dumps(fasi, ensure_ascii=False))
"""


def misura_fasi(radice: Path, pratica: Path, documenti: str) -> dict:
    """Le fasi dentro un processo (tempo reale e CPU), con API comuni alla versione vecchia e nuova."""
    env = dict(os.environ, PYTHONPATH=str(radice), CER_DOCS_PDF_SEQUENZIALE="1")
    r = subprocess.run([sys.executable, "-c", _FASI, str(pratica), documenti], env=env, capture_output=True,
                       text=True, cwd=str(radice))
    if r.returncode != 0:
        raise SystemExit(r.stderr[-3000:])
    return {"scenario": f"fasi: {pratica.name} ({documenti})", "carico": _carico(),
            "fasi (s reali, s CPU)": json.loads(r.stdout.strip().splitlines()[-1])}


def _bytecode(radice: Path, compila: bool) -> None:
    """Compila (o toglie) il bytecode dei moduli di ``cer_docs`` nella radice misurata."""
    pacchetto = radice / "cer_docs"
    if compila:
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(pacchetto)], check=True, env=_ambiente())
    else:
        for c in pacchetto.rglob("__pycache__"):
            shutil.rmtree(c, ignore_errors=True)
    print(json.dumps({"bytecode": "compilato prima" if compila else "dai sorgenti in ogni processo"}), flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--giri", type=int, default=3)
    ap.add_argument("--scenari", default="riferimento,valle,modifica,libreoffice")
    ap.add_argument("--radice", type=Path, default=ROOT, help="copia del progetto da misurare")
    ap.add_argument("--json", type=Path, help="scrive anche le righe in questo file")
    ap.add_argument("--solo-freddo", action="store_true", help="senza la seconda generazione a cache piena")
    ap.add_argument("--formati", help="solo questi formati (es. docx: il lato DOCX e contesti, senza i PDF)")
    ap.add_argument("--senza-bytecode", action="store_true",
                    help="non compilare prima i moduli (ogni processo li compila dai sorgenti, se "
                         "PYTHONDONTWRITEBYTECODE è attivo)")
    args = ap.parse_args()
    global SOLO_FREDDO, FORMATI
    SOLO_FREDDO = args.solo_freddo
    FORMATI = args.formati
    radice = args.radice.resolve()
    scenari = [s.strip() for s in args.scenari.split(",") if s.strip()]
    _bytecode(radice, not args.senza_bytecode)
    righe: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="bench-pacchetto-") as t:
        lavoro = Path(t)
        for s in scenari:
            prima = len(righe)
            if s == "riferimento":
                righe += misura_pacchetto(radice, ROOT / "samples" / "pratica-esempio.yaml", args.giri, lavoro, s)
            elif s == "valle":
                righe += misura_pacchetto(radice, ROOT / "samples" / "cer-valle-due-cabine.yaml", args.giri, lavoro, s)
            elif s == "modifica":
                righe += misura_modifica(radice, args.giri, lavoro)
            elif s == "m500":
                righe += misura_pacchetto(radice, _pratica_generata(500, lavoro), args.giri, lavoro, s,
                                          "--al", AL_TUTTI_AMMESSI)
            elif s == "m10000":
                righe += misura_pacchetto(radice, _pratica_generata(10_000, lavoro), args.giri, lavoro, s,
                                          "--documenti", "statuto,registro_membri", "--al", AL_TUTTI_AMMESSI)
            elif s == "fasi":
                righe.append(misura_fasi(radice, ROOT / "samples" / "pratica-esempio.yaml",
                                         "statuto,atto_costitutivo,regolamento"))
                righe.append(misura_fasi(radice, ROOT / "samples" / "cer-valle-due-cabine.yaml", "tutti"))
            elif s == "libreoffice":
                righe += misura_libreoffice(radice, args.giri, lavoro)
            else:
                raise SystemExit(f"scenario sconosciuto: {s}")
            for r in righe[prima:]:
                print(json.dumps(r, ensure_ascii=False), flush=True)
    if args.json:
        args.json.write_text(json.dumps(righe, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

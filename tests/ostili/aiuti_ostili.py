"""Aiuti per i test di input ostile: CLI in un processo con limiti di tempo e memoria, bombe generate al volo.

Ogni test guarda ciò che vede l'utente: codice d'uscita, messaggio italiano che nomina file e
campo, nessun traceback, tempo e memoria limitati (limiti del sistema operativo e timeout, mai
tempi misurati come asserzioni), nulla di salvato o scritto a metà.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import resource
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ESEMPIO = ROOT / "samples" / "pratica-esempio.yaml"
MEMORIA_MASSIMA = 1536 * 1024 * 1024   # spazio di indirizzamento di un comando (RLIMIT_AS)
TEMPO_MASSIMO = 90                      # secondi, su una macchina carica: una bomba ne chiedeva minuti


@dataclass
class Esito:
    codice: int
    out: str
    err: str

    @property
    def testo(self) -> str:
        return self.out + self.err


def _limiti(memoria: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memoria, memoria))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def cli(*args: str, env: dict[str, str] | None = None, memoria: int = MEMORIA_MASSIMA,
        tempo: int = TEMPO_MASSIMO, utente: int | None = None) -> Esito:
    """``cer-docs ARGS`` in un processo figlio con memoria limitata e timeout (il test fallisce se scade)."""
    ambiente = os.environ.copy()
    ambiente.update(env or {})
    ambiente["PYTHONPATH"] = str(ROOT) + os.pathsep + ambiente.get("PYTHONPATH", "")
    ambiente["CER_DOCS_PDF_SEQUENZIALE"] = "1"  # niente processi figli: la memoria limitata vale per tutto
    comando = [sys.executable, "-m", "cer_docs", *args]
    if utente is not None:
        comando = ["setpriv", f"--reuid={utente}", f"--regid={utente}", "--clear-groups", *comando]
    r = subprocess.run(comando, capture_output=True, text=True, cwd=ROOT, env=ambiente, timeout=tempo,
                       preexec_fn=lambda: _limiti(memoria))
    return Esito(r.returncode, r.stdout, r.stderr)


def cli_interno(*args: str) -> Esito:
    """``cer-docs ARGS`` nello stesso processo (veloce): per i casi che non rischiano tempo o memoria."""
    from typer.testing import CliRunner

    from cer_docs.cli import _register_all, app

    _register_all()
    r = CliRunner().invoke(app, list(args), prog_name="cer-docs")
    if r.exception is not None and not isinstance(r.exception, SystemExit):
        import traceback

        raise AssertionError("eccezione non gestita:\n" + "".join(traceback.format_exception(r.exception)))
    return Esito(r.exit_code, r.stdout, r.stderr)


_INGLESE = re.compile(r"Error:|Exception|Input should be|out of range|Value error|Permission denied|"
                      r"No space left|\bline \d|\bcolumn \d|Read-only file system")


def senza_traceback(e: Esito) -> None:
    """Né traceback né frasi inglesi del sistema o delle librerie in ciò che legge l'utente."""
    assert "Traceback" not in e.testo, e.testo[-3000:]
    m = _INGLESE.search(e.err)
    assert m is None, (m.group(), e.err[-2000:])


# --------------------------------------------------------------------------- bombe (generate, mai salvate nel repo)

_CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
       'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
       '+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
       'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
         '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
         'relationships/officeDocument" Target="word/document.xml"/></Relationships>')


def _scrivi_ripetuto(z: zipfile.ZipFile, nome: str, testa: bytes, blocco: bytes, volte: int, coda: bytes) -> None:
    with z.open(nome, "w", force_zip64=True) as f:
        f.write(testa)
        for _ in range(volte):
            f.write(blocco)
        f.write(coda)


def docx_bomba(path: Path, mb: int = 300) -> Path:
    """Un DOCX di poche centinaia di KB il cui ``document.xml`` si espande a ``mb`` MB."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        _scrivi_ripetuto(z, "word/document.xml",
                         b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                         b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>',
                         b" " * (1024 * 1024), mb, b"</w:t></w:r></w:p></w:body></w:document>")
    return path


def docx_indice_bugiardo(path: Path) -> Path:
    """Un DOCX il cui indice dichiara un ``document.xml`` piccolo ma i dati compressi ne contengono 50 MB."""
    docx_bomba(path, 50)
    dati = bytearray(path.read_bytes())
    # nell'indice centrale (dopo la firma PK\\x01\\x02) la dimensione decompressa sta a +24: la si riduce a 1 KB
    pos = 0
    while (pos := dati.find(b"PK\x01\x02", pos)) >= 0:
        nome_len = int.from_bytes(dati[pos + 28:pos + 30], "little")
        nome = bytes(dati[pos + 46:pos + 46 + nome_len])
        if nome == b"word/document.xml" and dati[pos + 24:pos + 28] != b"\xff\xff\xff\xff":
            dati[pos + 24:pos + 28] = (1024).to_bytes(4, "little")
        pos += 4
    path.write_bytes(bytes(dati))
    return path


def xlsx_bomba(path: Path, righe: int = 400_000) -> Path:
    """Un XLSX valido il cui foglio contiene centinaia di migliaia di righe (si comprime migliaia di volte)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["nome", "cognome", "codice fiscale"])
    modello = path.with_suffix(".modello.xlsx")
    wb.save(modello)
    with zipfile.ZipFile(modello) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for info in src.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                riga = b'<row><c t="inlineStr"><is><t>Mario</t></is></c><c t="inlineStr"><is><t>Rossi</t></is></c></row>'
                _scrivi_ripetuto(z, info.filename,
                                 b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                                 b'openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/>'
                                 b'<sheetData><row><c t="inlineStr"><is><t>nome</t></is></c><c t="inlineStr"><is>'
                                 b'<t>cognome</t></is></c></row>', riga * 1000, righe // 1000, b"</sheetData></worksheet>")
            else:
                z.writestr(info, src.read(info.filename))
    modello.unlink()
    return path


def xlsx_colonne_dichiarate(path: Path) -> Path:
    """Un XLSX piccolo e onesto che però dichiara 16.384 colonne per 200 righe (righe «larghe» in memoria)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["nome", "cognome"])
    for i in range(200):
        ws.append([f"Nome{i}", f"Cognome{i}"])
    ws.cell(row=1, column=16384, value="x")
    wb.save(path)
    return path


# --------------------------------------------------------------------------- cartelle e manifest

def controlla_manifest(cartella: Path) -> dict:
    """La cartella corrisponde al suo manifest: ogni file elencato esiste con l'hash giusto, nessun avanzo."""
    manifest = json.loads((cartella / "manifest.json").read_text(encoding="utf-8"))
    for voce in manifest["documenti"]:
        dati = (cartella / voce["file"]).read_bytes()
        assert hashlib.sha256(dati).hexdigest() == voce["sha256"], voce["file"]
    for chiave in ("pdf", "zip"):
        voce = (manifest.get("dossier") or {}).get(chiave)
        if voce:
            assert hashlib.sha256((cartella / voce["file"]).read_bytes()).hexdigest() == voce["sha256"], voce["file"]
    avanzi = [p.name for p in cartella.iterdir() if p.name.endswith(".tmp") or p.name.startswith(".")]
    assert not avanzi, avanzi
    return manifest


ORA = dt.datetime(2026, 9, 20, 10, 0, tzinfo=dt.timezone.utc)


def dati_validi(**extra):
    d = {"tipo": "persona_fisica", "nome": "Marco", "cognome": "Vannini", "nato_il": "1968-02-14",
         "codice_fiscale": "VNNMRC68B14H937Q",
         "indirizzo": {"indirizzo": "Via del Mulino 4", "cap": "50060", "comune": "San Godenzo", "provincia": "FI"},
         "ruolo": "consumatore", "pod": [{"pod": "IT001E00223344", "cabina_primaria": "AC001E00934"}],
         "consumo_annuo_kwh": 2700, "consenso_privacy": True}
    d.update(extra)
    return d


def ente(n: int, **extra):
    """Un'associazione con un codice fiscale numerico valido diverso per ogni ``n`` (e un POD suo)."""
    from stdnum import luhn

    base = f"94{n:08d}"
    d = dati_validi(tipo="associazione", nome=None, cognome=None, nato_il=None, denominazione=f"Associazione {n}",
                    codice_fiscale=base + luhn.calc_check_digit(base),
                    pod=[{"pod": f"IT001E{n:08d}", "cabina_primaria": "AC001E00934"}])
    d.update(extra)
    return d

"""``cer-docs genera`` su un file pratica non apre il database e non carica ciò che non gli serve:
l'avvio conta nel tempo di ogni generazione (issue 18). Il database (sqlmodel, SQLAlchemy) serve
solo a chi agisce con un account; schwifty solo per controllare un IBAN; numpy, pandas, Streamlit
mai; WeasyPrint solo per i PDF. Per i soli DOCX nemmeno python-docx (gli scheletri sono pronti nel
pacchetto), pypdf, Typst, xml.sax, i processi figli."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_genera_docx_da_file_senza_database_ne_librerie_inutili(tmp_path):
    codice = (
        "import sys\n"
        "from cer_docs.cli import main\n"
        "try:\n"
        f"    main(['genera', {str(ROOT / 'samples' / 'pratica-esempio.yaml')!r}, '--out', {str(tmp_path / 'out')!r},"
        " '--al', '2025-10-20', '--formati', 'docx'])\n"
        "except SystemExit as e:\n"
        "    assert not e.code, e.code\n"
        "vietati = ('sqlmodel', 'sqlalchemy', 'alembic', 'schwifty', 'numpy', 'pandas', 'streamlit', 'weasyprint',\n"
        "           'cer_docs.store.tables', 'docx', 'pypdf', 'typst', 'xml.sax', 'concurrent.futures')\n"
        "print('CARICATI', sorted(m for m in vietati if m in sys.modules))\n"
    )
    env = {"PATH": "/usr/bin:/bin", "CER_DOCS_DATA_DIR": str(tmp_path / "dati"), "PYTHONPATH": str(ROOT)}
    r = subprocess.run([sys.executable, "-c", codice], capture_output=True, text=True, timeout=300, env=env)
    assert r.returncode == 0, r.stderr[-2000:]
    assert (tmp_path / "out" / "manifest.json").exists()
    assert "CARICATI []" in r.stdout, r.stdout


def test_lo_scrittore_docx_non_carica_python_docx_finche_non_serve():
    """python-docx serve solo a costruire lo scheletro di una forma di documento: chi trova tutti i
    DOCX nella cache (o chiede solo i PDF) non lo carica."""
    codice = ("import sys\n"
              "import cer_docs.services.documenti\n"
              "print('CARICATO', 'docx' in sys.modules)\n")
    r = subprocess.run([sys.executable, "-c", codice], capture_output=True, text=True, timeout=120,
                       env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    assert "CARICATO False" in r.stdout, r.stdout + r.stderr[-2000:]


def test_chi_agisce_con_un_account_passa_ancora_dal_controllo_dei_permessi(monkeypatch):
    """Il database si apre tardi, ma si apre: un account senza permesso non genera."""
    import pytest

    from cer_docs.services import accesso, archivio
    from cer_docs.services import documenti as svc

    chiamate = []

    def richiedi(pid, azione, attore=None):
        chiamate.append((pid, azione, attore.username))
        raise accesso.AccessoNegato("no")

    monkeypatch.setattr(archivio, "richiedi", richiedi)
    utente = accesso.Attore(username="mario", nome="Mario", amministratore=False, id=7)
    with pytest.raises(accesso.AccessoNegato):
        svc.genera(ROOT / "samples" / "pratica-esempio.yaml", "/nonesiste/out", attore=utente)
    assert chiamate == [("cer-colline-sieve", "genera", "mario")]


def test_rigenerare_a_cache_piena_non_carica_python_docx_pypdf_ne_typst(tmp_path):
    """La seconda generazione del pacchetto intero (DOCX, PDF, dossier) trova tutto nella cache: i
    documenti non si risolvono né si impaginano, gli scheletri DOCX sono pronti nel pacchetto, il
    dossier unisce i PDF senza pypdf. Nessuna di quelle librerie si carica, né i processi figli
    (concurrent.futures) o xml.sax."""
    codice = (
        "import sys\n"
        "from cer_docs.cli import main\n"
        "try:\n"
        f"    main(['genera', {str(ROOT / 'samples' / 'pratica-esempio.yaml')!r}, '--out', {str(tmp_path / 'out')!r},"
        " '--al', '2025-10-20'])\n"
        "except SystemExit as e:\n"
        "    assert not e.code, e.code\n"
        "print('CARICATI', sorted(m for m in ('docx', 'pypdf', 'typst', 'concurrent.futures', 'xml.sax')\n"
        "                         if m in sys.modules))\n"
    )
    env = {"PATH": "/usr/bin:/bin", "CER_DOCS_DATA_DIR": str(tmp_path / "dati"), "PYTHONPATH": str(ROOT)}
    primo = subprocess.run([sys.executable, "-c", codice], capture_output=True, text=True, timeout=300, env=env)
    assert primo.returncode == 0, primo.stderr[-2000:]
    assert "'typst'" in primo.stdout, primo.stdout  # la prima volta si impagina
    r = subprocess.run([sys.executable, "-c", codice], capture_output=True, text=True, timeout=300, env=env)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "CARICATI []" in r.stdout, r.stdout

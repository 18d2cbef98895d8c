"""L'avvocato legge l'esito dell'unione: ogni clausola con l'articolo in cui la trova, non solo il segnalibro."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from typer.testing import CliRunner

from cer_docs.cli import documenti as cli_documenti
from cer_docs.services import archivio
from cer_docs.services.revisione import revisione

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "documents"))
from avvocato import cambia_frase  # noqa: E402

ESEMPIO = Path(__file__).resolve().parents[2] / "samples" / "pratica-esempio.yaml"


def test_unisci_dice_l_articolo_di_ogni_clausola():
    archivio.importa_file(ESEMPIO, autore="Anna")
    rev = revisione()
    g = rev.archivia_generato("cer-colline-sieve", "statuto")
    avv = cambia_frase(rev.contenuto("cer-colline-sieve", g.id), "cl_durata_illimitata", "a tempo indeterminato",
                       "fino al 31 dicembre 2070")
    rev.carica("cer-colline-sieve", "statuto.docx", avv, attore="Avv. Bruni")
    app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
    cli_documenti.register(app)
    r = CliRunner().invoke(app, ["documenti", "unisci", "cer-colline-sieve", "statuto"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    assert "cl_durata_illimitata (Art. 3 – Durata): l'avvocato l'ha cambiata" in r.stdout, r.stdout

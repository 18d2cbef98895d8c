"""Il file di una campagna (formato ``cer-docs/campagna@1``): lettura e scrittura."""

from __future__ import annotations

from pathlib import Path

import yaml

from cer_docs.model.campagna import FORMATO_CAMPAGNA, FileCampagna
from cer_docs.model.io import _Dumper, _plain, dump_presenti, leggi_testo_file, parse_model_text

DESCRIZIONE = "una campagna di manifestazione di interesse ('formato', 'campagna', 'candidature')"


def parse_campagna(testo: str, nome: str = "<testo>") -> FileCampagna:
    return parse_model_text(testo, nome, FileCampagna, FORMATO_CAMPAGNA, DESCRIZIONE)


def carica_campagna(path: str | Path) -> FileCampagna:
    return parse_campagna(leggi_testo_file(path), str(path))


def dumps_campagna(f: FileCampagna) -> str:
    dati = dump_presenti(f)
    dati = {"formato": FORMATO_CAMPAGNA, **{k: v for k, v in dati.items() if k != "formato"}}
    return yaml.dump(_plain(dati), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=110)

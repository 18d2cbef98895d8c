"""Casi d'uso sul file pratica (lettura, scrittura, schema)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cer_docs.model import ErrorePratica, Pratica, dumps, json_schema, load_pratica, parse_text

__all__ = ["ErrorePratica", "leggi_file", "leggi_testo", "scrivi_testo", "schema_pratica"]


def leggi_file(path: str | Path) -> Pratica:
    return load_pratica(path)


def leggi_testo(testo: str, nome: str = "<testo>") -> Pratica:
    return parse_text(testo, nome)


def scrivi_testo(pratica: Pratica, formato: str = "yaml") -> str:
    return dumps(pratica, formato)


def schema_pratica() -> dict[str, Any]:
    return json_schema()

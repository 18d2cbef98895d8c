"""Dove sta il database: impostazioni lette dall'ambiente.

- ``CER_DOCS_DATABASE_URL``: URL SQLAlchemy (es. ``postgresql+psycopg://utente@host/db``);
  se manca si usa SQLite in un file della cartella dati.
- ``CER_DOCS_DATA_DIR``: cartella dati (predefinita: ``platformdirs.user_data_dir("cer-docs")``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir

ENV_DATABASE_URL = "CER_DOCS_DATABASE_URL"
ENV_DATA_DIR = "CER_DOCS_DATA_DIR"
SQLITE_FILENAME = "cer-docs.db"


@dataclass(frozen=True)
class Settings:
    database_url: str
    data_dir: Path

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if environ is None else environ
        raw_dir = env.get(ENV_DATA_DIR, "").strip()
        data_dir = Path(raw_dir).expanduser() if raw_dir else Path(user_data_dir("cer-docs", appauthor=False))
        url = env.get(ENV_DATABASE_URL, "").strip()
        if not url:
            url = f"sqlite:///{(data_dir / SQLITE_FILENAME).resolve()}"
        return cls(database_url=url, data_dir=data_dir)


def load_settings() -> Settings:
    return Settings.from_env()

"""Aspettare che un server web di prova (Streamlit) risponda: usato dai test nel browser e dal test
del pacchetto installato."""

from __future__ import annotations

import time
import urllib.request


def attendi_salute(url: str, secondi: float = 90.0) -> bool:
    """Vero appena ``url/_stcore/health`` risponde 200; falso se non risponde entro ``secondi``."""
    fine = time.monotonic() + secondi
    while time.monotonic() < fine:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                if r.status == 200:
                    return True
        except OSError:
            time.sleep(0.5)
    return False

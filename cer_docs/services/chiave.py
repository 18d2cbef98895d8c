"""La chiave di cifratura dei dati personali (vedi ``cer_docs.store.cifratura``)."""

from __future__ import annotations

from pathlib import Path

from cer_docs.services import accesso
from cer_docs.services.accesso import Attore
from cer_docs.store import get_engine
from cer_docs.store import cifratura

ErroreChiave = cifratura.ErroreChiave
ENV_CHIAVE = cifratura.ENV_CHIAVE
ENV_CHIAVE_FILE = cifratura.ENV_CHIAVE_FILE


def attiva() -> bool:
    """Vero se è impostata una chiave valida (solleva ``ErroreChiave`` se è impostata ma non va)."""
    return cifratura.fernet() is not None


def genera(percorso: str | Path) -> Path:
    try:
        return cifratura.genera_chiave(Path(percorso))
    except FileExistsError:
        raise ErroreChiave(f"'{percorso}' esiste già: una chiave non si sovrascrive mai (i dati cifrati con "
                           "quella chiave non si leggerebbero più)") from None


def cifra_archivio(*, attore: Attore | None = None) -> int:
    accesso.richiedi_amministratore(accesso.risolvi(attore))
    return cifratura.cifra_archivio(get_engine())

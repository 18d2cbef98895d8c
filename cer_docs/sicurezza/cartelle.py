"""Una cartella di destinazione che contiene sempre un insieme completo di file, mai metà.

``cartella_atomica(destinazione)`` dà una cartella temporanea *accanto* alla destinazione (stesso
disco); chi genera vi scrive tutto, ``manifest.json`` compreso. Solo se tutto è andato bene la
cartella nuova prende il posto della vecchia con uno scambio atomico (``renameat2`` con
``RENAME_EXCHANGE`` su Linux): in ogni istante, anche dopo un ``kill -9`` o con il disco pieno,
la destinazione contiene o il vecchio insieme completo o il nuovo insieme completo.

I file della destinazione che la nuova generazione non riscrive (documenti dello studio, file
dell'utente, documenti di una generazione parziale precedente) passano nella cartella nuova come
collegamenti fisici, così restano dove erano. Le cartelle temporanee lasciate da un processo
interrotto vengono tolte alla generazione successiva.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_PREFISSO_NUOVA = ".{nome}.nuova-"
_PREFISSO_VECCHIA = ".{nome}.vecchia-"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _scambio_atomico(a: Path, b: Path) -> bool:
    """Scambia due percorsi in un'unica operazione (Linux ≥ 3.15). False se non disponibile."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    codice = ctypes.get_errno()
    if codice in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(codice, os.strerror(codice), str(b))


def _fsync_cartella(p: Path) -> None:
    try:
        fd = os.open(p, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _vivo(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def ripara(destinazione: Path) -> None:
    """Dopo un'interruzione: rimette la vecchia cartella se manca la destinazione, toglie le temporanee orfane."""
    dest = Path(destinazione).absolute()
    genitore, nome = dest.parent, dest.name
    if not genitore.is_dir():
        return
    for voce in genitore.iterdir():
        for modello in (_PREFISSO_NUOVA, _PREFISSO_VECCHIA):
            prefisso = modello.format(nome=nome)
            if not voce.name.startswith(prefisso):
                continue
            try:
                pid = int(voce.name[len(prefisso):].split("-")[0])
            except ValueError:
                continue
            if _vivo(pid) and pid != os.getpid():
                continue
            if modello is _PREFISSO_VECCHIA and not dest.exists():
                os.rename(voce, dest)  # interrotto tra le due rinomine: torna il vecchio insieme
            else:
                shutil.rmtree(voce, ignore_errors=True)


def _collega(sorgente: Path, destinazione: Path) -> None:
    try:
        os.link(sorgente, destinazione)
    except OSError:
        shutil.copy2(sorgente, destinazione)


def _porta_il_resto(vecchia: Path, nuova: Path) -> None:
    """I file della vecchia cartella che la nuova non contiene passano nella nuova (collegamenti fisici)."""
    for voce in vecchia.iterdir():
        arrivo = nuova / voce.name
        if arrivo.exists() or arrivo.is_symlink():
            continue
        if voce.name.startswith(".") and voce.name.endswith(".tmp"):
            continue  # avanzi di scritture interrotte delle versioni precedenti
        if voce.is_symlink():
            os.symlink(os.readlink(voce), arrivo)
        elif voce.is_dir():
            shutil.copytree(voce, arrivo, symlinks=True, copy_function=_collega)
        else:
            _collega(voce, arrivo)


def scrivi_file(cartella: Path, nome: str, dati: bytes) -> None:
    """Scrive un file nella cartella temporanea e lo porta su disco (fsync)."""
    with open(cartella / nome, "wb") as f:
        f.write(dati)
        f.flush()
        os.fsync(f.fileno())


@contextmanager
def cartella_atomica(destinazione: str | Path) -> Iterator[Path]:
    """Dà una cartella temporanea accanto a ``destinazione``; all'uscita senza errori la sostituisce a essa.

    Con un errore (anche disco pieno) la cartella temporanea si cancella e la destinazione resta
    com'era. Solleva ``OSError`` se la cartella che contiene la destinazione non è scrivibile.
    """
    dest = Path(destinazione).resolve()  # un collegamento simbolico: si aggiorna la cartella a cui punta
    if dest.exists() and not dest.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "non è una cartella", str(dest))
    dest.parent.mkdir(parents=True, exist_ok=True)
    ripara(dest)
    tmp = dest.parent / f"{_PREFISSO_NUOVA.format(nome=dest.name)}{os.getpid()}-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    try:
        yield tmp
        if dest.is_dir():
            _porta_il_resto(dest, tmp)
            shutil.copymode(dest, tmp)  # i permessi scelti dall'utente per la cartella restano
        _fsync_cartella(tmp)
        if not dest.exists():
            os.rename(tmp, dest)
        elif _scambio_atomico(tmp, dest):
            shutil.rmtree(tmp, ignore_errors=True)  # ora ``tmp`` contiene il vecchio insieme
        else:  # filesystem senza scambio atomico: due rinomine, riparate da ``ripara`` se interrotte
            vecchia = dest.parent / f"{_PREFISSO_VECCHIA.format(nome=dest.name)}{os.getpid()}-{tmp.name[-8:]}"
            os.rename(dest, vecchia)
            os.rename(tmp, dest)
            shutil.rmtree(vecchia, ignore_errors=True)
        _fsync_cartella(dest.parent)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise

"""Errori del sistema operativo detti in italiano: disco pieno, sola lettura, permessi."""

from __future__ import annotations

import errno


def messaggio_os(e: OSError, dove: object = None) -> str:
    """Una frase italiana per ``e``: dice cosa è successo e cosa fare, senza il testo inglese del sistema."""
    codice = e.errno
    if codice is None:  # sollevato dal programma con un messaggio suo (già in italiano)
        return str(e)
    luogo = str(dove if dove is not None else (e.filename or "la cartella"))
    if codice in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return (f"disco pieno: non c'è più spazio per scrivere in {luogo}. Libera spazio sul disco e riprova "
                "(quanto c'era prima è rimasto com'era)")
    if codice == errno.EROFS:
        return f"{luogo} è su un disco in sola lettura: scegli un'altra cartella"
    if codice in (errno.EACCES, errno.EPERM):
        return f"non hai il permesso di scrivere in {luogo}: scegli un'altra cartella o chiedi i permessi"
    if codice == errno.ENOENT:
        return f"{luogo} non esiste: controlla il percorso"
    if codice == errno.ENOTDIR:
        return f"{luogo}: una parte del percorso è un file, non una cartella"
    if codice == errno.EISDIR:
        return f"{luogo} è una cartella, non un file"
    if codice == errno.ENAMETOOLONG:
        return f"il percorso {luogo[:120]}… è troppo lungo"
    if codice == errno.EIO:
        return f"errore di lettura o scrittura del disco su {luogo}: controlla il disco e riprova"
    nome = errno.errorcode.get(codice or 0, "sconosciuto")
    return f"il sistema non ha potuto completare l'operazione su {luogo} (errore {nome})"

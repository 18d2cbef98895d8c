"""Resa PDF di più documenti in parallelo sui core disponibili.

Il PDF si fa con Typst (``scrittura_pdf.py``): qualche millisecondo per pagina. I processi
figli nascono con ``fork`` e ciascuno crea il suo compilatore Typst (qualche decina di
millisecondi, caratteri compresi); il padre non lo crea prima del ``fork``, perché Typst avvia
thread suoi e ``fork`` è sicuro solo in un processo con un unico thread. Se ce ne sono altri
(un compilatore Typst già creato, un server web) la resa resta sequenziale, nel processo.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .cache import CacheDocumenti, chiave_documento, conta_resa
from .scrittura_pdf import Impaginatore, chiave
from .struttura import Documento

if TYPE_CHECKING:
    from concurrent.futures import Future

# multiprocessing e concurrent.futures si caricano solo quando si impagina in parallelo (~8 ms d'avvio)


def _multiprocessing():
    import multiprocessing

    return multiprocessing


def _thread_nel_processo() -> int:
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return 2  # non si sa: meglio non fare fork


def _core_liberi() -> float:
    """Core non occupati da altri processi (stima dal carico medio dell'ultimo minuto)."""
    try:
        return (os.cpu_count() or 1) - os.getloadavg()[0]
    except OSError:
        return 0.0


def parallelo_possibile(lavori: int) -> bool:
    """Vale la pena impaginare in parallelo? Solo se c'è più di un lavoro, un core libero
    oltre al nostro (misurato: su una macchina già carica i processi in più rallentano) e
    un solo thread nel processo (``fork`` sicuro). ``CER_DOCS_PDF_SEQUENZIALE=1`` lo vieta."""
    # prima le condizioni che non importano nulla: in sequenza multiprocessing non si carica
    return (lavori > 1 and (os.cpu_count() or 1) > 1 and os.environ.get("CER_DOCS_PDF_SEQUENZIALE") != "1"
            and _core_liberi() >= 1.0 and "fork" in _multiprocessing().get_all_start_methods()
            and _thread_nel_processo() == 1)


def _gruppi(documenti: list[Documento]) -> list[list[int]]:
    """Documenti che condividono pagine (un documento e il suo allegato) nello stesso gruppo."""
    chiavi = [chiave(d) for d in documenti]
    padre = list(range(len(documenti)))

    def radice(i: int) -> int:
        while padre[i] != i:
            i = padre[i]
        return i

    for i, d in enumerate(documenti):
        for inc in d.inclusi:
            k = chiave(dataclasses.replace(inc.documento, evidenzia=d.evidenzia, bozza=d.bozza))
            for j, kj in enumerate(chiavi):
                if kj == k:
                    padre[radice(j)] = radice(i)
    gruppi: dict[int, list[int]] = {}
    for i in range(len(documenti)):
        gruppi.setdefault(radice(i), []).append(i)
    return list(gruppi.values())


def _rendi_gruppo(documenti: list[Documento]) -> list[bytes]:
    imp = Impaginatore()
    return [imp.pdf(d) for d in documenti]


def render_pdf_molti(documenti: list[Documento], *, mentre: Callable[[], None] | None = None) -> list[bytes]:
    """I PDF dei documenti, nell'ordine dato, riusando le pagine condivise (allegati).
    ``mentre`` (facoltativo) viene eseguito nel processo padre mentre i figli impaginano
    (per esempio la resa dei DOCX)."""
    gruppi = _gruppi(documenti)
    if not parallelo_possibile(len(gruppi)):
        if mentre is not None:
            mentre()
        return _rendi_gruppo(documenti)
    lavoratori = min(len(gruppi), os.cpu_count() or 1)
    # i gruppi più lunghi per primi: il carico si distribuisce meglio
    gruppi.sort(key=lambda g: -sum(len(documenti[i].blocchi) for i in g))
    out: list[bytes | None] = [None] * len(documenti)
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=lavoratori, mp_context=_multiprocessing().get_context("fork")) as ex:
        futuri: list[tuple[list[int], Future]] = [(g, ex.submit(_rendi_gruppo, [documenti[i] for i in g]))
                                                  for g in gruppi]
        if mentre is not None:
            mentre()
        for g, f in futuri:
            for i, dati in zip(g, f.result()):
                out[i] = dati
    return [x for x in out if x is not None]


# ----------------------------------------------------------------------------- resa su disco


@dataclasses.dataclass
class Lavoro:
    """Un file da produrre: il documento risolto, il formato e dove scriverlo."""

    documento: Documento | None  # None: si risolve con ``risolvi`` solo se il file non è nella cache
    formato: str                 # "pdf" o "docx"
    percorso: Path
    chiave: str | None = None    # chiave nella cache (se la cache è attiva)
    risolvi: Callable[[], Documento] | None = None


@dataclasses.dataclass
class EsitoFile:
    sha256: str
    pagine: int | None           # solo per i PDF
    byte: int
    dalla_cache: bool


def _scrivi(percorso: Path, dati: bytes) -> None:
    with open(percorso, "wb") as f:
        f.write(dati)
        f.flush()
        os.fsync(f.fileno())


def _collega_se_uguale(precedente: Path, percorso: Path, dati: bytes) -> bool:
    """Se il file della generazione precedente ha già questi byte, il file nuovo è un collegamento
    fisico a quello (come i file che ``cartella_atomica`` porta dalla vecchia cartella): niente
    scrittura né ``fsync`` per un file che non cambia. Falso se non si può (file diverso, assente,
    collegamenti non ammessi): allora si scrive."""
    vecchio = precedente / percorso.name
    try:
        if os.stat(vecchio).st_size != len(dati):
            return False
        with open(vecchio, "rb") as f:
            if f.read(len(dati) + 1) != dati:
                return False
        os.link(vecchio, percorso)
        return True
    except OSError:
        return False


_CACHE_FIGLI: CacheDocumenti | None = None  # ereditata dai figli con ``fork``


def _rendi_gruppo_su_disco(lavori: list[tuple[Documento, str, str | None]],
                           cache: CacheDocumenti | None = None) -> list[tuple[str, int, int]]:
    """Impagina un gruppo, scrive ogni PDF nel suo file (e nella cache): al padre tornano solo
    impronta, pagine e dimensione, non i byte."""
    cache = cache if cache is not None else _CACHE_FIGLI
    imp = Impaginatore()  # uno per gruppo: le pagine riusate restano in memoria solo nel gruppo
    out = []
    for doc, percorso, k in lavori:
        dati, pagine = imp.pdf_e_pagine(doc)
        _scrivi(Path(percorso), dati)
        if cache is not None and k is not None:
            cache.scrivi(k, dati, pagine)
        out.append((hashlib.sha256(dati).hexdigest(), pagine, len(dati)))
    return out


def rendi_su_disco(lavori: list[Lavoro], *, cache: CacheDocumenti | None = None,
                   fatto: Callable[[int, Lavoro], None] | None = None,
                   render_docx: Callable[[Documento], bytes] | None = None,
                   precedente: Path | None = None) -> list[EsitoFile]:
    """Produce i file dei lavori uno alla volta, scrivendoli subito su disco: i byte di un
    documento non restano in memoria dopo la sua scrittura.

    Prima la cache (un file già reso con la stessa impaginazione si copia), poi le rese vere:
    i PDF uno per lavoro (con Typst un documento e il suo allegato non condividono nulla), in
    parallelo sui core liberi come ``render_pdf_molti``, i DOCX nel processo padre intanto.
    ``fatto(i, lavoro)`` si chiama nel processo padre dopo la scrittura di ogni file; se solleva
    un'eccezione (annullamento), i lavori non iniziati si annullano, si aspetta che i processi
    figli finiscano quello in corso e si chiudono, poi l'eccezione prosegue.

    Un lavoro senza documento (``documento`` None, con la ``chiave`` già nota) si risolve con
    ``risolvi`` solo se il suo file non è nella cache. ``precedente``: la cartella della
    generazione precedente; un file dalla cache uguale a quello che vi si trova diventa un
    collegamento fisico a quello.
    """
    if render_docx is None:
        from .scrittura_docx import render_docx

    esiti: list[EsitoFile | None] = [None] * len(lavori)

    def annota(i: int, e: EsitoFile) -> None:
        esiti[i] = e
        if not e.dalla_cache:
            conta_resa(lavori[i].formato, lavori[i].documento, lavori[i].percorso.name)
        if fatto is not None:
            fatto(i, lavori[i])

    da_rendere: list[int] = []
    for i, l in enumerate(lavori):
        if cache is not None:
            if l.chiave is None:
                assert l.documento is not None
                l.chiave = chiave_documento(l.documento, l.formato)
            voce = cache.leggi(l.chiave)
            if voce is not None and (l.formato != "pdf" or voce.pagine is not None):
                if precedente is None or not _collega_se_uguale(precedente, l.percorso, voce.dati):
                    _scrivi(l.percorso, voce.dati)
                annota(i, EsitoFile(voce.sha256 or hashlib.sha256(voce.dati).hexdigest(), voce.pagine,
                                    len(voce.dati), True))
                continue
        if l.documento is None:
            assert l.risolvi is not None
            l.documento = l.risolvi()
            if cache is not None:
                l.chiave = chiave_documento(l.documento, l.formato)
        da_rendere.append(i)

    pdf = [i for i in da_rendere if lavori[i].formato == "pdf"]
    docx = [i for i in da_rendere if lavori[i].formato != "pdf"]
    # un documento per lavoro: con Typst un documento e il suo allegato non condividono nulla
    # (impaginare l'atto costitutivo dopo lo statuto costa quanto impaginarlo da solo), e in gruppi
    # separati si dividono meglio tra i processi (l'atto con lo statuto allegato e la copia GSE erano
    # un gruppo solo, il più lungo)
    gruppi = [[i] for i in pdf]

    def rendi_docx() -> None:
        for i in docx:
            l = lavori[i]
            dati = render_docx(l.documento)
            _scrivi(l.percorso, dati)
            if cache is not None and l.chiave is not None:
                cache.scrivi(l.chiave, dati, None)
            annota(i, EsitoFile(hashlib.sha256(dati).hexdigest(), None, len(dati), False))

    def argomenti(g: list[int]) -> list[tuple[Documento, str, str | None]]:
        return [(lavori[i].documento, str(lavori[i].percorso), lavori[i].chiave) for i in g]

    if not parallelo_possibile(len(gruppi)):
        for g in gruppi:
            for i, (sha, pagine, byte) in zip(g, _rendi_gruppo_su_disco(argomenti(g), cache)):
                annota(i, EsitoFile(sha, pagine, byte, False))
        rendi_docx()
        return [e for e in esiti if e is not None]

    global _CACHE_FIGLI
    _CACHE_FIGLI = cache
    gruppi.sort(key=lambda g: -sum(len(lavori[i].documento.blocchi) for i in g))
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    ex = ProcessPoolExecutor(max_workers=min(len(gruppi), os.cpu_count() or 1),
                             mp_context=_multiprocessing().get_context("fork"))
    try:
        futuri: dict[Future, list[int]] = {ex.submit(_rendi_gruppo_su_disco, argomenti(g)): g for g in gruppi}
        rendi_docx()
        in_corso = set(futuri)
        while in_corso:
            finiti, in_corso = wait(in_corso, return_when=FIRST_COMPLETED)
            for f in finiti:
                for i, (sha, pagine, byte) in zip(futuri[f], f.result()):
                    annota(i, EsitoFile(sha, pagine, byte, False))
    except BaseException:
        # annullamento o errore: niente lavori nuovi, i figli finiscono il gruppo in corso e si chiudono
        ex.shutdown(wait=True, cancel_futures=True)
        raise
    finally:
        _CACHE_FIGLI = None
    ex.shutdown(wait=True)
    return [e for e in esiti if e is not None]

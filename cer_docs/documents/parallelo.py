"""Resa PDF di più documenti in parallelo sui core disponibili, con thread.

Il PDF si fa con Typst (``scrittura_pdf.py``): qualche millisecondo per pagina, in Rust, e
durante la compilazione Typst lascia libero il GIL. Più thread, ciascuno con il suo compilatore
(i caratteri sono caricati una volta per processo), impaginano quindi davvero in parallelo, mentre
il thread che genera scrive i DOCX. Niente processi figli: nessun ``fork`` (che non si può fare
in un processo con altri thread, come il server), nessun documento da copiare tra processi e
nessun compilatore da riavviare; vale uguale nella CLI, nel server e nei lavori in coda.

Misurato (2 core, tre documenti costitutivi): processi figli ~0,15 s per la resa, thread ~0,09 s.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .cache import CacheDocumenti, chiave_documento, conta_resa
from .scrittura_pdf import Impaginatore, _compilatore, chiave
from .struttura import Documento

if TYPE_CHECKING:
    from concurrent.futures import Future


def thread_di_impaginazione(lavori: int) -> int:
    """Quanti thread impaginano ``lavori`` PDF: uno per core, mai più dei lavori; 0 (tutto nel
    thread che genera) per un lavoro solo o con ``CER_DOCS_PDF_SEQUENZIALE=1``."""
    if lavori <= 1 or os.environ.get("CER_DOCS_PDF_SEQUENZIALE") == "1":
        return 0
    return min(lavori, os.cpu_count() or 1) if (os.cpu_count() or 1) > 1 else 0


ARENE_MALLOC = 2
PDF_PER_LIMITARE_LE_ARENE = 20
"""Sotto, la memoria non conta (tre documenti: ~120 MB) e non si paga il caricamento di ``ctypes`` (~3 ms)."""
_arene_limitate = False


def limita_arene_malloc() -> None:
    """Al più ``ARENE_MALLOC`` arene di malloc (glibc) nel processo, prima di avviare i thread di Typst.

    Typst (Rust) chiede la memoria a malloc; glibc dà a ogni thread nuovo un'arena sua (fino a 8 per
    core) e la memoria liberata in un'arena resta al processo: con due thread d'impaginazione il
    pacchetto da 500 membri arrivava a ~265 MB invece di ~200. Con due arene ~230, con una ~195
    (misurato). Vale solo se nessun thread ha ancora un'arena sua (la riga di comando); in un
    processo che ne ha già (il server) non cambia nulla. Fuori da glibc non fa niente."""
    global _arene_limitate
    if _arene_limitate or not sys.platform.startswith("linux"):
        return
    _arene_limitate = True
    valore = os.environ.get("CER_DOCS_ARENE_MALLOC", str(ARENE_MALLOC))
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-8, int(valore))  # M_ARENA_MAX
    except (OSError, AttributeError, ValueError):
        pass


def parallelo_possibile(lavori: int) -> bool:
    """Vale la pena impaginare in parallelo? Sì con più di un lavoro e più di un core."""
    return thread_di_impaginazione(lavori) > 0


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
    ``mentre`` (facoltativo) viene eseguito nel thread chiamante mentre gli altri impaginano
    (per esempio la resa dei DOCX)."""
    gruppi = _gruppi(documenti)
    thread = thread_di_impaginazione(len(gruppi))
    if not thread:
        if mentre is not None:
            mentre()
        return _rendi_gruppo(documenti)
    # i gruppi più lunghi per primi: il carico si distribuisce meglio
    gruppi.sort(key=lambda g: -sum(len(documenti[i].blocchi) for i in g))
    out: list[bytes | None] = [None] * len(documenti)
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=thread, thread_name_prefix="cer-docs-pdf") as ex:
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


def _rendi_pdf_su_disco(doc: Documento, percorso: Path, k: str | None,
                       cache: CacheDocumenti | None) -> tuple[str, int, int]:
    """Impagina un documento, ne scrive il PDF nel suo file (e nella cache): tornano solo
    impronta, pagine e dimensione, non i byte."""
    dati, pagine = Impaginatore().pdf_e_pagine(doc)
    _scrivi(percorso, dati)
    if cache is not None and k is not None:
        cache.scrivi(k, dati, pagine)
    return hashlib.sha256(dati).hexdigest(), pagine, len(dati)


class ResaSuDisco:
    """Produce i file dei lavori scrivendoli subito su disco, man mano che i documenti sono pronti
    (``aggiungi``): i byte di un documento non restano in memoria dopo la sua scrittura, e nemmeno il
    documento risolto dopo i suoi file. ``completa`` aspetta gli ultimi PDF.

    Prima la cache (un file già reso con la stessa impaginazione si copia), poi le rese vere: il DOCX
    subito, nel thread chiamante; il PDF sui ``thread`` (0: anche lui subito, nel thread chiamante),
    che impaginano mentre il thread chiamante prepara il documento dopo. Al più ``IN_ATTESA_PER_THREAD``
    PDF per thread aspettano il loro turno: oltre, ``aggiungi`` aspetta il più vecchio (la memoria resta
    piatta anche con migliaia di documenti). I thread partono al primo PDF da impaginare, ciascuno con
    il suo compilatore Typst.

    ``fatto(i, lavoro)`` si chiama sempre nel thread chiamante (in ``aggiungi`` o in ``completa``) appena
    il file è scritto: i PDF finiti nei thread si raccolgono a ogni ``aggiungi``. Se solleva un'eccezione
    (annullamento), l'eccezione prosegue al chiamante, che chiama ``chiudi`` (sempre, anche dopo un
    errore): i lavori non iniziati si annullano e si aspetta che i thread finiscano il documento in corso.

    Un lavoro senza documento (``documento`` None, con la ``chiave`` già nota) si risolve con
    ``risolvi`` solo se il suo file non è nella cache. ``precedente``: la cartella della generazione
    precedente; un file dalla cache uguale a quello che vi si trova diventa un collegamento fisico a
    quello."""

    IN_ATTESA_PER_THREAD = 4

    def __init__(self, *, cache: CacheDocumenti | None = None, thread: int = 0,
                 render_docx: Callable[[Documento], bytes] | None = None, precedente: Path | None = None,
                 attesi: int = 0, fatto: Callable[[int, Lavoro], None] | None = None):
        if render_docx is None:
            from .scrittura_docx import render_docx
        self.cache, self.precedente, self.render_docx = cache, precedente, render_docx
        self.lavori: list[Lavoro] = []
        self.esiti: list[EsitoFile | None] = []
        self.fatto = fatto
        self._futuri: dict[Future, int] = {}
        self._thread = thread
        self._molti = attesi >= PDF_PER_LIMITARE_LE_ARENE  # ``attesi``: quanti PDF si prevedono
        self._ex = None

    def _esecutore(self):
        """I thread partono al primo PDF da impaginare (a cache piena non partono, né si carica Typst)."""
        if self._ex is None:
            from concurrent.futures import ThreadPoolExecutor

            if self._molti:
                limita_arene_malloc()

            self._ex = ThreadPoolExecutor(max_workers=self._thread, thread_name_prefix="cer-docs-pdf",
                                          initializer=_compilatore)
        return self._ex

    def _scritto(self, i: int, e: EsitoFile) -> None:
        self.esiti[i] = e
        l = self.lavori[i]
        if not e.dalla_cache:
            conta_resa(l.formato, l.documento, l.percorso.name)
        l.documento = l.risolvi = None  # il documento risolto non serve più a questo file
        if self.fatto is not None:
            self.fatto(i, l)

    def aggiungi(self, lavoro: Lavoro) -> None:
        i = len(self.lavori)
        self.lavori.append(lavoro)
        self.esiti.append(None)
        if self.cache is not None:
            if lavoro.chiave is None:
                assert lavoro.documento is not None
                lavoro.chiave = chiave_documento(lavoro.documento, lavoro.formato)
            voce = self.cache.leggi(lavoro.chiave)
            if voce is not None and (lavoro.formato != "pdf" or voce.pagine is not None):
                if self.precedente is None or not _collega_se_uguale(self.precedente, lavoro.percorso, voce.dati):
                    _scrivi(lavoro.percorso, voce.dati)
                self._scritto(i, EsitoFile(voce.sha256 or hashlib.sha256(voce.dati).hexdigest(), voce.pagine,
                                           len(voce.dati), True))
                return
        if lavoro.documento is None:
            assert lavoro.risolvi is not None
            lavoro.documento = lavoro.risolvi()
            if self.cache is not None:
                lavoro.chiave = chiave_documento(lavoro.documento, lavoro.formato)
        if lavoro.formato == "pdf" and self._thread:
            while len(self._futuri) >= self.IN_ATTESA_PER_THREAD * self._thread:
                self._raccogli(aspetta=True)
            self._futuri[self._esecutore().submit(self._rendi_pdf, i)] = i
            self._raccogli(aspetta=False)
        elif lavoro.formato == "pdf":
            self._scritto(i, EsitoFile(*self._rendi_pdf(i), False))
        else:
            dati = self.render_docx(lavoro.documento)
            _scrivi(lavoro.percorso, dati)
            if self.cache is not None and lavoro.chiave is not None:
                self.cache.scrivi(lavoro.chiave, dati, None)
            self._scritto(i, EsitoFile(hashlib.sha256(dati).hexdigest(), None, len(dati), False))

    def _raccogli(self, aspetta: bool) -> None:
        """Annota i PDF finiti; con ``aspetta``, almeno uno (il primo che finisce)."""
        from concurrent.futures import FIRST_COMPLETED, wait

        finiti, _ = wait(self._futuri, timeout=None if aspetta else 0, return_when=FIRST_COMPLETED)
        for f in finiti:
            i = self._futuri.pop(f)
            self._scritto(i, EsitoFile(*f.result(), False))

    def _rendi_pdf(self, i: int) -> tuple[str, int, int]:
        l = self.lavori[i]
        return _rendi_pdf_su_disco(l.documento, l.percorso, l.chiave, self.cache)

    def completa(self) -> list[EsitoFile]:
        """Aspetta i PDF ancora in corso; gli esiti nell'ordine dei lavori."""
        try:
            while self._futuri:
                self._raccogli(aspetta=True)
        finally:
            self.chiudi()
        return [e for e in self.esiti if e is not None]

    def chiudi(self) -> None:
        """Niente lavori nuovi; si aspetta che i thread finiscano il documento in corso."""
        if self._ex is not None:
            self._ex.shutdown(wait=True, cancel_futures=True)
            self._ex = None


def rendi_su_disco(lavori: list[Lavoro], *, cache: CacheDocumenti | None = None,
                   fatto: Callable[[int, Lavoro], None] | None = None,
                   render_docx: Callable[[Documento], bytes] | None = None,
                   precedente: Path | None = None) -> list[EsitoFile]:
    """Tutti i lavori insieme con ``ResaSuDisco``: i PDF sui thread (uno per core) se sono più d'uno."""
    da_impaginare = sum(1 for l in lavori if l.formato == "pdf")
    resa = ResaSuDisco(cache=cache, thread=thread_di_impaginazione(da_impaginare), render_docx=render_docx,
                       precedente=precedente, attesi=da_impaginare, fatto=fatto)
    try:
        for l in lavori:
            resa.aggiungi(l)
        return resa.completa()
    finally:
        resa.chiudi()

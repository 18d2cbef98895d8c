"""Resa PDF di più documenti in parallelo sui core disponibili.

WeasyPrint è Python puro e tiene il GIL: i thread non aiutano, i processi sì. I processi
figli nascono con ``fork`` *dopo* che il padre ha già caricato WeasyPrint e i caratteri,
così non ripagano l'avvio. ``fork`` è sicuro solo in un processo con un unico thread: se ce
ne sono altri (per esempio dentro un server web) la resa resta sequenziale.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Callable

from .scrittura_pdf import Impaginatore, _weasy, chiave
from .struttura import Documento


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
    return (lavori > 1 and (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods()
            and _thread_nel_processo() == 1 and _core_liberi() >= 1.0
            and os.environ.get("CER_DOCS_PDF_SEQUENZIALE") != "1")


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
    _weasy()  # i figli ereditano WeasyPrint già pronto
    lavoratori = min(len(gruppi), os.cpu_count() or 1)
    # i gruppi più lunghi per primi: il carico si distribuisce meglio
    gruppi.sort(key=lambda g: -sum(len(documenti[i].blocchi) for i in g))
    out: list[bytes | None] = [None] * len(documenti)
    with ProcessPoolExecutor(max_workers=lavoratori, mp_context=multiprocessing.get_context("fork")) as ex:
        futuri: list[tuple[list[int], Future]] = [(g, ex.submit(_rendi_gruppo, [documenti[i] for i in g]))
                                                  for g in gruppi]
        if mentre is not None:
            mentre()
        for g, f in futuri:
            for i, dati in zip(g, f.result()):
                out[i] = dati
    return [x for x in out if x is not None]

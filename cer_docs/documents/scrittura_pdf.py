"""Scrittore PDF: documento risolto → HTML (``templates/layout/documento.html``) → WeasyPrint.

La pagina (A4, intestazione ricorrente con il nome della CER, «pagina X di Y», filigrana
BOZZA) sta nel CSS ``templates/layout/documento.css``. Il testo dell'utente passa per
l'autoescape di Jinja: ``&``, ``<``, ``{{ }}`` restano caratteri.
"""

from __future__ import annotations

import dataclasses
import io
import logging
import threading
from functools import lru_cache

import jinja2

from .clausole import TEMPLATES_DIR
from .motore import pulisci_testo
from .struttura import Documento, Inclusione, SaltoPagina, Tabella, testo_canonico, titolo_metadati

LAYOUT_DIR = TEMPLATES_DIR / "layout"

_ALLINEAMENTI = {"giustificato": "giustificato", "centrato": "centrato", "destra": "destra", "sinistra": "sinistra"}
_lock = threading.RLock()


def _righe(testo: str) -> list[str]:
    return pulisci_testo(str(testo)).split("\n")


def _larghezze(t: Tabella) -> list[float]:
    tot = sum(c.larghezza for c in t.colonne) or 1
    return [round(100 * c.larghezza / tot, 2) for c in t.colonne]


@lru_cache(maxsize=1)
def _ambiente() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(LAYOUT_DIR)), autoescape=True, undefined=jinja2.StrictUndefined,
        trim_blocks=False, lstrip_blocks=False,
    )
    env.filters["righe"] = _righe
    return env


@lru_cache(maxsize=1)
def _weasy():
    # import pigro: WeasyPrint carica Pango e i caratteri, costa qualche decimo di secondo
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fc = FontConfiguration()
    css = CSS(filename=str(LAYOUT_DIR / "documento.css"), font_config=fc)
    return HTML, css, fc


def render_html(doc: Documento) -> str:
    return _ambiente().get_template("documento.html").render(
        doc=doc, allineamenti=_ALLINEAMENTI, larghezze=_larghezze, titolo=titolo_metadati(doc),
    )


def chiave(doc: Documento) -> tuple:
    """Identità del contenuto impaginato: stesso testo, stessa resa, stesse pagine."""
    return (doc.tipo, doc.intestazione, doc.piede, doc.evidenzia, doc.bozza, testo_canonico(doc))


def _inclusione_finale(doc: Documento) -> Inclusione | None:
    """L'allegato (con frontespizio) che occupa, da una pagina nuova, tutta la parte finale.
    Un documento incluso senza frontespizio (lo statuto nella copia GSE) resta nel flusso,
    con la numerazione continua."""
    for inc in reversed([i for i in doc.inclusi if i.allegato]):
        fine = inc.indice + len(inc.documento.blocchi) == len(doc.blocchi)
        pagina_nuova = inc.indice > 0 and isinstance(doc.blocchi[inc.indice - 1], SaltoPagina)
        if fine and pagina_nuova:
            return inc
    return None


class Impaginatore:
    """Impagina documenti con WeasyPrint riusando le pagine già impaginate.

    Un allegato identico a un documento già impaginato (lo statuto allegato all'atto
    costitutivo) non si impagina due volte: le sue pagine, con la loro intestazione e la
    loro numerazione, seguono quelle dell'atto nello stesso PDF. Il testo è lo stesso del
    DOCX, dove l'allegato segue l'atto con la numerazione continua.
    """

    def __init__(self) -> None:
        self._pagine: dict[tuple, object] = {}

    def impagina(self, doc: Documento):
        k = chiave(doc)
        fatto = self._pagine.get(k)
        if fatto is not None:
            return fatto
        HTML, css, fc = _weasy()
        inc = _inclusione_finale(doc)
        if inc is None:
            with _lock:  # FontConfiguration condivisa: una resa alla volta nello stesso processo
                fatto = HTML(string=render_html(doc), base_url=str(LAYOUT_DIR)).render(
                    stylesheets=[css], font_config=fc)
        else:
            # l'allegato, dal suo frontespizio, si impagina a parte: numerazione delle pagine
            # propria («Allegato A – Statuto – pagina X di Y»), come nel DOCX
            inizio = inc.inizio if inc.inizio is not None else inc.indice
            testa = dataclasses.replace(doc, blocchi=doc.blocchi[:inizio - 1], inclusi=[])
            allegato = dataclasses.replace(inc.documento, blocchi=doc.blocchi[inizio:], evidenzia=doc.evidenzia,
                                           bozza=doc.bozza, inclusi=[])
            prima, dopo = self.impagina(testa), self.impagina(allegato)
            fatto = prima.copy(list(prima.pages) + list(dopo.pages))
        self._pagine[k] = fatto
        return fatto

    def pdf(self, doc: Documento) -> bytes:
        return self.pdf_e_pagine(doc)[0]

    def pdf_e_pagine(self, doc: Documento) -> tuple[bytes, int]:
        """Il PDF e il suo numero di pagine (senza rileggere il PDF)."""
        out = io.BytesIO()
        with _lock:
            fatto = self.impagina(doc)
            fatto.write_pdf(out)
        return out.getvalue(), len(fatto.pages)


def render_pdf(doc: Documento, impaginatore: Impaginatore | None = None) -> bytes:
    """Il PDF del documento risolto, in memoria."""
    return (impaginatore or Impaginatore()).pdf(doc)

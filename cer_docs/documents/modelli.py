"""Modelli DOCX degli studi (docxtpl): un file ``<documento>.docx`` per tipo di documento.

Il modello riceve lo *stesso* contesto dei documenti interni (documentato in
``docs/contesto-modelli.md``): i campi e i flag dei costruttori del contesto, più il testo
già risolto dalla libreria delle clausole (``documento``), così lo studio può impaginare il
nostro testo con la propria carta intestata oppure scrivere il proprio.

Sicurezza del testo dell'utente: ogni stringa del contesto è ripulita dai caratteri di
controllo (docxtpl 0.20.2 non lo fa) e la resa avviene con ``autoescape=True``, quindi
``&``, ``<`` e ``{{ }}`` arrivano nel DOCX come caratteri.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .motore import Contesto, pulisci_testo
from .struttura import Documento, Elenco, Firme, Intestazione, Paragrafo, Tabella, Titolo, TitoloArticolo

if TYPE_CHECKING:
    import jinja2


def _pulisci(v: Any) -> Any:
    if isinstance(v, str):
        return pulisci_testo(v)
    if isinstance(v, dict):
        return {k: _pulisci(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_pulisci(x) for x in v]
    return v


def testo_documento(doc: Documento) -> dict[str, Any]:
    """Il documento risolto in forma semplice per i modelli: titolo, articoli con i commi."""
    blocchi: list[dict[str, Any]] = []
    articoli: list[dict[str, Any]] = []
    corrente: dict[str, Any] | None = None
    for b in doc.blocchi:
        if isinstance(b, Titolo):
            blocchi.append({"tipo": "titolo", "testo": b.testo, "sottotitoli": list(b.sottotitoli)})
        elif isinstance(b, Intestazione):
            blocchi.append({"tipo": "sezione", "testo": b.testo})
        elif isinstance(b, TitoloArticolo):
            corrente = {"numero": b.numero, "titolo": b.titolo, "intestazione": b.testo, "commi": []}
            articoli.append(corrente)
            blocchi.append({"tipo": "articolo", "testo": b.testo, "numero": b.numero})
        elif isinstance(b, Paragrafo):
            blocchi.append({"tipo": "paragrafo", "testo": b.testo})
            if corrente is not None:
                corrente["commi"].append(b.testo)
        elif isinstance(b, Elenco):
            for v in b.voci:
                blocchi.append({"tipo": "voce", "testo": v.testo})
                if corrente is not None:
                    corrente["commi"].append(v.testo)
        elif isinstance(b, Tabella):
            blocchi.append({"tipo": "tabella", "colonne": [c.titolo for c in b.colonne], "righe": b.righe})
        elif isinstance(b, Firme):
            blocchi.append({"tipo": "firme", "firmatari": [{"nome": f.nome, "qualifica": f.qualifica}
                                                           for f in b.firmatari]})
    return {"tipo": doc.tipo, "titolo": doc.titolo, "intestazione": doc.intestazione, "bozza": doc.bozza,
            "blocchi": blocchi, "articoli": articoli}


def contesto_modello(ctx: Contesto, doc: Documento, art: dict[str, str] | None = None) -> dict[str, Any]:
    """Il contesto che riceve un modello DOCX di studio."""
    dati = {**ctx.valori, **ctx.flag, "flag": dict(ctx.flag), "art": dict(art or {}),
            "documento": testo_documento(doc)}
    return _pulisci(dati)


def ambiente_modelli() -> jinja2.Environment:
    """Ambiente Jinja per docxtpl: nessun filtro necessario, i valori sono già formattati."""
    import jinja2  # solo con un modello DOCX dell'utente: la generazione normale non carica Jinja

    return jinja2.Environment(autoescape=True, undefined=jinja2.ChainableUndefined)


def modello_per(cartella: Path | None, documento: str) -> Path | None:
    if cartella is None:
        return None
    p = Path(cartella) / f"{documento}.docx"
    return p if p.exists() else None


def render_modello(percorso: Path, contesto: dict[str, Any]) -> bytes:
    from docxtpl import DocxTemplate

    from cer_docs.sicurezza.archivi import LIMITI_DOCX, controlla_zip

    controlla_zip(percorso, percorso.name, LIMITI_DOCX, "Il modello")  # bombe di decompressione
    tpl = DocxTemplate(str(percorso))
    tpl.render(contesto, jinja_env=ambiente_modelli(), autoescape=True)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()

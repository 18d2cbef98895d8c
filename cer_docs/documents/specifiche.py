"""Le specifiche dei documenti (``templates/documenti/<documento>.yaml``).

Una specifica dice *quali* clausole compongono un documento e in che ordine, con i flag
nominati che le includono o le escludono. Non contiene testo giuridico: i titoli degli
articoli e delle sezioni sono etichette; il testo sta nelle clausole.

Forma::

    id: statuto
    titolo: Statuto                       # titolo breve (manifest, metadati)
    intestazione: "{{ ente.nome_breve }}" # intestazione di pagina (facoltativa)
    commi_numerati: true                  # numera i paragrafi di ogni articolo (1., 2., …)
    sezioni_numerate: Titolo              # «Titolo I – …», «Titolo II – …» (facoltativo)
    parti:
      - titolo: {testo: Statuto, sottotitoli: ["{{ ente.denominazione_tra_caporali }}"]}
      - sezione: Disposizioni generali
      - articolo: denominazione           # id dell'articolo (per i rinvii: {{ art.denominazione }})
        titolo: Denominazione e sede
        se: forma_associazione            # tutti veri; anche una lista
        contenuto:
          - denominazione                 # id di clausola
          - {clausola: sede, se_non: sede_assente}
          - {tabella: punti_connessione, colonne: [{titolo: POD, campo: pod, larghezza: 2}]}
      - testo: [preambolo_atto]           # clausole senza titolo d'articolo
      - firme: firmatari
      - salto_pagina
      - allegato: {documento: statuto, titolo: "Allegato A", piede: "Allegato A – Statuto",
                   firme: firmatari}          # piede e firme facoltativi
      - documento: statuto
      - mappa_elementi: statuto

Condizioni su ogni parte o voce: ``se`` (tutti veri), ``se_non`` (tutti falsi),
``se_uno`` (almeno uno vero).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

import yaml

from cer_docs.rules.base import con_memo

from .clausole import TEMPLATES_DIR, ErroreLibreria

# il caricatore sicuro scritto in C (libyaml) legge la libreria delle clausole ~10 volte più in fretta
_CARICATORE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

DOCUMENTI_DIR = TEMPLATES_DIR / "documenti"


@dataclass(frozen=True)
class Condizione:
    se: tuple[str, ...] = ()
    se_non: tuple[str, ...] = ()
    se_uno: tuple[str, ...] = ()

    def vale(self, flag: Mapping[str, bool], dove: str) -> bool:
        def val(nome: str) -> bool:
            if nome not in flag:
                raise ErroreLibreria(f"{dove}: il flag '{nome}' non è calcolato dal costruttore del contesto")
            return bool(flag[nome])

        if not all(val(n) for n in self.se):
            return False
        if any(val(n) for n in self.se_non):
            return False
        if self.se_uno and not any(val(n) for n in self.se_uno):
            return False
        return True

    def nomi(self) -> set[str]:
        return set(self.se) | set(self.se_non) | set(self.se_uno)


def _tupla(v: Any) -> tuple[str, ...]:
    if v is None:
        return ()
    if isinstance(v, str):
        return (v,)
    return tuple(str(x) for x in v)


def _condizione(d: Mapping[str, Any]) -> Condizione:
    return Condizione(se=_tupla(d.get("se")), se_non=_tupla(d.get("se_non")), se_uno=_tupla(d.get("se_uno")))


@dataclass(frozen=True)
class ColonnaSpec:
    titolo: str
    campo: str
    larghezza: float = 1.0
    allineamento: str = "sinistra"


@dataclass(frozen=True)
class Voce:
    """Una voce del contenuto di un articolo o di un testo: clausola o tabella."""

    tipo: str                      # clausola | tabella
    rif: str                       # id della clausola o nome dell'elenco preparato
    condizione: Condizione = Condizione()
    colonne: tuple[ColonnaSpec, ...] = ()
    didascalia: str | None = None


@dataclass(frozen=True)
class Parte:
    tipo: str   # titolo | sezione | articolo | testo | firme | salto_pagina | allegato | documento | mappa_elementi
    condizione: Condizione = Condizione()
    id: str | None = None
    titolo: str | None = None
    sottotitoli: tuple[str, ...] = ()
    contenuto: tuple[Voce, ...] = ()
    rif: str | None = None         # elenco firmatari, documento incluso
    piede: str | None = None       # allegato: testo del piè di pagina prima di «pagina X»
    firme: str | None = None       # allegato: elenco dei firmatari da porre in fondo all'allegato


@dataclass(frozen=True)
class Specifica:
    id: str
    titolo: str
    parti: tuple[Parte, ...]
    intestazione: str | None = None
    commi_numerati: bool = False
    sezioni_numerate: str | None = None
    percorso: Path | None = field(default=None, compare=False)

    def clausole(self) -> list[str]:
        return [v.rif for p in self.parti for v in p.contenuto if v.tipo == "clausola"]


def _voce(raw: Any, dove: str) -> Voce:
    if isinstance(raw, str):
        return Voce(tipo="clausola", rif=raw)
    if not isinstance(raw, dict):
        raise ErroreLibreria(f"{dove}: voce non valida {raw!r}")
    if "clausola" in raw:
        return Voce(tipo="clausola", rif=str(raw["clausola"]), condizione=_condizione(raw))
    if "tabella" in raw:
        colonne = tuple(
            ColonnaSpec(titolo=str(c["titolo"]), campo=str(c["campo"]), larghezza=float(c.get("larghezza", 1)),
                        allineamento=str(c.get("allineamento", "sinistra")))
            for c in raw.get("colonne") or []
        )
        if not colonne:
            raise ErroreLibreria(f"{dove}: la tabella '{raw['tabella']}' non ha colonne")
        return Voce(tipo="tabella", rif=str(raw["tabella"]), condizione=_condizione(raw), colonne=colonne,
                    didascalia=raw.get("didascalia"))
    # forma breve: {id_clausola: {se: ...}}
    if len(raw) == 1:
        (k, v), = raw.items()
        return Voce(tipo="clausola", rif=str(k), condizione=_condizione(v or {}))
    raise ErroreLibreria(f"{dove}: voce non valida {raw!r}")


def _parte(raw: Any, dove: str) -> Parte:
    if raw == "salto_pagina":
        return Parte(tipo="salto_pagina")
    if not isinstance(raw, dict):
        raise ErroreLibreria(f"{dove}: parte non valida {raw!r}")
    cond = _condizione(raw)
    if "titolo" in raw and "articolo" not in raw:
        t = raw["titolo"]
        if isinstance(t, str):
            return Parte(tipo="titolo", titolo=t, condizione=cond)
        return Parte(tipo="titolo", titolo=str(t["testo"]), sottotitoli=_tupla(t.get("sottotitoli")), condizione=cond)
    if "sezione" in raw:
        return Parte(tipo="sezione", titolo=str(raw["sezione"]), condizione=cond)
    if "articolo" in raw:
        if "titolo" not in raw:
            raise ErroreLibreria(f"{dove}: l'articolo '{raw['articolo']}' non ha titolo")
        voci = tuple(_voce(v, f"{dove}, articolo {raw['articolo']}") for v in raw.get("contenuto") or [])
        if not voci:
            raise ErroreLibreria(f"{dove}: l'articolo '{raw['articolo']}' non ha contenuto")
        return Parte(tipo="articolo", id=str(raw["articolo"]), titolo=str(raw["titolo"]), contenuto=voci,
                     condizione=cond)
    if "testo" in raw:
        voci = tuple(_voce(v, f"{dove}, testo") for v in raw["testo"] or [])
        return Parte(tipo="testo", contenuto=voci, condizione=cond, id=raw.get("id"))
    if "firme" in raw:
        return Parte(tipo="firme", rif=str(raw["firme"]), titolo=raw.get("intestazione"), condizione=cond)
    if "salto_pagina" in raw:
        return Parte(tipo="salto_pagina", condizione=cond)
    if "allegato" in raw:
        a = raw["allegato"]
        return Parte(tipo="allegato", rif=str(a["documento"]), titolo=str(a.get("titolo", "Allegato")),
                     sottotitoli=_tupla(a.get("sottotitoli")), condizione=cond,
                     piede=str(a["piede"]) if a.get("piede") else None,
                     firme=str(a["firme"]) if a.get("firme") else None)
    if "documento" in raw:
        return Parte(tipo="documento", rif=str(raw["documento"]), condizione=cond)
    if "mappa_elementi" in raw:
        return Parte(tipo="mappa_elementi", rif=str(raw["mappa_elementi"]), titolo=raw.get("intestazione"),
                     condizione=cond)
    raise ErroreLibreria(f"{dove}: parte non riconosciuta {sorted(raw)}")


def leggi_specifica(path: Path) -> Specifica:
    testo = Path(path).read_text(encoding="utf-8")
    d = con_memo("yaml-specifica", testo, lambda: yaml.load(testo, Loader=_CARICATORE)) or {}  # noqa: S506
    sid = d.get("id")
    if sid != Path(path).stem:
        raise ErroreLibreria(f"{path}: l'id '{sid}' deve coincidere con il nome del file")
    parti = tuple(_parte(p, f"{path}, parte {i + 1}") for i, p in enumerate(d.get("parti") or []))
    return Specifica(
        id=sid, titolo=str(d.get("titolo") or sid), parti=parti, intestazione=d.get("intestazione"),
        commi_numerati=bool(d.get("commi_numerati", False)), sezioni_numerate=d.get("sezioni_numerate"),
        percorso=Path(path),
    )


@lru_cache(maxsize=32)
def load_spec(documento: str, cartella: Path = DOCUMENTI_DIR) -> Specifica:
    path = Path(cartella) / f"{documento}.yaml"
    if not path.exists():
        raise ErroreLibreria(f"manca la specifica del documento '{documento}' ({path})")
    return leggi_specifica(path)

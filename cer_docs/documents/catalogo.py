"""Il catalogo dei documenti costitutivi: che cosa si può generare per una pratica e come.

Ogni voce lega un tipo di documento alla sua specifica, al costruttore del contesto e al
nome del file. Statuto, atto costitutivo e copia GSE richiedono una comunità (ente
giuridico); il regolamento si genera per ogni configurazione CER o AUC.

I documenti del pacchetto (``ORDINE_PACCHETTO``) si generano solo se la pratica ne ha
bisogno, uno per oggetto: il mandato per ogni referente con mandato, l'accordo per ogni
produttore terzo, una dichiarazione sostitutiva per ogni dichiarante, la lettera ai
fornitori per ogni impianto finanziato dal PNRR, il modulo di adesione per ogni membro.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from cer_docs.model.pratica import Configurazione, Pratica

from .contesti import COSTRUTTORI
from .contesti import oggetti as og
from .contesti.comuni import una_generazione
from .contesti.coerenza import membri_da_ammettere
from .elementi import mappa_elementi
from .motore import Contesto, resolve
from .specifiche import load_spec
from .struttura import Documento


__all__ = ["CATALOGO", "ORDINE", "ORDINE_PACCHETTO", "TUTTI", "Richiesta", "TipoDocumento", "contesto_per",
           "nome_file", "richieste", "risolvi", "slug", "una_generazione"]


@dataclass(frozen=True)
class TipoDocumento:
    id: str
    titolo: str
    prefisso_file: str
    per_configurazione: bool = False
    richiede_comunita: bool = True
    per_oggetto: bool = False       # un file per oggetto (dichiarante, produttore, impianto, membro)
    pacchetto: bool = False


CATALOGO: dict[str, TipoDocumento] = {
    "statuto": TipoDocumento("statuto", "Statuto", "statuto"),
    "atto_costitutivo": TipoDocumento("atto_costitutivo", "Atto costitutivo", "atto-costitutivo"),
    "regolamento": TipoDocumento("regolamento", "Regolamento della configurazione", "regolamento",
                                 per_configurazione=True, richiede_comunita=False),
    "statuto_gse": TipoDocumento("statuto_gse", "Statuto – copia per il GSE con gli elementi essenziali evidenziati",
                                 "statuto-gse"),
    "atto_costitutivo_gruppo": TipoDocumento("atto_costitutivo_gruppo", "Atto costitutivo del gruppo di autoconsumatori",
                                             "atto-costitutivo-gruppo", per_configurazione=True,
                                             richiede_comunita=False),
}
ORDINE = ("statuto", "atto_costitutivo", "regolamento", "statuto_gse", "atto_costitutivo_gruppo")
"""I documenti costitutivi."""

_PACCHETTO = [
    TipoDocumento("mandato_referente", "Mandato al referente", "mandato-referente", per_oggetto=True,
                  richiede_comunita=False, pacchetto=True),
    TipoDocumento("accordo_produttore_terzo", "Accordo con il produttore terzo", "accordo-produttore-terzo",
                  per_oggetto=True, richiede_comunita=False, pacchetto=True),
    TipoDocumento("dsan", "Dichiarazione sostitutiva (DPR 445/2000)", "dsan", per_oggetto=True,
                  richiede_comunita=False, pacchetto=True),
    TipoDocumento("lettera_fornitori_pnrr", "Lettera ai fornitori – requisiti delle fatture PNRR",
                  "lettera-fornitori-pnrr", per_oggetto=True, richiede_comunita=False, pacchetto=True),
    TipoDocumento("modulo_adesione", "Modulo di adesione", "modulo-adesione", per_oggetto=True,
                  richiede_comunita=False, pacchetto=True),
    TipoDocumento("informativa_privacy", "Informativa sul trattamento dei dati personali", "informativa-privacy",
                  richiede_comunita=False, pacchetto=True),
    TipoDocumento("registro_membri", "Registro dei membri", "registro-membri", pacchetto=True),
]
CATALOGO.update({t.id: t for t in _PACCHETTO})
ORDINE_PACCHETTO = tuple(t.id for t in _PACCHETTO)
"""I documenti del pacchetto per il GSE e per i membri."""
TUTTI = ORDINE + ORDINE_PACCHETTO


@dataclass
class Richiesta:
    """Un documento da produrre: tipo e, per il regolamento, la configurazione."""

    tipo: TipoDocumento
    configurazione: Configurazione | None = None
    oggetto: str | None = None      # id del dichiarante, del produttore, dell'impianto o del membro

    @property
    def chiave(self) -> str:
        if self.oggetto:
            return f"{self.tipo.id}:{self.oggetto}"
        return f"{self.tipo.id}:{self.configurazione.id}" if self.configurazione else self.tipo.id


def slug(testo: str) -> str:
    t = unicodedata.normalize("NFKD", testo).encode("ascii", "ignore").decode("ascii").lower()
    t = re.sub(r"[^a-z0-9]+", "-", t).strip("-")
    return t[:80] or "documento"


def nome_file(pratica: Pratica, r: Richiesta) -> str:
    base = r.tipo.prefisso_file
    if r.oggetto is not None:
        base += "-" + slug(r.oggetto)
    elif r.configurazione is not None:
        base += "-" + slug(r.configurazione.id)
    return f"{base}-{slug(pratica.pratica.id)}"


def richieste(pratica: Pratica, documenti: list[str], al: dt.date | None = None) -> tuple[list[Richiesta], list[str]]:
    """I documenti effettivamente producibili alla data ``al`` e, per gli altri, il motivo in
    italiano. Senza data, chi ha una data di recesso conta come receduto."""
    al = al or dt.date.max
    out: list[Richiesta] = []
    note: list[str] = []
    for d in documenti:
        tipo = CATALOGO[d]
        if tipo.pacchetto:
            rs, n = _richieste_pacchetto(pratica, tipo, al)
            out += rs
            note += n
            continue
        if tipo.richiede_comunita and pratica.comunita is None:
            tipi = sorted({c.tipo for c in pratica.configurazioni}) or ["senza configurazioni"]
            note.append(
                f"{tipo.titolo}: non generato, perché la pratica non descrive una comunità (ente giuridico). "
                f"Una configurazione {', '.join(tipi)} non ha statuto né atto costitutivo: i rapporti tra i "
                "partecipanti sono regolati dal contratto di diritto privato e dal regolamento della configurazione."
            )
            continue
        if tipo.id == "atto_costitutivo_gruppo":
            confs = [c for c in pratica.configurazioni if c.tipo == "AUC" and pratica.comunita is None]
            if not confs:
                note.append(f"{tipo.titolo}: non generato, perché la pratica non ha un gruppo di autoconsumatori "
                            "fuori da una comunità.")
            out += [Richiesta(tipo, c) for c in confs]
            continue
        if tipo.per_configurazione:
            confs = [c for c in pratica.configurazioni if c.tipo in ("CER", "AUC")]
            for c in pratica.configurazioni:
                if c.tipo == "AID":
                    note.append(f"{tipo.titolo} «{c.denominazione or 'configurazione n. ' + str(pratica.configurazioni.index(c) + 1)}»: non generato, perché l'autoconsumatore individuale a "
                                "distanza è un solo cliente finale e non ripartisce benefici tra più partecipanti.")
            if not confs and not any(c.tipo == "AID" for c in pratica.configurazioni):
                note.append(f"{tipo.titolo}: non generato, perché la pratica non ha configurazioni.")
            out += [Richiesta(tipo, c) for c in confs]
        else:
            out.append(Richiesta(tipo))
    return out, note


def _richieste_pacchetto(pratica: Pratica, tipo: TipoDocumento, al: dt.date) -> tuple[list[Richiesta], list[str]]:
    t = tipo.titolo
    if tipo.id == "mandato_referente":
        confs = og.configurazioni_con_mandato(pratica)
        note = [] if confs else [f"{t}: non generato, perché il referente di ogni configurazione è la comunità "
                                 "stessa, tramite il suo legale rappresentante, o l'autoconsumatore stesso, e non "
                                 "serve un mandato."]
        return [Richiesta(tipo, c, oggetto=c.id) for c in confs], note
    if tipo.id == "accordo_produttore_terzo":
        rs = [Richiesta(tipo, oggetto=x.soggetto) for x in pratica.produttori_terzi if pratica.soggetto(x.soggetto)]
        return rs, ([] if rs else [f"{t}: non generato, perché la pratica non ha produttori terzi."])
    if tipo.id == "dsan":
        rs = [Richiesta(tipo, oggetto=x) for x in og.dichiaranti(pratica, al)]
        return rs, ([] if rs else [f"{t}: non generata, perché la pratica non indica dichiaranti."])
    if tipo.id == "lettera_fornitori_pnrr":
        rs = [Richiesta(tipo, c, oggetto=i.id) for c, i in og.impianti_pnrr(pratica)]
        return rs, ([] if rs else [f"{t}: non generata, perché nessun impianto della pratica è finanziato dal PNRR."])
    if tipo.id == "modulo_adesione":
        rs = [Richiesta(tipo, oggetto=sid) for sid in membri_da_ammettere(pratica, og.membri_con_adesione(pratica, al))]
        return rs, ([] if rs else [f"{t}: non generato, perché la pratica non ha membri attivi da ammettere oltre ai "
                                   "fondatori, che aderiscono sottoscrivendo l'atto costitutivo."])
    if tipo.id == "registro_membri":
        if pratica.comunita is None:
            return [], [f"{t}: non generato, perché la pratica non descrive una comunità (ente giuridico) con "
                        "un libro dei membri."]
        return [Richiesta(tipo)], []
    return [Richiesta(tipo)], []


def contesto_per(pratica: Pratica, r: Richiesta, al: dt.date) -> Contesto:
    """Il contesto del documento richiesto, dal costruttore registrato per il suo tipo. Dentro
    ``una_generazione()`` le parti comuni a tutta la pratica si calcolano una volta sola."""
    modo, costruttore = COSTRUTTORI[r.tipo.id]
    if modo == "configurazione":
        assert r.configurazione is not None
        return costruttore(pratica, r.configurazione, al)
    if modo == "oggetto":
        assert r.oggetto is not None
        return costruttore(pratica, r.oggetto, al)
    return costruttore(pratica, al)


def risolvi(pratica: Pratica, r: Richiesta, al: dt.date, *, bozza: bool = False,
            contesto: Contesto | None = None) -> Documento:
    """Il documento risolto per la richiesta, alla data ``al``."""
    ctx = contesto or contesto_per(pratica, r, al)

    def incluso(doc_id: str) -> Documento:
        return resolve(load_spec(doc_id), ctx, bozza=bozza)

    doc = resolve(load_spec(r.tipo.id), ctx, risolvi=incluso, mappa=mappa_elementi,
                  evidenzia=r.tipo.id == "statuto_gse", bozza=bozza)
    return doc

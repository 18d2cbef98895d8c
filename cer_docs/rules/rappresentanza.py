"""Chi firma per un ente ecclesiastico: la parrocchia è rappresentata dal parroco.

Un ente ecclesiastico civilmente riconosciuto è rappresentato secondo il diritto canonico (L. 222/1985,
art. 3); per la parrocchia è il parroco (can. 532 CIC) o l'amministratore parrocchiale. Se la pratica
indica come rappresentante qualcuno senza quell'ufficio e senza procura, la verifica lo segnala con un
avviso (mai un errore: la regola poggia su un parametro non confermato, e la persona indicata può avere
titolo da un atto che la pratica non riporta).
"""

from __future__ import annotations

from typing import Iterator

from .base import Rilievo, param, rif
from .contesto import Contesto

AMBITO = "membri"


def _contiene(testo: str | None, parole: list[str]) -> bool:
    t = " ".join((testo or "").lower().split())
    return any(p in t for p in parole)


def regole_rappresentanza(ctx: Contesto) -> Iterator[Rilievo]:
    al = ctx.al
    tipi = param("ente_ecclesiastico_rappresentanza", al)
    for i, s in enumerate(ctx.pratica.soggetti):
        if s.tipo != "ente_religioso" or not s.denominazione:
            continue
        nome = " ".join(s.denominazione.lower().split())
        regola = next((v for v in tipi.values() if any(nome.startswith(p) for p in v["nome_inizia"])), None)
        r = s.rappresentante
        if regola is None or r is None or not (r.nome or r.cognome):
            continue  # chi firma manca del tutto: lo segnalano i dati mancanti dell'atto
        poteri = r.poteri
        titoli = " ".join(x for x in (r.carica, poteri.fonte if poteri else None, poteri.atto if poteri else None) if x)
        if _contiene(r.carica, regola["uffici"]) or _contiene(titoli, ["procura"]):
            continue
        carica = f"«{r.carica.strip()}»" if r.carica and r.carica.strip() else "senza carica"
        yield Rilievo(
            codice="ECCLESIASTICO_RAPPRESENTANTE", gravita="avviso", oggetto=f"soggetti[{i}].rappresentante",
            messaggio=(f"{s.denominazione}: la parrocchia è rappresentata dal parroco (o dall'amministratore "
                       f"parrocchiale), ma la pratica indica {r.nome_completo} ({carica}), senza un ufficio "
                       "ecclesiastico. Controlla nel registro delle persone giuridiche della Prefettura chi ha "
                       "la rappresentanza dell'ente e, se firma un'altra persona, indica la procura del parroco "
                       "nei poteri del rappresentante; altrimenti indica il parroco."),
            riferimento=rif("ente_ecclesiastico_rappresentanza", al), ambito=AMBITO)

"""Annullare un fatto registrato per errore, senza cancellare la cronologia.

``annulla_fatto(pratica, indice, motivo, autore, al)`` restituisce una *copia* della pratica con
un evento in più, di tipo ``annullamento``, che indica in ``annulla`` la posizione del fatto
ritirato; chi annulla (``autore``), quando (``al``) e perché (``nota``) restano scritti. Il fatto
annullato resta nella cronologia ma non conta più: ``Pratica.eventi_validi()`` lo salta (stati e
scadenze leggono solo quelli) e il campo datato che il fatto aveva scritto torna al valore dato
dagli altri fatti validi dello stesso tipo (di solito vuoto), così anche le regole non lo vedono.

Si rifiuta (``FattoRifiutato``, con il motivo) l'annullamento di un fatto già annullato, di un
annullamento, di un fatto da cui dipende un fatto successivo ancora valido (la firma dell'atto
se la registrazione resta: si annulla prima la registrazione) e dell'approvazione di un riparto
(le versioni approvate restano: se ne approva una nuova). Se il campo datato è stato cambiato a
mano dopo il fatto, non lo si tocca e lo si dice negli avvisi.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from cer_docs.italiano import data_lunga
from cer_docs.model.io import parse_path
from cer_docs.model.pratica import TIPO_ANNULLAMENTO, Evento, Pratica

from .fatti import FattoRegistrato, FattoRifiutato
from .oggetti import Oggetto, individua
from .stati import stato_pratica
from .testo import con_data
from .tipi import TIPI_FATTO, canonico

__all__ = ["TIPO_ANNULLAMENTO", "annulla_fatto", "annullabile"]

# un fatto successivo ancora valido di questi tipi, sullo stesso oggetto, impedisce l'annullamento
_DIPENDENTI: dict[str, tuple[str, ...]] = {
    "atto_firmato": ("atto_registrato",),
    "richiesta_inviata": ("richiesta_accolta", "richiesta_respinta"),
    "domanda_pnrr": ("concessione_pnrr", "avvio_lavori"),
    "avvio_lavori": ("fine_lavori", "comunicazione_avvio_lavori"),
    "pod_aggiunto": ("pod_rimosso",),
    "mandato_firmato": ("mandato_revocato",),
    "fine_lavori": ("entrata_esercizio",),  # solo per gli impianti PNRR (vedi _controlla)
}
# tipi che non si annullano con un evento, e dove si corregge
_NON_ANNULLABILI: dict[str, str] = {
    "riparto_approvato": "le versioni approvate del riparto restano: per correggere fai approvare una nuova versione "
                         "(pagina «Riparto e pagamenti»)",
}


def _rifiuta(motivo: str) -> None:
    raise FattoRifiutato(motivo)


def _testo(x: str | None) -> str | None:
    x = " ".join(str(x or "").split())
    return x or None


def _titolo(ev: Evento) -> str:
    """Il nome del fatto tra caporali (senza raddoppiarli se la descrizione ne contiene già)."""
    tipo = TIPI_FATTO.get(canonico(ev.tipo))
    t = ev.descrizione or (tipo.etichetta if tipo else ev.tipo)
    return t if "«" in t else f"«{t}»"


def _campo(tipo: str, ogg: Oggetto) -> str | None:
    t = TIPI_FATTO.get(tipo)
    if t is None or t.campo is None:
        return None
    return (t.campo.replace("[i]", f"[{ogg.ci}]").replace("[j]", f"[{ogg.ii}]").replace("[k]", f"[{ogg.pi}]"))


def _padre(radice: Any, percorso: str) -> tuple[Any, str] | None:
    """L'oggetto che contiene l'ultimo campo del percorso e il nome del campo; None se manca un pezzo."""
    parti = parse_path(percorso)
    o = radice
    for parte in parti[:-1]:
        o = o[parte] if isinstance(parte, int) else getattr(o, parte, None)
        if o is None:
            return None
    return o, str(parti[-1])


def _leggi(radice: Any, percorso: str) -> Any:
    trovato = _padre(radice, percorso)
    return None if trovato is None else getattr(trovato[0], trovato[1], None)


def _scrivi(radice: Any, percorso: str, valore: Any) -> None:
    trovato = _padre(radice, percorso)
    if trovato is not None:
        setattr(trovato[0], trovato[1], valore)


def _stesso_oggetto(p: Pratica, ev: Evento, ogg: Oggetto | None) -> bool:
    o = individua(p, ev.oggetto)
    return ogg is not None and o is not None and (ogg.contiene(o) or o.contiene(ogg))


def annullabile(pratica: Pratica, indice: int) -> str | None:
    """Perché l'evento ``indice`` non si può annullare (in italiano); ``None`` se si può."""
    try:
        _controlla(pratica, indice)
    except FattoRifiutato as e:
        return e.motivo
    return None


def _controlla(p: Pratica, indice: int) -> tuple[Evento, str, Oggetto | None]:
    if not 0 <= indice < len(p.eventi):
        _rifiuta(f"La cronologia non ha un evento numero {indice + 1}: scegli un fatto dall'elenco.")
    ev = p.eventi[indice]
    if ev.tipo == TIPO_ANNULLAMENTO:
        _rifiuta("Questo è già un annullamento: non si annulla un annullamento. Se il fatto era giusto, registralo "
                 "di nuovo.")
    gia = p.annullamenti().get(indice)
    if gia is not None:
        a = gia[1]
        da = f" da {a.autore}" if a.autore else ""
        _rifiuta(f"Il fatto {_titolo(ev)} risulta già annullato {con_data('il', a.data)}{da}.")
    tipo = canonico(ev.tipo)
    if tipo in _NON_ANNULLABILI:
        _rifiuta(f"Il fatto {_titolo(ev)} non si annulla da qui: {_NON_ANNULLABILI[tipo]}.")
    ogg = individua(p, ev.oggetto)
    validi = set(map(id, p.eventi_validi()))
    dipendenti = _DIPENDENTI.get(tipo, ())
    if tipo == "fine_lavori" and (ogg is None or ogg.ii is None
                                  or p.configurazioni[ogg.ci].impianti[ogg.ii].contributo_pnrr is None):
        dipendenti = ()
    for dopo in p.eventi[indice + 1:]:
        if id(dopo) in validi and canonico(dopo.tipo) in dipendenti and _stesso_oggetto(p, dopo, ogg):
            _rifiuta(f"Dopo il fatto {_titolo(ev)} è registrato {_titolo(dopo)} ({data_lunga(dopo.data)}), che ne dipende: "
                     "annulla prima quello.")
    return ev, tipo, ogg


def _ultimo_valido(p: Pratica, tipo: str, ogg: Oggetto | None) -> dt.date | None:
    date = [e.data for e in p.eventi_validi() if canonico(e.tipo) == tipo and _stesso_oggetto(p, e, ogg)]
    return max(date) if date else None


def _ripristina(p: Pratica, ev: Evento, tipo: str, ogg: Oggetto | None, avvisi: list[str]) -> None:
    """Riporta il campo datato scritto dal fatto al valore degli altri fatti validi (``p`` ha già l'annullamento)."""
    campo = _campo(tipo, ogg) if ogg is not None else None
    if campo is None:
        return
    attuale = _leggi(p, campo)
    if attuale is None and _padre(p, campo) is None:
        return  # per esempio avvio lavori senza contributo PNRR: c'era solo l'evento
    if attuale != ev.data:
        if attuale is not None:
            avvisi.append(f"Il campo «{campo}» vale {data_lunga(attuale)}, non la data del fatto annullato: è stato "
                          "cambiato dopo, e non l'ho toccato. Correggilo nella procedura se serve.")
        return
    if tipo in ("richiesta_accolta", "richiesta_respinta"):
        ra = p.configurazioni[ogg.ci].richiesta_accesso
        ra.esito, ra.data_esito = None, None
        return
    if tipo in ("mandato_firmato", "mandato_revocato"):
        m = p.configurazioni[ogg.ci].referente.mandato
        m.data_firma = _ultimo_valido(p, "mandato_firmato", ogg)
        revoca = _ultimo_valido(p, "mandato_revocato", ogg)
        m.data_revoca = revoca if revoca is not None and m.data_firma is not None and revoca >= m.data_firma else None
        return
    _scrivi(p, campo, _ultimo_valido(p, tipo, ogg))
    if tipo == "atto_registrato" and ev.riferimento:
        reg = p.comunita.atto_costitutivo.registrazione if p.comunita else None
        if reg is not None and reg.numero == ev.riferimento:
            reg.numero = None
    if tipo == "domanda_pnrr" and ev.riferimento:
        cp = p.configurazioni[ogg.ci].impianti[ogg.ii].contributo_pnrr
        if cp is not None and cp.codice_progetto_gse == ev.riferimento:
            cp.codice_progetto_gse = None


def annulla_fatto(pratica: Pratica, indice: int, motivo: str | None, autore: str | None,
                  al: dt.date) -> FattoRegistrato:
    """Annulla l'evento in posizione ``indice`` (da 0) alla data ``al``: copia della pratica con l'annullamento."""
    if not isinstance(al, dt.date):
        raise TypeError("la data 'al' è obbligatoria")
    motivo = _testo(motivo)
    if motivo is None:
        _rifiuta("Scrivi perché annulli il fatto (il motivo resta nella cronologia).")
    p = pratica.model_copy(deep=True)
    ev, tipo, ogg = _controlla(p, indice)
    annullamento = Evento(data=al, tipo=TIPO_ANNULLAMENTO, annulla=indice, autore=_testo(autore), nota=motivo,
                          oggetto=ev.oggetto, descrizione=f"Annullato il fatto {con_data('del', ev.data)}: {_titolo(ev)}")
    p.eventi.append(annullamento)
    avvisi: list[str] = []
    _ripristina(p, ev, tipo, ogg, avvisi)
    p.pratica.stato = stato_pratica(p, al)
    p.pratica.aggiornata_il = al
    return FattoRegistrato(pratica=p, evento=annullamento, avvisi=tuple(avvisi))

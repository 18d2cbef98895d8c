"""Stati della pratica: la CER, ogni configurazione, ogni impianto, ogni contributo PNRR.

Gli stati non si salvano: si *derivano* dai fatti datati della pratica (campi con data ed
eventi registrati) alla data ``al``. Registrare un fatto (``fatti.record_fatto``) sposta quindi
gli stati da sé, e la stessa pratica vista a una data passata mostra gli stati di allora.
Le macchine a stati seguono ``dominio.md`` §8.2, limitate agli stati che un fatto della pratica
può provare:

* comunità: ``in_progetto`` / ``promozione`` / ``in_costituzione`` (scelti a mano, nessun fatto li
  prova) → ``costituita`` (atto firmato) → ``data_certa`` (atto pubblico o registrazione) →
  ``operativa`` (almeno una configurazione con contratto GSE attivo);
* configurazione: ``in_progetto`` → ``mandato_firmato`` → ``impianto_in_esercizio`` →
  ``richiesta_inviata`` → ``accolta`` | ``respinta``;
* impianto: ``progettato`` → ``lavori_avviati`` → ``lavori_completati`` → ``registrato_gaudi`` →
  ``in_esercizio`` → ``in_configurazione`` (compreso in una richiesta o variazione inviata) →
  ``incentivato`` | ``solo_valorizzazione``; ``uscito`` se il suo POD ha lasciato la configurazione;
* contributo PNRR: ``bozza`` → ``domanda_inviata`` → ``concesso`` → ``lavori_avviati`` →
  ``lavori_completati`` → ``in_esercizio`` (monitoraggio degli anni di esercizio minimo) →
  ``esercizio_minimo_compiuto``.

Lo stato della pratica (``pratica.stato``, il vocabolario del file) si ricava dagli stessi fatti:
``costituita`` → ``richiesta_inviata`` → ``qualificata`` (richiesta accolta); gli stati prima della
costituzione e ``operativa`` restano quelli scelti a mano, perché nessun fatto della pratica li prova.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from cer_docs.model.vocabolario import STATI_PRATICA
from cer_docs.model.pratica import Configurazione, Impianto, Pratica
from cer_docs.rules.contesto import data_costituzione

from .testo import con_data
from .oggetti import (Oggetto, entro, individua, oggetto_comunita, oggetto_configurazione, oggetto_impianto,
                      pod_dell_impianto)
from .scadenze import compute_scadenze_e_decorrenze
from .tipi import COMUNICAZIONI_VARIAZIONE, canonico

__all__ = ["StatoOggetto", "Stati", "ETICHETTE", "compute_stati", "stato_pratica", "data_lavori"]

ETICHETTE = {
    # comunità
    "in_progetto": STATI_PRATICA["in_progetto"].nome,
    "promozione": STATI_PRATICA["promozione"].nome,
    "in_costituzione": STATI_PRATICA["in_costituzione"].nome,
    "costituita": "costituita (atto firmato)",
    "data_certa": "costituita con data certa",
    "operativa": "operativa (contratto GSE attivo)",
    # pratica
    "richiesta_inviata": "richiesta di accesso inviata",
    "qualificata": "qualificata dal GSE (richiesta accolta)",
    # configurazione
    "mandato_firmato": "mandato al referente firmato",
    "impianto_in_esercizio": "almeno un impianto in esercizio",
    "accolta": "richiesta accolta, contratto GSE attivo",
    "respinta": "richiesta respinta",
    # impianto
    "progettato": "progettato",
    "lavori_avviati": "lavori avviati",
    "lavori_completati": "lavori conclusi",
    "registrato_gaudi": "registrato su GAUDÌ",
    "in_esercizio": "in esercizio",
    "in_configurazione": "in esercizio, compreso nella richiesta al GSE",
    "incentivato": "incentivato (tariffa premio e valorizzazione)",
    "solo_valorizzazione": "solo contributo di valorizzazione",
    "uscito": "uscito dalla configurazione",
    # PNRR
    "bozza": "domanda non ancora presentata",
    "domanda_inviata": "domanda presentata, in istruttoria",
    "concesso": "contributo concesso",
    "esercizio_minimo_compiuto": "esercizio minimo compiuto",
}
ETICHETTE_PNRR = {**ETICHETTE, "in_esercizio": "impianto in esercizio (esercizio minimo in corso)"}

_PRATICA = ("in_progetto", "promozione", "in_costituzione", "costituita", "richiesta_inviata", "qualificata",
            "operativa")
_PRIMA_DEI_FATTI = ("in_progetto", "promozione", "in_costituzione")


@dataclass(frozen=True)
class StatoOggetto:
    oggetto: str
    genere: str
    nome: str
    stato: str
    etichetta: str
    dal: dt.date | None = None
    note: tuple[str, ...] = ()
    decorrenza: dt.date | None = None

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["note"] = list(self.note)
        for k in ("dal", "decorrenza"):
            d[k] = d[k].isoformat() if d[k] else None
        return d


@dataclass(frozen=True)
class Stati:
    al: dt.date
    pratica: str
    etichetta_pratica: str
    comunita: StatoOggetto | None
    configurazioni: tuple[StatoOggetto, ...]
    impianti: tuple[StatoOggetto, ...]
    pnrr: tuple[StatoOggetto, ...]

    def tutti(self) -> list[StatoOggetto]:
        return [*([self.comunita] if self.comunita else []), *self.configurazioni, *self.impianti, *self.pnrr]

    def di(self, oggetto: str) -> StatoOggetto | None:
        """Lo stato dell'oggetto al percorso dato (o del suo contenitore più vicino)."""
        candidati = [s for s in self.tutti() if oggetto == s.oggetto or oggetto.startswith(s.oggetto + ".")]
        return max(candidati, key=lambda s: len(s.oggetto)) if candidati else None

    def as_dict(self) -> dict[str, Any]:
        return {"al": self.al.isoformat(), "pratica": self.pratica, "etichetta_pratica": self.etichetta_pratica,
                "comunita": self.comunita.as_dict() if self.comunita else None,
                "configurazioni": [s.as_dict() for s in self.configurazioni],
                "impianti": [s.as_dict() for s in self.impianti], "pnrr": [s.as_dict() for s in self.pnrr]}


def _so(ogg: Oggetto, stato: str, dal: dt.date | None, note: list[str] | None = None, *, percorso: str | None = None,
        etichette: dict[str, str] = ETICHETTE, decorrenza: dt.date | None = None) -> StatoOggetto:
    return StatoOggetto(oggetto=percorso or ogg.percorso, genere=ogg.genere, nome=ogg.nome, stato=stato,
                        etichetta=etichette.get(stato, stato), dal=dal, note=tuple(note or ()), decorrenza=decorrenza)


def data_lavori(p: Pratica, ci: int, ii: int, al: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """(avvio, fine) dei lavori dell'impianto: dal contributo PNRR o, senza PNRR, dagli eventi registrati."""
    imp = p.configurazioni[ci].impianti[ii]
    cp = imp.contributo_pnrr
    avvio = entro(cp.data_avvio_lavori, al) if cp else None
    fine = entro(cp.data_fine_lavori, al) if cp else None
    if avvio is None or fine is None:
        percorso = oggetto_impianto(p, ci, ii).percorso
        for ev in p.eventi_validi():
            if ev.data > al:
                continue
            ogg = individua(p, ev.oggetto)
            if ogg is None or ogg.percorso != percorso:
                continue
            tipo = canonico(ev.tipo)
            if tipo == "avvio_lavori" and avvio is None:
                avvio = ev.data
            elif tipo == "fine_lavori" and fine is None:
                fine = ev.data
    return avvio, fine


def _stato_comunita(p: Pratica, al: dt.date) -> StatoOggetto | None:
    if p.comunita is None:
        return None
    ogg = oggetto_comunita(p)
    atto = p.comunita.atto_costitutivo
    firma = entro(atto.data, al)
    certa = entro(data_costituzione(p), al)
    accolte = [entro(c.richiesta_accesso.data_esito, al) for c in p.configurazioni
               if c.richiesta_accesso.esito == "accolta"]
    accolte = [d for d in accolte if d is not None]
    note: list[str] = []
    if certa is not None and accolte:
        return _so(ogg, "operativa", min(accolte), percorso="comunita")
    if certa is not None:
        return _so(ogg, "data_certa", certa, percorso="comunita")
    if firma is not None:
        if atto.forma == "scrittura_privata_registrata":
            note.append("la scrittura privata va registrata all'Agenzia delle Entrate per avere la data certa")
        return _so(ogg, "costituita", firma, note, percorso="comunita")
    stato = p.pratica.stato if p.pratica.stato in _PRIMA_DEI_FATTI else "in_progetto"
    return _so(ogg, stato, None, percorso="comunita")


def _stato_configurazione(p: Pratica, ci: int, conf: Configurazione, al: dt.date) -> StatoOggetto:
    ogg = oggetto_configurazione(p, ci)
    ra = conf.richiesta_accesso
    m = conf.referente.mandato
    note: list[str] = []
    firma, revoca = entro(m.data_firma, al), entro(m.data_revoca, al)
    if revoca is not None:
        note.append(f"mandato al referente revocato {con_data('il', revoca)}: designa un nuovo referente "
                    "e comunica il cambio al GSE")
    invio, esito = entro(ra.data_invio, al), entro(ra.data_esito, al)
    in_esercizio = [d for d in (entro(i.data_entrata_esercizio, al) for i in conf.impianti) if d is not None]
    if esito is not None and ra.esito in ("accolta", "respinta"):
        return _so(ogg, ra.esito, esito, note)
    if invio is not None:
        return _so(ogg, "richiesta_inviata", invio, note)
    if in_esercizio:
        return _so(ogg, "impianto_in_esercizio", min(in_esercizio), note)
    if firma is not None and revoca is None:
        return _so(ogg, "mandato_firmato", firma, note)
    return _so(ogg, "in_progetto", None, note)


def _comunicato(p: Pratica, ogg: Oggetto, dal: dt.date, al: dt.date) -> dt.date | None:
    for ev in sorted(p.eventi_validi(), key=lambda e: e.data):
        if dal <= ev.data <= al and canonico(ev.tipo) in COMUNICAZIONI_VARIAZIONE:
            o = individua(p, ev.oggetto)
            if o is not None and o.contiene(ogg):
                return ev.data
    return None


def _stato_impianto(p: Pratica, ci: int, conf: Configurazione, ii: int, imp: Impianto, al: dt.date,
                    decorrenze: dict) -> StatoOggetto:
    ogg = oggetto_impianto(p, ci, ii)
    es = entro(imp.data_entrata_esercizio, al)
    trovato = pod_dell_impianto(conf, imp)
    uscita = entro(trovato[1].data_uscita, al) if trovato else None
    dec = decorrenze.get(ogg.percorso)
    note: list[str] = [dec.motivo] if dec else []
    if uscita is not None:
        return _so(ogg, "uscito", uscita, note)
    if es is not None:
        ra = conf.richiesta_accesso
        invio = entro(ra.data_invio, al)
        incluso = None
        if invio is not None:
            incluso = invio if es <= invio else _comunicato(p, ogg, es, al)
        if incluso is None:
            return _so(ogg, "in_esercizio", es, note)
        esito = entro(ra.data_esito, al)
        if ra.esito == "accolta" and esito is not None:
            cost = entro(data_costituzione(p), al)
            if conf.tipo == "CER" and p.comunita is not None and (cost is None or es < cost):
                note.append("entrato in esercizio prima della data certa di costituzione della CER")
                return _so(ogg, "solo_valorizzazione", max(esito, incluso), note,
                           decorrenza=dec.data if dec else None)
            return _so(ogg, "incentivato", max(esito, incluso), note, decorrenza=dec.data if dec else None)
        return _so(ogg, "in_configurazione", incluso, note, decorrenza=dec.data if dec else None)
    avvio, fine = data_lavori(p, ci, ii, al)
    if imp.censimp and fine is not None:
        return _so(ogg, "registrato_gaudi", fine, note)
    if fine is not None:
        return _so(ogg, "lavori_completati", fine, note)
    if avvio is not None:
        return _so(ogg, "lavori_avviati", avvio, note)
    if imp.censimp:
        return _so(ogg, "registrato_gaudi", None, note)
    return _so(ogg, "progettato", None, note)


def _stato_pnrr(p: Pratica, ci: int, ii: int, imp: Impianto, al: dt.date, scadenze: list) -> StatoOggetto | None:
    cp = imp.contributo_pnrr
    if cp is None:
        return None
    ogg = oggetto_impianto(p, ci, ii)
    percorso = f"{ogg.percorso}.contributo_pnrr"
    note = [f"{s.codice} {s.stato}: {s.titolo} (entro {con_data('il', s.data)}) — {s.conseguenza}"
            for s in scadenze if s.oggetto.startswith(ogg.percorso) and s.codice in ("D18", "D19", "D20", "D23")
            and s.stato == "scaduta" and s.aperta]
    domanda, conc = entro(cp.data_domanda, al), entro(cp.data_concessione, al)
    avvio, fine = entro(cp.data_avvio_lavori, al), entro(cp.data_fine_lavori, al)
    es = entro(imp.data_entrata_esercizio, al)
    d23 = [s for s in scadenze if s.codice == "D23" and s.oggetto == ogg.percorso]
    kw = dict(percorso=percorso, etichette=ETICHETTE_PNRR)
    if d23 and d23[0].stato == "adempiuta":
        return _so(ogg, "esercizio_minimo_compiuto", d23[0].data, note, **kw)
    if domanda is None:
        return _so(ogg, "bozza", None, note, **kw)
    if es is not None and conc is not None:
        return _so(ogg, "in_esercizio", es, note, **kw)
    if fine is not None:
        return _so(ogg, "lavori_completati", fine, note, **kw)
    if avvio is not None:
        return _so(ogg, "lavori_avviati", avvio, note, **kw)
    if conc is not None:
        return _so(ogg, "concesso", conc, note, **kw)
    return _so(ogg, "domanda_inviata", domanda, note, **kw)


def stato_pratica(p: Pratica, al: dt.date) -> str:
    """Lo stato della pratica nel vocabolario del file, ricavato dai fatti alla data ``al``."""
    esiti = [c.richiesta_accesso for c in p.configurazioni]
    derivato = "in_progetto"
    if p.comunita is not None and entro(p.comunita.atto_costitutivo.data, al) is not None:
        derivato = "costituita"
    if any(entro(r.data_invio, al) for r in esiti):
        derivato = "richiesta_inviata"
    if any(r.esito == "accolta" and entro(r.data_esito, al) for r in esiti):
        derivato = "qualificata"
    scelto = p.pratica.stato
    if derivato == "in_progetto" and scelto in _PRIMA_DEI_FATTI:
        return scelto
    if derivato == "qualificata" and scelto == "operativa":
        return scelto
    return derivato


def compute_stati(pratica: Pratica, al: dt.date) -> Stati:
    if not isinstance(al, dt.date):
        raise TypeError("la data 'al' è obbligatoria: gli stati si calcolano sempre a una data precisa")
    scadenze, decorrenze = compute_scadenze_e_decorrenze(pratica, al)
    confs, imps, pnrr = [], [], []
    for ci, conf in enumerate(pratica.configurazioni):
        confs.append(_stato_configurazione(pratica, ci, conf, al))
        for ii, imp in enumerate(conf.impianti):
            imps.append(_stato_impianto(pratica, ci, conf, ii, imp, al, decorrenze))
            sp = _stato_pnrr(pratica, ci, ii, imp, al, scadenze)
            if sp is not None:
                pnrr.append(sp)
    sp = stato_pratica(pratica, al)
    return Stati(al=al, pratica=sp, etichetta_pratica=ETICHETTE.get(sp, sp),
                 comunita=_stato_comunita(pratica, al), configurazioni=tuple(confs), impianti=tuple(imps),
                 pnrr=tuple(pnrr))

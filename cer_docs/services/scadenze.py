"""Casi d'uso di stati, fatti, scadenze, cronologia, cruscotto e calendario.

L'unica porta verso ``cer_docs.practice`` per la UI e la riga di comando. Qui, e solo qui,
si legge l'orologio: ``al`` (la data a cui si guardano stati e scadenze) è oggi se non la si
passa, e ``adesso`` (l'istante dell'esportazione) è l'ora UTC corrente.

Una pratica si indica con il percorso di un file pratica, con il suo codice nell'archivio
(``pratica.id``) o passando direttamente una ``Pratica``.

Tutti i risultati sono dataclass semplici, con ``as_dict()`` dove serve il JSON.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from cer_docs.model import ErrorePratica, Pratica, load_pratica
from cer_docs.model.pratica import Evento
from cer_docs.practice import (ALIAS, ETICHETTE, TIPI_FATTO, TIPO_ANNULLAMENTO, Fatto, FattoRifiutato, Scadenza, Stati,
                               TipoFatto, TipoFattoSconosciuto, annulla_fatto as _annulla, annullabile, build_ics,
                               canonico, compute_scadenze, compute_stati, record_fatto)
from cer_docs.services import archivio as arc

__all__ = [
    "Cronologia", "Cruscotto", "EsitoFatto", "annulla_fatto", "FattoRifiutato", "GruppoPratica", "PraticaNonDisponibile",
    "ScadenzePratica", "TipoFattoSconosciuto", "VoceCronologia", "VoceCruscotto", "carica_pratica", "cronologia",
    "cruscotto", "esporta_ics", "nomi_alternativi", "registra_fatto", "scadenze", "scrivi_ics", "stati", "tipi_fatto",
    "FASCE_CRUSCOTTO",
]

# fasce del cruscotto in giorni da oggi: 0-30, 31-60, 61-90 (scelta di presentazione)
FASCE_CRUSCOTTO = (30, 60, 90)

RiferimentoPratica = str | Path | Pratica
_CODICE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class PraticaNonDisponibile(LookupError):
    """Il riferimento non è un file pratica e non è il codice di una pratica dell'archivio."""

    def __init__(self, riferimento: str):
        self.riferimento = riferimento
        super().__init__(f"«{riferimento}» non è un file pratica e nell'archivio non c'è una pratica con questo "
                         "codice: controlla il percorso o il codice (l'elenco: cer-docs pratiche)")


def _oggi(al: dt.date | None) -> dt.date:
    return al if al is not None else dt.date.today()


def _adesso() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def carica_pratica(riferimento: RiferimentoPratica, *, attore: Any = None) -> Pratica:
    """La pratica indicata: oggetto ``Pratica``, file pratica (YAML o JSON) o codice dell'archivio.

    ``ErrorePratica`` se il file non è una pratica valida; ``PraticaNonDisponibile`` se non è né un
    file né un codice dell'archivio.
    """
    if isinstance(riferimento, Pratica):
        return riferimento
    percorso = Path(riferimento).expanduser()
    if percorso.is_file():
        return load_pratica(percorso)
    testo = str(riferimento).strip()
    sembra_file = isinstance(riferimento, Path) or "/" in testo or os.sep in testo or percorso.suffix.lower() in (
        ".yaml", ".yml", ".json")
    if not testo or sembra_file or not _CODICE.match(testo):
        raise PraticaNonDisponibile(str(riferimento))
    try:
        return arc.apri(str(riferimento).strip(), attore=attore).pratica
    except arc.PraticaNonTrovata:
        raise PraticaNonDisponibile(str(riferimento)) from None


# --------------------------------------------------------------------------- scadenze e stati

@dataclass(frozen=True)
class ScadenzePratica:
    """Le scadenze di una pratica alla data ``al``, in ordine di data, con gli stati."""

    codice: str
    denominazione: str
    al: dt.date
    stati: Stati
    scadenze: tuple[Scadenza, ...]

    def conta(self) -> dict[str, int]:
        out = {"scaduta": 0, "imminente": 0, "futura": 0, "adempiuta": 0}
        for s in self.scadenze:
            out[s.stato] += 1
        return out

    def as_json(self) -> list[dict[str, Any]]:
        return [s.as_dict() for s in self.scadenze]


def scadenze(riferimento: RiferimentoPratica, al: dt.date | None = None, *,
             finestra_imminente: int | None = None, attore: Any = None) -> ScadenzePratica:
    pratica = carica_pratica(riferimento, attore=attore)
    al = _oggi(al)
    return ScadenzePratica(codice=pratica.pratica.id, denominazione=pratica.denominazione, al=al,
                           stati=compute_stati(pratica, al),
                           scadenze=tuple(compute_scadenze(pratica, al, finestra_imminente=finestra_imminente)))


def stati(riferimento: RiferimentoPratica, al: dt.date | None = None, *, attore: Any = None) -> Stati:
    return compute_stati(carica_pratica(riferimento, attore=attore), _oggi(al))


def tipi_fatto() -> list[TipoFatto]:
    """I fatti che si possono registrare, nell'ordine in cui di solito avvengono (per i menu della UI)."""
    return list(TIPI_FATTO.values())


def nomi_alternativi() -> dict[str, str]:
    """Nomi di tipo usati nei file pratica più vecchi → tipo di fatto (accettati anche da ``registra_fatto``)."""
    return dict(ALIAS)


# --------------------------------------------------------------------------- registrare un fatto

@dataclass(frozen=True)
class EsitoFatto:
    """Il fatto registrato: l'evento aggiunto, la nuova versione della pratica, gli avvisi, gli stati."""

    codice: str
    versione: int
    evento: Evento
    avvisi: tuple[str, ...]
    stati: Stati
    scadenze: tuple[Scadenza, ...]


def registra_fatto(codice: str, tipo: str, data: dt.date, oggetto: str | None = None, nota: str | None = None,
                   autore: str | None = None, versione_attesa: int | None = None, *,
                   riferimento: str | None = None, al: dt.date | None = None, attore: Any = None) -> EsitoFatto:
    """Registra un fatto sulla pratica ``codice`` dell'archivio e la salva (una versione in più).

    ``versione_attesa``: la versione che l'utente ha davanti (la UI la conosce); se qualcuno ha
    salvato dopo, ``ConflittoModifica`` e nulla è scritto. Senza, vale la versione appena letta.
    Eccezioni: ``FattoRifiutato`` (il motivo in italiano; ``TipoFattoSconosciuto`` per un tipo
    che non esiste), ``PraticaNonTrovata``, ``ConflittoModifica``, ``ErroreDatabase``.
    """
    al = _oggi(al)
    archivio = arc.archivio()
    aperta = archivio.apri(codice, attore=attore, azione="modifica")
    autore = arc.accesso.autore_di(arc.accesso.risolvi(attore), autore)
    esito = record_fatto(aperta.pratica, Fatto(tipo=tipo, data=data, oggetto=oggetto, nota=nota, autore=autore,
                                               riferimento=riferimento), al)
    salvata = archivio.salva(aperta.codice, esito.pratica,
                             aperta.versione if versione_attesa is None else versione_attesa,
                             autore=autore, attore=attore, descrizione=f"fatto registrato: {esito.evento.descrizione} "
                                                        f"({esito.evento.data.isoformat()})")
    return EsitoFatto(codice=salvata.codice, versione=salvata.versione, evento=esito.evento, avvisi=esito.avvisi,
                      stati=compute_stati(salvata.pratica, al),
                      scadenze=tuple(compute_scadenze(salvata.pratica, al)))


def annulla_fatto(codice: str, indice: int, motivo: str, autore: str | None = None,
                  versione_attesa: int | None = None, *, al: dt.date | None = None, attore: Any = None) -> EsitoFatto:
    """Annulla il fatto in posizione ``indice`` (da 0) tra gli eventi della pratica ``codice`` e la salva.

    Il fatto resta nella cronologia, segnato come annullato (da chi, quando, perché: ``motivo`` è
    obbligatorio); non conta più per stati, scadenze e regole. Servono gli stessi permessi della
    registrazione di un fatto. Eccezioni: ``FattoRifiutato`` (già annullato, è un annullamento, un
    fatto successivo ne dipende, manca il motivo), ``PraticaNonTrovata``, ``ConflittoModifica``,
    ``ErroreDatabase``.
    """
    al = _oggi(al)
    archivio = arc.archivio()
    aperta = archivio.apri(codice, attore=attore, azione="modifica")
    autore = arc.accesso.autore_di(arc.accesso.risolvi(attore), autore)
    esito = _annulla(aperta.pratica, indice, motivo, autore, al)
    salvata = archivio.salva(aperta.codice, esito.pratica,
                             aperta.versione if versione_attesa is None else versione_attesa,
                             autore=autore, attore=attore, descrizione=f"fatto annullato: {esito.evento.descrizione}")
    return EsitoFatto(codice=salvata.codice, versione=salvata.versione, evento=esito.evento, avvisi=esito.avvisi,
                      stati=compute_stati(salvata.pratica, al),
                      scadenze=tuple(compute_scadenze(salvata.pratica, al)))


# --------------------------------------------------------------------------- cronologia

@dataclass(frozen=True)
class VoceCronologia:
    """Un evento avvenuto o una scadenza, nella stessa linea del tempo."""

    data: dt.date
    genere: Literal["evento", "scadenza"]
    codice: str
    titolo: str
    oggetto: str | None
    stato: str | None = None
    dettaglio: str | None = None
    nota: str | None = None
    riferimento: str | None = None
    autore: str | None = None
    scadenza: Scadenza | None = None
    # solo per gli eventi: la posizione in ``eventi``; se annullato, da chi, quando e perché;
    # se è un annullamento, la posizione del fatto annullato; se non si può annullare, perché
    indice: int | None = None
    annullato_il: dt.date | None = None
    annullato_da: str | None = None
    motivo_annullamento: str | None = None
    annulla: int | None = None
    non_annullabile: str | None = None

    @property
    def annullato(self) -> bool:
        return self.annullato_il is not None

    @property
    def annullabile(self) -> bool:
        return self.genere == "evento" and self.non_annullabile is None

    def as_dict(self) -> dict[str, Any]:
        out = {"data": self.data.isoformat(), "genere": self.genere, "codice": self.codice, "titolo": self.titolo,
               "oggetto": self.oggetto, "stato": self.stato, "dettaglio": self.dettaglio, "nota": self.nota,
               "riferimento": self.riferimento, "autore": self.autore}
        if self.genere == "evento":
            out.update(indice=self.indice, annullato_il=self.annullato_il.isoformat() if self.annullato_il else None,
                       annullato_da=self.annullato_da, motivo_annullamento=self.motivo_annullamento,
                       annulla=self.annulla)
        return out


@dataclass(frozen=True)
class Cronologia:
    codice: str
    denominazione: str
    al: dt.date
    stati: Stati
    voci: tuple[VoceCronologia, ...]

    def passate(self) -> list[VoceCronologia]:
        return [v for v in self.voci if v.data <= self.al]

    def future(self) -> list[VoceCronologia]:
        return [v for v in self.voci if v.data > self.al]


def cronologia(riferimento: RiferimentoPratica, al: dt.date | None = None, *, attore: Any = None) -> Cronologia:
    """Eventi della pratica e scadenze in ordine di data (a parità di data prima gli eventi).

    Gli eventi annullati restano, con ``annullato_il``/``annullato_da``/``motivo_annullamento``;
    gli annullamenti sono voci a sé (``codice`` «annullamento», ``annulla`` = il fatto ritirato).
    """
    pratica = carica_pratica(riferimento, attore=attore)
    al = _oggi(al)
    annullamenti = pratica.annullamenti()
    voci: list[tuple[tuple, VoceCronologia]] = []
    for i, ev in enumerate(pratica.eventi):
        tipo = TIPI_FATTO.get(canonico(ev.tipo))
        annullo = annullamenti.get(i, (None, None))[1]
        dettaglio = "Annullamento di un fatto" if ev.tipo == TIPO_ANNULLAMENTO else tipo.etichetta if tipo else None
        voci.append(((ev.data, 0, i), VoceCronologia(
            data=ev.data, genere="evento", codice=ev.tipo, titolo=ev.descrizione or (tipo.etichetta if tipo else ev.tipo),
            oggetto=ev.oggetto, stato=None, dettaglio=dettaglio, nota=ev.nota,
            riferimento=ev.riferimento, autore=ev.autore, indice=i,
            annullato_il=annullo.data if annullo else None, annullato_da=annullo.autore if annullo else None,
            motivo_annullamento=annullo.nota if annullo else None, annulla=ev.annulla,
            non_annullabile=annullabile(pratica, i))))
    for i, s in enumerate(compute_scadenze(pratica, al)):
        voci.append(((s.data, 1, i), VoceCronologia(
            data=s.data, genere="scadenza", codice=s.codice, titolo=s.titolo, oggetto=s.oggetto, stato=s.stato,
            dettaglio=s.conseguenza, riferimento=s.riferimento, scadenza=s)))
    voci.sort(key=lambda kv: kv[0])
    return Cronologia(codice=pratica.pratica.id, denominazione=pratica.denominazione, al=al,
                      stati=compute_stati(pratica, al), voci=tuple(v for _, v in voci))


# --------------------------------------------------------------------------- cruscotto

@dataclass(frozen=True)
class VoceCruscotto:
    codice_pratica: str
    denominazione: str
    scadenza: Scadenza
    giorni: int  # da ``al`` alla scadenza: negativo se è passata


@dataclass(frozen=True)
class GruppoPratica:
    codice: str
    denominazione: str
    stato: str
    etichetta_stato: str
    scadute: tuple[VoceCruscotto, ...] = ()
    entro_30: tuple[VoceCruscotto, ...] = ()
    entro_60: tuple[VoceCruscotto, ...] = ()
    entro_90: tuple[VoceCruscotto, ...] = ()

    @property
    def da_fare(self) -> int:
        return len(self.scadute) + len(self.entro_30) + len(self.entro_60) + len(self.entro_90)


@dataclass(frozen=True)
class Cruscotto:
    """Scadenze aperte di tutte le pratiche dell'archivio alla data ``al``.

    ``scadute``: passate e non adempiute (da recuperare). ``entro_30`` / ``entro_60`` /
    ``entro_90``: fasce disgiunte (0-30, 31-60, 61-90 giorni). Le scadenze già adempiute non
    compaiono. ``illeggibili``: pratiche dell'archivio che non si sono potute calcolare
    (codice, motivo).
    """

    al: dt.date
    scadute: tuple[VoceCruscotto, ...]
    entro_30: tuple[VoceCruscotto, ...]
    entro_60: tuple[VoceCruscotto, ...]
    entro_90: tuple[VoceCruscotto, ...]
    per_pratica: tuple[GruppoPratica, ...]
    illeggibili: tuple[tuple[str, str], ...] = field(default_factory=tuple)


def _fascia(giorni: int) -> int | None:
    for i, limite in enumerate(FASCE_CRUSCOTTO):
        if giorni <= limite:
            return i
    return None


def cruscotto(al: dt.date | None = None, *, attore: Any = None) -> Cruscotto:
    al = _oggi(al)
    archivio = arc.archivio()
    tutte: list[list[VoceCruscotto]] = [[], [], [], []]  # scadute, 30, 60, 90
    gruppi: list[GruppoPratica] = []
    illeggibili: list[tuple[str, str]] = []
    for voce in archivio.elenco_pratiche(attore=attore):
        try:
            pratica = archivio.apri(voce.codice, attore=attore).pratica
            elenco = compute_scadenze(pratica, al)
            stato = compute_stati(pratica, al).pratica
        except (ErrorePratica, arc.ErroreArchivio, ValueError) as e:
            illeggibili.append((voce.codice, str(e)))
            continue
        mie: list[list[VoceCruscotto]] = [[], [], [], []]
        for s in elenco:
            if not s.aperta:
                continue
            v = VoceCruscotto(codice_pratica=voce.codice, denominazione=pratica.denominazione, scadenza=s,
                              giorni=s.giorni_da(al))
            if s.stato == "scaduta":
                mie[0].append(v)
            elif (f := _fascia(v.giorni)) is not None:
                mie[f + 1].append(v)
        for i in range(len(mie)):
            tutte[i].extend(mie[i])
        gruppi.append(GruppoPratica(voce.codice, pratica.denominazione, stato, ETICHETTE.get(stato, stato),
                                    *(tuple(x) for x in mie)))

    def ordina(vv: list[VoceCruscotto]) -> tuple[VoceCruscotto, ...]:
        return tuple(sorted(vv, key=lambda v: (v.scadenza.data, v.codice_pratica, v.scadenza.codice)))

    def urgenza(g: GruppoPratica):
        prime = [v.scadenza.data for v in (*g.scadute, *g.entro_30, *g.entro_60, *g.entro_90)]
        return (0 if g.scadute else 1, min(prime) if prime else dt.date.max, g.codice)

    return Cruscotto(al=al, scadute=ordina(tutte[0]), entro_30=ordina(tutte[1]), entro_60=ordina(tutte[2]),
                     entro_90=ordina(tutte[3]), per_pratica=tuple(sorted(gruppi, key=urgenza)),
                     illeggibili=tuple(illeggibili))


# --------------------------------------------------------------------------- calendario

def esporta_ics(riferimento: RiferimentoPratica, al: dt.date | None = None, *,
                adesso: dt.datetime | None = None, attore: Any = None) -> bytes:
    """Il calendario ``.ics`` delle scadenze della pratica (UID stabili: reimportarlo aggiorna)."""
    pratica = carica_pratica(riferimento, attore=attore)
    al = _oggi(al)
    return build_ics(pratica.pratica.id, pratica.denominazione, compute_scadenze(pratica, al),
                     adesso or _adesso())


def scrivi_ics(percorso: str | Path, dati: bytes) -> Path:
    """Scrive il file in modo atomico: file temporaneo nella stessa cartella, poi rinomina."""
    path = Path(percorso).expanduser()
    cartella = path.parent if str(path.parent) else Path(".")
    if not cartella.is_dir():
        raise OSError(f"la cartella '{cartella}' non esiste: creala o scegli un altro percorso")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=cartella)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(dati)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path

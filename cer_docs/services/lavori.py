"""Lavori in sottofondo: la generazione dei documenti chiesta dall'interfaccia non blocca la pagina.

L'interfaccia **accoda** una generazione (``accoda_generazione``) e legge lo stato dal database
(``ultimo_lavoro``, ``lavoro``): in coda, in corso con l'avanzamento (``fatti``/``totale``/
``descrizione`` per documento, ``dettaglio_*`` file per file dentro il documento), fatto,
annullato, non riuscito. Una pagina ricaricata, un'altra istanza dell'app o un altro browser vedono
lo stesso stato. ``annulla`` ferma subito un lavoro in coda, e uno in corso al passo successivo
dell'avanzamento: la richiesta è un segno nel database che l'esecutore legge quando scrive
l'avanzamento (a ogni documento, e al più ogni mezzo secondo file per file); la funzione
d'avanzamento allora solleva ``LavoroAnnullato`` dentro ``procedura.genera_documenti`` (o dentro
``documenti.genera``, che per contratto lascia passare le eccezioni dell'avanzamento anche durante
la resa) e la generazione si ferma prima di scrivere.

Il risultato è quello di sempre: l'esecutore chiama ``procedura.genera_documenti`` con
l'account di chi ha chiesto il lavoro (i permessi si ricontrollano quando il lavoro parte), e la
generazione finisce nella cartella dati (``CER_DOCS_DATA_DIR/documenti/<pratica>/…``), dove
``procedura.ultima_generazione`` la ritrova. Una generazione interrotta (annullata, fallita, o un
esecutore ucciso) lascia una cartella senza ``generazione.json``, che ``ultima_generazione`` ignora
e che il lavoro successivo della stessa pratica cancella: un utente non vede mai un insieme di
documenti a metà. I documenti si generano dalla pratica **com'è nel database quando il lavoro
parte**; la versione generata è scritta nella generazione (la pagina avvisa se la pratica è
cambiata dopo).

Chi esegue:

- **SQLite** (predefinito, un computer): un thread dell'app (``assicura_esecutore_locale``), uno
  per processo e non per sessione di Streamlit; riprende anche i lavori lasciati in coda da un
  processo precedente.
- **PostgreSQL**: uno o più ``cer-docs worker``, su una o più macchine, con la stessa
  ``CER_DOCS_DATABASE_URL`` e la **stessa cartella dati** (``CER_DOCS_DATA_DIR`` condivisa, per
  esempio NFS): i documenti generati sono file di quella cartella, e l'app che li mostra deve
  poterli leggere. Con ``CER_DOCS_LAVORI_NELL_APP=1`` anche l'app esegue lavori in un suo thread.

Perché una coda propria e non procrastinate (che è sull'indice dei pacchetti): procrastinate è
una buona coda solo-PostgreSQL, ma qui (1) serve anche SQLite, l'installazione predefinita:
con procrastinate avremmo due meccanismi diversi per la stessa funzione; (2) il suo schema si
installa con i suoi file SQL (``procrastinate schema --apply`` o le sue migrazioni da ricopiare),
fuori da Alembic, che invece governa tutte le nostre tabelle con un solo lock di migrazione; (3)
i lavori bloccati da un esecutore ucciso (``SIGKILL``) si riprendono solo scrivendo un compito
periodico che chiama ``get_stalled_jobs`` e ``retry_job`` a partire dai battiti degli esecutori;
(4) l'avanzamento per documento, che la pagina mostra, non c'è e andrebbe comunque in una tabella
nostra; (5) l'esecutore è asincrono (asyncio), mentre la generazione è sincrona e pesante. La
tabella ``lavoro`` con ``SELECT … FOR UPDATE SKIP LOCKED`` e un affitto rinnovato da un battito
dà le stesse garanzie in poche decine di righe, con un solo schema e le stesse funzioni su SQLite
e PostgreSQL.

Garanzie: ogni lavoro è preso da un esecutore alla volta (``SKIP LOCKED`` e affitto); un
esecutore vivo rinnova l'affitto ogni terzo della sua durata (dentro l'app con un thread; in
``cer-docs worker`` con un piccolo processo figlio, scelto quando la resa PDF in parallelo usava
``fork``; ora usa thread, e il processo figlio resta perché è provato); se muore, dopo la durata
dell'affitto (``CER_DOCS_LAVORI_AFFITTO``, 30 secondi) un altro esecutore riprende il lavoro da
capo, al massimo ``TENTATIVI_MASSIMI`` volte; un esecutore che ha perso l'affitto se ne accorge
al passo successivo e si ferma senza scrivere la generazione. Un solo lavoro attivo per pratica
(indice parziale): due generazioni della stessa pratica non corrono mai insieme.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import shutil
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from cer_docs.services import accesso
from cer_docs.services.accesso import AccessoNegato, Attore
from cer_docs.store import ErroreDatabase, get_engine, load_settings, open_engine, utcnow
from cer_docs.store import lavori as repo
from cer_docs.store import repository as repo_pratiche
from cer_docs.store.cifratura import ENV_CHIAVE, ENV_CHIAVE_FILE, ErroreChiave, contiene_dati_cifrati, fernet
from cer_docs.store.tables_accesso import UtenteRecord

log = logging.getLogger(__name__)

__all__ = [
    "ErroreDatabase", "Esecutore", "ErroreLavori", "nuovo_esecutore", "Lavoro", "LavoroAnnullato", "LavoroGiaAttivo", "STATI", "STATI_ATTIVI",
    "accoda_generazione", "annulla", "assicura_esecutore_locale", "attendi", "ferma_esecutori_locali", "lavoro",
    "ultimo_lavoro",
]

STATI = ("in_coda", "in_corso", "fatto", "annullato", "fallito")
STATI_ATTIVI = ("in_coda", "in_corso")
TIPO_GENERAZIONE = "genera_documenti"
ENV_AFFITTO = "CER_DOCS_LAVORI_AFFITTO"
ENV_NELL_APP = "CER_DOCS_LAVORI_NELL_APP"
AFFITTO_PREDEFINITO = 30.0      # secondi: un esecutore che tace più a lungo è considerato morto
ATTESA_PREDEFINITA = 2.0        # secondi tra due controlli della coda vuota
_OGNI_DETTAGLIO = 0.5          # secondi: l'avanzamento file per file si scrive al più così spesso
TENTATIVI_MASSIMI = 3           # un lavoro che uccide tre esecutori di fila non si riprova più

_CARTELLA_GENERAZIONE = re.compile(r"^\d{8}-\d{6}-(bozza|definitivi)(-\d+)?$")


# --------------------------------------------------------------------------- errori

class ErroreLavori(Exception):
    """Errore d'uso dei lavori, con un messaggio italiano da mostrare così com'è."""


class LavoroGiaAttivo(ErroreLavori):
    def __init__(self, codice: str, attivo: "Lavoro"):
        self.attivo = attivo
        from cer_docs.model.vocabolario import STATI_LAVORO

        super().__init__(f"per la pratica '{codice}' c'è già una generazione {STATI_LAVORO.nome_di(attivo.stato)}: "
                         "attendi che finisca oppure annullala")


class LavoroAnnullato(Exception):
    """Sollevata dalla funzione d'avanzamento: qualcuno ha annullato il lavoro."""


class _AffittoPerso(Exception):
    """L'affitto è scaduto e il lavoro è passato a un altro esecutore: chi lo aveva si ferma."""


class _Interrotto(Exception):
    """L'esecutore si sta fermando subito (secondo Ctrl-C / SIGTERM): il lavoro torna in coda."""


# --------------------------------------------------------------------------- il lavoro letto

@dataclass(frozen=True)
class Lavoro:
    """Un lavoro come lo vede l'interfaccia."""

    id: int
    codice: str
    tipo: str
    stato: str
    autore: str
    parametri: dict[str, Any]
    fatti: int
    totale: int
    descrizione: str
    dettaglio_fatti: int
    dettaglio_totale: int
    dettaglio: str
    annulla: bool
    tentativi: int
    creato_il: dt.datetime
    iniziato_il: dt.datetime | None
    finito_il: dt.datetime | None
    errore: str | None
    risultato: dict[str, Any] | None
    posizione: int = 0        # lavori in coda prima di questo

    @property
    def attivo(self) -> bool:
        return self.stato in STATI_ATTIVI

    @property
    def documenti(self) -> list[str]:
        return list(self.parametri.get("documenti", []))

    @property
    def bozza(self) -> bool:
        return bool(self.parametri.get("bozza"))

    @property
    def frazione(self) -> float:
        if self.stato == "fatto":
            return 1.0
        if not self.totale:
            return 0.0
        dentro = self.dettaglio_fatti / self.dettaglio_totale if self.dettaglio_totale else 0.0
        return min(1.0, (self.fatti + min(dentro, 1.0)) / self.totale)


def _lavoro(r: sa.Row, posizione: int = 0) -> Lavoro:
    return Lavoro(id=r.id, codice=r.codice, tipo=r.tipo, stato=r.stato, autore=r.autore, parametri=dict(r.parametri),
                  fatti=r.fatti, totale=r.totale, descrizione=r.descrizione, dettaglio_fatti=r.dettaglio_fatti,
                  dettaglio_totale=r.dettaglio_totale, dettaglio=r.dettaglio, annulla=bool(r.annulla),
                  tentativi=r.tentativi, creato_il=r.creato_il, iniziato_il=r.iniziato_il, finito_il=r.finito_il,
                  errore=r.errore, risultato=dict(r.risultato) if r.risultato is not None else None,
                  posizione=posizione)


# --------------------------------------------------------------------------- casi d'uso dell'interfaccia

def _motore(engine: Engine | None) -> Engine:
    return engine or get_engine()


def _pratica(conn: sa.Connection, chi: Attore, codice: str, azione: str) -> Any:
    from sqlmodel import Session

    with Session(bind=conn) as s:
        row = repo_pratiche.find_by_codice(s, codice)
        if row is None and chi.amministratore:
            from cer_docs.services.archivio import PraticaNonTrovata

            raise PraticaNonTrovata(codice)
        accesso.richiedi_pratica(s, chi, row, azione, codice)
        return row.id


def accoda_generazione(codice: str, documenti: list[str], *, bozza: bool, al: dt.date,
                       formati: list[str] | None = None, versione: int | None = None, attore: Attore | None = None,
                       autore: str | None = None, engine: Engine | None = None) -> Lavoro:
    """Mette in coda la generazione dei ``documenti`` della pratica e restituisce il lavoro.

    Serve il permesso di generare sulla pratica. Solleva ``LavoroGiaAttivo`` se la pratica ha già
    una generazione in coda o in corso, ``ErroreLavori`` se la richiesta è vuota.
    """
    from cer_docs.services.documenti import DOCUMENTI, FORMATI

    chi = accesso.risolvi(attore)
    documenti = list(dict.fromkeys(documenti))
    formati = list(dict.fromkeys(formati or FORMATI))
    if not documenti:
        raise ErroreLavori("scegli almeno un documento da generare")
    sconosciuti = [d for d in documenti if d not in DOCUMENTI] + [f for f in formati if f not in FORMATI]
    if sconosciuti:
        raise ErroreLavori(f"documento o formato sconosciuto: {', '.join(sconosciuti)}")
    eng = _motore(engine)
    parametri = {"documenti": documenti, "formati": formati, "bozza": bool(bozza), "al": al.isoformat(),
                 "versione": versione}
    try:
        with eng.begin() as conn:
            pratica_id = _pratica(conn, chi, codice, "genera")
            attivo = repo.attivo(conn, pratica_id)
            if attivo is not None:
                raise LavoroGiaAttivo(codice, _lavoro(attivo))
            nuovo = repo.accoda(conn, {
                "pratica_id": pratica_id, "codice": codice, "tipo": TIPO_GENERAZIONE, "stato": "in_coda",
                "parametri": parametri, "utente_id": None if chi.locale else chi.id,
                "autore": accesso.autore_di(chi, autore), "fatti": 0, "totale": len(documenti), "descrizione": "",
                "dettaglio_fatti": 0, "dettaglio_totale": 0, "dettaglio": "",
                "annulla": False, "tentativi": 0, "creato_il": utcnow()})
            r = repo.leggi(conn, nuovo)
    except sa.exc.IntegrityError:
        # un'altra istanza dell'app ha accodato nello stesso istante: vale il suo lavoro
        with eng.connect() as conn:
            attivo = repo.attivo(conn, _pratica(conn, chi, codice, "genera"))
        if attivo is None:
            raise
        raise LavoroGiaAttivo(codice, _lavoro(attivo)) from None
    _sveglia_locali()
    return _lavoro(r)


def lavoro(lavoro_id: int, *, attore: Attore | None = None, engine: Engine | None = None) -> Lavoro:
    """Lo stato di un lavoro (serve il permesso di leggere la pratica)."""
    chi = accesso.risolvi(attore)
    with _motore(engine).connect() as conn:
        r = repo.leggi(conn, lavoro_id)
        if r is None:
            raise ErroreLavori(f"il lavoro {lavoro_id} non esiste (forse la pratica è stata eliminata)")
        _pratica(conn, chi, r.codice, "leggi")
        return _lavoro(r, repo.posizione(conn, r.id) if r.stato == "in_coda" else 0)


def ultimo_lavoro(codice: str, *, attore: Attore | None = None, engine: Engine | None = None) -> Lavoro | None:
    """L'ultima generazione chiesta per la pratica (in corso o finita), o ``None``."""
    chi = accesso.risolvi(attore)
    with _motore(engine).connect() as conn:
        pratica_id = _pratica(conn, chi, codice, "leggi")
        r = repo.ultimo(conn, pratica_id, TIPO_GENERAZIONE)
        if r is None:
            return None
        return _lavoro(r, repo.posizione(conn, r.id) if r.stato == "in_coda" else 0)


def annulla(lavoro_id: int, *, attore: Attore | None = None, engine: Engine | None = None) -> Lavoro:
    """Annulla un lavoro: in coda lo toglie subito, in corso lo ferma al documento successivo
    (nessun documento della generazione interrotta resta visibile). Serve il permesso di generare."""
    chi = accesso.risolvi(attore)
    eng = _motore(engine)
    with eng.begin() as conn:
        r = repo.leggi(conn, lavoro_id)
        if r is None:
            raise ErroreLavori(f"il lavoro {lavoro_id} non esiste (forse la pratica è stata eliminata)")
        _pratica(conn, chi, r.codice, "genera")
        if not repo.annulla_in_coda(conn, lavoro_id) and not repo.chiedi_annullamento(conn, lavoro_id):
            r = repo.leggi(conn, lavoro_id)
            if r.stato not in STATI_ATTIVI:
                raise ErroreLavori("la generazione è già finita: non c'è più nulla da annullare")
    return lavoro(lavoro_id, attore=chi, engine=eng)


def attendi(lavoro_id: int, *, secondi: float = 600, ogni: float = 0.2, attore: Attore | None = None,
            engine: Engine | None = None) -> Lavoro:
    """Aspetta che il lavoro finisca (riga di comando, test), rileggendolo ogni ``ogni`` secondi;
    ``ErroreLavori`` se non finisce in tempo."""
    limite = time.monotonic() + secondi
    while True:
        lav = lavoro(lavoro_id, attore=attore, engine=engine)
        if not lav.attivo:
            return lav
        if time.monotonic() > limite:
            raise ErroreLavori(f"la generazione non è finita entro {secondi:g} secondi (stato: {lav.stato})")
        time.sleep(ogni)


# --------------------------------------------------------------------------- l'esecutore

def _secondi_env(nome: str, predefinito: float) -> float:
    testo = os.environ.get(nome, "").strip().replace(",", ".")
    if not testo:
        return predefinito
    try:
        valore = float(testo)
    except ValueError:
        raise ErroreLavori(f"{nome}='{testo}' non è un numero di secondi") from None
    if valore <= 0:
        raise ErroreLavori(f"{nome} deve essere un numero di secondi maggiore di zero")
    return valore


def durata_affitto() -> float:
    return _secondi_env(ENV_AFFITTO, AFFITTO_PREDEFINITO)


@dataclass
class _Segnali:
    annulla: bool = False
    perso: bool = False
    fine: threading.Event = field(default_factory=threading.Event)


class _BattitoInProcesso:
    """Rinnova l'affitto del lavoro in corso da un processo figlio (``cer-docs worker``).

    Un thread di battito renderebbe l'esecutore un processo con più thread, e la resa PDF in
    parallelo (``documents/parallelo.py``) vi rinuncia: ``fork`` non è sicuro con altri thread
    vivi. Il figlio riceve sullo stdin «id tentativo» all'inizio di ogni lavoro e «-» alla fine;
    se l'esecutore muore (anche con SIGKILL) lo stdin si chiude e il figlio se ne va con lui, così
    l'affitto scade e un altro esecutore riprende il lavoro.
    """

    def __init__(self, url: str, nome: str, affitto: float):
        import subprocess
        import sys

        codice = "from cer_docs.store.lavori import battiti_da_stdin; battiti_da_stdin()"
        self._p = subprocess.Popen([sys.executable, "-c", codice, nome, repr(affitto)], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, env={**os.environ, "CER_DOCS_DATABASE_URL": url})
        # si aspetta che sia pronto: un lavoro preso prima resterebbe senza battito per l'avvio di Python
        if self._p.stdout.readline().strip() != b"pronto":
            log.warning("il processo del battito non è partito: l'affitto si rinnova solo con l'avanzamento")

    def _scrivi(self, riga: str) -> None:
        try:
            self._p.stdin.write(riga.encode())
            self._p.stdin.flush()
        except (BrokenPipeError, OSError):
            log.warning("il processo del battito non risponde: l'affitto si rinnova solo con l'avanzamento")

    def inizia(self, lavoro_id: int, tentativo: int) -> None:
        self._scrivi(f"{lavoro_id} {tentativo}\n")

    def fine(self) -> None:
        self._scrivi("-\n")

    def chiudi(self) -> None:
        try:
            self._p.stdin.close()
            self._p.wait(10)
        except Exception:  # noqa: BLE001
            self._p.kill()


class Esecutore:
    """Prende i lavori dalla coda e li esegue, uno alla volta.

    ``esegui(fermo)`` gira finché ``fermo`` non è impostato (il lavoro in corso finisce);
    ``interrompi()`` ferma anche il lavoro in corso, che torna in coda per un altro esecutore.
    ``battito``: ``"thread"`` (dentro l'app, che ha comunque più thread) o ``"processo"``
    (``cer-docs worker``: l'esecutore resta con un solo thread, vedi ``_BattitoInProcesso``).
    """

    def __init__(self, url: str | None = None, *, nome: str | None = None, affitto: float | None = None,
                 attesa: float = ATTESA_PREDEFINITA, tentativi_massimi: int = TENTATIVI_MASSIMI,
                 battito: str = "thread"):
        if battito not in ("thread", "processo"):
            raise ValueError(f"battito sconosciuto: {battito}")
        self.battito = battito
        self._battiti: _BattitoInProcesso | None = None
        self.url = url or load_settings().database_url
        self.nome = nome or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.affitto = float(affitto) if affitto else durata_affitto()
        self.attesa = attesa
        self.tentativi_massimi = tentativi_massimi
        self.sveglia = threading.Event()
        self._interrompi = threading.Event()
        self.eseguiti = 0

    @property
    def engine(self) -> Engine:
        return open_engine(self.url)

    @property
    def dove(self) -> str:
        """Il database, senza password (per i messaggi)."""
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def interrompi(self) -> None:
        self._interrompi.set()
        self.sveglia.set()

    # ------------------------------------------------------------------ ciclo

    def esegui(self, fermo: threading.Event, *, fino_a_coda_vuota: bool = False) -> None:
        try:
            self._ciclo(fermo, fino_a_coda_vuota)
        finally:
            if self._battiti is not None:
                self._battiti.chiudi()
                self._battiti = None

    def _ciclo(self, fermo: threading.Event, fino_a_coda_vuota: bool) -> None:
        if self.battito == "processo" and self._battiti is None:
            self._battiti = _BattitoInProcesso(self.url, self.nome, self.affitto)
        while not fermo.is_set() and not self._interrompi.is_set():
            try:
                preso = self.esegui_uno()
            except (sa.exc.SQLAlchemyError, ErroreDatabase) as e:
                log.warning("esecutore %s: database non raggiungibile (%s), riprovo", self.nome, e)
                fermo.wait(self.attesa)
                continue
            except Exception:  # noqa: BLE001 - un errore imprevisto non deve fermare l'esecutore dell'app
                log.exception("esecutore %s: errore imprevisto, riprovo", self.nome)
                fermo.wait(self.attesa)
                continue
            if preso is None:
                if fino_a_coda_vuota:
                    return
                self.sveglia.wait(self.attesa)
                self.sveglia.clear()

    def esegui_uno(self) -> Lavoro | None:
        """Prende un lavoro e lo esegue fino alla fine; ``None`` se la coda è vuota."""
        affitto = dt.timedelta(seconds=self.affitto)
        with self.engine.begin() as conn:
            r = repo.prendi(conn, self.nome, affitto)
        if r is None:
            return None
        log.info("esecutore %s: prendo il lavoro %s (pratica %s, tentativo %s)", self.nome, r.id, r.codice,
                 r.tentativi)
        self._esegui(r)
        self.eseguiti += 1
        with self.engine.connect() as conn:
            return _lavoro(repo.leggi(conn, r.id))

    # ------------------------------------------------------------------ un lavoro

    def _chiudi(self, r: sa.Row, stato: str, **valori: Any) -> None:
        with self.engine.begin() as conn:
            if not repo.chiudi(conn, r.id, self.nome, r.tentativi, stato, **valori):
                log.warning("esecutore %s: il lavoro %s non era più mio (affitto scaduto)", self.nome, r.id)
                return
        # l'esito nel registro dell'esecutore: chi amministra vede come è finito ogni lavoro
        if stato == "fallito":
            log.warning("esecutore %s: lavoro %s (pratica %s) fallito: %s", self.nome, r.id, r.codice,
                        valori.get("errore", ""))
        elif stato == "fatto":
            esito = valori.get("risultato") or {}
            log.info("esecutore %s: lavoro %s (pratica %s) fatto: %s file in %s", self.nome, r.id, r.codice,
                     esito.get("file", "?"), esito.get("cartella", "?"))
        elif stato == "in_coda":
            log.info("esecutore %s: lavoro %s (pratica %s) rimesso in coda", self.nome, r.id, r.codice)
        else:
            log.info("esecutore %s: lavoro %s (pratica %s) %s", self.nome, r.id, r.codice, stato)

    def _battito(self, r: sa.Row, segnali: _Segnali) -> None:
        affitto = dt.timedelta(seconds=self.affitto)
        while not segnali.fine.wait(self.affitto / 3):
            try:
                with self.engine.begin() as conn:
                    esito = repo.rinnova(conn, r.id, self.nome, r.tentativi, affitto)
            except (sa.exc.SQLAlchemyError, ErroreDatabase) as e:
                log.warning("esecutore %s: battito del lavoro %s non scritto (%s)", self.nome, r.id, e)
                continue
            if esito is None:
                segnali.perso = True
                return
            if esito.annulla:
                segnali.annulla = True

    def _esegui(self, r: sa.Row) -> None:
        from cer_docs.model import ErrorePratica
        from cer_docs.services import archivio, procedura
        from cer_docs.services.documenti import ErroreGenerazione

        _pulisci_incomplete(r.codice)
        if r.annulla:
            self._chiudi(r, "annullato")
            return
        if r.tentativi > self.tentativi_massimi:
            self._chiudi(r, "fallito", errore=(
                f"la generazione si è interrotta {r.tentativi - 1} volte (l'esecutore si è fermato a metà): "
                "controlla che gli esecutori abbiano memoria e tempo sufficienti e riprova"))
            return
        segnali = _Segnali()
        if self.battito == "processo":
            if self._battiti is None:
                self._battiti = _BattitoInProcesso(self.url, self.nome, self.affitto)
            self._battiti.inizia(r.id, r.tentativi)
        else:
            threading.Thread(target=self._battito, args=(r, segnali), daemon=True,
                             name=f"battito-lavoro-{r.id}").start()
        affitto = dt.timedelta(seconds=self.affitto)

        ultima_scrittura = [0.0]

        def scrivi(valori: dict[str, Any], sempre: bool) -> None:
            """Scrive l'avanzamento (al più ogni ``_OGNI_DETTAGLIO`` secondi per i file) e si ferma
            se il lavoro è stato annullato, se l'esecutore si sta fermando o se ha perso l'affitto."""
            if self._interrompi.is_set():
                raise _Interrotto()
            if segnali.perso:
                raise _AffittoPerso()
            if segnali.annulla:
                raise LavoroAnnullato()
            ora = time.monotonic()
            if not sempre and ora - ultima_scrittura[0] < _OGNI_DETTAGLIO:
                return
            ultima_scrittura[0] = ora
            with self.engine.begin() as conn:
                esito = repo.rinnova(conn, r.id, self.nome, r.tentativi, affitto, valori)
            if esito is None:
                raise _AffittoPerso()
            if esito.annulla:
                raise LavoroAnnullato()

        def avanzamento(fatti: int, totale: int, descrizione: str) -> None:
            scrivi({"fatti": fatti, "totale": totale, "descrizione": descrizione or "", "dettaglio_fatti": 0,
                    "dettaglio_totale": 0, "dettaglio": ""}, sempre=True)

        def dettaglio(fatti: int, totale: int, descrizione: str) -> None:
            scrivi({"dettaglio_fatti": fatti, "dettaglio_totale": totale, "dettaglio": descrizione or ""},
                   sempre=fatti == 0 or fatti >= totale)

        p = r.parametri
        try:
            chi = self._attore(r)
            aperta = archivio.archivio().apri(r.codice, attore=chi, azione="genera")
            gen = procedura.genera_documenti(
                aperta.pratica, list(p["documenti"]), bozza=bool(p["bozza"]), al=dt.date.fromisoformat(p["al"]),
                formati=list(p.get("formati") or []) or None, avanzamento=avanzamento, versione=aperta.versione,
                attore=chi, dettaglio=dettaglio)
        except LavoroAnnullato:
            _pulisci_incomplete(r.codice)
            self._chiudi(r, "annullato")
        except _Interrotto:
            _pulisci_incomplete(r.codice)
            self._chiudi(r, "in_coda", fatti=0, descrizione="", dettaglio_fatti=0, dettaglio_totale=0, dettaglio="")
        except _AffittoPerso:
            log.warning("esecutore %s: affitto del lavoro %s perso, mi fermo", self.nome, r.id)
        except ErroreChiave as e:
            # un esecutore avviato senza la chiave dei dati personali (o con un file della chiave sbagliato):
            # lo dice all'utente e a chi amministra, senza traceback
            log.error("esecutore %s: lavoro %s non eseguito: %s", self.nome, r.id, e)
            _pulisci_incomplete(r.codice)
            self._chiudi(r, "fallito", errore=f"l'esecutore {self.nome} non può leggere i dati della pratica: "
                                              f"{_frase(e)}; chi amministra cer-docs deve riavviarlo con la chiave")
        except (ErroreGenerazione, ErrorePratica, AccessoNegato, archivio.ErroreArchivio, ErroreLavori) as e:
            _pulisci_incomplete(r.codice)
            self._chiudi(r, "fallito", errore=_frase(e))
        except Exception:  # noqa: BLE001 - un lavoro che fallisce non ferma l'esecutore
            log.exception("esecutore %s: errore imprevisto nel lavoro %s", self.nome, r.id)
            _pulisci_incomplete(r.codice)
            self._chiudi(r, "fallito", errore="errore imprevisto durante la generazione (i dettagli sono nel "
                                              "registro dell'esecutore): riprova, e se si ripete segnalalo "
                                              "all'assistenza")
        else:
            self._chiudi(r, "fatto", fatti=len(p["documenti"]), totale=len(p["documenti"]), descrizione="",
                         dettaglio_fatti=0, dettaglio_totale=0, dettaglio="",
                         risultato={"cartella": Path(gen.cartella).name, "file": len(gen.file),
                                    "versione": gen.versione, "avvisi": len(gen.avvisi)})
        finally:
            segnali.fine.set()
            if self._battiti is not None:
                self._battiti.fine()

    def _attore(self, r: sa.Row) -> Attore:
        """Chi ha chiesto il lavoro: i suoi permessi valgono anche quando il lavoro parte dopo."""
        if r.utente_id is None:
            return accesso.attore_locale(r.autore)
        with self.engine.connect() as conn:
            u = conn.execute(sa.select(UtenteRecord).where(UtenteRecord.id == r.utente_id)).first()
        if u is None or not u.attivo:
            raise AccessoNegato("l'account che ha chiesto la generazione non è più attivo")
        return Attore(username=u.username, nome=u.nome, amministratore=u.amministratore, id=u.id)


def _frase(e: Exception) -> str:
    testo = str(e).strip()
    return testo[:1].lower() + testo[1:] if testo else e.__class__.__name__


def _pulisci_incomplete(codice: str) -> None:
    """Toglie le cartelle di generazione senza ``generazione.json`` (interrotte a metà). Un solo
    lavoro per pratica è attivo alla volta, quindi nessun'altra generazione le sta scrivendo."""
    from cer_docs.services.procedura import cartella_documenti

    base = cartella_documenti(codice)
    if not base.is_dir():
        return
    for c in base.iterdir():
        if c.is_dir() and _CARTELLA_GENERAZIONE.match(c.name) and not (c / "generazione.json").is_file():
            shutil.rmtree(c, ignore_errors=True)


def nuovo_esecutore(*, nome: str | None = None, affitto: float | None = None,
                    attesa: float = ATTESA_PREDEFINITA) -> Esecutore:
    """L'esecutore di ``cer-docs worker`` sul database delle impostazioni (``CER_DOCS_DATABASE_URL``),
    già aperto e migrato, con il battito in un processo figlio: solleva ``ErroreDatabase`` o
    ``ErroreLavori`` (messaggi italiani) se non si può."""
    esecutore = Esecutore(load_settings().database_url, nome=nome, affitto=affitto, attesa=attesa,
                          battito="processo")
    esecutore.engine  # noqa: B018 - apre e migra subito: gli errori escono qui, non nel ciclo
    # un file della chiave illeggibile o leggibile da altri: ErroreChiave subito, non a ogni lavoro; e senza
    # chiave su un archivio cifrato l'esecutore non parte (ogni lavoro che prendesse fallirebbe)
    if fernet() is None and contiene_dati_cifrati(esecutore.engine):
        raise ErroreChiave(f"l'archivio contiene dati cifrati ma questo esecutore non ha la chiave: avvialo con "
                           f"{ENV_CHIAVE_FILE} (o {ENV_CHIAVE}) come l'app")
    return esecutore


# --------------------------------------------------------------------------- l'esecutore dentro l'app

_locali: dict[str, tuple[Esecutore, threading.Thread, threading.Event]] = {}
_lock_locali = threading.Lock()


def esecutore_nell_app(settings: Any = None) -> bool:
    """SQLite: sempre; PostgreSQL: solo con ``CER_DOCS_LAVORI_NELL_APP=1`` (di norma lavorano i
    ``cer-docs worker``)."""
    s = settings or load_settings()
    return s.is_sqlite or os.environ.get(ENV_NELL_APP, "").strip().lower() in ("1", "si", "sì", "true", "yes")


def assicura_esecutore_locale(settings: Any = None) -> bool:
    """Avvia (una volta per processo e per database) il thread che esegue i lavori dentro l'app.
    Chiamarla a ogni giro della pagina costa un controllo; restituisce se il thread c'è."""
    s = settings or load_settings()
    if not esecutore_nell_app(s):
        return False
    with _lock_locali:
        voce = _locali.get(s.database_url)
        if voce is not None and voce[1].is_alive():
            return True
        esecutore = Esecutore(s.database_url)
        fermo = threading.Event()
        t = threading.Thread(target=esecutore.esegui, args=(fermo,), daemon=True, name="cer-docs-lavori")
        _locali[s.database_url] = (esecutore, t, fermo)
        t.start()
        return True


def _sveglia_locali() -> None:
    with _lock_locali:
        for esecutore, _t, _f in _locali.values():
            esecutore.sveglia.set()


def ferma_esecutori_locali(secondi: float = 30) -> None:
    """Ferma i thread dell'app (fine dei test): il lavoro in corso torna in coda."""
    with _lock_locali:
        voci = list(_locali.values())
        _locali.clear()
    for esecutore, t, fermo in voci:
        fermo.set()
        esecutore.interrompi()
    for _e, t, _f in voci:
        t.join(secondi)

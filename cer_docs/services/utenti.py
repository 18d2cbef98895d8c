"""Account dell'installazione: creazione, accesso, blocco, sessioni, password, condivisioni.

- Le password si conservano solo come hash Argon2id (``argon2-cffi``) e non passano mai
  come argomento della riga di comando.
- Dopo ``MAX_TENTATIVI`` accessi sbagliati di fila l'account si blocca per ``DURATA_BLOCCO``;
  il messaggio d'errore è lo stesso per un nome utente inesistente e una password sbagliata.
- Una sessione scade dopo ``INATTIVITA_MASSIMA`` senza uso e comunque dopo ``DURATA_MASSIMA``;
  nel database c'è solo l'impronta SHA-256 del gettone.
- Cambi di ruolo, condivisioni, attivazioni e reimpostazioni sono eventi del registro.

Sono limiti tecnici di sicurezza, non norme: stanno qui e non in ``rules/params``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from cer_docs.services import accesso
from cer_docs.services.accesso import AccessoNegato, Attore
from cer_docs.store import get_engine, utcnow
from cer_docs.store import repository as repo
from cer_docs.store.tables import CampagnaRecord
from cer_docs.store.tables_accesso import (AccessoCampagnaRecord, AccessoPraticaRecord, SessioneRecord,
                                           UtenteRecord)

__all__ = [
    "Accesso", "CredenzialiErrate", "ErroreUtenti", "UtenteBloccato", "VoceUtente", "accedi", "amministratori_attivi",
    "attore_da_sessione", "attore_da_username", "cambia_password", "condividi_campagna", "condividi_pratica",
    "condivisioni_pratica", "crea_utente", "disattiva", "elenco_utenti", "esci", "imposta_amministratore",
    "reimposta_password",
]

MAX_TENTATIVI = 5
DURATA_BLOCCO = dt.timedelta(minutes=15)
INATTIVITA_MASSIMA = dt.timedelta(minutes=30)
DURATA_MASSIMA = dt.timedelta(hours=10)
LUNGHEZZA_MINIMA_PASSWORD = 12
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,79}$")

_hasher = PasswordHasher()
# un hash qualunque per spendere lo stesso tempo quando il nome utente non esiste
_HASH_FITTIZIO = _hasher.hash("cer-docs: nessun utente con questo nome")


class ErroreUtenti(ValueError):
    """Errore d'uso degli account, con un messaggio italiano."""


class CredenzialiErrate(ErroreUtenti):
    def __init__(self) -> None:
        super().__init__("nome utente o password non corretti")


class UtenteBloccato(ErroreUtenti):
    def __init__(self, fino: dt.datetime):
        self.fino = fino
        from cer_docs.services.archivio import ora_locale

        super().__init__(f"troppi tentativi sbagliati: l'account è bloccato fino alle {ora_locale(fino, '%H:%M')} "
                         f"del {ora_locale(fino, '%d/%m/%Y')}; riprova più tardi o chiedi all'amministratore")


@dataclass(frozen=True)
class VoceUtente:
    username: str
    nome: str
    email: str | None
    amministratore: bool
    attivo: bool
    bloccato_fino: dt.datetime | None
    pratiche: dict[str, str]   # codice → ruolo
    campagne: dict[str, str]


@dataclass(frozen=True)
class Accesso:
    """Esito di un login: il gettone da tenere nella sessione del browser e l'attore."""

    token: str
    attore: Attore
    scade_il: dt.datetime


def _session(engine: Engine | None) -> Session:
    return Session(engine or get_engine(), expire_on_commit=False)


def _attore(u: UtenteRecord) -> Attore:
    return Attore(username=u.username, nome=u.nome, amministratore=u.amministratore, id=u.id,
                  deve_cambiare_password=u.deve_cambiare_password)


def _impronta(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _controlla_password(password: str, username: str = "") -> None:
    if not isinstance(password, str) or len(password) < LUNGHEZZA_MINIMA_PASSWORD:
        raise ErroreUtenti(f"la password deve avere almeno {LUNGHEZZA_MINIMA_PASSWORD} caratteri")
    if username and username.lower() in password.lower():
        raise ErroreUtenti("la password non può contenere il nome utente")
    if len(set(password)) < 5:
        raise ErroreUtenti("la password è troppo ripetitiva: usa una frase o caratteri diversi")


def _normalizza_username(username: str) -> str:
    u = (username or "").strip().lower()
    if not _USERNAME.match(u):
        raise ErroreUtenti(f"nome utente '{username}' non valido: da 2 a 80 caratteri tra lettere minuscole, cifre, "
                           "punto, trattino, chiocciola")
    return u


def _evento_utente(s: Session, username: str, quando: dt.datetime, autore: str, tipo: str, descrizione: str,
                   dettagli: dict | None = None) -> None:
    repo.add_event(s, codice=f"utente:{username}"[:120], pratica_id=None, quando=quando, autore=autore, tipo=tipo,
                   descrizione=descrizione, dettagli=dettagli or {})


def _utente(s: Session, username: str) -> UtenteRecord:
    u = accesso.utente_per_username(s, username)
    if u is None:
        raise ErroreUtenti(f"nessun utente '{username}': l'elenco con cer-docs utente elenco")
    return u


# --------------------------------------------------------------------------- amministrazione

def crea_utente(username: str, nome: str, password: str, *, amministratore: bool = False, email: str | None = None,
                attore: Attore | None = None, engine: Engine | None = None,
                clock: Callable[[], dt.datetime] = utcnow) -> Attore:
    """Crea un account (solo un amministratore; il primo lo crea l'amministratore locale da riga di comando)."""
    chi = accesso.risolvi(attore)
    accesso.richiedi_amministratore(chi)
    username = _normalizza_username(username)
    nome = (nome or "").strip()
    if not nome:
        raise ErroreUtenti("indica il nome e cognome della persona (compare nel registro delle modifiche)")
    _controlla_password(password, username)
    try:
        with _session(engine) as s, s.begin():
            if accesso.utente_per_username(s, username) is not None:
                raise ErroreUtenti(f"esiste già un utente '{username}'")
            now = clock()
            u = UtenteRecord(username=username, nome=nome[:200], email=(email or "").strip() or None,
                             password_hash=_hasher.hash(password), amministratore=amministratore, attivo=True,
                             password_il=now, created_at=now)
            s.add(u)
            s.flush()
            _evento_utente(s, username, now, chi.firma, "utente_creato",
                           f"creato l'utente {username}" + (" (amministratore)" if amministratore else ""),
                           {"amministratore": amministratore})
            return _attore(u)
    except sa.exc.IntegrityError:
        raise ErroreUtenti(f"esiste già un utente '{username}'") from None


def elenco_utenti(*, attore: Attore | None = None, engine: Engine | None = None) -> list[VoceUtente]:
    chi = accesso.risolvi(attore)
    accesso.richiedi_amministratore(chi)
    from cer_docs.store.tables import PraticaRecord

    with _session(engine) as s:
        pratiche: dict[int, dict[str, str]] = {}
        for uid, codice, ruolo in s.execute(sa.select(AccessoPraticaRecord.utente_id, PraticaRecord.codice,
                                                      AccessoPraticaRecord.ruolo)
                                            .join(PraticaRecord, PraticaRecord.id == AccessoPraticaRecord.pratica_id)):
            pratiche.setdefault(uid, {})[codice] = ruolo
        campagne: dict[int, dict[str, str]] = {}
        for uid, codice, ruolo in s.execute(sa.select(AccessoCampagnaRecord.utente_id, CampagnaRecord.codice,
                                                      AccessoCampagnaRecord.ruolo)
                                            .join(CampagnaRecord, CampagnaRecord.id == AccessoCampagnaRecord.campagna_id)):
            campagne.setdefault(uid, {})[codice] = ruolo
        return [VoceUtente(u.username, u.nome, u.email, u.amministratore, u.attivo, u.bloccato_fino,
                           pratiche.get(u.id, {}), campagne.get(u.id, {}))
                for u in s.exec(select(UtenteRecord).order_by(UtenteRecord.username)).all()]


def amministratori_attivi(*, engine: Engine | None = None) -> int:
    with _session(engine) as s:
        return int(s.exec(select(sa.func.count()).select_from(UtenteRecord)
                          .where(UtenteRecord.amministratore.is_(True), UtenteRecord.attivo.is_(True))).one())


def _ultimo_amministratore(s: Session, u: UtenteRecord) -> bool:
    altri = s.exec(select(sa.func.count()).select_from(UtenteRecord)
                   .where(UtenteRecord.amministratore.is_(True), UtenteRecord.attivo.is_(True),
                          UtenteRecord.id != u.id)).one()
    return u.amministratore and u.attivo and altri == 0


def imposta_amministratore(username: str, amministratore: bool, *, attore: Attore | None = None,
                           engine: Engine | None = None, clock: Callable[[], dt.datetime] = utcnow) -> None:
    chi = accesso.risolvi(attore)
    accesso.richiedi_amministratore(chi)
    with _session(engine) as s, s.begin():
        u = _utente(s, username)
        if not amministratore and _ultimo_amministratore(s, u):
            raise ErroreUtenti("è l'ultimo amministratore attivo: nominane un altro prima di togliergli il ruolo")
        if u.amministratore == amministratore:
            return
        u.amministratore = amministratore
        _evento_utente(s, u.username, clock(), chi.firma, "ruolo",
                       f"{u.username}: amministratore dell'installazione {'concesso' if amministratore else 'revocato'}",
                       {"amministratore": amministratore})


def disattiva(username: str, *, attore: Attore | None = None, engine: Engine | None = None,
              clock: Callable[[], dt.datetime] = utcnow) -> None:
    """Disattiva l'account e chiude le sue sessioni; condivisioni e registro restano."""
    chi = accesso.risolvi(attore)
    accesso.richiedi_amministratore(chi)
    with _session(engine) as s, s.begin():
        u = _utente(s, username)
        if _ultimo_amministratore(s, u):
            raise ErroreUtenti("è l'ultimo amministratore attivo: nominane un altro prima di disattivarlo")
        u.attivo = False
        s.execute(sa.delete(SessioneRecord).where(SessioneRecord.utente_id == u.id))
        _evento_utente(s, u.username, clock(), chi.firma, "utente_disattivato", f"disattivato l'utente {u.username}")


def riattiva(username: str, *, attore: Attore | None = None, engine: Engine | None = None,
             clock: Callable[[], dt.datetime] = utcnow) -> None:
    chi = accesso.risolvi(attore)
    accesso.richiedi_amministratore(chi)
    with _session(engine) as s, s.begin():
        u = _utente(s, username)
        u.attivo, u.tentativi_falliti, u.bloccato_fino = True, 0, None
        _evento_utente(s, u.username, clock(), chi.firma, "utente_riattivato", f"riattivato l'utente {u.username}")


def reimposta_password(username: str, nuova: str, *, attore: Attore | None = None, engine: Engine | None = None,
                       clock: Callable[[], dt.datetime] = utcnow) -> None:
    """L'amministratore dà una password provvisoria: sblocca, chiude le sessioni, obbliga al cambio."""
    chi = accesso.risolvi(attore)
    accesso.richiedi_amministratore(chi)
    with _session(engine) as s, s.begin():
        u = _utente(s, username)
        _controlla_password(nuova, u.username)
        now = clock()
        u.password_hash, u.password_il = _hasher.hash(nuova), now
        u.deve_cambiare_password, u.tentativi_falliti, u.bloccato_fino = True, 0, None
        s.execute(sa.delete(SessioneRecord).where(SessioneRecord.utente_id == u.id))
        _evento_utente(s, u.username, now, chi.firma, "password_reimpostata",
                       f"password di {u.username} reimpostata dall'amministratore")


def cambia_password(attore: Attore, vecchia: str, nuova: str, *, engine: Engine | None = None,
                    clock: Callable[[], dt.datetime] = utcnow) -> None:
    """La persona cambia la propria password (serve quella attuale); le altre sue sessioni si chiudono."""
    if attore.locale or attore.id is None:
        raise ErroreUtenti("l'amministratore locale non ha una password: usa un account")
    with _session(engine) as s, s.begin():
        u = s.get(UtenteRecord, attore.id)
        if u is None or not u.attivo:
            raise AccessoNegato("account non attivo")
        try:
            _hasher.verify(u.password_hash, vecchia)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            raise ErroreUtenti("la password attuale non è corretta") from None
        if nuova == vecchia:
            raise ErroreUtenti("la nuova password deve essere diversa da quella attuale")
        _controlla_password(nuova, u.username)
        now = clock()
        u.password_hash, u.password_il, u.deve_cambiare_password = _hasher.hash(nuova), now, False
        _evento_utente(s, u.username, now, _attore(u).firma, "password_cambiata", "password cambiata")


# --------------------------------------------------------------------------- accesso e sessioni

def accedi(username: str, password: str, *, engine: Engine | None = None,
           clock: Callable[[], dt.datetime] = utcnow) -> Accesso:
    """Verifica le credenziali e apre una sessione. ``CredenzialiErrate`` o ``UtenteBloccato``."""
    now = clock()
    with _session(engine) as s, s.begin():
        u = accesso.utente_per_username(s, username or "")
        if u is None or not u.attivo:
            try:
                _hasher.verify(_HASH_FITTIZIO, password or "-")
            except (VerifyMismatchError, VerificationError, InvalidHashError):
                pass
            raise CredenzialiErrate()
        if u.bloccato_fino is not None and u.bloccato_fino > now:
            raise UtenteBloccato(u.bloccato_fino)
        try:
            _hasher.verify(u.password_hash, password or "")
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            u.tentativi_falliti += 1
            if u.tentativi_falliti >= MAX_TENTATIVI:
                u.bloccato_fino, u.tentativi_falliti = now + DURATA_BLOCCO, 0
                _evento_utente(s, u.username, now, "cer-docs", "utente_bloccato",
                               f"{u.username} bloccato dopo {MAX_TENTATIVI} accessi sbagliati")
            ok = False
        else:
            ok = True
        if ok:
            if _hasher.check_needs_rehash(u.password_hash):
                u.password_hash = _hasher.hash(password)
            u.tentativi_falliti, u.bloccato_fino = 0, None
            token = secrets.token_urlsafe(32)
            s.add(SessioneRecord(token_sha256=_impronta(token), utente_id=u.id, creata_il=now, ultimo_uso=now,
                                 scade_il=now + DURATA_MASSIMA))
            s.execute(sa.delete(SessioneRecord).where(SessioneRecord.utente_id == u.id,
                                                      SessioneRecord.scade_il < now))
            return Accesso(token, _attore(u), now + DURATA_MASSIMA)
    raise CredenzialiErrate()  # il conteggio dei tentativi è stato salvato


def accedi_con_identita(email: str, *, engine: Engine | None = None,
                        clock: Callable[[], dt.datetime] = utcnow) -> Accesso:
    """Accesso con OpenID Connect (``st.login``): il fornitore d'identità ha verificato l'email; vale
    solo se un account attivo ha proprio quell'email (l'account si crea comunque da cer-docs, con i
    suoi ruoli). ``CredenzialiErrate`` altrimenti."""
    email = (email or "").strip().lower()
    now = clock()
    with _session(engine) as s, s.begin():
        u = s.exec(select(UtenteRecord).where(sa.func.lower(UtenteRecord.email) == email)).first() if email else None
        if u is None or not u.attivo:
            raise CredenzialiErrate()
        token = secrets.token_urlsafe(32)
        s.add(SessioneRecord(token_sha256=_impronta(token), utente_id=u.id, creata_il=now, ultimo_uso=now,
                             scade_il=now + DURATA_MASSIMA))
        return Accesso(token, _attore(u), now + DURATA_MASSIMA)


def attore_da_sessione(token: str | None, *, engine: Engine | None = None,
                       clock: Callable[[], dt.datetime] = utcnow) -> Attore | None:
    """L'attore della sessione, se è ancora valida (e l'account attivo); altrimenti ``None``."""
    if not token:
        return None
    now = clock()
    with _session(engine) as s, s.begin():
        sess = s.exec(select(SessioneRecord).where(SessioneRecord.token_sha256 == _impronta(token))).first()
        if sess is None:
            return None
        if sess.scade_il <= now or sess.ultimo_uso + INATTIVITA_MASSIMA <= now:
            s.delete(sess)
            return None
        u = s.get(UtenteRecord, sess.utente_id)
        if u is None or not u.attivo:
            s.delete(sess)
            return None
        sess.ultimo_uso = now
        return _attore(u)


def esci(token: str | None, *, engine: Engine | None = None) -> None:
    if not token:
        return
    with _session(engine) as s, s.begin():
        s.execute(sa.delete(SessioneRecord).where(SessioneRecord.token_sha256 == _impronta(token)))


def attore_da_username(username: str, *, engine: Engine | None = None) -> Attore:
    """Per ``--utente`` della riga di comando: l'account deve esistere ed essere attivo."""
    with _session(engine) as s:
        u = accesso.utente_per_username(s, username or "")
        if u is None or not u.attivo:
            raise ErroreUtenti(f"nessun utente attivo '{username}': l'elenco con cer-docs utente elenco")
        return _attore(u)


# --------------------------------------------------------------------------- condivisioni

def condividi_pratica(codice: str, username: str, ruolo: str | None, *, attore: Attore | None = None,
                      engine: Engine | None = None, clock: Callable[[], dt.datetime] = utcnow) -> None:
    """Dà (o con ``ruolo=None`` toglie) a ``username`` un ruolo sulla pratica; è un evento della pratica."""
    chi = accesso.risolvi(attore)
    ruolo = accesso.valida_ruolo(ruolo)
    with _session(engine) as s, s.begin():
        row = repo.find_pratica(s, codice)
        accesso.richiedi_pratica(s, chi, row, "condividi", codice)
        u = _utente(s, username)
        attuale = s.exec(select(AccessoPraticaRecord).where(AccessoPraticaRecord.pratica_id == row.id,
                                                           AccessoPraticaRecord.utente_id == u.id)).first()
        prima = attuale.ruolo if attuale else None
        if prima == ruolo:
            return
        if prima == "titolare" and ruolo != "titolare":
            titolari = s.exec(select(sa.func.count()).select_from(AccessoPraticaRecord)
                              .where(AccessoPraticaRecord.pratica_id == row.id,
                                     AccessoPraticaRecord.ruolo == "titolare")).one()
            if titolari <= 1 and not chi.amministratore:
                raise ErroreUtenti("è l'unico titolare della pratica: nomina prima un altro titolare")
        now = clock()
        if ruolo is None:
            s.delete(attuale)
        elif attuale is None:
            s.add(AccessoPraticaRecord(pratica_id=row.id, utente_id=u.id, ruolo=ruolo, concesso_il=now,
                                       concesso_da=chi.firma))
        else:
            attuale.ruolo, attuale.concesso_il, attuale.concesso_da = ruolo, now, chi.firma
        descr = (f"accesso di {u.username} revocato" if ruolo is None
                 else f"{u.username}: ruolo «{ruolo.replace('_', ' ')}»" + (f" (prima «{prima.replace('_', ' ')}»)" if prima else ""))
        repo.add_event(s, codice=row.codice, pratica_id=row.id, quando=now, autore=chi.firma, tipo="ruolo",
                       descrizione=descr, dettagli={"utente": u.username, "ruolo": ruolo, "ruolo_precedente": prima})


def condividi_campagna(codice: str, username: str, ruolo: str | None, *, attore: Attore | None = None,
                       engine: Engine | None = None, clock: Callable[[], dt.datetime] = utcnow) -> None:
    chi = accesso.risolvi(attore)
    ruolo = accesso.valida_ruolo(ruolo)
    with _session(engine) as s, s.begin():
        row = s.exec(select(CampagnaRecord).where(CampagnaRecord.codice == codice)).first()
        accesso.richiedi_campagna(s, chi, row, "condividi", codice)
        u = _utente(s, username)
        attuale = s.exec(select(AccessoCampagnaRecord).where(AccessoCampagnaRecord.campagna_id == row.id,
                                                            AccessoCampagnaRecord.utente_id == u.id)).first()
        prima = attuale.ruolo if attuale else None
        if prima == ruolo:
            return
        now = clock()
        if ruolo is None:
            s.delete(attuale)
        elif attuale is None:
            s.add(AccessoCampagnaRecord(campagna_id=row.id, utente_id=u.id, ruolo=ruolo, concesso_il=now,
                                        concesso_da=chi.firma))
        else:
            attuale.ruolo, attuale.concesso_il, attuale.concesso_da = ruolo, now, chi.firma
        repo.add_event(s, codice=f"campagna:{row.codice}"[:120], pratica_id=None, quando=now, autore=chi.firma,
                       tipo="ruolo", descrizione=(f"accesso di {u.username} revocato" if ruolo is None
                                                  else f"{u.username}: ruolo «{ruolo.replace('_', ' ')}»"),
                       dettagli={"utente": u.username, "ruolo": ruolo, "ruolo_precedente": prima})


def condivisioni_pratica(codice: str, *, attore: Attore | None = None,
                         engine: Engine | None = None) -> list[tuple[str, str, str]]:
    """(nome utente, nome, ruolo) di chi ha accesso alla pratica; serve poterla leggere."""
    chi = accesso.risolvi(attore)
    with _session(engine) as s:
        row = repo.find_pratica(s, codice)
        accesso.richiedi_pratica(s, chi, row, "leggi", codice)
        righe = s.execute(sa.select(UtenteRecord.username, UtenteRecord.nome, AccessoPraticaRecord.ruolo)
                          .join(AccessoPraticaRecord, AccessoPraticaRecord.utente_id == UtenteRecord.id)
                          .where(AccessoPraticaRecord.pratica_id == row.id).order_by(UtenteRecord.username)).all()
        return [(r[0], r[1], r[2]) for r in righe]

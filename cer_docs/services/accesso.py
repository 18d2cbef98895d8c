"""Chi agisce e che cosa può fare: attori, ruoli per pratica e per campagna, condivisioni.

Ogni caso d'uso dei servizi riceve l'attore (``attore=``). Chi non lo passa agisce come
l'**amministratore locale**: è il caso della riga di comando e dell'uso personale senza login,
dove l'unica persona è chi ha accesso alla macchina e ai file. L'app dell'ufficio in modalità
server chiama ``richiedi_attore_esplicito()``: da lì in poi una chiamata senza attore è
rifiutata (chi dimentica di passarlo non agisce mai come amministratore).

I permessi sono dati (``PERMESSI_PRATICA``, ``PERMESSI_CAMPAGNA``): un ruolo su una pratica
vale solo per quella pratica. L'amministratore dell'installazione può tutto, ovunque.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

# il database (sqlmodel: ~0,5 s d'avvio) si importa solo nelle funzioni che lo leggono: chi agisce
# come amministratore locale (la riga di comando su un file pratica) non lo apre mai
if TYPE_CHECKING:
    from sqlmodel import Session

    from cer_docs.store.tables import CampagnaRecord, PraticaRecord
    from cer_docs.store.tables_accesso import UtenteRecord

__all__ = [
    "AZIONI", "AccessoNegato", "Attore", "ETICHETTE_AZIONE", "ETICHETTE_RUOLO", "PERMESSI_CAMPAGNA",
    "PERMESSI_PRATICA", "RUOLI", "attore_locale", "azione_su", "imposta_attore_predefinito", "puo",
    "richiedi_attore_esplicito", "risolvi",
]

# --------------------------------------------------------------------------- ruoli e azioni

RUOLI = ("titolare", "redattore", "revisore", "ufficio_comunale", "lettura")

ETICHETTE_RUOLO = {
    "titolare": "Titolare (tutto, compresa la condivisione)",
    "redattore": "Redattore (modifica i dati e genera i documenti)",
    "revisore": "Revisore – notaio o legale (legge, scarica, carica documenti rivisti)",
    "ufficio_comunale": "Ufficio comunale (manifestazioni di interesse e passaggio alla pratica)",
    "lettura": "Sola lettura",
}

AZIONI = ("leggi", "modifica", "genera", "scarica", "carica", "condividi", "esporta", "cancella", "decidi",
          "converti")

ETICHETTE_AZIONE = {
    "leggi": "leggere", "modifica": "modificare i dati di", "genera": "generare i documenti di",
    "scarica": "scaricare i file di", "carica": "caricare documenti in", "condividi": "condividere",
    "esporta": "esportare i dati personali di", "cancella": "eliminare o cancellare dati di",
    "decidi": "decidere le candidature di", "converti": "far passare a una pratica le candidature di",
}

_PREPOSIZIONI_ARTICOLATE = ((" di", " della"), (" in", " nella"))


def azione_su(azione: str, oggetto: str) -> str:
    """«generare i documenti della pratica», «caricare documenti nella campagna», «leggere la pratica»:
    l'azione con il suo oggetto femminile, con la preposizione articolata (mai «di la», «in la»)."""
    etichetta = ETICHETTE_AZIONE[azione]
    for semplice, articolata in _PREPOSIZIONI_ARTICOLATE:
        if etichetta.endswith(semplice):
            return f"{etichetta[:-len(semplice)]}{articolata} {oggetto}"
    return f"{etichetta} la {oggetto}"


PERMESSI_PRATICA: dict[str, frozenset[str]] = {
    "titolare": frozenset({"leggi", "modifica", "genera", "scarica", "carica", "condividi", "esporta", "cancella"}),
    "redattore": frozenset({"leggi", "modifica", "genera", "scarica", "carica", "esporta"}),
    "revisore": frozenset({"leggi", "scarica", "carica"}),
    "ufficio_comunale": frozenset({"leggi"}),
    "lettura": frozenset({"leggi"}),
}

PERMESSI_CAMPAGNA: dict[str, frozenset[str]] = {
    "titolare": frozenset({"leggi", "modifica", "condividi", "esporta", "cancella", "decidi", "converti"}),
    "redattore": frozenset({"leggi", "modifica"}),
    "revisore": frozenset({"leggi"}),
    "ufficio_comunale": frozenset({"leggi", "modifica", "esporta", "decidi", "converti"}),
    "lettura": frozenset({"leggi"}),
}


# --------------------------------------------------------------------------- attore

@dataclass(frozen=True)
class Attore:
    """Chi compie l'azione. ``locale``: l'amministratore della macchina (riga di comando, uso personale)."""

    username: str
    nome: str
    amministratore: bool
    id: int | None = None
    locale: bool = False
    deve_cambiare_password: bool = False

    @property
    def firma(self) -> str:
        """Come compare nel registro: il nome e, per un account, il nome utente verificato."""
        return self.nome if self.locale else f"{self.nome} ({self.username})"


class AccessoNegato(PermissionError):
    """L'attore non può compiere l'azione; il messaggio è per una persona e non rivela dati altrui."""

    def __init__(self, messaggio: str):
        super().__init__(messaggio)
        self.messaggio = messaggio

    def __str__(self) -> str:
        return self.messaggio


def _nome_sistema() -> str:
    nome = os.environ.get("CER_DOCS_AUTORE", "").strip()
    if nome:
        return nome
    try:
        import getpass

        return getpass.getuser() or "amministratore locale"
    except (KeyError, OSError):
        return "amministratore locale"


def attore_locale(nome: str | None = None) -> Attore:
    """L'amministratore locale; ``nome`` è il nome che dichiara (solo in uso personale)."""
    return Attore(username="locale", nome=(nome or "").strip()[:200] or _nome_sistema(), amministratore=True,
                  locale=True)


_globale: dict[str, object] = {"obbligatorio": False, "predefinito": None}


def richiedi_attore_esplicito(attivo: bool = True) -> None:
    """Modalità server: da qui in poi ogni caso d'uso senza ``attore=`` è rifiutato."""
    _globale["obbligatorio"] = attivo


def imposta_attore_predefinito(attore: Attore | None) -> None:
    """L'attore di chi usa la riga di comando (``--utente``), valido per tutto il processo."""
    _globale["predefinito"] = attore


def _reimposta() -> None:
    """Per i test: torna alle impostazioni di partenza."""
    _globale["obbligatorio"] = False
    _globale["predefinito"] = None


def risolvi(attore: Attore | None) -> Attore:
    if attore is not None:
        return attore
    if _globale["obbligatorio"]:
        raise AccessoNegato("accesso non autorizzato: entra con il tuo nome utente e la tua password")
    predefinito = _globale["predefinito"]
    return predefinito if isinstance(predefinito, Attore) else attore_locale()


def autore_di(attore: Attore, dichiarato: str | None) -> str:
    """L'autore da scrivere nel registro: per un account è sempre l'account, mai un nome dichiarato."""
    if attore.locale:
        dichiarato = (dichiarato or "").strip()
        return dichiarato[:200] if dichiarato else attore.nome
    return attore.firma


# --------------------------------------------------------------------------- permessi

def _nega_assenza(cosa: str, codice: str) -> AccessoNegato:
    # lo stesso messaggio se l'oggetto non esiste o non è condiviso: non si rivela nulla
    return AccessoNegato(f"{cosa} '{codice}' non è nell'archivio o non è condivisa con te")


def ruolo_pratica(s: Session, attore: Attore, pratica_id: int) -> str | None:
    if attore.amministratore or attore.id is None:
        return None
    from sqlmodel import select

    from cer_docs.store.tables_accesso import AccessoPraticaRecord

    return s.exec(select(AccessoPraticaRecord.ruolo).where(AccessoPraticaRecord.pratica_id == pratica_id,
                                                          AccessoPraticaRecord.utente_id == attore.id)).first()


def ruolo_campagna(s: Session, attore: Attore, campagna_id: int) -> str | None:
    if attore.amministratore or attore.id is None:
        return None
    from sqlmodel import select

    from cer_docs.store.tables_accesso import AccessoCampagnaRecord

    return s.exec(select(AccessoCampagnaRecord.ruolo).where(AccessoCampagnaRecord.campagna_id == campagna_id,
                                                           AccessoCampagnaRecord.utente_id == attore.id)).first()


def puo(ruolo: str | None, azione: str, *, campagna: bool = False) -> bool:
    tabella = PERMESSI_CAMPAGNA if campagna else PERMESSI_PRATICA
    return ruolo is not None and azione in tabella.get(ruolo, frozenset())


def richiedi_pratica(s: Session, attore: Attore, row: PraticaRecord | None, azione: str, codice: str) -> None:
    """Solleva ``AccessoNegato`` se l'attore non può compiere ``azione`` sulla pratica."""
    if azione not in AZIONI:
        raise ValueError(f"azione sconosciuta: {azione}")
    if attore.amministratore:
        return
    if row is None:
        raise _nega_assenza("la pratica", codice)
    ruolo = ruolo_pratica(s, attore, row.id)
    if ruolo is None:
        raise _nega_assenza("la pratica", codice)
    if not puo(ruolo, azione):
        raise AccessoNegato(f"con il ruolo «{ruolo.replace('_', ' ')}» non puoi {azione_su(azione, 'pratica')} "
                            f"'{row.codice}': chiedi al titolare della pratica")


def richiedi_campagna(s: Session, attore: Attore, row: CampagnaRecord | None, azione: str, codice: str) -> None:
    if azione not in AZIONI:
        raise ValueError(f"azione sconosciuta: {azione}")
    if attore.amministratore:
        return
    if row is None:
        raise _nega_assenza("la campagna", codice)
    ruolo = ruolo_campagna(s, attore, row.id)
    if ruolo is None:
        raise _nega_assenza("la campagna", codice)
    if not puo(ruolo, azione, campagna=True):
        raise AccessoNegato(f"con il ruolo «{ruolo.replace('_', ' ')}» non puoi {azione_su(azione, 'campagna')} "
                            f"'{row.codice}': chiedi al titolare")


def richiedi_account(attore: Attore) -> None:
    """Per creare qualcosa di nuovo basta essere un utente (o l'amministratore locale)."""
    if not attore.locale and attore.id is None:
        raise AccessoNegato("accesso non autorizzato: entra con il tuo nome utente e la tua password")


def richiedi_amministratore(attore: Attore) -> None:
    if not attore.amministratore:
        raise AccessoNegato("solo un amministratore dell'installazione può farlo")


def pratiche_visibili(s: Session, attore: Attore) -> set[int] | None:
    """Gli id delle pratiche condivise con l'attore; ``None`` = tutte (amministratore)."""
    if attore.amministratore:
        return None
    if attore.id is None:
        return set()
    from sqlmodel import select

    from cer_docs.store.tables_accesso import AccessoPraticaRecord

    return set(s.exec(select(AccessoPraticaRecord.pratica_id).where(AccessoPraticaRecord.utente_id == attore.id)).all())


def campagne_visibili(s: Session, attore: Attore) -> set[int] | None:
    if attore.amministratore:
        return None
    if attore.id is None:
        return set()
    from sqlmodel import select

    from cer_docs.store.tables_accesso import AccessoCampagnaRecord

    return set(s.exec(select(AccessoCampagnaRecord.campagna_id)
                      .where(AccessoCampagnaRecord.utente_id == attore.id)).all())


def concedi_titolare(s: Session, attore: Attore, *, pratica_id: int | None = None, campagna_id: int | None = None,
                     quando: dt.datetime | None = None) -> None:
    """Chi crea una pratica o una campagna con il proprio account ne diventa titolare."""
    if attore.locale or attore.id is None:
        return
    from cer_docs.store import utcnow
    from cer_docs.store.tables_accesso import AccessoCampagnaRecord, AccessoPraticaRecord

    quando = quando or utcnow()
    if pratica_id is not None:
        s.add(AccessoPraticaRecord(pratica_id=pratica_id, utente_id=attore.id, ruolo="titolare", concesso_il=quando,
                                   concesso_da=attore.firma))
    if campagna_id is not None:
        s.add(AccessoCampagnaRecord(campagna_id=campagna_id, utente_id=attore.id, ruolo="titolare",
                                    concesso_il=quando, concesso_da=attore.firma))


def utente_per_username(s: Session, username: str) -> UtenteRecord | None:
    from sqlmodel import select

    from cer_docs.store.tables_accesso import UtenteRecord

    return s.exec(select(UtenteRecord).where(UtenteRecord.username == username.strip().lower())).first()


def valida_ruolo(ruolo: str | None) -> str | None:
    if ruolo is None:
        return None
    r = ruolo.strip().lower().replace(" ", "_")
    if r not in RUOLI:
        raise ValueError(f"ruolo '{ruolo}' sconosciuto: usa {', '.join(RUOLI)}")
    return r


def etichette(ruoli: Iterable[str]) -> list[str]:
    return [ETICHETTE_RUOLO.get(r, r) for r in ruoli]


# --------------------------------------------------------------------------- modalità dell'installazione

ENV_MODALITA = "CER_DOCS_MODALITA"
MODALITA = ("personale", "server")
INDIRIZZI_LOCALI = ("127.0.0.1", "::1", "localhost")


def modalita(environ: dict[str, str] | None = None) -> str:
    """``personale`` (predefinita: una persona, solo da questo computer, senza login) o ``server``
    (account obbligatori). Si sceglie con ``CER_DOCS_MODALITA`` o con ``cer-docs avvia --server``."""
    env = os.environ if environ is None else environ
    m = env.get(ENV_MODALITA, "").strip().lower() or "personale"
    if m not in MODALITA:
        raise ValueError(f"{ENV_MODALITA}='{m}' non previsto: usa personale o server")
    return m


def e_locale(indirizzo: str | None) -> bool:
    """Vero per una richiesta da questo stesso computer (o quando l'indirizzo non si conosce, nei test)."""
    if not indirizzo:
        return True
    return indirizzo in INDIRIZZI_LOCALI or indirizzo.startswith("127.") or indirizzo.startswith("::ffff:127.")


# --------------------------------------------------------------------------- dietro un proxy inverso

ENV_PROXY_FIDATI = "CER_DOCS_PROXY_FIDATI"


def ip_cliente(ip_connessione: str | None, intestazioni: dict[str, str] | None,
               environ: dict[str, str] | None = None) -> str | None:
    """L'indirizzo del cliente. ``X-Forwarded-For`` conta solo se la connessione arriva da un proxy
    elencato in ``CER_DOCS_PROXY_FIDATI`` (indirizzi separati da virgole; ``127.0.0.1`` se il proxy è
    sulla stessa macchina): altrimenti chiunque potrebbe dichiarare l'indirizzo che vuole e aggirare
    il limite degli invii del modulo pubblico. Si prende l'ultimo indirizzo non fidato della catena."""
    env = os.environ if environ is None else environ
    fidati = {x.strip() for x in env.get(ENV_PROXY_FIDATI, "").split(",") if x.strip()}
    connessione = ip_connessione or "127.0.0.1"  # Streamlit dà None per le connessioni locali
    if connessione not in fidati:
        return ip_connessione
    intest = {k.lower(): v for k, v in (intestazioni or {}).items()}
    catena = [x.strip() for x in intest.get("x-forwarded-for", "").split(",") if x.strip()]
    for ip in reversed(catena):
        if ip not in fidati:
            return ip
    return ip_connessione


def ip_cliente_da_proxy(ip_connessione: str | None, intestazioni: dict[str, str] | None,
                        environ: dict[str, str] | None = None) -> str | None:
    """L'indirizzo del cliente solo quando lo dichiara un proxy fidato (``CER_DOCS_PROXY_FIDATI``).

    Senza proxy configurato si restituisce ``None``: dietro un proxy non dichiarato tutti i visitatori
    avrebbero lo stesso indirizzo, e un limite per indirizzo li fermerebbe tutti insieme."""
    env = os.environ if environ is None else environ
    fidati = {x.strip() for x in env.get(ENV_PROXY_FIDATI, "").split(",") if x.strip()}
    if (ip_connessione or "127.0.0.1") not in fidati:
        return None
    ip = ip_cliente(ip_connessione, intestazioni, env)
    return ip if ip and ip not in fidati else None

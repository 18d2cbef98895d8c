"""Controllo dei codici: ogni funzione restituisce ``None`` se il codice va bene, altrimenti
un messaggio in italiano che dice cosa non va e come correggerlo.

Le librerie fanno il lavoro dove esistono (python-stdnum per codice fiscale e partita IVA,
schwifty per l'IBAN con il CIN italiano); per POD, CUP, CIG, cabina primaria e ATECO si
controlla il formato, che sta nei parametri datati.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path

from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength, ValidationError
from stdnum.it import codicefiscale as _cf
from stdnum.it import iva as _iva

from cer_docs.italiano import di_articolato

from .base import param

_MESI_CF = "ABCDEHLMPRST"


def normalizza(codice: str | None) -> str:
    return re.sub(r"\s+", "", codice or "").upper()


def codice_fiscale_persona(cf: str | None) -> str | None:
    c = normalizza(cf)
    if not c:
        return "manca il codice fiscale: inseriscilo (16 caratteri, come sulla tessera sanitaria)"
    if len(c) != 16:
        return (f"il codice fiscale di una persona ha 16 caratteri, questo ne ha {len(c)}: "
                "ricopialo dalla tessera sanitaria")
    try:
        _cf.validate(c)
    except InvalidChecksum:
        return ("il carattere di controllo (l'ultimo) non corrisponde agli altri: "
                "c'è probabilmente un errore di battitura, ricontrolla il codice")
    except (InvalidFormat, InvalidComponent, ValidationError):
        return ("il codice fiscale non ha la forma 6 lettere, 2 cifre, 1 lettera del mese, 2 cifre, "
                "4 caratteri del comune e 1 lettera di controllo: ricontrollalo")
    return None


def data_nascita_da_cf(cf: str) -> dt.date | None:
    try:
        return _cf.get_birth_date(normalizza(cf))
    except (ValidationError, ValueError):
        return None


_OMOCODIA = str.maketrans("LMNPQRSTUV", "0123456789")
_GIORNO = range(len("RSSMRA75D"), len("RSSMRA75D12"))  # posizioni del giorno di nascita


def sesso_da_cf(cf: str | None) -> str | None:
    """``"F"`` o ``"M"`` dal codice fiscale di una persona (il giorno di nascita delle donne è
    aumentato di 40, DM 23 dicembre 1976); ``None`` se non è il codice di una persona."""
    c = normalizza(cf)
    if len(c) != 16:
        return None
    # omocodia: anche le cifre del giorno possono essere sostituite da lettere
    c = "".join(ch.translate(_OMOCODIA) if i in _GIORNO else ch for i, ch in enumerate(c))
    try:
        return _cf.get_gender(c)
    except (ValidationError, ValueError):
        return None


def codice_fiscale_ente(cf: str | None) -> str | None:
    c = normalizza(cf)
    if not c:
        return "manca il codice fiscale: inseriscilo (11 cifre per enti e imprese)"
    if len(c) == 16:
        return codice_fiscale_persona(c)
    if not c.isdigit() or len(c) != 11:
        return (f"il codice fiscale di un ente o di un'impresa ha 11 cifre, questo è '{c}': "
                "ricopialo dalla visura o dal certificato di attribuzione")
    return partita_iva(c, nome="il codice fiscale")


def partita_iva(piva: str | None, nome: str = "la partita IVA") -> str | None:
    c = normalizza(piva)
    if c.startswith("IT") and len(c) == 13:
        c = c[2:]
    if not c:
        return f"manca {nome}: inseriscila (11 cifre)"
    if not c.isdigit() or len(c) != 11:
        return f"{nome} deve avere 11 cifre (trovato '{c}'): ricopiala dalla visura camerale"
    try:
        _iva.validate(c)
    except InvalidChecksum:
        return (f"l'ultima cifra di controllo {di_articolato(nome)} non torna: "
                "c'è un errore di battitura, ricontrolla le 11 cifre")
    except InvalidComponent:
        return (f"le cifre 8-10 {di_articolato(nome)} non sono il codice di un "
                "ufficio delle Entrate esistente: ricontrolla il numero")
    except (InvalidFormat, InvalidLength, ValidationError):
        return f"{nome} non è valida: ricontrollala"
    return None


def iban(valore: str | None) -> str | None:
    c = normalizza(valore)
    if not c:
        return None
    # schwifty carica i registri delle banche (~50 ms): solo quando c'è un IBAN da controllare
    from schwifty import IBAN
    from schwifty.exceptions import SchwiftyException

    try:
        IBAN(c, validate_bban=True)
    except SchwiftyException as e:
        nome = type(e).__name__
        if nome == "InvalidBBANChecksum":
            return ("il CIN (la lettera dopo le prime 4 cifre) non corrisponde a ABI, CAB e conto: "
                    "ricopia l'IBAN dall'estratto conto")
        if nome == "InvalidChecksumDigits":
            return "le due cifre di controllo dopo 'IT' non tornano: ricopia l'IBAN dall'estratto conto"
        if nome == "InvalidLength":
            return "l'IBAN italiano ha 27 caratteri: ne manca qualcuno o ce n'è uno in più"
        if nome == "InvalidCountryCode":
            return "l'IBAN deve iniziare con il codice del paese (IT per i conti italiani)"
        return "l'IBAN non è valido: ricopialo dall'estratto conto"
    return None


def _formato(valore: str, pid: str, al: dt.date) -> bool:
    return re.fullmatch(param(pid, al), valore) is not None


def pod(valore: str | None, al: dt.date) -> str | None:
    c = normalizza(valore)
    if not c:
        return "manca il codice POD: lo trovi in bolletta, nella sezione dati della fornitura"
    if not _formato(c, "formato_pod", al):
        return (f"il POD '{c}' non ha il formato IT + 3 cifre + E + 8 cifre (es. IT001E12345678): "
                "ricopialo dalla bolletta")
    return None


def cup(valore: str | None, al: dt.date) -> tuple[str, str] | None:
    """Restituisce (gravita, messaggio) o None."""
    c = normalizza(valore)
    fmt = param("formato_cup", al)
    if not re.fullmatch(fmt["obbligatorio"], c):
        return ("errore", f"il CUP deve avere 15 caratteri alfanumerici (trovato '{c}', {len(c)} caratteri): "
                          "ricopialo dal provvedimento di concessione o dal portale OpenCUP")
    if not re.fullmatch(fmt["tipico"], c):
        if scambi := _lettere_per_cifre(c, fmt["tipico"]):
            return ("avviso", _messaggio_scambi(c, scambi))
        return ("avviso", f"il CUP '{c}' non ha la forma consueta (lettera, 2 cifre, lettera, 11 cifre): "
                          "verifica di averlo ricopiato bene")
    return None


_CIFRE_SIMILI = {"O": ("0", "lo zero"), "I": ("1", "l'uno")}   # lettere che si scrivono al posto di una cifra


def _lettere_per_cifre(c: str, tipico: str) -> list[int]:
    """Le posizioni (da 0) delle lettere O e I che, scritte come 0 e 1, danno un codice della forma
    consueta: le meno possibili (una O al posto di una lettera resta com'è). Lista vuota se non basta.

    Di solito basta una prova per lettera sospetta: tutte scritte come cifre, poi si rimette la lettera dove
    il codice resta della forma consueta anche con lei. Se non va (una O o una I anche dove il codice vuole
    una lettera), si provano le combinazioni dalla più piccola: il codice ha già la lunghezza obbligatoria,
    quindi al più 2**15 prove (un decimo di secondo, solo con un codice fatto tutto di O e di I)."""
    def scritto(scelte) -> str:
        return "".join(_CIFRE_SIMILI[ch][0] if i in scelte else ch for i, ch in enumerate(c))

    sospette = [i for i, ch in enumerate(c) if ch in _CIFRE_SIMILI]
    scelte = set(sospette)
    if scelte and re.fullmatch(tipico, scritto(scelte)):
        for i in sospette:
            if re.fullmatch(tipico, scritto(scelte - {i})):
                scelte.discard(i)
        return sorted(scelte)
    from itertools import combinations

    for n in range(1, len(sospette)):
        for prova in combinations(sospette, n):
            if re.fullmatch(tipico, scritto(set(prova))):
                return list(prova)
    return []


def _messaggio_scambi(c: str, scambi: list[int]) -> str:
    """«il CUP 'J81O…' contiene la lettera O alla posizione 4, dove va una cifra: …»."""
    lettere = sorted({c[i] for i in scambi})
    posizioni = [str(i + 1) for i in scambi]
    dove = (f"alla posizione {posizioni[0]}" if len(posizioni) == 1
            else f"alle posizioni {', '.join(posizioni[:-1])} e {posizioni[-1]}")
    quali = " e ".join(f"la lettera {x}" for x in lettere)
    usa = " e ".join(f"{_CIFRE_SIMILI[x][1]} al posto della {x}" for x in lettere)
    corretto = "".join(_CIFRE_SIMILI[ch][0] if i in scambi else ch for i, ch in enumerate(c))
    return (f"il CUP '{c}' contiene {quali} {dove}, dove il CUP ha una cifra (15 caratteri: lettera, 2 cifre, "
            f"lettera, 11 cifre): usa {usa}, cioè '{corretto}', e ricontrollalo sul provvedimento di concessione "
            "o sul portale OpenCUP")


def cig(valore: str | None, al: dt.date) -> str | None:
    c = normalizza(valore)
    if not _formato(c, "formato_cig", al):
        return f"il CIG deve avere 10 caratteri alfanumerici (trovato '{c}'): ricopialo dal contratto"
    return None


def cabina_primaria(valore: str | None, al: dt.date) -> str | None:
    c = normalizza(valore)
    if not c:
        return ("manca il codice della cabina primaria: cercalo sulla mappa interattiva delle cabine "
                "primarie del GSE partendo dall'indirizzo o dal POD")
    if not _formato(c, "formato_cabina_primaria", al):
        return (f"il codice '{c}' non ha la forma dei codici delle aree convenzionali del GSE "
                "(es. AC001E00934): ricopialo dalla mappa delle cabine primarie")
    return None


def ateco(valore: str | None, al: dt.date) -> str | None:
    c = (valore or "").strip()
    if not c:
        return "manca il codice ATECO dell'attività prevalente: lo trovi nella visura camerale"
    if not _formato(c, "formato_ateco", al):
        return f"il codice ATECO '{c}' deve avere la forma 00.00.00 (es. 01.21.00): ricopialo dalla visura"
    return None


def cap(valore: str | None) -> str | None:
    c = (valore or "").strip()
    if c and not re.fullmatch(r"\d{5}", c):
        return f"il CAP '{c}' deve avere 5 cifre"
    return None


@lru_cache(maxsize=1)
def sigle_province() -> frozenset[str]:
    testo = (Path(__file__).parent.parent / "data" / "province.txt").read_text(encoding="utf-8")
    return frozenset(t for riga in testo.splitlines() if not riga.startswith("#") for t in riga.split())


def provincia(valore: str | None) -> str | None:
    c = (valore or "").strip().upper()
    if c and c not in sigle_province():
        return f"'{valore}' non è la sigla di una provincia italiana (es. FI, MI, RM)"
    return None

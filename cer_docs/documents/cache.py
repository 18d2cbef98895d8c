"""Cache su disco dei documenti già resi (DOCX e PDF), indirizzata dal contenuto.

La chiave è lo sha256 di tre cose: la **versione dell'impaginazione** (i file di
``templates/layout`` (con la cornice Typst ``documento.typ``), il codice degli scrittori e della
struttura, le versioni di Typst e python-docx, i file dei caratteri Liberation installati), il **formato** e la forma
completa del ``Documento`` risolto (``repr`` dei dataclass: testo, blocchi, evidenze, bozza,
intestazione, allegati). Stesso documento risolto con la stessa impaginazione → stessi byte:
rigenerare dopo una modifica di un membro rende di nuovo solo i documenti che cambiano.

Dove: ``<cartella dati>/cache/documenti`` (la cartella dati è quella di ``store/settings.py``:
``CER_DOCS_DATA_DIR`` o ``platformdirs.user_data_dir("cer-docs")``); ``CER_DOCS_CACHE_DOCUMENTI``
indica un'altra cartella, o ``0`` per spegnerla. Dimensione massima
``CER_DOCS_CACHE_DOCUMENTI_MB`` (predefinita 256 MB): oltre, si tolgono le voci usate meno di
recente (ogni lettura aggiorna l'orario della voce).

Processi concorrenti: ogni voce si scrive in un file temporaneo nella stessa cartella e si porta
al suo nome con ``os.replace`` (atomico); una voce illeggibile o troncata vale come assente.

Dati personali: i documenti contengono nomi, codici fiscali, indirizzi. Le voci sono file
0600 in cartelle 0700. Se i dati della pratica sono cifrati a riposo (``CER_DOCS_CHIAVE`` o
``CER_DOCS_CHIAVE_FILE``, ``store/cifratura.py``) anche le voci della cache si cifrano con la
stessa chiave (Fernet); una voce cifrata con un'altra chiave vale come assente. Una voce in
chiaro non si usa quando la cifratura è attiva, né una cifrata quando non lo è.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import tempfile
import threading
from collections import deque
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .clausole import TEMPLATES_DIR
from .struttura import Documento

ENV_CARTELLA = "CER_DOCS_CACHE_DOCUMENTI"
ENV_MASSIMO_MB = "CER_DOCS_CACHE_DOCUMENTI_MB"
MASSIMO_MB_PREDEFINITO = 256
_CHIARO = b"CDC1\n"
_CIFRATO = b"CDE1\n"

# Ciò che decide l'aspetto dei file: cambia uno di questi → cambia la versione → nessun riuso.
_CODICE = ("scrittura_docx.py", "scrittura_pdf.py", "pdf_oggetti.py", "struttura.py", "cache.py")
_PACCHETTI = ("typst", "python-docx")
_CARTELLE_CARATTERI = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts")

# Per i test e i banchi: le rese vere (non dalla cache), come (formato, tipo, file), nel processo
# che genera (anche quando i PDF si impaginano negli altri thread).
# (ultime 10.000: un processo server lungo non accumula memoria)
rese: deque[tuple[str, str, str | None]] = deque(maxlen=10_000)
_lock_rese = threading.Lock()


def conta_resa(formato: str, doc: Documento, file: str | None = None) -> None:
    with _lock_rese:
        rese.append((formato, doc.tipo, file))


@lru_cache(maxsize=1)
def _caratteri() -> tuple[tuple[str, int, int], ...]:
    """I file dei caratteri usati dal layout (Liberation), con dimensione e data: una volta per
    processo, come Typst, che li carica una volta (``scrittura_pdf._caratteri_typst``)."""
    out = []
    for base in _CARTELLE_CARATTERI:
        radice = Path(base).expanduser()
        if not radice.is_dir():
            continue
        for cartella, _, file in os.walk(radice):
            for f in file:
                if f.lower().startswith("liberation"):
                    try:
                        st = os.stat(os.path.join(cartella, f))
                    except OSError:
                        continue
                    out.append((os.path.join(cartella, f), st.st_size, int(st.st_mtime)))
    return tuple(sorted(out))


_versioni: dict[str, str] = {}


def _versione(nome: str) -> str:
    """La versione installata del pacchetto («-» se manca), una volta per processo.

    Prima dal nome della cartella ``.dist-info`` accanto al modulo (~0,1 ms): ``importlib.metadata``
    scorre tutto ``sys.path`` e alla prima chiamata costa ~20 ms, su ogni ``cer-docs genera``."""
    if nome not in _versioni:
        _versioni[nome] = _versione_dal_dist_info(nome) or _versione_da_metadata(nome)
    return _versioni[nome]


_MODULI = {"python-docx": "docx", "PyYAML": "yaml"}


def _versione_dal_dist_info(nome: str) -> str | None:
    import importlib.util

    try:
        spec = importlib.util.find_spec(_MODULI.get(nome, nome))
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin:
        return None
    base = Path(spec.origin).parent.parent   # site-packages/<modulo>/__init__.py → site-packages
    normale = re.sub(r"[-_.]+", "_", nome).lower()
    trovate = [d.name[len(normale) + 1:-len(".dist-info")] for d in base.glob("*.dist-info")
               if re.sub(r"[-_.]+", "_", d.name[:-len(".dist-info")].rsplit("-", 1)[0]).lower() == normale]
    return trovate[0] if len(trovate) == 1 else None


def _versione_da_metadata(nome: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(nome)
    except metadata.PackageNotFoundError:
        return "-"


def _aggiungi_versioni(h: "hashlib._Hash", pacchetti: tuple[str, ...]) -> None:
    """Le versioni installate dei pacchetti («nome=versione», «-» se manca) nell'impronta ``h``."""
    for nome in pacchetti:
        h.update(f"{nome}={_versione(nome)}\0".encode())


def _file_impaginazione() -> list[tuple[str, Path]]:
    layout = TEMPLATES_DIR / "layout"
    qui = Path(__file__).resolve().parent
    return ([(str(f.relative_to(layout)), f) for f in sorted(layout.rglob("*")) if f.is_file()]
            + [(nome, qui / nome) for nome in _CODICE])


_impaginazioni: dict[tuple, str] = {}


def versione_impaginazione() -> str:
    """Impronta di tutto ciò che, oltre al documento, decide i byte dei file resi.

    Si ricalcola (leggendo i file) solo se cambia la dimensione o la data di uno dei file della
    cornice e del codice o dei caratteri: la si chiede per ogni documento."""
    file = _file_impaginazione()
    stati = tuple((nome, st.st_size, st.st_mtime_ns) for nome, st in ((n, f.stat()) for n, f in file))
    chiave = (stati, _caratteri())
    if chiave not in _impaginazioni:
        h = hashlib.sha256(b"cer-docs/cache-documenti@1\n")
        for nome, f in file:
            h.update(nome.encode() + b"\0" + f.read_bytes() + b"\0")
        _aggiungi_versioni(h, _PACCHETTI)
        h.update(f"python={sys.version_info[:2]}\0".encode())
        h.update(json.dumps([list(c) for c in _caratteri()]).encode())
        _impaginazioni.clear()
        _impaginazioni[chiave] = h.hexdigest()
    return _impaginazioni[chiave]


def chiave_documento(doc: Documento, formato: str) -> str:
    """La chiave della cache: impaginazione + formato + documento risolto completo."""
    return chiavi_documento(doc, (formato,))[formato]


def chiavi_documento(doc: Documento, formati: tuple[str, ...]) -> dict[str, str]:
    """Le chiavi del documento per più formati, con un solo ``repr`` del documento."""
    forma = repr(doc).encode("utf-8", "surrogatepass")
    out = {}
    for formato in formati:
        h = hashlib.sha256()
        h.update(versione_impaginazione().encode() + b"\0" + formato.encode() + b"\0")
        h.update(forma)
        out[formato] = h.hexdigest()
    return out


# ----------------------------------------------------------------------------- risoluzioni già fatte
#
# Risolvere un documento (specifica + clausole + contesto → ``Documento``) costa qualche millisecondo:
# per le decine di documenti di un pacchetto era il costo maggiore di una rigenerazione in cui quasi
# nulla cambia. Una voce «risoluzione» della cache ricorda, per un documento di una pratica (il suo
# «posto»: pratica, tipo, oggetto o configurazione, bozza, flag, nomi dei campi del contesto, modelli
# e codice), le **letture** che la sua risoluzione ha fatto nel contesto (``motore.Letture``: ogni
# campo letto con il suo valore, le mappe attraversate, i campi assenti), l'impronta dei valori
# letti, le chiavi dei file resi (DOCX e PDF) e i dati mancanti (quanti e quali: i loro percorsi nel
# file pratica, che l'avviso della generazione nomina). Alla generazione dopo, se
# gli stessi campi hanno gli stessi valori, la risoluzione farebbe lo stesso percorso e darebbe lo
# stesso documento: non si rifà, e i file si prendono dalla cache. Cambiare l'indirizzo di un membro
# fa risolvere di nuovo solo i documenti che quell'indirizzo lo hanno letto. Un valore letto che non
# è un dato semplice (str, numero, bool, None, elenchi e mappe di questi) toglie la voce: quel
# documento si risolve sempre. Se un modello passa al compilato di Jinja, la lettura è «tutto il
# contesto».

_CODICE_RISOLUZIONE = ("documents", "rules", "risorse.py", "italiano.py")
_PACCHETTI_RISOLUZIONE = ("jinja2", "PyYAML")


def _file_sotto(radice: str) -> list[tuple[str, str]]:
    """(nome relativo, percorso) dei file sotto ``radice`` (o il file stesso), in ordine, senza bytecode
    né gli scheletri DOCX pronti (non decidono la risoluzione)."""
    if os.path.isfile(radice):
        return [(os.path.basename(radice), radice)]
    out = []
    pila = [(radice, os.path.basename(radice))]
    while pila:
        cartella, nome = pila.pop()
        try:
            voci = list(os.scandir(cartella))
        except OSError:
            continue
        for v in voci:
            if v.is_dir(follow_symlinks=True):
                if v.name != "__pycache__":
                    pila.append((v.path, f"{nome}/{v.name}"))
            elif not v.name.endswith((".pyc", ".pyo", ".bin")):  # .bin: gli scheletri DOCX pronti
                out.append((f"{nome}/{v.name}", v.path))
    return sorted(out)


@lru_cache(maxsize=1)
def versione_risoluzione() -> str:
    """Impronta di ciò che, oltre al contesto, decide il documento risolto: tutti i modelli
    (``templates/``), il codice di ``cer_docs/documents`` (motore, clausole, specifiche, struttura,
    contesti) e delle regole, le versioni di Jinja e PyYAML, e l'impaginazione (le chiavi dei file
    resi che una voce ricorda dipendono da questa).

    Leggere i ~400 file costa ~40 ms a ogni processo: l'impronta del contenuto si ricorda nella
    cache insieme all'elenco dei file con dimensione e data di modifica (in ns), come fa Python con
    il bytecode; se uno di questi cambia, si rilegge tutto."""
    pacchetto = Path(__file__).resolve().parents[1]
    radici = [str(TEMPLATES_DIR)] + [str(pacchetto / nome) for nome in _CODICE_RISOLUZIONE]
    file = [f for r in radici for f in _file_sotto(r)]
    stati = []
    for nome, percorso in file:
        try:
            st = os.stat(percorso)
            stati.append((nome, percorso, st.st_size, st.st_mtime_ns))
        except OSError:
            stati.append((nome, percorso, -1, -1))
    h = hashlib.sha256(b"cer-docs/risoluzione@2\0" + versione_impaginazione().encode() + b"\0")
    _aggiungi_versioni(h, _PACCHETTI_RISOLUZIONE)
    h.update(f"python={sys.version_info[:3]}\0".encode())
    base = h.copy()
    base.update(b"stati\0" + json.dumps(stati).encode("utf-8", "surrogatepass"))
    chiave_stati = base.hexdigest()
    cache = CacheDocumenti.predefinita()
    if cache is not None:
        voce = cache.leggi(chiave_stati)
        if voce is not None and len(voce.dati) == 64:
            return voce.dati.decode("ascii")
    for nome, percorso, _, _ in stati:
        try:
            dati = Path(percorso).read_bytes()
        except OSError:
            dati = b"\0assente\0"
        h.update(nome.encode("utf-8", "surrogatepass") + b"\0" + dati + b"\0")
    versione = h.hexdigest()
    if cache is not None:
        cache.scrivi(chiave_stati, versione.encode("ascii"), None)
    return versione


_SEMPLICI = frozenset((str, bool, int, float, type(None)))


def _solo_dati_semplici(valore: object, altro: list) -> bool:
    """Vero se ``valore`` è fatto solo di dati semplici (il ``repr`` lo descrive tutto). Le stringhe
    ``TestoRiferimento`` (il testo di un riferimento normativo con i parametri da cui viene) valgono
    come stringhe, con i loro parametri aggiunti ad ``altro``."""
    from cer_docs.rules.base import TestoRiferimento

    pila = [valore]
    while pila:
        x = pila.pop()
        t = type(x)
        if t in _SEMPLICI:
            continue
        if t is dict:
            for k, v in x.items():
                if type(k) not in _SEMPLICI:
                    return False
                pila.append(v)
        elif t is list or t is tuple:
            pila.extend(x)
        elif t is TestoRiferimento:
            altro.append(("TestoRiferimento", str(x), tuple(x.parametri)))
        else:
            return False
    return True


def chiave_posto(pratica: str, richiesta: str, tipo: str, bozza: bool, valori: dict, flag: dict,
                 origini: dict | None = None) -> str | None:
    """Il «posto» della voce di risoluzione di un documento (vedi sopra): ``None`` se i flag non
    sono dati semplici. Dentro ci sono tutti i flag (decidono quali parti e clausole entrano), i
    nomi dei campi del contesto (``Contesto.variabili`` li confronta con i flag) e le origini dei
    campi che possono mancare (``Contesto.origini``: decidono i dati mancanti che la voce ricorda)."""
    altro: list = []
    if not _solo_dati_semplici(flag, altro) or altro:
        return None
    h = hashlib.sha256(b"cer-docs/posto@1\0")
    for parte in (versione_risoluzione(), pratica, richiesta, tipo, "B" if bozza else "-",
                  repr(sorted(flag.items())), repr(sorted(map(str, valori))), repr(sorted((origini or {}).items()))):
        h.update(parte.encode("utf-8", "surrogatepass") + b"\0")
    return h.hexdigest()


def _lettura(cima: dict, tipo: str, percorso: tuple) -> tuple:
    x: object = cima
    for k in percorso:
        if type(x) is not dict or k not in x:  # type: ignore[operator]
            return (tipo, percorso, 0)
        x = x[k]  # type: ignore[index]
    if tipo == "v":
        return (tipo, percorso, 1, x)
    if tipo == "m":
        return (tipo, percorso, 1, type(x) is dict)
    return (tipo, percorso, 1)  # «a»: il campo c'è (prima mancava)


def impronta_letture(letture: list, valori: dict, flag: dict) -> str | None:
    """L'impronta dei valori che le ``letture`` (``[tipo, percorso]``) trovano nel contesto;
    ``None`` se un valore letto non è un dato semplice o un percorso non è fatto di nomi."""
    cima = {**valori, **flag}
    osservate = []
    for tipo, percorso in letture:
        if tipo not in ("v", "m", "a") or any(type(k) is not str for k in percorso):
            return None
        osservate.append(_lettura(cima, tipo, tuple(percorso)))
    altro: list = []
    if not _solo_dati_semplici(osservate, altro):
        return None
    h = hashlib.sha256(b"cer-docs/letture@1\0")
    h.update(repr(osservate).encode("utf-8", "surrogatepass") + b"\0" + repr(altro).encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def letture_da_ricordare(letture) -> list:
    """Le letture di una risoluzione (``motore.Letture``) come si scrivono nella voce."""
    if letture.tutto:
        return [["v", []]]
    return [[tipo, list(percorso)] for tipo, percorso in letture.voci]


@dataclass
class Voce:
    dati: bytes
    pagine: int | None
    sha256: str = ""    # dei dati (già verificato alla lettura)


def _cifratore():
    """La chiave Fernet dell'archivio se la cifratura a riposo è attiva, altrimenti None."""
    if not (os.environ.get("CER_DOCS_CHIAVE", "").strip() or os.environ.get("CER_DOCS_CHIAVE_FILE", "").strip()):
        return None
    from cer_docs.store.cifratura import fernet

    return fernet()


def _cartella_dati() -> Path:
    grezza = os.environ.get("CER_DOCS_DATA_DIR", "").strip()
    if grezza:
        return Path(grezza).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("cer-docs", appauthor=False))


class CacheDocumenti:
    """Voci ``<cartella>/<ab>/<sha256>``: intestazione JSON (pagine) + byte del file, forse cifrati."""

    def __init__(self, cartella: Path, massimo_byte: int, cifratore=None) -> None:
        self.cartella = Path(cartella)
        self.massimo_byte = massimo_byte
        self.cifratore = cifratore
        self.letture = 0
        self.riusi = 0
        self.scritture = 0

    # -- creazione
    @classmethod
    def predefinita(cls) -> "CacheDocumenti | None":
        """La cache configurata dall'ambiente, o ``None`` se spenta."""
        scelta = os.environ.get(ENV_CARTELLA, "").strip()
        if scelta.lower() in ("0", "no", "off", "false"):
            return None
        try:
            mb = float(os.environ.get(ENV_MASSIMO_MB, "").strip() or MASSIMO_MB_PREDEFINITO)
        except ValueError:
            mb = MASSIMO_MB_PREDEFINITO
        if mb <= 0:
            return None
        cartella = Path(scelta).expanduser() if scelta else _cartella_dati() / "cache" / "documenti"
        return cls(cartella, int(mb * 1024 * 1024), _cifratore())

    # -- percorsi
    def _percorso(self, chiave: str) -> Path:
        return self.cartella / chiave[:2] / chiave

    def _prepara_cartella(self, p: Path) -> None:
        """Crea le cartelle della cache (0700: i documenti contengono dati personali)."""
        if p.is_dir():
            return
        self.cartella.parent.parent.mkdir(parents=True, exist_ok=True)
        for c in (self.cartella.parent, self.cartella, p):
            try:
                c.mkdir(mode=0o700)
                os.chmod(c, 0o700)  # la umask non allarga, ma per sicurezza
            except FileExistsError:
                pass

    # -- lettura e scrittura
    def leggi(self, chiave: str) -> Voce | None:
        self.letture += 1
        p = self._percorso(chiave)
        try:
            grezzi = p.read_bytes()
        except OSError:
            return None
        try:
            if grezzi.startswith(_CIFRATO):
                if self.cifratore is None:
                    return None
                carico = self.cifratore.decrypt(grezzi[len(_CIFRATO):])
            elif grezzi.startswith(_CHIARO):
                if self.cifratore is not None:
                    return None  # in chiaro mentre la cifratura è attiva: non si usa
                carico = grezzi[len(_CHIARO):]
            else:
                return None
            testa, _, dati = carico.partition(b"\n")
            meta = json.loads(testa)
            if meta.get("sha256") != hashlib.sha256(dati).hexdigest() or len(dati) != meta.get("byte"):
                return None  # voce troncata o guasta
        except Exception:
            return None
        try:
            os.utime(p)  # usata ora: esce per ultima
        except OSError:
            pass
        self.riusi += 1
        return Voce(dati, meta.get("pagine"), meta["sha256"])

    def scrivi(self, chiave: str, dati: bytes, pagine: int | None) -> None:
        """Scrive la voce (file temporaneo 0600 + rinomina). Un errore di disco non ferma la generazione."""
        p = self._percorso(chiave)
        meta = {"pagine": pagine, "byte": len(dati), "sha256": hashlib.sha256(dati).hexdigest()}
        carico = json.dumps(meta).encode() + b"\n" + dati
        grezzi = (_CIFRATO + self.cifratore.encrypt(carico)) if self.cifratore is not None else _CHIARO + carico
        tmp = None
        try:
            self._prepara_cartella(p.parent)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=p.parent)  # 0600
            with os.fdopen(fd, "wb") as f:
                f.write(grezzi)
            os.replace(tmp, p)
            tmp = None
            self.scritture += 1
        except OSError:
            pass
        finally:
            if tmp is not None:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass

    def leggi_risoluzione(self, posto: str) -> dict | None:
        """La voce «risoluzione» del posto (letture, impronta, chiavi dei file resi, dati mancanti), o ``None``."""
        voce = self.leggi(posto)
        if voce is None:
            return None
        try:
            dati = json.loads(voce.dati)
        except ValueError:
            return None
        if not (isinstance(dati, dict) and isinstance(dati.get("chiavi"), dict)
                and isinstance(dati.get("letture"), list) and isinstance(dati.get("impronta"), str)
                and isinstance(dati.get("lacune"), int) and isinstance(dati.get("mancanti"), list)
                and all(m is None or isinstance(m, str) for m in dati["mancanti"])):
            return None  # anche una voce di prima che ricordasse quali dati mancano: si risolve di nuovo
        return dati

    def scrivi_risoluzione(self, posto: str, letture: list, impronta: str, chiavi: dict[str, str], lacune: int,
                           mancanti: list[str | None] | None = None) -> None:
        """Ricorda la risoluzione di un documento: con i dati mancanti (quanti e i loro percorsi nel file
        pratica), perché una rigenerazione che non risolve dia lo stesso avviso di una che risolve."""
        voce = {"letture": letture, "impronta": impronta, "chiavi": chiavi, "lacune": lacune,
                "mancanti": list(mancanti or [])}
        self.scrivi(posto, json.dumps(voce, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), None)

    def contiene(self, chiave: str) -> bool:
        return self._percorso(chiave).is_file()

    # -- dimensione
    def riduci(self) -> int:
        """Toglie le voci usate meno di recente finché la cache sta nell'80 % del massimo; restituisce quante."""
        voci = []
        totale = 0
        if not self.cartella.is_dir():
            return 0
        for sotto in self.cartella.iterdir():
            if not sotto.is_dir():
                continue
            for f in sotto.iterdir():
                try:
                    st = f.stat()
                except OSError:
                    continue
                if f.name.startswith(".tmp-"):
                    # avanzo di una scrittura interrotta (più vecchio di un'ora): via
                    import time

                    if time.time() - st.st_mtime > 3600:
                        try:
                            f.unlink()
                        except OSError:
                            pass
                    continue
                voci.append((st.st_mtime, st.st_size, f))
                totale += st.st_size
        if totale <= self.massimo_byte:
            return 0
        tolte = 0
        obiettivo = int(self.massimo_byte * 0.8)
        for _, dim, f in sorted(voci, key=lambda v: v[0]):
            if totale <= obiettivo:
                break
            try:
                f.unlink()
                totale -= dim
                tolte += 1
            except OSError:
                pass
        return tolte

"""Il motore: specifica + libreria delle clausole + contesto → ``Documento`` risolto.

Il testo dell'utente è un dato, mai markup né modello. Ogni ``{{ campo }}`` di una
clausola non viene scritto nel testo: al suo posto il motore lascia un segnaposto
(``\\ue000n\\ue001``) e tiene il valore da parte. Solo dopo aver letto la struttura del
testo reso (paragrafi, voci d'elenco) i segnaposto tornano valori, come ``Segmento``
distinti. Così un nome che contiene ``{{ 7*7 }}``, ``- ``, ``**``, ``<b>`` o un a capo
non può diventare un'istruzione Jinja, una voce d'elenco o un tag: resta testo.
I caratteri di controllo incollati da Word si puliscono qui una volta per tutte
(``\\x0b`` → a capo, gli altri C0 tranne tab e a capo si tolgono).
"""

from __future__ import annotations

import contextvars
import dataclasses
import marshal
import re
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping

from .clausole import Clausola, ErroreLibreria, carica_clausole
from .specifiche import Parte, Specifica, Voce
if TYPE_CHECKING:
    import jinja2

from .struttura import (
    Blocco, Colonna, Documento, Elenco, Firma, Firme, Inclusione, Intestazione, Paragrafo, Rinvio, Segmento,
    SaltoPagina, Tabella,
    Titolo, TitoloArticolo, Voce as VoceElenco,
)

LACUNA = "__________"
"""Come appare un dato mancante: uno spazio da completare a mano."""

# Un dato della pratica che manca, scritto dal contesto come ``lacuna(percorso)``: lo spazio da
# completare seguito dal percorso del dato nel file pratica tra due marcatori invisibili (dopo lo
# spazio, così le parole che lo precedono e l'inizio del testo non cambiano). Il motore toglie il
# percorso dal testo e lo annota nel documento (``Documento.mancanti``): l'avviso della generazione
# dice quali dati completare. Uno ``LACUNA`` senza percorso è uno spazio voluto (la data della firma,
# il segretario della riunione) e non è un dato mancante.
_APRI_LACUNA, _CHIUDI_LACUNA = "\ue004", "\ue005"

SPAZIO_VOLUTO = "(spazio voluto)"
"""In ``Contesto.origini``, al posto del percorso: il campo, se manca, è uno spazio voluto da completare
a mano alla firma (il luogo della firma di un modulo senza comunità) e non un dato mancante."""
_LACUNA_MARCATA = re.compile("\ue004([^\ue004\ue005]{0,300})\ue005")

LETTERE = "abcdefghilmnopqrstuvz"  # alfabeto italiano degli elenchi normativi (senza j k w x y)

_APRI, _CHIUDI = "\ue000", "\ue001"
_SEGNAPOSTO = re.compile("\ue000(\\d+)\ue001")
_CONTROLLO = re.compile("[\x00-\x08\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")  # e ciò che XML non ammette
_PRIVATI = re.compile("[\ue000-\ue005]")
_SPAZI = re.compile(r"[ \t]+")

_raccolta: contextvars.ContextVar[list] = contextvars.ContextVar("raccolta_valori")


def pulisci_testo(v: str) -> str:
    """Testo dell'utente pronto per qualsiasi formato: ``\\x0b`` e ``\\r\\n`` → a capo,
    via gli altri caratteri di controllo C0 (tranne tab e a capo) e i segnaposto interni."""
    v = v.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
    v = _CONTROLLO.sub("", v)
    if _APRI_LACUNA in v:
        v = _LACUNA_MARCATA.sub("", v)  # il percorso di un dato mancante (``lacuna``) non è testo
    return _PRIVATI.sub("", v)


def lacuna(percorso: str) -> str:
    """Lo spazio da completare (``LACUNA``) per un dato che la pratica non ha, con il ``percorso`` del
    dato nel file pratica (``comunita.atto_costitutivo.repertorio``; un soggetto anche per id:
    ``soggetti[id:rossi-mario].cittadinanza``). Nel documento resta solo lo spazio; il percorso va
    nell'elenco dei dati mancanti del documento, che l'avviso della generazione nomina."""
    return f"{LACUNA}{_APRI_LACUNA}{percorso}{_CHIUDI_LACUNA}"


@dataclass
class _Lacuna:
    """Valore mancante (None) incontrato durante la resa, con il percorso del campo nel contesto
    (``richiedente.email``; ``None`` se non si sa)."""

    # solo per l'avviso: il modello compilato da Jinja non lo sa, e due rese uguali restano uguali
    campo: str | None = field(default=None, compare=False, repr=False)


def _finalize(valore: Any, campo: str | None = None) -> str:
    raccolta = _raccolta.get()
    if isinstance(valore, bool):
        raise ErroreLibreria("una clausola stampa un flag vero/falso: usa {% if %} invece di {{ }}")
    if isinstance(valore, (list, dict, tuple)):
        raise ErroreLibreria(f"una clausola stampa un elenco o una sezione intera ({type(valore).__name__}): "
                             "usa un campo o un ciclo {% for %}")
    raccolta.append(_Lacuna(campo) if valore is None or valore == "" else valore)
    return f"{_APRI}{len(raccolta) - 1}{_CHIUDI}"


def _ambiente() -> jinja2.Environment:
    import jinja2

    env = jinja2.Environment(
        autoescape=False, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=False, finalize=_finalize,
    )
    env.filters.clear()  # nessun filtro: i valori arrivano già formattati dal contesto
    return env


_AMBIENTE: list = []  # l'ambiente di Jinja, creato alla prima richiesta (vedi _env)


def _env() -> jinja2.Environment:
    """L'ambiente di Jinja del motore. Jinja si importa solo se serve (~25 ms a ogni avvio): per
    leggere un albero che il memo della libreria non ha, o per rendere un modello che
    l'interprete lascia a Jinja."""
    if not _AMBIENTE:
        _AMBIENTE.append(_ambiente())
    return _AMBIENTE[0]


def __getattr__(nome: str) -> Any:
    if nome == "_ENV":
        return _env()
    raise AttributeError(f"module {__name__!r} has no attribute {nome!r}")


def _attributo(obj: Any, attributo: str) -> Any:
    """``Environment.getattr`` di Jinja (l'attributo, se no la chiave), senza importare Jinja; dove
    Jinja darebbe un valore indefinito l'interprete lascia decidere a Jinja."""
    try:
        return getattr(obj, attributo)
    except AttributeError:
        pass
    try:
        return obj[attributo]
    except (TypeError, LookupError, AttributeError):
        raise _NonInterpretabile(attributo) from None


def _indefinito(v: Any) -> bool:
    j = sys.modules.get("jinja2")  # senza Jinja caricato nessun valore può essere un suo «indefinito»
    return j is not None and isinstance(v, j.Undefined)
_cache_modelli: dict[str, "_Modello"] = {}
_TAG = re.compile(r"{%.*?%}")
_TIENI_A_CAPO = "\ue003"


def _prepara_sorgente(sorgente: str) -> str:
    """Con ``trim_blocks`` una riga fatta solo di tag sparisce (bene), ma anche l'a capo dopo
    un tag in fondo a una riga di testo (``…{% endif %}``) verrebbe mangiato, unendo due
    righe o due paragrafi. Un marcatore invisibile dopo quel tag salva l'a capo; il motore
    lo toglie dopo la resa."""
    righe = []
    for riga in sorgente.split("\n"):
        if riga.rstrip().endswith("%}") and _TAG.sub("", riga).strip():
            riga = riga.rstrip() + _TIENI_A_CAPO
        righe.append(riga)
    return "\n".join(righe)


# ----------------------------------------------------------------------------- resa senza compilare
#
# Compilare un modello Jinja (lettura, generazione di Python, ``compile``) costa ~1 ms: con ~240
# modelli per pacchetto era il costo maggiore della prima risoluzione in ogni processo. Le
# clausole usano solo ciò che le regole della libreria ammettono ({{ campo.sotto }}, {% if %}
# con not/and/or, {% for x in elenco %}): l'albero che il parser di Jinja produce (con gli spazi
# già trattati da trim_blocks e lstrip_blocks) si esegue qui direttamente, con le stesse funzioni
# di Jinja per leggere gli attributi. Tutto il resto, e ogni caso dubbio (un nome che manca, un
# valore indefinito, un errore), passa al modello compilato di Jinja, che decide come prima.
# Misurato: l'interprete rende anche più in fretta del modello compilato (~2 volte: Jinja copia
# tutte le variabili in un contesto nuovo a ogni resa), quindi non si compila mai ciò che si
# interpreta.


class _NonInterpretabile(Exception):
    """Un nodo che l'interprete non tratta: il modello si compila."""


# ``loop.<attributo>`` di Jinja dentro un ciclo, da (indice da 0, lunghezza)
_CICLO: dict[str, Callable[[int, int], Any]] = {
    "first": lambda i, n: i == 0, "last": lambda i, n: i == n - 1, "index": lambda i, n: i + 1,
    "index0": lambda i, n: i, "length": lambda i, n: n, "revindex": lambda i, n: n - i,
    "revindex0": lambda i, n: n - i - 1,
}
_CHIAVE_CICLO = "\x00ciclo"  # non è un nome possibile in un modello
_CHIAVE_ELENCO = "\x00elenco"  # (nome della variabile del ciclo, espressione dell'elenco): per ``_campo``


def _espressione_dati(n: jinja2.nodes.Node) -> tuple:
    """Un'espressione dell'albero di Jinja come dati (tuple di ``marshal``, che il memo della libreria
    ricorda tra processi): ("n", nome), ("c", attributo di loop), ("g", base, attributo), ("!", x),
    ("&", a, b), ("|", a, b)."""
    from jinja2 import nodes

    if isinstance(n, nodes.Name) and n.ctx == "load" and n.name != "loop":
        return ("n", n.name)
    if (isinstance(n, nodes.Getattr) and isinstance(n.node, nodes.Name) and n.node.name == "loop"
            and n.attr in _CICLO):
        return ("c", n.attr)
    if isinstance(n, nodes.Getattr) and n.ctx == "load":
        return ("g", _espressione_dati(n.node), n.attr)
    if isinstance(n, nodes.Not):
        return ("!", _espressione_dati(n.node))
    if isinstance(n, nodes.And):
        return ("&", _espressione_dati(n.left), _espressione_dati(n.right))
    if isinstance(n, nodes.Or):
        return ("|", _espressione_dati(n.left), _espressione_dati(n.right))
    raise _NonInterpretabile(type(n).__name__)


def _espressione(d: tuple) -> Callable[[list[Mapping[str, Any]]], Any]:
    tipo = d[0]
    if tipo == "n":
        nome = d[1]

        def leggi(ambiti: list[Mapping[str, Any]]) -> Any:
            for a in reversed(ambiti):
                if nome in a:
                    return a[nome]
            raise _NonInterpretabile(nome)
        return leggi
    if tipo == "c":
        calcola = _CICLO[d[1]]

        def ciclo(ambiti: list[Mapping[str, Any]]) -> Any:
            for a in reversed(ambiti):
                if _CHIAVE_CICLO in a:
                    return calcola(*a[_CHIAVE_CICLO])
            raise _NonInterpretabile("loop")
        return ciclo
    if tipo == "g":
        base, attributo = _espressione(d[1]), d[2]

        def attr(ambiti: list[Mapping[str, Any]]) -> Any:
            v = _attributo(base(ambiti), attributo)
            if _indefinito(v):
                raise _NonInterpretabile(attributo)
            return v
        return attr
    if tipo == "!":
        x = _espressione(d[1])
        return lambda ambiti: not x(ambiti)
    if tipo == "&":
        a, b = _espressione(d[1]), _espressione(d[2])
        return lambda ambiti: a(ambiti) and b(ambiti)
    if tipo == "|":
        a, b = _espressione(d[1]), _espressione(d[2])
        return lambda ambiti: a(ambiti) or b(ambiti)
    raise ValueError(f"espressione sconosciuta: {tipo!r}")


def _albero(corpo: list[jinja2.nodes.Node]) -> list[tuple]:
    """I nodi del modello come dati: ("t", testo), ("v", espressione), ("if", rami, altrimenti),
    ("for", nome, elenco, corpo, altrimenti); ``_NonInterpretabile`` se un nodo non si tratta."""
    from jinja2 import nodes

    out: list[tuple] = []
    for n in corpo:
        if isinstance(n, nodes.Output):
            for x in n.nodes:
                if isinstance(x, nodes.TemplateData):
                    out.append(("t", x.data))
                else:
                    out.append(("v", _espressione_dati(x)))
        elif isinstance(n, nodes.If):
            rami = [(_espressione_dati(n.test), _albero(n.body))]
            rami += [(_espressione_dati(e.test), _albero(e.body)) for e in n.elif_]
            out.append(("if", rami, _albero(n.else_)))
        elif (isinstance(n, nodes.For) and isinstance(n.target, nodes.Name) and n.test is None
              and not n.recursive):
            out.append(("for", n.target.name, _espressione_dati(n.iter), _albero(n.body), _albero(n.else_)))
        else:
            raise _NonInterpretabile(type(n).__name__)
    return out


def _istruzioni(albero: list[tuple]) -> list[tuple]:
    """Le istruzioni eseguibili (espressioni come funzioni) dall'albero di :func:`_albero`."""
    out: list[tuple] = []
    for i in albero:
        tipo = i[0]
        if tipo == "t":
            out.append(i)
        elif tipo == "v":
            out.append(("v", _espressione(i[1]), i[1]))
        elif tipo == "if":
            out.append(("if", [(_espressione(c), _istruzioni(b)) for c, b in i[1]], _istruzioni(i[2])))
        elif tipo == "for":
            out.append(("for", i[1], _espressione(i[2]), _istruzioni(i[3]), _istruzioni(i[4]), i[2]))
        else:
            raise ValueError(f"istruzione sconosciuta: {tipo!r}")
    return out


_memo = None  # il memo della libreria tra processi (documents/memo.py), attivo durante una generazione
_NON_INTERPRETABILE = ("x",)  # nel memo: il modello si compila con Jinja


def _albero_di(sorgente: str) -> list[tuple] | None:
    """L'albero interpretabile del modello, o ``None`` se lo decide Jinja compilato. Dal memo se c'è."""
    memo = _memo
    if memo is not None:
        dati = memo.dati("jinja", sorgente)
        if dati is not None:
            try:
                albero = marshal.loads(dati)
                if albero == _NON_INTERPRETABILE:
                    return None
                if isinstance(albero, list):
                    return albero
            except Exception:  # dato illeggibile: si ricava di nuovo
                pass
    try:
        albero = _albero(_env().parse(sorgente).body)
    except _NonInterpretabile:
        albero = None
    if memo is not None:
        memo.ricorda("jinja", sorgente, marshal.dumps(_NON_INTERPRETABILE if albero is None else albero))
    return albero


def _campo(d: tuple, ambiti: list[Mapping[str, Any]]) -> str | None:
    """Il percorso nel contesto del campo che l'espressione ``d`` stampa (``richiedente.email``; dentro
    un ciclo con l'indice dell'elemento, ``punti[2].indirizzo``), o ``None`` se non è un campo. Si calcola
    solo per un dato mancante."""
    if d[0] == "g":
        base = _campo(d[1], ambiti)
        return None if base is None else f"{base}.{d[2]}"
    if d[0] != "n":
        return None
    for k in range(len(ambiti) - 1, -1, -1):
        ciclo = dict.get(ambiti[k], _CHIAVE_ELENCO)  # senza annotare una lettura del contesto
        if ciclo is not None and ciclo[0] == d[1]:
            elenco = _campo(ciclo[1], ambiti[:k])
            giro = dict.get(ambiti[k], _CHIAVE_CICLO)
            return None if elenco is None or giro is None else f"{elenco}[{giro[0]}]"
    return d[1]


def _esegui(istruzioni: list[tuple], ambiti: list[Mapping[str, Any]], out: list[str]) -> None:
    for i in istruzioni:
        tipo = i[0]
        if tipo == "t":
            out.append(i[1])
        elif tipo == "v":
            v = i[1](ambiti)
            if v is None or (type(v) is str and not v):  # un dato mancante: quale campo, per l'avviso
                out.append(_finalize(v, _campo(i[2], ambiti)))
            else:
                out.append(str(_finalize(v)))
        elif tipo == "if":
            for prova, corpo in i[1]:
                if prova(ambiti):
                    _esegui(corpo, ambiti, out)
                    break
            else:
                _esegui(i[2], ambiti, out)
        else:
            _, nome, elenco, corpo, altrimenti, dati_elenco = i
            valori = list(elenco(ambiti))  # l'elenco si legge fuori dal ciclo, come in Jinja
            locale: dict[str, Any] = {_CHIAVE_ELENCO: (nome, dati_elenco)}
            ambiti.append(locale)
            try:
                for k, v in enumerate(valori):
                    locale[nome] = v
                    locale[_CHIAVE_CICLO] = (k, len(valori))
                    _esegui(corpo, ambiti, out)
            finally:
                ambiti.pop()
            if not valori:
                _esegui(altrimenti, ambiti, out)


# ----------------------------------------------------------------------------- letture del contesto
#
# Per la cache delle risoluzioni (``documents/cache.py``): durante una risoluzione «tracciata» le
# variabili del contesto sono una mappa che annota ogni lettura (``_Tracciato``). Una chiave letta
# annota il suo valore se è un dato semplice o un elenco (l'elenco intero), la sola presenza se è
# una mappa (le letture dentro la mappa si annotano a loro volta), l'assenza se manca. Ogni altro
# modo di leggere una mappa (scorrerla, contarla, copiarla, confrontarla) annota la mappa intera.
# Se un modello passa al compilato di Jinja, la risoluzione vale come dipendente da tutto il
# contesto. Stesse letture con gli stessi valori → stessa risoluzione: il documento non cambia.

_TUTTO: tuple = ()            # percorso vuoto: tutto il contesto
_traccia: contextvars.ContextVar["Letture | None"] = contextvars.ContextVar("traccia_letture", default=None)


class Letture:
    """Le letture annotate in una risoluzione: (tipo, percorso) con tipo «v» (valore), «m» (è una
    mappa), «a» (assente)."""

    def __init__(self) -> None:
        self.voci: dict[tuple[str, tuple], None] = {}
        self.tutto = False

    def annota(self, tipo: str, percorso: tuple) -> None:
        self.voci[(tipo, percorso)] = None


class _Tracciato(dict):
    """Una mappa del contesto che annota le letture in ``Letture`` (vedi sopra)."""

    __slots__ = ("_t_letture", "_t_percorso")

    def __init__(self, dati: Mapping[str, Any], letture: Letture, percorso: tuple) -> None:
        super().__init__(dati)
        self._t_letture = letture
        self._t_percorso = percorso

    def _t_valore(self, k: Any) -> Any:
        percorso = self._t_percorso + (k,)
        if not dict.__contains__(self, k):
            self._t_letture.annota("a", percorso)
            return _ASSENTE
        v = dict.__getitem__(self, k)
        if percorso == ("art",):
            return v  # i numeri degli articoli: dalla specifica e dai flag, non dai dati
        if type(v) is dict:
            self._t_letture.annota("m", percorso)
            return _Tracciato(v, self._t_letture, percorso)
        self._t_letture.annota("v", percorso)
        return v

    def __getitem__(self, k: Any) -> Any:
        v = self._t_valore(k)
        if v is _ASSENTE:
            raise KeyError(k)
        return v

    def get(self, k: Any, default: Any = None) -> Any:
        v = self._t_valore(k)
        return default if v is _ASSENTE else v

    def __contains__(self, k: Any) -> bool:
        if dict.__contains__(self, k):
            if self._t_percorso + (k,) != ("art",):
                self._t_letture.annota("m" if type(dict.__getitem__(self, k)) is dict else "v",
                                       self._t_percorso + (k,))
            return True
        self._t_letture.annota("a", self._t_percorso + (k,))
        return False

    def _t_intera(self) -> None:
        if self._t_percorso == ():
            self._t_letture.tutto = True
        else:
            self._t_letture.annota("v", self._t_percorso)

    def __iter__(self):
        self._t_intera()
        return dict.__iter__(self)

    def __len__(self) -> int:
        self._t_intera()
        return dict.__len__(self)

    def __bool__(self) -> bool:
        self._t_intera()
        return dict.__len__(self) > 0

    def __reversed__(self):
        self._t_intera()
        return dict.__reversed__(self)

    def keys(self):
        self._t_intera()
        return dict.keys(self)

    def values(self):
        self._t_intera()
        return dict.values(self)

    def items(self):
        self._t_intera()
        return dict.items(self)

    def copy(self) -> dict:
        self._t_intera()
        return dict(dict.items(self))

    def __eq__(self, altro: object) -> bool:
        self._t_intera()
        return dict.__eq__(self, altro)

    def __ne__(self, altro: object) -> bool:
        self._t_intera()
        return dict.__ne__(self, altro)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        self._t_intera()
        return dict.__repr__(self)

    def __or__(self, altro):
        self._t_intera()
        return dict.__or__(dict(dict.items(self)), altro)

    def __ror__(self, altro):
        self._t_intera()
        return dict.__or__(dict(altro), dict(dict.items(self)))

    def __reduce_ex__(self, protocollo):
        self._t_intera()
        return (dict, (dict(dict.items(self)),))

    def __copy__(self) -> dict:
        return self.copy()

    def __deepcopy__(self, memo) -> dict:
        import copy

        self._t_intera()
        return copy.deepcopy(dict(dict.items(self)), memo)


_ASSENTE = object()


def risolvi_tracciando(funzione: Callable[[], Any]) -> tuple[Any, Letture]:
    """Esegue ``funzione`` (una risoluzione) annotando le letture del contesto di ogni ``resolve``."""
    letture = Letture()
    tok = _traccia.set(letture)
    try:
        return funzione(), letture
    finally:
        _traccia.reset(tok)


class _Modello:
    """Un modello della libreria: interpretato dall'albero di Jinja; compilato da Jinja (una volta)
    solo se l'interprete non lo tratta o incontra un caso che lascia decidere a Jinja."""

    __slots__ = ("sorgente", "istruzioni", "compilato")

    def __init__(self, sorgente: str) -> None:
        self.sorgente = sorgente
        self.compilato: jinja2.Template | None = None
        albero = _albero_di(sorgente)
        self.istruzioni: list[tuple] | None = None if albero is None else _istruzioni(albero)

    def render(self, variabili: Mapping[str, Any]) -> str:
        if self.istruzioni is not None:
            raccolta = _raccolta.get()
            n = len(raccolta)
            out: list[str] = []
            try:
                _esegui(self.istruzioni, [variabili], out)
                return "".join(out)
            except Exception:  # Jinja decide: lo stesso testo o lo stesso errore di prima
                del raccolta[n:]
        letture = _traccia.get()
        if letture is not None:
            letture.tutto = True  # Jinja copia e legge le variabili a modo suo: dipende da tutto
        if self.compilato is None:
            self.compilato = _env().from_string(self.sorgente)
        return self.compilato.render(variabili)


def _modello(sorgente: str) -> _Modello:
    t = _cache_modelli.get(sorgente)
    if t is None:
        t = _Modello(_prepara_sorgente(sorgente))
        _cache_modelli[sorgente] = t
    return t


@dataclass
class _Resa:
    testo: str
    valori: list[Any]


def _rendi(sorgente: str, variabili: Mapping[str, Any], dove: str) -> _Resa:
    raccolta: list[Any] = []
    tok = _raccolta.set(raccolta)
    try:
        testo = _modello(sorgente).render(variabili).replace(_TIENI_A_CAPO, "")
    except Exception as e:
        j = sys.modules.get("jinja2")  # un errore di Jinja c'è solo se Jinja è caricato
        if j is not None and isinstance(e, j.UndefinedError):
            raise ErroreLibreria(f"{dove}: {e.message} (campo non fornito dal costruttore del contesto)") from None
        if j is not None and isinstance(e, j.TemplateSyntaxError):
            raise ErroreLibreria(f"{dove}: errore di sintassi alla riga {e.lineno}: {e.message}") from None
        raise
    finally:
        _raccolta.reset(tok)
    return _Resa(testo, raccolta)


class _Contatore:
    """I dati mancanti incontrati nella resa: quanti e, per ciascuno, il percorso del dato nel file
    pratica (``None`` se non si sa). ``origini``: campo del contesto → percorso del dato
    (``Contesto.origini``), per i campi che mancano del tutto (``None``)."""

    def __init__(self, origini: Mapping[str, str] | None = None) -> None:
        self.lacune = 0
        self.mancanti: list[str | None] = []
        self.origini = origini or {}

    def manca(self, percorso: str | None) -> None:
        self.lacune += 1
        self.mancanti.append(percorso)


def _valore_testo(v: Any, cont: _Contatore) -> str:
    if isinstance(v, Rinvio):
        return str(v)
    if isinstance(v, _Lacuna):
        origine = cont.origini.get(v.campo) if v.campo is not None else None
        if origine != SPAZIO_VOLUTO:
            cont.manca(origine)
        return LACUNA
    if isinstance(v, Decimal):
        raise ErroreLibreria(f"valore numerico non formattato nel contesto: {v!r}")
    t = str(v)
    if _APRI_LACUNA in t:
        for m in _LACUNA_MARCATA.finditer(t):
            cont.manca(m.group(1) or None)
    return pulisci_testo(t)


def _segmenti(grezzo: str, valori: list[Any], evidenza: str | None, cont: _Contatore) -> list[Segmento]:
    """Testo con segnaposto → segmenti; il testo del modello ha gli spazi normalizzati."""
    # i tratti contigui (stessi attributi: l'evidenza della clausola) si uniscono in un segmento;
    # un rinvio a un articolo resta un tratto a sé (campo REF nel DOCX)
    uniti: list[Segmento] = []
    testi: list[str] = []
    pos = 0
    for m in _SEGNAPOSTO.finditer(grezzo):
        if m.start() > pos:
            testi.append(_SPAZI.sub(" ", grezzo[pos:m.start()]))
        v = valori[int(m.group(1))]
        if isinstance(v, Rinvio):
            if testi:
                uniti.append(Segmento("".join(testi), evidenza))
                testi.clear()
            uniti.append(Segmento(str(v), evidenza, rinvio=v.id))
        else:
            testi.append(_valore_testo(v, cont))
        pos = m.end()
    if pos < len(grezzo):
        testi.append(_SPAZI.sub(" ", grezzo[pos:]))
    if testi:
        uniti.append(Segmento("".join(testi), evidenza))
    # via gli spazi ai bordi
    if uniti:
        uniti[0] = dataclasses.replace(uniti[0], testo=uniti[0].testo.lstrip(" "))
        uniti[-1] = dataclasses.replace(uniti[-1], testo=uniti[-1].testo.rstrip(" "))
    return _segna_lacune([s for s in uniti if s.testo])


def _segna_lacune(segmenti: list[Segmento]) -> list[Segmento]:
    """Ogni ``__________`` diventa un segmento a sé, marcato da completare (evidenziato in Word e nel PDF)."""
    out: list[Segmento] = []
    for s in segmenti:
        if LACUNA not in s.testo or s.rinvio is not None:
            out.append(s)
            continue
        for i, pezzo in enumerate(s.testo.split(LACUNA)):
            if i:
                out.append(dataclasses.replace(s, testo=LACUNA, da_completare=True))
            if pezzo:
                out.append(dataclasses.replace(s, testo=pezzo))
    return out


def segmenti_con_lacune(testo: str) -> list[Segmento]:
    """Un testo piano (il nome di un firmatario) in segmenti, con i ``__________`` marcati da
    completare: gli scrittori li evidenziano come nei paragrafi."""
    return _segna_lacune([Segmento(testo)])


def testo_semplice(sorgente: str, variabili: Mapping[str, Any], dove: str, cont: _Contatore | None = None) -> str:
    """Rende una breve stringa di modello (titoli, intestazioni) in testo piano."""
    r = _rendi(sorgente, variabili, dove)
    segs = _segmenti(" ".join(r.testo.split("\n")), r.valori, None, cont or _Contatore())
    return "".join(s.testo for s in segs)


def _lettera(i: int) -> str:
    n = len(LETTERE)
    return LETTERE[i] if i < n else LETTERE[i // n - 1] + LETTERE[i % n]


def _blocchi_clausola(cl: Clausola, variabili: Mapping[str, Any], cont: _Contatore) -> list[Blocco]:
    r = _rendi(cl.corpo, variabili, f"clausola '{cl.id}' ({cl.percorso.name})")
    ev = cl.elemento_essenziale
    blocchi: list[Blocco] = []
    for pezzo in re.split(r"\n[ \t]*\n+", r.testo.strip("\n")):
        corrente: dict[str, Any] | None = None   # paragrafo o voce in costruzione
        elenco: Elenco | None = None

        def chiudi() -> None:
            nonlocal corrente
            if corrente is None:
                return
            segs = _segmenti(corrente["testo"], r.valori, ev, cont)
            if corrente["tipo"] == "voce":
                assert elenco is not None
                elenco.voci.append(VoceElenco(segno=corrente["segno"], segmenti=segs, livello=corrente["livello"]))
            elif segs:
                blocchi.append(Paragrafo(segmenti=segs, allineamento=corrente["allineamento"],
                                         comma="" if corrente["senza_numero"] else None, id_clausola=cl.id))
            corrente = None

        for riga in pezzo.split("\n"):
            s = riga.strip()
            if not s:
                continue
            if s.startswith("--) ") or s.startswith("-- "):
                # sotto-voce della voce precedente: «--) » con lettera, «-- » puntata; lettere da a) per
                # ogni voce che le contiene
                chiudi()
                if elenco is None or not elenco.voci:
                    raise ErroreLibreria(f"clausola '{cl.id}': una sotto-voce («--)» o «--») deve seguire una "
                                         "voce di elenco («-)» o «-»)")
                lettere = s.startswith("--) ")
                fratelli = 0
                for v in reversed(elenco.voci):
                    if v.livello == 0:
                        break
                    fratelli += 1
                segno = _lettera(fratelli) + ")" if lettere else None
                corrente = {"tipo": "voce", "segno": segno, "testo": s[4:] if lettere else s[3:], "livello": 1}
            elif s.startswith("-) ") or s.startswith("- "):
                chiudi()
                lettere = s.startswith("-) ")
                if elenco is None or elenco.lettere != lettere:
                    elenco = Elenco(voci=[], lettere=lettere, id_clausola=cl.id)
                    blocchi.append(elenco)
                segno = _lettera(sum(1 for v in elenco.voci if v.livello == 0)) + ")" if lettere else None
                corrente = {"tipo": "voce", "segno": segno, "testo": s[3:] if lettere else s[2:], "livello": 0}
            elif s.startswith(">> "):
                chiudi()
                elenco = None
                corrente = {"tipo": "paragrafo", "testo": s[3:], "senza_numero": True, "allineamento": "destra"}
            elif s.startswith("= ") or s.startswith("> "):
                chiudi()
                elenco = None
                corrente = {"tipo": "paragrafo", "testo": s[2:], "senza_numero": True,
                            "allineamento": "centrato" if s[0] == "=" else "giustificato"}
            elif corrente is not None:
                corrente["testo"] += " " + s
            else:
                elenco = None
                corrente = {"tipo": "paragrafo", "testo": s, "senza_numero": False, "allineamento": "giustificato"}
        chiudi()
    return blocchi


@dataclass
class Contesto:
    """Ciò che i costruttori del contesto preparano per un documento."""

    valori: dict[str, Any]
    flag: dict[str, bool]
    avvisi: list[str] = field(default_factory=list)
    origini: dict[str, str] = field(default_factory=dict)
    """Per i campi che possono mancare (``None``): campo del contesto (``richiedente.email``; un elemento
    di un elenco con il suo indice, ``impianti_dichiarati[0].spesa``) → percorso del dato nel file pratica
    (``soggetti[id:rossi-mario].email``), o ``SPAZIO_VOLUTO`` per uno spazio da completare alla firma che
    non è un dato mancante. Un campo mancante che non è qui conta come dato mancante senza nome. I testi
    composti usano ``lacuna(percorso)``."""

    def variabili(self, art: Mapping[str, str]) -> dict[str, Any]:
        doppi = set(self.valori) & set(self.flag)
        if doppi:
            raise ErroreLibreria(f"nomi usati sia come campo sia come flag: {sorted(doppi)}")
        return {**self.valori, **self.flag, "art": dict(art)}


def _incluse(parte: Parte, libreria: Mapping[str, Clausola], flag: Mapping[str, bool], dove: str) -> list[Voce]:
    voci = []
    for v in parte.contenuto:
        if not v.condizione.vale(flag, dove):
            continue
        if v.tipo == "clausola":
            cl = libreria.get(v.rif)
            if cl is None:
                raise ErroreLibreria(f"{dove}: la clausola '{v.rif}' non esiste in templates/clausole/")
            if cl.condizione:
                if cl.condizione not in flag:
                    _flag_mancante(cl, flag)
                if not flag[cl.condizione]:
                    continue
        voci.append(v)
    return voci


def _flag_mancante(cl: Clausola, flag: Mapping[str, bool]) -> bool:
    raise ErroreLibreria(f"clausola '{cl.id}': il flag '{cl.condizione}' non è calcolato dal costruttore del contesto")


def _romano(n: int) -> str:
    valori = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for v, s in valori:
        while n >= v:
            out += s
            n -= v
    return out


def _tabella(voce: Voce, variabili: Mapping[str, Any], dove: str, cont: _Contatore) -> Tabella:
    righe_ctx = variabili.get(voce.rif)
    if not isinstance(righe_ctx, list):
        raise ErroreLibreria(f"{dove}: la tabella '{voce.rif}' non è un elenco preparato dal contesto")
    righe = []
    for i, r in enumerate(righe_ctx):
        riga = []
        for c in voce.colonne:
            if c.campo not in r:
                raise ErroreLibreria(f"{dove}: la riga della tabella '{voce.rif}' non ha il campo '{c.campo}'")
            v = r[c.campo]
            if v is None or v == "":
                # una cella vuota è un dato mancante se il contesto dice da dove viene (``registro[3].quota``)
                origine = cont.origini.get(f"{voce.rif}[{i}].{c.campo}")
                if origine is not None and origine != SPAZIO_VOLUTO:
                    cont.manca(origine)
                riga.append(LACUNA)
            else:
                riga.append(_valore_testo(v, cont))
        righe.append(riga)
    didascalia = testo_semplice(voce.didascalia, variabili, dove, cont) if voce.didascalia else None
    return Tabella(
        colonne=[Colonna(titolo=c.titolo, larghezza=c.larghezza, allineamento=c.allineamento) for c in voce.colonne],
        righe=righe, didascalia=didascalia,
    )


def _firme(variabili: Mapping[str, Any], rif: str, titolo: str | None, dove: str, cont: _Contatore) -> Firme:
    elenco = variabili.get(rif)
    if not isinstance(elenco, list):
        raise ErroreLibreria(f"{dove}: l'elenco dei firmatari '{rif}' non è preparato dal contesto")
    return Firme(
        firmatari=[Firma(nome=_valore_testo(f["nome"], cont),
                         qualifica=_valore_testo(f["qualifica"], cont) if f.get("qualifica") else None)
                   for f in elenco],
        intestazione=testo_semplice(titolo, variabili, dove, cont) if titolo else None,
    )


def _numera_commi(blocchi: list[Blocco]) -> None:
    paragrafi = [b for b in blocchi if isinstance(b, Paragrafo) and b.comma is None]
    if len(paragrafi) < 2:
        for b in blocchi:
            if isinstance(b, Paragrafo) and b.comma == "":
                b.comma = None
        return
    for i, b in enumerate(paragrafi, start=1):
        b.comma = f"{i}."
    for b in blocchi:
        if isinstance(b, Paragrafo) and b.comma == "":
            b.comma = None


def _scegli(spec: Specifica, libreria: Mapping[str, Clausola],
            flag: Mapping[str, bool]) -> tuple[list[tuple[Parte, list[Voce]]], dict[str, str]]:
    scelte: list[tuple[Parte, list[Voce]]] = []
    art: dict[str, str] = {}
    n_art = 0
    for i, p in enumerate(spec.parti):
        dove = f"documento '{spec.id}', parte {i + 1}"
        if not p.condizione.vale(flag, dove):
            continue
        voci = _incluse(p, libreria, flag, dove) if p.tipo in ("articolo", "testo") else []
        if p.tipo == "articolo":
            if not voci:
                continue
            n_art += 1
            if p.id in art:
                raise ErroreLibreria(f"{dove}: id d'articolo '{p.id}' ripetuto")
            art[p.id] = str(n_art)
        scelte.append((p, voci))
    return scelte, art


def numera_articoli(spec: Specifica, contesto: Contesto,
                    libreria: Mapping[str, Clausola] | None = None) -> dict[str, str]:
    """Il numero che ciascun articolo avrà nel documento risolto (per i rinvii tra documenti)."""
    return _scegli(spec, libreria if libreria is not None else carica_clausole(), contesto.flag)[1]


def resolve(
    spec: Specifica,
    contesto: Contesto,
    *,
    libreria: Mapping[str, Clausola] | None = None,
    risolvi: Callable[[str], Documento] | None = None,
    mappa: Callable[[Documento, Mapping[str, Any]], list[Blocco]] | None = None,
    evidenzia: bool = False,
    bozza: bool = False,
) -> Documento:
    """Risolve la specifica nel contesto dato.

    ``risolvi(id)`` fornisce i documenti inclusi (allegati, copia GSE); ``mappa`` costruisce
    la mappa degli elementi essenziali di un documento risolto.
    """
    libreria = libreria if libreria is not None else carica_clausole()
    flag = contesto.flag
    dove_spec = f"documento '{spec.id}'"
    cont = _Contatore(contesto.origini)

    # 1. quali parti e voci entrano, e numerazione degli articoli
    scelte, art = _scegli(spec, libreria, flag)

    variabili = contesto.variabili({k: Rinvio(k, int(n)) for k, n in art.items()})
    letture = _traccia.get()
    if letture is not None:
        variabili = _Tracciato(variabili, letture, _TUTTO)
    intestazione = testo_semplice(spec.intestazione, variabili, dove_spec, cont) if spec.intestazione else ""
    doc = Documento(tipo=spec.id, titolo=spec.titolo, intestazione=intestazione, evidenzia=evidenzia, bozza=bozza)

    # 2. resa
    n_sez = 0
    for p, voci in scelte:
        dove = f"{dove_spec}, {p.tipo} {p.id or p.titolo or p.rif or ''}".rstrip()
        if p.tipo == "titolo":
            doc.blocchi.append(Titolo(
                testo=testo_semplice(p.titolo or "", variabili, dove, cont),
                sottotitoli=[t for t in (testo_semplice(s, variabili, dove, cont) for s in p.sottotitoli) if t],
            ))
        elif p.tipo == "sezione":
            n_sez += 1
            titolo = testo_semplice(p.titolo or "", variabili, dove, cont)
            if spec.sezioni_numerate:
                titolo = f"{spec.sezioni_numerate} {_romano(n_sez)} – {titolo}"
            doc.blocchi.append(Intestazione(testo=titolo, livello=1))
        elif p.tipo in ("articolo", "testo"):
            blocchi: list[Blocco] = []
            for v in voci:
                if v.tipo == "clausola":
                    blocchi += _blocchi_clausola(libreria[v.rif], variabili, cont)
                else:
                    blocchi.append(_tabella(v, variabili, dove, cont))
            if p.tipo == "articolo":
                doc.blocchi.append(TitoloArticolo(numero=int(art[p.id or ""]),
                                                  titolo=testo_semplice(p.titolo or "", variabili, dove, cont),
                                                  id=p.id or ""))
                if spec.commi_numerati:
                    _numera_commi(blocchi)
            for b in blocchi:
                if isinstance(b, Paragrafo) and b.comma == "":
                    b.comma = None
            doc.blocchi += blocchi
        elif p.tipo == "firme":
            doc.blocchi.append(_firme(variabili, p.rif or "", p.titolo, dove, cont))
        elif p.tipo == "salto_pagina":
            doc.blocchi.append(SaltoPagina())
        elif p.tipo in ("allegato", "documento", "mappa_elementi"):
            if risolvi is None:
                raise ErroreLibreria(f"{dove}: serve un documento incluso ma il motore non sa come risolverlo")
            incluso = risolvi(p.rif or "")
            if p.tipo == "mappa_elementi":
                if mappa is None:
                    raise ErroreLibreria(f"{dove}: manca il costruttore della mappa degli elementi")
                doc.blocchi += mappa(incluso, variabili)
            else:
                cont.lacune += incluso.lacune
                cont.mancanti += incluso.mancanti
                inizio = None
                if p.tipo == "allegato":
                    # frontespizio dell'allegato su una pagina propria, poi il documento allegato,
                    # con il suo piè di pagina e, se la specifica lo chiede, le firme delle parti
                    doc.blocchi.append(SaltoPagina())
                    inizio = len(doc.blocchi)
                    doc.blocchi.append(Intestazione(
                        testo=testo_semplice(p.titolo or "", variabili, dove, cont), livello=2))
                    doc.blocchi.append(SaltoPagina())
                    piede = testo_semplice(p.piede, variabili, dove, cont) if p.piede else ""
                    aggiunte: list[Blocco] = []
                    if p.firme:
                        aggiunte.append(_firme(variabili, p.firme, None, dove, cont))
                    if piede or aggiunte:
                        incluso = dataclasses.replace(incluso, blocchi=[*incluso.blocchi, *aggiunte],
                                                      piede=piede)
                doc.inclusi.append(Inclusione(indice=len(doc.blocchi), documento=incluso,
                                              allegato=p.tipo == "allegato", inizio=inizio))
                doc.blocchi += incluso.blocchi
        else:  # pragma: no cover - la specifica è già validata
            raise ErroreLibreria(f"{dove}: parte di tipo '{p.tipo}' non gestita")
    doc.lacune = cont.lacune
    doc.mancanti = cont.mancanti
    return doc


def evidenze_per_articolo(doc: Documento) -> dict[str, list[tuple[TitoloArticolo | None, str | None]]]:
    """Per ogni lettera a–g, dove compare: (articolo, comma) per ogni passaggio evidenziato."""
    out: dict[str, list[tuple[TitoloArticolo | None, str | None]]] = {}
    articolo: TitoloArticolo | None = None
    ultimo_comma: str | None = None
    for b in doc.blocchi:
        if isinstance(b, TitoloArticolo):
            articolo, ultimo_comma = b, None
            continue
        if isinstance(b, Paragrafo):
            if b.comma:
                ultimo_comma = b.comma
            for e in sorted(b.evidenze):
                out.setdefault(e, []).append((articolo, b.comma))
        elif isinstance(b, Elenco):
            for e in sorted(b.evidenze):
                out.setdefault(e, []).append((articolo, ultimo_comma))
    return out


def clausole_usate(spec: Specifica, contesto: Contesto, libreria: Mapping[str, Clausola] | None = None) -> list[Clausola]:
    """Le clausole che la specifica include nel contesto dato (senza rendere il testo)."""
    libreria = libreria if libreria is not None else carica_clausole()
    out: list[Clausola] = []
    for i, p in enumerate(spec.parti):
        dove = f"documento '{spec.id}', parte {i + 1}"
        if not p.condizione.vale(contesto.flag, dove):
            continue
        for v in _incluse(p, libreria, contesto.flag, dove):
            if v.tipo == "clausola":
                out.append(libreria[v.rif])
    return out


def iter_segmenti(doc: Documento) -> Iterable[Segmento]:
    for b in doc.blocchi:
        if isinstance(b, Paragrafo):
            yield from b.segmenti
        elif isinstance(b, Elenco):
            for v in b.voci:
                yield from v.segmenti

"""Mattoni delle regole: il rilievo (finding) e i parametri datati con la loro fonte.

Un parametro è un file YAML in ``rules/params/``::

    id: impianto_potenza_massima_kw
    descrizione: Potenza massima di un impianto ammesso alla tariffa premio
    unita: kW
    values:
      2024-01-24: {valore: 1000, reference: {fonte: dm-414-2023, articolo: "art. 3 c. 2 lett. a"}}
    last_value_still_valid_on: 2026-11-22
    non_confermato: false

Una sola funzione legge un parametro a una data: ``leggi(id, al)`` restituisce la ``Lettura``
in vigore alla data ``al`` (l'ultima voce con data d'effetto <= al: valore, fonti, se è da
confermare). **Prima della prima data** il parametro non è in vigore: ``leggi`` solleva
``ParametroNonDefinito`` e ``in_vigore`` restituisce ``None``; nessuna funzione "presta" il primo
valore a date anteriori. ``param``, ``rif`` e ``fonti_di`` sono scorciatoie di ``leggi``.
Le regole non leggono mai l'orologio: la data arriva dai servizi.

I file si leggono con un caricatore YAML che rifiuta chiavi doppie (YAML terrebbe l'ultima in
silenzio) e due voci con la stessa data d'effetto: un aggiornamento si fa aggiungendo una voce
con una data nuova, mai correggendo o duplicando quella vecchia.

**Parametri non confermati.** Un parametro con ``non_confermato: true`` non può produrre un
``errore``: il ``Rilievo`` che lo cita (``rif()`` porta con sé il parametro, oppure
``parametri=[...]``) è declassato ad ``avviso`` e il messaggio dice che cosa va confermato e su
quale fonte.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml

PARAMS_DIR = Path(__file__).parent / "params"
FONTI_DIR = Path(__file__).parent / "fonti"

Gravita = Literal["errore", "avviso", "info"]
ORDINE_GRAVITA = {"errore": 0, "avviso": 1, "info": 2}


class ParametroNonDefinito(LookupError):
    """Parametro o fonte sconosciuti, oppure parametro non ancora in vigore alla data chiesta."""


class ParametroNonInVigore(ParametroNonDefinito):
    """La data chiesta precede la prima data d'effetto del parametro: la regola non c'era ancora."""


class ParametroNonValido(ValueError):
    """Un file di ``params/`` o ``fonti/`` scritto male (chiave o data doppia, campo mancante)."""


class _CaricatoreRigoroso(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """``yaml.SafeLoader`` che rifiuta le chiavi doppie in ogni mappa (con il lettore scritto in C,
    libyaml, se c'è: i parametri e le fonti si leggono ~5 volte più in fretta a ogni avvio)."""


def _mappa_senza_doppioni(loader: _CaricatoreRigoroso, node: yaml.MappingNode, deep: bool = False) -> dict:
    visti: dict[Any, int] = {}
    for chiave_nodo, _valore in node.value:
        chiave = loader.construct_object(chiave_nodo, deep=True)
        try:
            hash(chiave)
        except TypeError:
            continue
        riga = chiave_nodo.start_mark.line + 1
        if chiave in visti:
            raise ParametroNonValido(
                f"{chiave_nodo.start_mark.name}, riga {riga}: la chiave {chiave!r} compare due volte "
                f"(la prima alla riga {visti[chiave]}); YAML terrebbe in silenzio solo l'ultima")
        visti[chiave] = riga
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_CaricatoreRigoroso.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mappa_senza_doppioni)


_memo = None
"""Il memo della libreria tra processi (``documents/memo.py``), attivo solo durante una generazione:
``dati(spazio, testo) -> bytes | None`` e ``ricorda(spazio, testo, bytes)``."""

_DATA, _ORA, _TUPLA, _INSIEME = "\0d", "\0o", "\0t", "\0s"


def _in_dati(v: Any) -> Any:
    """Un valore di ``yaml.safe_load`` nei tipi di ``marshal`` (date, tuple e insiemi marcati in tuple)."""
    t = type(v)
    if t is dict:
        return {_in_dati(k): _in_dati(x) for k, x in v.items()}
    if t is list:
        return [_in_dati(x) for x in v]
    if t in (str, int, float, bool, bytes) or v is None:
        return v
    if t is dt.date:
        return (_DATA, v.toordinal())
    if t is dt.datetime and v.tzinfo is None:
        return (_ORA, v.isoformat())
    if t is tuple:
        return (_TUPLA, *[_in_dati(x) for x in v])
    if t is set:
        return (_INSIEME, *[_in_dati(x) for x in v])
    raise TypeError(t.__name__)  # altro (un'ora con fuso): non si ricorda


def _da_dati(v: Any) -> Any:
    t = type(v)
    if t is dict:
        return {_da_dati(k): _da_dati(x) for k, x in v.items()}
    if t is list:
        return [_da_dati(x) for x in v]
    if t is tuple:
        segno = v[0]
        if segno == _DATA:
            return dt.date.fromordinal(v[1])
        if segno == _ORA:
            return dt.datetime.fromisoformat(v[1])
        if segno == _TUPLA:
            return tuple(_da_dati(x) for x in v[1:])
        if segno == _INSIEME:
            return {_da_dati(x) for x in v[1:]}
        raise ValueError("dato del memo sconosciuto")
    return v


def con_memo(spazio: str, testo: str, ricava: Any) -> Any:
    """``ricava()`` (un YAML letto da ``testo``), o il suo risultato ricordato dal memo della libreria
    per lo stesso testo. Un errore di ``ricava`` passa com'è e non si ricorda."""
    memo = _memo
    if memo is None:
        return ricava()
    import marshal

    dati = memo.dati(spazio, testo)
    if dati is not None:
        try:
            return _da_dati(marshal.loads(dati))
        except Exception:  # dato illeggibile: si ricava di nuovo
            pass
    valore = ricava()
    try:
        memo.ricorda(spazio, testo, marshal.dumps(_in_dati(valore)))
    except (TypeError, ValueError, RecursionError):
        pass
    return valore


def carica_yaml(percorso: Path) -> Any:
    """Legge un file YAML di parametri o fonti rifiutando le chiavi doppie."""
    def ricava() -> Any:
        with percorso.open(encoding="utf-8") as f:
            return yaml.load(f, Loader=_CaricatoreRigoroso)  # noqa: S506 - SafeLoader con un controllo in più

    if _memo is None:
        return ricava()
    return con_memo("yaml-rigoroso", percorso.read_text(encoding="utf-8"), ricava)


@dataclass(frozen=True)
class Fonte:
    id: str
    titolo: str
    data: dt.date | None
    url: str | None = None
    versione: str | None = None
    abbreviazione: str | None = None

    @property
    def breve(self) -> str:
        return self.abbreviazione or self.titolo


@dataclass(frozen=True)
class Riferimento:
    fonte: str
    articolo: str | None = None

    def testo(self) -> str:
        f = fonte(self.fonte)
        return f"{f.breve}, {self.articolo}" if self.articolo else f.breve


@dataclass(frozen=True)
class Voce:
    dal: dt.date
    valore: Any
    riferimenti: tuple[Riferimento, ...]
    # una voce può essere più o meno certa del parametro nel suo insieme (None = come il parametro)
    non_confermato: bool | None = None
    nota: str | None = None
    nota_utente: str | None = None


@dataclass(frozen=True)
class Parametro:
    id: str
    descrizione: str
    voci: tuple[Voce, ...]
    unita: str | None = None
    last_value_still_valid_on: dt.date | None = None
    non_confermato: bool = False
    nota: str | None = None
    # ``nota`` è per chi mantiene le regole (fonti lette, dubbi, rimandi interni) e resta in ``cer-docs fonti``;
    # ``nota_utente`` dice al promotore, in italiano piano, che cosa non è ancora verificato: va nei rilievi
    nota_utente: str | None = None

    def voce(self, al: dt.date) -> Voce:
        scelta = None
        for v in self.voci:
            if v.dal <= al:
                scelta = v
        if scelta is None:
            raise ParametroNonInVigore(
                f"il parametro '{self.id}' non ha un valore in vigore il {al.isoformat()} "
                f"(primo valore dal {self.voci[0].dal.isoformat()})"
            )
        return scelta

    @property
    def dal(self) -> dt.date:
        """Data della prima voce: prima di questa il parametro non è in vigore."""
        return self.voci[0].dal

    def incerta(self, voce: Voce) -> bool:
        """Vero se la voce è da confermare (flag della voce, altrimenti quello del parametro)."""
        return self.non_confermato if voce.non_confermato is None else voce.non_confermato

    def da_confermare(self, voce: Voce | None = None) -> str:
        """Che cosa va confermato e dove, per chi usa la pratica (messaggi dei rilievi, Verifiche, Riepilogo):
        la ``nota_utente`` della voce o del parametro, senza id del parametro né note interne."""
        voce = voce or self.voci[-1]
        dove = "; ".join(_dove(r) for r in voce.riferimenti) or "fonte non indicata"
        testo = " ".join((voce.nota_utente or self.nota_utente
                          or "la regola non è ancora verificata sul testo ufficiale").split()).rstrip(".")
        return f"Da confermare: {testo}. Verifica su: {dove}."

    def da_confermare_interno(self, voce: Voce | None = None) -> str:
        """Che cosa va confermato, per chi mantiene le regole (``cer-docs fonti``): l'id del parametro e la
        ``nota`` interna."""
        voce = voce or self.voci[-1]
        dove = "; ".join(_dove(r) for r in voce.riferimenti) or "fonte non indicata"
        nota = " ".join((voce.nota or self.nota or self.descrizione).split()).rstrip(".")
        return f"Regola da confermare (parametro {self.id}): {nota}. Verifica su: {dove}."


@dataclass(frozen=True)
class Lettura:
    """Il valore di un parametro in vigore a una data, con la voce da cui viene."""

    parametro: Parametro
    voce: Voce

    @property
    def id(self) -> str:
        return self.parametro.id

    @property
    def valore(self) -> Any:
        return self.voce.valore

    @property
    def dal(self) -> dt.date:
        return self.voce.dal

    @property
    def non_confermato(self) -> bool:
        return self.parametro.incerta(self.voce)

    @property
    def chiave(self) -> str:
        """``id@data`` della voce letta: ciò che un rilievo ricorda del parametro su cui poggia."""
        return f"{self.parametro.id}@{self.voce.dal.isoformat()}"

    @property
    def riferimento(self) -> "TestoRiferimento":
        return TestoRiferimento("; ".join(r.testo() for r in self.voce.riferimenti), (self.chiave,))

    def da_confermare(self) -> str:
        return self.parametro.da_confermare(self.voce)

    @property
    def fonti(self) -> list[str]:
        return [r.fonte for r in self.voce.riferimenti]


class TestoRiferimento(str):
    """Il testo del riferimento normativo che ricorda da quali parametri viene.

    ``rif()`` lo restituisce; un ``Rilievo`` che lo riceve come ``riferimento`` sa così su quali
    parametri poggia (e se qualcuno è da confermare). Concatenato con ``+`` conserva i parametri.
    """

    parametri: tuple[str, ...]
    __test__ = False  # il nome comincia per "Test": pytest non deve scambiarla per una classe di test

    def __new__(cls, testo: str, parametri: tuple[str, ...] = ()) -> "TestoRiferimento":
        obj = super().__new__(cls, testo)
        obj.parametri = tuple(parametri)
        return obj

    def __add__(self, altro: str) -> "TestoRiferimento":  # type: ignore[override]
        return TestoRiferimento(str.__add__(self, altro), self.parametri + getattr(altro, "parametri", ()))

    def __radd__(self, altro: str) -> "TestoRiferimento":
        return TestoRiferimento(str.__add__(altro, self), getattr(altro, "parametri", ()) + self.parametri)


def _dove(r: Riferimento) -> str:
    try:
        f = fonte(r.fonte)
    except ParametroNonDefinito:
        return r.fonte
    testo = r.testo()
    return f"{testo} ({f.url})" if f.url else testo


@dataclass
class Rilievo:
    """Un problema o un'osservazione sulla pratica, spiegato e con la sua fonte."""

    codice: str
    gravita: Gravita
    oggetto: str
    messaggio: str
    riferimento: str
    ambito: str = "generale"
    fonti: list[str] = field(default_factory=list)
    parametri: list[str] = field(default_factory=list)
    da_confermare: list[str] = field(default_factory=list)
    # vero se la regola avrebbe dato un errore ma poggia su un parametro non confermato
    declassato: bool = False

    def __post_init__(self) -> None:
        # i parametri su cui poggia: quelli dichiarati e quelli portati dal testo di ``rif()``
        ids = list(dict.fromkeys([*self.parametri, *getattr(self.riferimento, "parametri", ())]))
        self.parametri = ids
        self.riferimento = str(self.riferimento)
        incerti = [t for t in (_testo_da_confermare(c) for c in ids) if t]
        if not incerti:
            return
        # un parametro non confermato produce al massimo un avviso, che dice che cosa confermare e dove
        if self.gravita == "errore":
            self.gravita = "avviso"
            self.declassato = True
        nuovi = [t for t in dict.fromkeys(incerti) if t not in self.da_confermare]
        if nuovi:
            self.da_confermare = [*self.da_confermare, *nuovi]
            self.messaggio = f"{self.messaggio.rstrip()} {' '.join(nuovi)}"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _testo_da_confermare(chiave: str) -> str | None:
    """Per ``id`` o ``id@AAAA-MM-GG``: che cosa confermare e dove, se la voce è da confermare; altrimenti None."""
    pid, _, quando = chiave.partition("@")
    par = parametro(pid)  # un id sbagliato in ``parametri`` è un errore di chi scrive la regola
    if quando:
        voce = par.voce(dt.date.fromisoformat(quando))
        return par.da_confermare(voce) if par.incerta(voce) else None
    incerte = [v for v in par.voci if par.incerta(v)]
    return par.da_confermare(incerte[-1]) if incerte else None


def _as_date(v: Any) -> dt.date:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v))


def _riferimenti(raw: Any) -> tuple[Riferimento, ...]:
    if raw is None:
        return ()
    items = raw if isinstance(raw, list) else [raw]
    return tuple(Riferimento(fonte=str(r["fonte"]), articolo=r.get("articolo")) for r in items)


@lru_cache(maxsize=None)
def tutte_le_fonti() -> dict[str, Fonte]:
    out: dict[str, Fonte] = {}
    for p in sorted(FONTI_DIR.glob("*.yaml")):
        d = carica_yaml(p)
        if d["id"] in out:
            raise ParametroNonValido(f"{p.name}: la fonte '{d['id']}' è già definita in un altro file")
        out[d["id"]] = Fonte(
            id=d["id"], titolo=d["titolo"], data=_as_date(d["data"]) if d.get("data") else None,
            url=d.get("url"), versione=d.get("versione"), abbreviazione=d.get("abbreviazione"),
        )
    return out


def fonte(fid: str) -> Fonte:
    try:
        return tutte_le_fonti()[fid]
    except KeyError:
        raise ParametroNonDefinito(f"fonte '{fid}' non censita in rules/fonti/") from None


@lru_cache(maxsize=None)
def tutti_i_parametri() -> dict[str, Parametro]:
    out: dict[str, Parametro] = {}
    for p in sorted(PARAMS_DIR.glob("*.yaml")):
        d = carica_parametro_file(p)
        if d["id"] in out:
            raise ParametroNonValido(f"{p.name}: il parametro '{d['id']}' è già definito in un altro file")
        voci = []
        for dal, voce in sorted((d.get("values") or {}).items(), key=lambda kv: _as_date(kv[0])):
            nc = voce.get("non_confermato")
            voci.append(Voce(dal=_as_date(dal), valore=voce.get("valore"),
                             riferimenti=_riferimenti(voce.get("reference")),
                             non_confermato=None if nc is None else bool(nc), nota=voce.get("nota"),
                             nota_utente=voce.get("nota_utente")))
        if not voci:
            raise ParametroNonValido(f"{p.name}: il parametro non ha valori (values)")
        lv = d.get("last_value_still_valid_on")
        out[d["id"]] = Parametro(
            id=d["id"], descrizione=d.get("descrizione", ""), voci=tuple(voci), unita=d.get("unita"),
            last_value_still_valid_on=_as_date(lv) if lv else None,
            non_confermato=bool(d.get("non_confermato", False)), nota=d.get("nota"),
            nota_utente=d.get("nota_utente"),
        )
    return out


def carica_parametro_file(percorso: Path) -> dict[str, Any]:
    """Legge un file di ``params/``: niente chiavi doppie, niente due voci con la stessa data d'effetto."""
    d = carica_yaml(percorso)
    if not isinstance(d, dict) or "id" not in d:
        raise ParametroNonValido(f"{percorso.name}: manca l'id del parametro")
    valori = d.get("values") or {}
    if not isinstance(valori, dict):
        raise ParametroNonValido(f"{percorso.name}: 'values' deve essere una mappa data → voce")
    viste: dict[dt.date, Any] = {}
    for chiave in valori:
        try:
            data = _as_date(chiave)
        except (TypeError, ValueError):
            raise ParametroNonValido(f"{percorso.name}: la chiave {chiave!r} di 'values' non è una data") from None
        if data in viste:
            raise ParametroNonValido(
                f"{percorso.name}: due voci con la stessa data d'effetto {data.isoformat()} "
                f"({viste[data]!r} e {chiave!r}); per cambiare un valore aggiungi una voce con una data nuova")
        viste[data] = chiave
    return d


def parametro(pid: str) -> Parametro:
    try:
        return tutti_i_parametri()[pid]
    except KeyError:
        raise ParametroNonDefinito(f"parametro '{pid}' non definito in rules/params/") from None


def leggi(pid: str, al: dt.date) -> Lettura:
    """Il parametro ``pid`` in vigore alla data ``al``: l'unico modo di leggere un parametro.

    Prima della prima data d'effetto il parametro non è in vigore e si solleva
    ``ParametroNonDefinito``: chi chiama decide che cosa significa (di norma «la regola non
    esisteva ancora»), non si presta mai il primo valore a una data anteriore.
    """
    if not isinstance(al, dt.date):
        raise TypeError(f"la data per leggere il parametro '{pid}' è obbligatoria")
    par = parametro(pid)
    return Lettura(par, par.voce(al))


def in_vigore(pid: str, al: dt.date) -> Lettura | None:
    """Come ``leggi``, ma ``None`` se alla data ``al`` il parametro non era ancora in vigore."""
    try:
        return leggi(pid, al)
    except ParametroNonInVigore:
        return None


def param(pid: str, al: dt.date) -> Any:
    """Valore del parametro ``pid`` in vigore alla data ``al`` (``leggi(pid, al).valore``)."""
    return leggi(pid, al).valore


def rif(pid: str, al: dt.date) -> TestoRiferimento:
    """Testo del riferimento normativo del parametro in vigore alla data ``al``.

    Il testo ricorda il parametro: un ``Rilievo`` che lo usa come riferimento sa su che cosa poggia.
    """
    return leggi(pid, al).riferimento


def fonti_di(pid: str, al: dt.date) -> list[str]:
    return leggi(pid, al).fonti


def cita(*voci: str | tuple[str, str]) -> str:
    """Riferimento testuale a una o più fonti: ``cita(("ro-2025", "§1.2.1"), "gse-faq-cer")``."""
    parti = []
    for v in voci:
        fid, art = (v if isinstance(v, tuple) else (v, None))
        parti.append(Riferimento(fid, art).testo())
    return "; ".join(parti)


def fonti_citate(*voci: str | tuple[str, str]) -> list[str]:
    return [v[0] if isinstance(v, tuple) else v for v in voci]

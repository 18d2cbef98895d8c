"""Lettura e scrittura del file pratica (YAML o JSON), con errori in italiano.

Ogni errore nomina il file, la riga (quando il formato la conosce) e il campo, e dice
come correggerlo. Nessuna eccezione grezza esce da qui: chi chiama riceve
``ErrorePratica`` con l'elenco dei problemi.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from . import limiti
from .pratica import FORMATO, Pratica

M = TypeVar("M", bound=BaseModel)

# Un file pratica reale (10.000 membri) pesa pochi MB: oltre questa soglia è un errore
# d'uso o un attacco. Limite tecnico, non normativo.
DIMENSIONE_MASSIMA_BYTE = 64 * 1024 * 1024
_NODI_MASSIMI = 5_000_000

# Rifiuta chiavi ripetute, date impossibili e interi smisurati (vedi model/limiti.py)
_Loader = limiti.CaricatoreSicuro

# parser C++ veloce per i file grandi (10.000 membri); PyYAML resta il riferimento. Si importa al
# primo file grande (~6 ms d'avvio con packaging e deprecation): le pratiche piccole non lo usano.
_ryml: Any = False  # False: non ancora cercato; None: non installato


def _modulo_ryml() -> Any:
    global _ryml
    if _ryml is False:
        try:
            import ryml
        except ImportError:  # pragma: no cover - dipendenza dichiarata, ma il modulo resta usabile senza
            ryml = None
        _ryml = ryml
    return _ryml

# Oltre questa dimensione si prova la via veloce (rapidyaml → JSON); sotto, PyYAML basta.
_SOGLIA_VIA_VELOCE = 256 * 1024
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@dataclass
class Problema:
    campo: str
    messaggio: str
    riga: int | None = None

    def __str__(self) -> str:
        dove = f"riga {self.riga}, " if self.riga else ""
        campo = f"campo '{self.campo}'" if self.campo else "documento"
        return f"{dove}{campo}: {self.messaggio}"


@dataclass
class ErrorePratica(Exception):
    file: str
    problemi: list[Problema] = field(default_factory=list)

    def __str__(self) -> str:
        righe = [f"Il file pratica '{self.file}' non si può leggere:"]
        righe += [f"  - {p}" for p in self.problemi[:50]]
        if len(self.problemi) > 50:
            righe.append(f"  … e altri {len(self.problemi) - 50} problemi")
        return "\n".join(righe)


# --------------------------------------------------------------------------- paths

def format_path(loc: Iterable[Any]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def parse_path(path: str) -> list[str | int]:
    parts: list[str | int] = []
    for m in re.finditer(r"([^.\[\]]+)|\[(\d+)\]", path):
        if m.group(1) is not None:
            parts.append(m.group(1))
        else:
            parts.append(int(m.group(2)))
    return parts


def _riga_yaml(testo: str, path: str) -> int | None:
    """Riga (1-based) del nodo YAML indicato dal percorso, o del più vicino antenato."""
    try:
        node = yaml.compose(testo, Loader=_Loader)
    except yaml.YAMLError:
        return None
    best = node.start_mark.line + 1 if node is not None else None
    for part in parse_path(path):
        if node is None:
            break
        nxt = None
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            for k, v in node.value:
                if getattr(k, "value", None) == part:
                    nxt = v
                    best = k.start_mark.line + 1
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if 0 <= part < len(node.value):
                nxt = node.value[part]
                best = nxt.start_mark.line + 1
        node = nxt
    return best


def _campo_yaml(testo: str, riga: int, colonna: int) -> str:
    """Il percorso del campo il cui valore (o la cui chiave) inizia alla riga e colonna date (0-based)."""
    try:
        radice = yaml.compose(testo, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return ""
    stack: list[tuple[str, Any]] = [("", radice)]
    while stack:
        path, node = stack.pop()
        if node is None:
            continue
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                sotto = f"{path}.{k.value}" if path else str(k.value)
                if (k.start_mark.line, k.start_mark.column) == (riga, colonna):
                    return sotto
                stack.append((sotto, v))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((f"{path}[{i}]", v) for i, v in enumerate(node.value))
        elif (node.start_mark.line, node.start_mark.column) == (riga, colonna):
            return path
    return ""


def _riga_json(testo: str, path: str) -> int | None:
    """Approssimazione per JSON: la riga della chiave dell'ultimo segmento nominato."""
    nomi = [p for p in parse_path(path) if isinstance(p, str)]
    if not nomi:
        return None
    idx = testo.find(f'"{nomi[-1]}"')
    return testo.count("\n", 0, idx) + 1 if idx >= 0 else None


# --------------------------------------------------------------------------- messages

_TIPI = {
    "string_type": "deve essere un testo",
    "int_type": "deve essere un numero intero",
    "int_parsing": "deve essere un numero intero",
    "decimal_parsing": "deve essere un numero (usa il punto per i decimali, es. 40.5)",
    "decimal_type": "deve essere un numero (usa il punto per i decimali, es. 40.5)",
    "float_parsing": "deve essere un numero",
    "bool_type": "deve essere true o false",
    "bool_parsing": "deve essere true o false",
    "date_type": "deve essere una data nel formato AAAA-MM-GG",
    "date_parsing": "deve essere una data valida nel formato AAAA-MM-GG",
    "date_from_datetime_parsing": "deve essere una data valida nel formato AAAA-MM-GG",
    "list_type": "deve essere un elenco",
    "dict_type": "deve essere una sezione con campi (chiave: valore)",
    "model_type": "deve essere una sezione con campi (chiave: valore)",
    "missing": "è obbligatorio e manca",
    "extra_forbidden": "non è un campo previsto dal formato: controlla l'ortografia o toglilo",
    "finite_number": "deve essere un numero finito (NaN e infinito non sono ammessi)",
    "decimal_max_digits": "ha troppe cifre",
    "decimal_max_places": "ha troppe cifre decimali",
    "decimal_whole_digits": "ha troppe cifre prima della virgola",
    "int_from_float": "deve essere un numero intero, senza decimali",
    "float_type": "deve essere un numero",
    "string_unicode": "deve essere un testo",
    "datetime_parsing": "deve essere una data e ora valida (AAAA-MM-GGTHH:MM)",
    "datetime_type": "deve essere una data e ora valida (AAAA-MM-GGTHH:MM)",
    "time_parsing": "deve essere un orario valido (HH:MM)",
    "too_long": "ha troppi elementi",
    "too_short": "ha troppo pochi elementi",
    "tuple_type": "deve essere un elenco",
    "set_type": "deve essere un elenco",
    "union_tag_invalid": "ha un tipo non ammesso",
    "model_attributes_type": "deve essere una sezione con campi (chiave: valore)",
}


def _messaggio(err: dict[str, Any]) -> str:
    t = err.get("type", "")
    if t in ("literal_error", "enum"):
        exp = err.get("ctx", {}).get("expected", "")
        return f"valore '{err.get('input')}' non ammesso; valori possibili: {exp}"
    if t in ("greater_than", "greater_than_equal"):
        lim = err.get("ctx", {}).get("gt", err.get("ctx", {}).get("ge"))
        return f"deve essere maggiore di {lim}" if t == "greater_than" else f"non può essere minore di {lim}"
    if t in ("less_than", "less_than_equal"):
        lim = err.get("ctx", {}).get("lt", err.get("ctx", {}).get("le"))
        return f"deve essere minore di {lim}" if t == "less_than" else f"non può essere maggiore di {lim}"
    if t == "string_pattern_mismatch":
        return "contiene caratteri non ammessi: usa lettere, cifre, '-', '_' o '.'"
    if t == "string_too_long":
        lim = err.get("ctx", {}).get("max_length")
        return f"è troppo lungo: al massimo {lim} caratteri" if lim else "è troppo lungo"
    if t == "string_too_short":
        return "ha una lunghezza non ammessa"
    if t == "value_error":
        msg = str(err.get("msg", ""))
        return msg.removeprefix("Value error, ")
    if t == "date_from_datetime_inexact":
        return "deve essere una data senza ora (AAAA-MM-GG)"
    base = _TIPI.get(t)
    if base:
        inp = err.get("input")
        if t not in ("missing", "extra_forbidden") and isinstance(inp, (str, int, float)):
            mostra = repr(inp if not isinstance(inp, str) else inp[:80])
            return f"{base} (trovato: {mostra[:100]})"
        return base
    return "valore non valido"  # i dettagli di pydantic sono in inglese: non si mostrano


# --------------------------------------------------------------------------- reading

def _controlla_struttura(obj: Any) -> None:
    """Rifiuta alias YAML (espansioni esponenziali) e strutture smisurate."""
    visti: set[int] = set()
    stack = [obj]
    nodi = 0
    while stack:
        o = stack.pop()
        if isinstance(o, (dict, list)):
            if id(o) in visti:
                raise ValueError("il file usa riferimenti YAML ripetuti (alias '*'): scrivi i dati per esteso")
            visti.add(id(o))
            nodi += 1
            if nodi > _NODI_MASSIMI:
                raise ValueError("il file è troppo grande o troppo annidato per essere una pratica")
            stack.extend(o.values() if isinstance(o, dict) else o)


def _leggi_dati(testo: str, nome: str, formato: str | None) -> tuple[Any, str]:
    """Testo YAML o JSON → dati Python, con errori italiani che nominano riga e colonna."""
    if formato is None:
        formato = "json" if nome.lower().endswith(".json") or testo.lstrip().startswith("{") else "yaml"
    if len(testo.encode("utf-8", "surrogatepass")) > DIMENSIONE_MASSIMA_BYTE:
        raise ErrorePratica(nome, [Problema("", f"il file supera {DIMENSIONE_MASSIMA_BYTE // (1024 * 1024)} MB: "
                                                 "non è un file valido")])
    try:
        if formato == "json":
            dati = limiti.json_sicuro(testo)
        else:
            dati = _yaml_veloce(testo)
            if dati is None:
                dati = yaml.load(testo, Loader=_Loader)
    except json.JSONDecodeError as e:
        raise ErrorePratica(nome, [Problema("", f"JSON non valido alla colonna {e.colno}: controlla virgole, "
                                                 "virgolette e parentesi", e.lineno)]) from None
    except limiti.ErroreJson as e:
        raise ErrorePratica(nome, [Problema("", f"JSON non valido: {e}")]) from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        riga = mark.line + 1 if mark is not None else None
        col = f" (colonna {mark.column + 1})" if mark is not None else ""
        if isinstance(e, yaml.constructor.ConstructorError) and mark is not None:
            # valore sbagliato in un YAML ben formato (data impossibile, chiave ripetuta…): si nomina il campo
            campo = _campo_yaml(testo, mark.line, mark.column)
            raise ErrorePratica(nome, [Problema(campo, limiti.problema_yaml(e), riga)]) from None
        raise ErrorePratica(nome, [Problema("", f"YAML non valido: {limiti.problema_yaml(e)}{col}; controlla "
                                                 "rientri, due punti e virgolette", riga)]) from None
    except RecursionError:
        raise ErrorePratica(nome, [Problema("", "il file è annidato troppo in profondità")]) from None
    return dati, formato


def parse_text(testo: str, nome: str = "<testo>", formato: str | None = None) -> Pratica:
    """Legge una pratica da testo YAML o JSON. Solleva ``ErrorePratica``."""
    dati, formato = _leggi_dati(testo, nome, formato)
    return parse_data(dati, nome, testo=testo, formato=formato)


def _yaml_veloce(testo: str) -> Any | None:
    """Via veloce per YAML grandi e semplici: rapidyaml emette JSON, json lo legge.

    Restituisce None (e si usa PyYAML) per file piccoli o con alias, ancore, tag, più documenti
    o scalari che JSON non accetta: lì contano i messaggi precisi di PyYAML, non la velocità.
    Le date restano testi ISO, che il modello converte come quelle di PyYAML.
    """
    if len(testo) < _SOGLIA_VIA_VELOCE or _modulo_ryml() is None:
        return None
    if any(c in testo for c in ("&", "*", "!", "\n---", "\t")):
        return None
    try:
        sorgente = testo.encode("utf-8")
        albero = _ryml.parse_in_arena(sorgente)
        emesso = _ryml.emit_json_malloc(albero, albero.root_id())
        dati = limiti.json_sicuro(emesso)
    except Exception:  # noqa: BLE001 - qualunque dubbio: si torna a PyYAML
        return None
    return dati if isinstance(dati, dict) else None


def valida_modello(dati: Any, nome: str, modello: type[M], formato_atteso: str, descrizione: str,
                   testo: str | None = None, formato: str = "yaml") -> M:
    """Dati → modello pydantic, con controllo del campo 'formato' ed errori per riga e campo."""
    if not isinstance(dati, dict):
        raise ErrorePratica(nome, [Problema("", f"il file non contiene {descrizione}: mi aspettavo una sezione "
                                                 f"che inizia con 'formato: {formato_atteso}'")])
    try:
        _controlla_struttura(dati)
    except (ValueError, RecursionError) as e:
        raise ErrorePratica(nome, [Problema("", str(e) if isinstance(e, ValueError) else "struttura troppo profonda")])
    # scorciatoia per i file grandi: senza caratteri vietati né sequenze '\' nel testo, non ce ne sono nei dati
    if testo is None or "\\" in testo or limiti.testo_vietato(testo):
        vietati = list(limiti.problemi_dati(dati))[:200]
    else:
        vietati = []
    if vietati:
        raise ErrorePratica(nome, [Problema(p, m, _riga(testo, formato, p)) for p, m in reversed(vietati)])
    fmt = dati.get("formato")
    if fmt != formato_atteso:
        riga = _riga(testo, formato, "formato")
        raise ErrorePratica(nome, [Problema("formato", f"vale {fmt!r} ma cer-docs qui legge '{formato_atteso}': "
                                                       "aggiungi o correggi la prima riga del file", riga)])
    try:
        letto = modello.model_validate(dati)
    except ValidationError as e:
        problemi = []
        for err in e.errors()[:200]:
            path = format_path(err["loc"])
            problemi.append(Problema(path, _messaggio(err), _riga(testo, formato, path)))
        raise ErrorePratica(nome, problemi) from None
    fuori = list(limiti.problemi_modello(letto))[:200]
    if fuori:
        raise ErrorePratica(nome, [Problema(p, m, _riga(testo, formato, p)) for p, m in reversed(fuori)])
    return letto


def parse_model_text(testo: str, nome: str, modello: type[M], formato_atteso: str, descrizione: str) -> M:
    dati, formato = _leggi_dati(testo, nome, None)
    return valida_modello(dati, nome, modello, formato_atteso, descrizione, testo, formato)


def parse_data(dati: Any, nome: str = "<dati>", testo: str | None = None, formato: str = "yaml") -> Pratica:
    pratica = valida_modello(dati, nome, Pratica, FORMATO, "una pratica ('formato', 'pratica', 'comunita', "
                                                          "'soggetti'…)", testo, formato)
    rif = pratica.errori_riferimenti()
    if rif:
        raise ErrorePratica(nome, [Problema(p, m, _riga(testo, formato, p)) for p, m in rif])
    return pratica


def _riga(testo: str | None, formato: str, path: str) -> int | None:
    if not testo:
        return None
    return _riga_json(testo, path) if formato == "json" else _riga_yaml(testo, path)


def leggi_testo_file(path: str | Path) -> str:
    """Il testo UTF-8 di un file, con errori italiani (assente, cartella, troppo grande, non testo)."""
    p = Path(path)
    nome = str(path)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise ErrorePratica(nome, [Problema("", "il file non esiste: controlla il percorso")]) from None
    except OSError as e:
        raise ErrorePratica(nome, [Problema("", f"il file non si può aprire ({e.strerror})")]) from None
    if p.is_dir():
        raise ErrorePratica(nome, [Problema("", "è una cartella, non un file")])
    if size > DIMENSIONE_MASSIMA_BYTE:
        raise ErrorePratica(nome, [Problema("", f"il file pesa {size // (1024 * 1024)} MB, oltre il limite di "
                                                 f"{DIMENSIONE_MASSIMA_BYTE // (1024 * 1024)} MB")])
    try:
        return p.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ErrorePratica(nome, [Problema("", "il file non è testo UTF-8: salvalo come YAML o JSON in UTF-8")]) from None
    except OSError as e:
        raise ErrorePratica(nome, [Problema("", f"il file non si può leggere ({e.strerror})")]) from None


def load_pratica(path: str | Path) -> Pratica:
    return parse_text(leggi_testo_file(path), str(path))


# --------------------------------------------------------------------------- writing

def dump_presenti(modello: BaseModel) -> dict[str, Any]:
    """Come ``model_dump(exclude_unset=True)``, ma include anche i campi modificati sul posto.

    Pydantic considera "impostato" solo ciò che arriva al costruttore o per assegnazione: un
    elenco predefinito a cui si aggiungono elementi (``p.soggetti.append(...)``) resterebbe
    fuori. Qui un campo c'è se era presente nei dati *oppure* se il suo valore differisce dal
    predefinito, così file, database e modello restano allineati.
    """
    out: dict[str, Any] = {}
    for nome, info in type(modello).model_fields.items():
        valore = getattr(modello, nome)
        if nome in modello.model_fields_set or valore != info.get_default(call_default_factory=True):
            out[nome] = _dump_valore(valore)
    return out


def _dump_valore(v: Any) -> Any:
    if isinstance(v, BaseModel):
        return dump_presenti(v)
    if isinstance(v, (list, tuple)):
        return [_dump_valore(x) for x in v]
    if isinstance(v, dict):
        return {k: _dump_valore(x) for k, x in v.items()}
    return v


def to_data(pratica: Pratica) -> dict[str, Any]:
    """Dati semplici (dict/list/str/int/float/date) pronti per YAML; solo i campi presenti."""
    raw = dump_presenti(pratica)
    raw.setdefault("formato", FORMATO)
    # il campo formato sempre per primo
    ordered = {"formato": raw.pop("formato")}
    ordered.update(raw)
    return _plain(ordered)


def _plain(o: Any) -> Any:
    if isinstance(o, dict):
        return {k: _plain(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [_plain(v) for v in o]
    if isinstance(o, Decimal):
        return int(o) if o == o.to_integral_value() and o.as_tuple().exponent >= 0 else float(o)
    return o


def _json_default(o: Any) -> Any:
    if isinstance(o, (_dt.date, _dt.datetime)):
        return o.isoformat()
    raise TypeError(f"tipo non serializzabile: {type(o).__name__}")


def dumps_json(pratica: Pratica, indent: int | None = 2) -> str:
    return json.dumps(to_data(pratica), ensure_ascii=False, indent=indent, default=_json_default)


def dumps_yaml(pratica: Pratica) -> str:
    return yaml.dump(to_data(pratica), Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=110)


def dumps(pratica: Pratica, formato: str = "yaml") -> str:
    return dumps_json(pratica) if formato == "json" else dumps_yaml(pratica)


def save_pratica(pratica: Pratica, path: str | Path) -> Path:
    """Scrive in modo atomico: prima un file temporaneo, poi la rinomina."""
    p = Path(path)
    formato = "json" if p.suffix.lower() == ".json" else "yaml"
    testo = dumps(pratica, formato)
    tmp = p.with_name(f".{p.name}.tmp")
    tmp.write_text(testo, encoding="utf-8")
    tmp.replace(p)
    return p


def json_schema() -> dict[str, Any]:
    schema = Pratica.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Pratica cer-docs (formato cer-docs/pratica@1)"
    return schema

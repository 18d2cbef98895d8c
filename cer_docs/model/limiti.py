"""Limiti tecnici dei dati in ingresso: numeri, testi e YAML ostili diventano messaggi italiani.

Un file pratica (o una candidatura, un elenco di membri) può contenere per errore o per
malizia valori che Python accetta ma che il resto del programma non regge: una data
impossibile, un intero di 5.000 cifre, un importo di ``1e999999`` euro, un carattere che XML
non ammette (U+FFFF, surrogati), la stessa chiave due volte. Qui stanno i controlli che li
fermano all'ingresso, con il percorso del campo, così che ciò che si importa si possa
sempre anche generare.

I limiti sono tecnici, non normativi: nessuna grandezza reale di una comunità energetica
(importi, potenze, energia annua, abitanti) si avvicina a ``NUMERO_MASSIMO``.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, get_args

import yaml
from pydantic import BaseModel

# Nessun importo, potenza, energia o popolazione reale supera mille miliardi.
NUMERO_MASSIMO = Decimal(10) ** 12
# Al massimo trenta cifre dopo la virgola: abbastanza per ogni dato reale (e per la precisione di Decimal),
# nessun «1e-999999» che stampato diventerebbe un milione di zeri.
DECIMALI_MASSIMI = 30
# Un intero scritto con più cifre di così non è un dato (l'interprete Python si ferma a 4.300).
CIFRE_MASSIME = 30

# Caratteri che né XML (DOCX) né un PDF sanno rappresentare: surrogati isolati e «non caratteri».
_VIETATI = re.compile("[\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")


def numero_fuori_misura(d: Decimal | int | float) -> str | None:
    """Il motivo per cui ``d`` non è un numero accettabile, oppure None."""
    if isinstance(d, bool):
        return None
    if isinstance(d, float):
        if not math.isfinite(d):
            return "non è un numero finito (NaN o infinito): scrivi un valore numerico"
        if abs(d) > NUMERO_MASSIMO:
            return f"è fuori misura ({d:g}): il valore massimo ammesso è {NUMERO_MASSIMO:,.0f}".replace(",", ".")
        return None
    if isinstance(d, int):
        if abs(d) > NUMERO_MASSIMO:
            return f"è fuori misura: il valore massimo ammesso è {NUMERO_MASSIMO:,.0f}".replace(",", ".")
        return None
    if not d.is_finite():
        return "non è un numero finito (NaN o infinito): scrivi un valore numerico"
    if d.adjusted() >= NUMERO_MASSIMO.adjusted() + 1 or abs(d) > NUMERO_MASSIMO:
        return f"è fuori misura: il valore massimo ammesso è {NUMERO_MASSIMO:,.0f}".replace(",", ".")
    esponente = d.as_tuple().exponent
    if isinstance(esponente, int) and esponente < -DECIMALI_MASSIMI:
        return f"ha troppe cifre decimali: al massimo {DECIMALI_MASSIMI}"
    return None


def controlla_importo(d: Decimal) -> None:
    """Per i validatori degli importi: solleva ``ValueError`` (messaggio italiano) se fuori misura."""
    motivo = numero_fuori_misura(d)
    if motivo:
        raise ValueError(f"l'importo {motivo}")


def testo_vietato(s: str) -> str | None:
    """Il motivo per cui il testo ``s`` non si può scrivere in un documento, oppure None."""
    m = _VIETATI.search(s)
    if m is None:
        return None
    return (f"contiene un carattere non ammesso (U+{ord(m.group()):04X}, posizione {m.start() + 1}): "
            "riscrivi il testo senza copiarlo da altri programmi")


def _percorso(base: str, parte: str | int) -> str:
    if isinstance(parte, int):
        return f"{base}[{parte}]"
    return f"{base}.{parte}" if base else str(parte)


def problemi_dati(obj: Any, base: str = "") -> Iterator[tuple[str, str]]:
    """Testi e numeri inammissibili nei dati grezzi (dict/list), con il percorso del campo."""
    stack: list[tuple[str, Any]] = [(base, obj)]
    while stack:
        path, o = stack.pop()
        if isinstance(o, dict):
            for k, v in o.items():
                if isinstance(k, str) and (m := testo_vietato(k)):
                    yield path or "documento", f"il nome di un campo {m}"
                stack.append((_percorso(path, str(k)), v))
        elif isinstance(o, list):
            stack.extend((_percorso(path, i), v) for i, v in enumerate(o))
        elif isinstance(o, str):
            if m := testo_vietato(o):
                yield path, m
        elif isinstance(o, (int, float)) and not isinstance(o, bool):
            if m := numero_fuori_misura(o):
                yield path, m


def _tipi(annotazione: Any) -> Iterator[Any]:
    yield annotazione
    for a in get_args(annotazione):
        yield from _tipi(a)


@functools.lru_cache(maxsize=None)
def _piano(classe: type[BaseModel]) -> tuple[tuple[str, bool, bool], ...]:
    """Per ogni campo della classe: (nome, contiene numeri, contiene modelli). I testi e le date si saltano."""
    piano = []
    for nome, info in classe.model_fields.items():
        tipi = list(_tipi(info.annotation))
        numeri = any(t in (Decimal, int, float) for t in tipi)
        modelli = any(isinstance(t, type) and issubclass(t, BaseModel) for t in tipi) or any(
            t is Any or t is dict for t in tipi)
        if numeri or modelli:
            piano.append((nome, numeri, modelli))
    return tuple(piano)


def problemi_modello(modello: BaseModel, base: str = "") -> Iterator[tuple[str, str]]:
    """Numeri (``Decimal``/int) fuori misura in un modello già validato, con il percorso del campo.

    Serve per i valori arrivati come testo (``"1e999999"``) che pydantic converte in ``Decimal``.
    Si visitano solo i campi che possono contenere numeri o altri modelli (veloce anche con 10.000 membri).
    """
    stack: list[tuple[str, Any]] = [(base, modello)]
    while stack:
        path, o = stack.pop()
        if isinstance(o, BaseModel):
            for nome, _numeri, _modelli in _piano(type(o)):
                stack.append((_percorso(path, nome), getattr(o, nome)))
        elif isinstance(o, (list, tuple)):
            stack.extend((_percorso(path, i), v) for i, v in enumerate(o) if not isinstance(v, str))
        elif isinstance(o, dict):
            stack.extend((_percorso(path, str(k)), v) for k, v in o.items())
        elif isinstance(o, (Decimal, int, float)) and not isinstance(o, bool):
            if m := numero_fuori_misura(o):
                yield path, m


# --------------------------------------------------------------------------- YAML

def _errore(node: yaml.Node, problema: str) -> yaml.constructor.ConstructorError:
    return yaml.constructor.ConstructorError(None, None, problema, node.start_mark)


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class CaricatoreSicuro(_BaseLoader):  # type: ignore[misc, valid-type]
    """``SafeLoader`` che rifiuta chiavi ripetute, date impossibili e interi smisurati.

    Gli errori sono ``ConstructorError`` con un problema già in italiano e la posizione.
    """

    def construct_mapping(self, node, deep=False):  # noqa: D401 - firma di PyYAML
        if isinstance(node, yaml.MappingNode):
            visti: dict[Any, int] = {}
            for chiave, _valore in node.value:
                if isinstance(chiave, yaml.ScalarNode) and chiave.tag != "tag:yaml.org,2002:merge":
                    k = chiave.value
                    if k in visti:
                        raise _errore(chiave, f"la chiave '{k[:80]}' compare due volte (la prima alla riga "
                                              f"{visti[k]}): tieni una sola delle due")
                    visti[k] = chiave.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            raise _errore(node, f"la data '{node.value[:40]}' non esiste nel calendario: scrivila come "
                                "AAAA-MM-GG con un giorno, un mese e un anno possibili") from None

    def construct_yaml_int(self, node):
        cifre = sum(c.isdigit() for c in str(node.value))
        if cifre > CIFRE_MASSIME:
            raise _errore(node, f"il numero ha {cifre} cifre: non è un valore ammissibile")
        return super().construct_yaml_int(node)

    def construct_yaml_float(self, node):
        if len(str(node.value)) > 60:
            raise _errore(node, "il numero è scritto con troppe cifre: non è un valore ammissibile")
        return super().construct_yaml_float(node)


CaricatoreSicuro.add_constructor("tag:yaml.org,2002:timestamp", CaricatoreSicuro.construct_yaml_timestamp)
CaricatoreSicuro.add_constructor("tag:yaml.org,2002:int", CaricatoreSicuro.construct_yaml_int)
CaricatoreSicuro.add_constructor("tag:yaml.org,2002:float", CaricatoreSicuro.construct_yaml_float)


# Traduzioni dei problemi più comuni segnalati da PyYAML; gli altri si omettono.
_PROBLEMI_YAML = [
    ("did not find expected ',' or ']'", "manca una virgola o la parentesi ']' di chiusura"),
    ("did not find expected ',' or '}'", "manca una virgola o la parentesi '}' di chiusura"),
    ("mapping values are not allowed here", "due punti ':' in un posto non ammesso (metti il testo tra virgolette)"),
    ("could not find expected ':'", "manca il ':' dopo il nome del campo"),
    ("found character '\\t' that cannot start any token", "c'è un carattere di tabulazione: rientra con gli spazi"),
    ("found character '\\t'", "c'è un carattere di tabulazione: rientra con gli spazi"),
    ("found undefined alias", "usa un riferimento ('*') a un'ancora che non esiste"),
    ("found invalid Unicode character escape code", "contiene una sequenza \\u che non è un carattere valido"),
    ("found unknown escape character", "contiene una sequenza con '\\' non valida (raddoppia la barra o usa "
                                       "le virgolette semplici)"),
    ("found unacceptable character", "contiene un carattere non ammesso"),
    ("control characters are not allowed", "contiene un carattere di controllo non ammesso"),
    ("special characters are not allowed", "contiene un carattere non ammesso"),
    ("expected <block end>, but found", "il rientro non è coerente con le righe precedenti"),
    ("expected <document start>, but found", "c'è testo in più dopo la fine dei dati"),
    ("found unexpected end of stream", "il file finisce prima di chiudere virgolette o parentesi"),
    ("expected ' ', but found", "dopo ':' o '-' serve uno spazio"),
    ("did not find expected key", "il rientro non è coerente con le righe precedenti"),
    ("did not find expected '-' indicator", "un elemento di elenco non inizia con '-'"),
    ("did not find expected node content", "manca un valore"),
    ("found duplicate anchor", "la stessa ancora ('&') è definita due volte"),
    ("expected a single document", "il file contiene più documenti YAML ('---'): tienine uno solo"),
    ("could not determine a constructor", "usa un tag ('!') che cer-docs non accetta"),
    ("expected alphabetic or numeric character", "un'ancora o un riferimento ha un nome non valido"),
]


def problema_yaml(e: yaml.YAMLError) -> str:
    """Il problema segnalato da PyYAML, in italiano (o una frase generica se non è noto)."""
    prob = str(getattr(e, "problem", None) or "")
    if isinstance(e, yaml.constructor.ConstructorError) and prob.startswith(("la ", "il ")):
        return prob  # già in italiano (CaricatoreSicuro)
    testo = " ".join(x for x in (prob, str(getattr(e, "context", None) or "")) if x)
    for inglese, italiano in _PROBLEMI_YAML:
        if inglese in testo:
            return italiano
    return "la struttura non è YAML valido"


# --------------------------------------------------------------------------- JSON

class ErroreJson(ValueError):
    pass


def coppie_senza_doppioni(coppie: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in coppie:
        if k in out:
            raise ErroreJson(f"la chiave '{k[:80]}' compare due volte nello stesso oggetto: tienine una sola")
        out[k] = v
    return out


def intero_json(s: str) -> int:
    if len(s) > CIFRE_MASSIME:
        raise ErroreJson(f"un numero ha {len(s)} cifre: non è un valore ammissibile")
    return int(s)


def decimale_json(s: str) -> float:
    if len(s) > 60:
        raise ErroreJson("un numero è scritto con troppe cifre: non è un valore ammissibile")
    v = float(s)
    if not math.isfinite(v):
        raise ErroreJson(f"il numero {s} è fuori misura")
    return v


def costante_json(s: str) -> float:
    raise ErroreJson(f"'{s}' non è un numero ammesso (NaN e Infinity non sono dati): scrivi un valore numerico")


def json_sicuro(testo: str) -> Any:
    """``json.loads`` che rifiuta chiavi ripetute, NaN/Infinity e numeri smisurati (``ErroreJson``)."""
    import json

    return json.loads(testo, object_pairs_hook=coppie_senza_doppioni, parse_int=intero_json,
                      parse_float=decimale_json, parse_constant=costante_json)

"""Bozze dei passi: ciò che l'utente ha scritto e non ha ancora salvato non si perde.

Streamlit dimentica lo stato di un widget appena la pagina non lo mostra più (cambio di passo
o di pagina). Qui si tiene una copia di ogni campo e di ogni tabella del passo aperto, per
pratica e per passo, e la si rimette al ritorno; il passo salvato dimentica la sua bozza.

Le chiavi dei widget contengono la versione della pratica (``nome-v7``): la bozza si tiene per
nome senza versione, così sopravvive anche al salvataggio di un altro passo.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
import streamlit as st

_AMBITO = "_bozza_ambito"        # (codice, passo) del passo che si sta mostrando
_BOZZE = "_bozze"                 # {codice: {passo: {nome: valore}}}
_INIZIALI = "_bozze_iniziali"     # {codice: {passo: {nome: valore del database}}}
_VIVE = "_bozze_vive"             # {chiave del widget: (codice, passo, nome)} dei campi semplici
_VERSIONE = re.compile(r"-v\d+$")


def nome(chiave: str) -> str:
    return _VERSIONE.sub("", chiave)


def apri(codice: str, passo: str) -> None:
    """Prima di mostrare un passo: raccoglie i valori arrivati dal browser, poi apre l'ambito."""
    raccogli()
    st.session_state[_AMBITO] = (codice, passo)


def chiudi() -> None:
    raccogli()
    st.session_state.pop(_AMBITO, None)


def _ambito() -> tuple[str, str] | None:
    return st.session_state.get(_AMBITO)


def _di(deposito: str, codice: str, passo: str) -> dict[str, Any]:
    return st.session_state.setdefault(deposito, {}).setdefault(codice, {}).setdefault(passo, {})


def raccogli() -> None:
    """Copia nella bozza il valore attuale di ogni campo semplice mostrato finora."""
    vive = st.session_state.get(_VIVE) or {}
    for chiave, (codice, passo, n) in list(vive.items()):
        if chiave in st.session_state:
            _di(_BOZZE, codice, passo)[n] = st.session_state[chiave]


def campo(chiave: str, valore: Any) -> bool:
    """Registra un campo semplice. Se il widget non è vivo e c'è una bozza, la rimette in sessione.

    Restituisce True se il valore iniziale viene dalla sessione (il widget va creato senza valore
    predefinito, altrimenti Streamlit avvisa del doppio valore)."""
    ambito = _ambito()
    if ambito is None:
        return False
    codice, passo = ambito
    n = nome(chiave)
    _di(_INIZIALI, codice, passo)[n] = valore
    st.session_state.setdefault(_VIVE, {})[chiave] = (codice, passo, n)
    bozza = _di(_BOZZE, codice, passo)
    if chiave not in st.session_state and n in bozza:
        st.session_state[chiave] = bozza[n]
        return True
    return False


def tabella(chiave: str, dal_database: pd.DataFrame) -> pd.DataFrame:
    """I dati con cui aprire una tabella: quelli del database o, al ritorno sul passo, la bozza."""
    ambito = _ambito()
    if ambito is None:
        return dal_database
    codice, passo = ambito
    n = nome(chiave)
    basi = st.session_state.setdefault("_bozze_basi", {})
    _di(_INIZIALI, codice, passo)[n] = dal_database
    if chiave in st.session_state and chiave in basi:
        return basi[chiave]
    base = _di(_BOZZE, codice, passo).get(n)
    base = dal_database if base is None else base
    basi[chiave] = base
    return base


def rinumera(chiave: str, df: pd.DataFrame) -> None:
    """Dopo un salvataggio non riuscito: la tabella riparte da ciò che l'utente vede, con le righe
    numerate come nei messaggi d'errore (anche quelle appena aggiunte)."""
    nuovo = df.copy()
    nuovo.index = pd.RangeIndex(1, len(nuovo) + 1)
    st.session_state.setdefault("_bozze_basi", {})[chiave] = nuovo
    ambito = _ambito()
    if ambito is not None:
        _di(_BOZZE, *ambito)[nome(chiave)] = nuovo


def tabella_modificata(chiave: str, risultato: pd.DataFrame) -> None:
    """Dopo aver mostrato una tabella: tiene come bozza ciò che l'utente vede."""
    ambito = _ambito()
    if ambito is None:
        return
    _di(_BOZZE, *ambito)[nome(chiave)] = risultato


def _uguali(a: Any, b: Any) -> bool:
    if isinstance(a, pd.DataFrame) or isinstance(b, pd.DataFrame):
        if not (isinstance(a, pd.DataFrame) and isinstance(b, pd.DataFrame)):
            return False
        if a.shape != b.shape:
            return False
        return all(_uguali(x, y) for x, y in zip(a.to_numpy().ravel().tolist(), b.to_numpy().ravel().tolist()))
    vuoto_a = a is None or a == "" or (isinstance(a, float) and a != a)
    vuoto_b = b is None or b == "" or (isinstance(b, float) and b != b)
    if vuoto_a or vuoto_b:
        return vuoto_a and vuoto_b
    try:
        return bool(a == b)
    except Exception:  # noqa: BLE001
        return False


def passi_modificati(codice: str) -> set[str]:
    """I passi con modifiche non salvate (bozza diversa dal database)."""
    bozze = (st.session_state.get(_BOZZE) or {}).get(codice) or {}
    iniziali = (st.session_state.get(_INIZIALI) or {}).get(codice) or {}
    out = set()
    for passo, valori in bozze.items():
        ini = iniziali.get(passo) or {}
        if any(n in ini and not _uguali(v, ini[n]) for n, v in valori.items()):
            out.add(passo)
    return out


def dimentica(codice: str, passo: str | None = None, prefisso: str | None = None) -> None:
    """Dopo un salvataggio (o «Annulla le modifiche»): la bozza del passo (o solo dei campi il cui
    nome comincia per ``prefisso``) non serve più."""
    for deposito in (_BOZZE, _INIZIALI):
        per = (st.session_state.get(deposito) or {}).get(codice)
        if per is None:
            continue
        if passo is None:
            per.clear()
        elif prefisso is None:
            per.pop(passo, None)
        else:
            valori = per.get(passo) or {}
            for n in [n for n in valori if n.startswith(prefisso)]:
                valori.pop(n, None)
    vive = st.session_state.get(_VIVE) or {}
    for chiave, (c, p, n) in list(vive.items()):
        if c == codice and (passo is None or p == passo) and (prefisso is None or n.startswith(prefisso)):
            vive.pop(chiave, None)
    basi = st.session_state.get("_bozze_basi") or {}
    basi.clear()

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
_GIRI = "_bozze_giri"             # {chiave di una tabella: quante volte è ripartita (``riparti``)}
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
            valore = st.session_state[chiave]
            iniziale = _di(_INIZIALI, codice, passo).get(n)
            if _uguali(valore, iniziale):
                _di(_BOZZE, codice, passo).pop(n, None)
            else:
                _di(_BOZZE, codice, passo)[n] = valore


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


def chiave_widget(chiave: str) -> str:
    """La chiave dell'``st.data_editor`` della tabella ``chiave``: cambia a ogni ripartenza (``riparti``).

    Le modifiche di un ``data_editor`` (righe cambiate, aggiunte, tolte) vivono nel browser e valgono per il
    widget, che Streamlit riconosce dalla chiave e dai dati di partenza. Se la tabella riparte da dati uguali
    a quelli di prima (una riga tolta e rimessa, senza altre modifiche) e con la stessa chiave, per il browser
    è lo stesso widget: la riga resterebbe tolta. Con una chiave nuova il widget riparte vuoto dai dati
    nuovi, ogni volta. Tutto il resto (basi, bozze, conferme) usa ``chiave``, che non cambia."""
    giro = (st.session_state.get(_GIRI) or {}).get(chiave, 0)
    return chiave if not giro else f"{chiave}-r{giro}"


def tabella(chiave: str, dal_database: pd.DataFrame) -> pd.DataFrame:
    """I dati con cui aprire una tabella: quelli del database o, al ritorno sul passo, la bozza.

    Una bozza fatta su dati che nel frattempo sono cambiati (un'importazione, il salvataggio di un
    collega) non si rimette in silenzio: lo si dice, e la tabella riparte dai dati nuovi."""
    ambito = _ambito()
    if ambito is None:
        return dal_database
    codice, passo = ambito
    n = nome(chiave)
    basi = st.session_state.setdefault("_bozze_basi", {})
    _di(_INIZIALI, codice, passo)[n] = dal_database
    if chiave_widget(chiave) in st.session_state and chiave in basi:
        return basi[chiave]
    bozze = _di(_BOZZE, codice, passo)
    voce = bozze.get(n)
    base = dal_database
    if voce is not None:
        if _uguali(voce["database"], dal_database):
            base = voce["tabella"]
        else:
            bozze.pop(n, None)
            st.warning("Questa tabella è stata cambiata e salvata nel frattempo (da un'importazione o da un'altra "
                       "persona): le modifiche che non avevi salvato non si possono riapplicare ai dati nuovi e "
                       "sono state lasciate da parte. Ricontrolla la tabella.", icon=":material/sync_problem:")
    basi[chiave] = base
    return base


def riparti(chiave: str, df: pd.DataFrame, *, rinumera: bool = True) -> None:
    """Dopo un salvataggio non riuscito: la tabella riparte da ciò che l'utente vede. Con ``rinumera`` le
    righe si numerano da 1 come nei messaggi d'errore di una tabella che conta le righe nell'ordine (anche
    quelle appena aggiunte); senza, tengono i numeri che l'utente vedeva, quelli che i messaggi hanno usato
    (``motore_passi.applica_righe(..., numeri=...)``): il numero del messaggio è quello della tabella, nel
    momento in cui il messaggio compare e dopo. Il widget della tabella riparte da capo (``chiave_widget``):
    le modifiche che il browser teneva sono già in ``df``."""
    nuovo = df.copy()
    if rinumera:
        nuovo.index = pd.RangeIndex(1, len(nuovo) + 1)
    giri = st.session_state.setdefault(_GIRI, {})
    giri[chiave] = giri.get(chiave, 0) + 1
    st.session_state.setdefault("_bozze_basi", {})[chiave] = nuovo
    ambito = _ambito()
    if ambito is not None:
        dal_database = _di(_INIZIALI, *ambito).get(nome(chiave))
        _di(_BOZZE, *ambito)[nome(chiave)] = {"tabella": nuovo, "database": dal_database}


def tabella_modificata(chiave: str, risultato: pd.DataFrame) -> None:
    """Dopo aver mostrato una tabella: tiene come bozza ciò che l'utente vede, se differisce dal database."""
    ambito = _ambito()
    if ambito is None:
        return
    n = nome(chiave)
    dal_database = _di(_INIZIALI, *ambito).get(n)
    bozze = _di(_BOZZE, *ambito)
    stato = st.session_state.get(chiave_widget(chiave))
    toccata = not isinstance(stato, dict) or any(stato.get(x) for x in ("edited_rows", "added_rows", "deleted_rows"))
    base = (st.session_state.get("_bozze_basi") or {}).get(chiave)
    if not toccata:
        # nessuna modifica in questa tabella: resta la bozza solo se la tabella è ripartita da lei
        # (niente confronti riga per riga: con 500 righe costano)
        voce = bozze.get(n)
        if voce is not None and voce["tabella"] is not base:
            bozze.pop(n, None)
        return
    if dal_database is not None and _uguali(risultato, dal_database):
        bozze.pop(n, None)
    else:
        bozze[n] = {"tabella": risultato, "database": dal_database, "diversa": True}


def _normale(v: Any) -> Any:
    if v is None or v is pd.NaT or (isinstance(v, float) and v != v) or v == "":
        return None
    if hasattr(v, "item") and not isinstance(v, (list, tuple, dict)):
        try:
            v = v.item()
        except (AttributeError, ValueError):
            pass
    if hasattr(v, "isoformat"):
        return str(v.isoformat())[:10]
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, (list, tuple)) or (hasattr(v, "tolist") and not isinstance(v, str)):
        return tuple(_normale(x) for x in (v.tolist() if hasattr(v, "tolist") else v))
    return v


def _righe(df: pd.DataFrame) -> list[tuple]:
    return [tuple(_normale(x) for x in riga) for riga in df.itertuples(index=False, name=None)]


def _uguali(a: Any, b: Any) -> bool:
    if isinstance(a, pd.DataFrame) or isinstance(b, pd.DataFrame):
        if not (isinstance(a, pd.DataFrame) and isinstance(b, pd.DataFrame)):
            return False
        if list(a.columns) != list(b.columns) or len(a) != len(b):
            return False
        return _righe(a) == _righe(b)
    try:
        return bool(_normale(a) == _normale(b))
    except Exception:  # noqa: BLE001
        return False


def _modificati(valori: dict[str, Any], iniziali: dict[str, Any]) -> set[str]:
    """I nomi (campi e tabelle) di un passo la cui bozza è diversa dal database."""
    out = set()
    for n, v in valori.items():
        if isinstance(v, dict) and "tabella" in v:
            if v.get("diversa") or not _uguali(v["tabella"], v["database"]):
                out.add(n)
        elif n in iniziali and not _uguali(v, iniziali[n]):
            out.add(n)
    return out


def passi_modificati(codice: str) -> set[str]:
    """I passi con modifiche non salvate (bozza diversa dal database)."""
    bozze = (st.session_state.get(_BOZZE) or {}).get(codice) or {}
    iniziali = (st.session_state.get(_INIZIALI) or {}).get(codice) or {}
    return {passo for passo, valori in bozze.items() if _modificati(valori, iniziali.get(passo) or {})}


def campi_modificati(codice: str, passo: str, prefisso: str = "") -> set[str]:
    """I campi semplici del passo (il cui nome comincia per ``prefisso``) con una bozza diversa dal database."""
    raccogli()
    bozze = ((st.session_state.get(_BOZZE) or {}).get(codice) or {}).get(passo) or {}
    iniziali = ((st.session_state.get(_INIZIALI) or {}).get(codice) or {}).get(passo) or {}
    semplici = {n: v for n, v in bozze.items() if n.startswith(prefisso) and not (isinstance(v, dict) and "tabella" in v)}
    return _modificati(semplici, iniziali)


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

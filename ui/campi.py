"""Campi dei moduli con i valori della pratica: testo, scelta, data, numero (vuoto ammesso)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from cer_docs.italiano import numero as numero_italiano
from cer_docs.services.importazione import leggi_data
from ui import bozze

CHIAVE_CAMPO_DA_MOSTRARE = "_campo_da_mostrare"   # (passo, percorso della domanda) dopo un «Correggi»
_CERCATO = "_campo_cercato"                        # il percorso cercato mentre si disegna il passo
_TROVATO = "_campo_trovato"                        # la chiave del campo (o della tabella) che lo chiede


# --------------------------------------------------------------------------- il campo di un «Correggi»

def cerca_campo(passo: str) -> None:
    """Prima di disegnare un passo: se un «Correggi» ha chiesto un suo campo, i campi e le tabelle disegnati
    da qui (``domanda``, ``segna_tabella``) lo riconoscono dal percorso della domanda. Vale una volta sola."""
    st.session_state.pop(_TROVATO, None)
    st.session_state.pop(_CERCATO, None)
    chiesto = st.session_state.pop(CHIAVE_CAMPO_DA_MOSTRARE, None)
    if chiesto and chiesto[0] == passo and chiesto[1]:
        st.session_state[_CERCATO] = chiesto[1]


def campo_trovato() -> str | None:
    """Dopo aver disegnato il passo: la chiave del widget (o della tabella) del campo cercato, se c'era."""
    st.session_state.pop(_CERCATO, None)
    return st.session_state.pop(_TROVATO, None)


def _segna(percorso: str, chiave: str) -> None:
    if st.session_state.get(_CERCATO) == percorso and _TROVATO not in st.session_state:
        st.session_state[_TROVATO] = chiave


def segna_tabella(chiave: str, colonne: Any) -> None:
    """Una tabella disegnata: se il campo cercato è una delle sue colonne, è lei da mostrare."""
    cercato = st.session_state.get(_CERCATO)
    if cercato is None or _TROVATO in st.session_state:
        return
    from cer_docs.services import catalogo

    d = catalogo.domanda(cercato)
    if d is not None and d.elenco and d.nome in list(colonne):
        st.session_state[_TROVATO] = chiave


def testo(etichetta: str, valore: Any, chiave: str, *, aiuto: str | None = None, max_chars: int | None = None,
          segnaposto: str | None = None, where: Any = st) -> str:
    iniziale = "" if valore is None else str(valore)
    if bozze.campo(chiave, iniziale):
        iniziale = None
    return where.text_input(etichetta, value=iniziale, key=chiave, help=aiuto, max_chars=max_chars,
                            placeholder=segnaposto)


def scelta(etichetta: str, opzioni: dict[Any, str], valore: Any, chiave: str, *, aiuto: str | None = None,
           vuoto: str | None = None, where: Any = st) -> Any:
    """Selettore con etichette italiane; con ``vuoto`` si può anche non scegliere nulla."""
    chiavi = list(opzioni)
    indice = chiavi.index(valore) if valore in chiavi else (None if vuoto else 0)
    if bozze.campo(chiave, None if indice is None else chiavi[indice]):
        indice = 0
    return where.selectbox(etichetta, chiavi, index=indice, format_func=lambda k: opzioni.get(k, str(k)),
                           key=chiave, help=aiuto, placeholder=vuoto or "Scegli")


FORMATO_DATA = "GG/MM/AAAA"
AIUTO_DATA = f"Scrivi la data come {FORMATO_DATA}, per esempio 20/10/2025: giorno, mese, anno, in ogni browser."


def testo_data(x: Any) -> str:
    """Una data come si scrive in un campo: «10/03/2025» (vuoto se manca)."""
    if isinstance(x, dt.datetime):
        x = x.date()
    return x.strftime("%d/%m/%Y") if isinstance(x, dt.date) else ("" if x is None else str(x))


def leggi_data_scritta(testo: Any) -> dt.date | None:
    """La data scritta in un campo, letta all'italiana (giorno/mese/anno) dal lettore delle tabelle e dei
    file (``importazione.leggi_data``): ``None`` se il campo è vuoto; ``ValueError`` con il messaggio che dice
    perché non è una data («'31/02/2025' non esiste: febbraio 2025 ha 28 giorni»)."""
    return leggi_data(testo.strip() if isinstance(testo, str) else testo)


def errore_data(etichetta: str, messaggio: str, conseguenza: str = "la data non si salva") -> str:
    """Il messaggio accanto a un campo data che non si legge: il campo, il perché, come correggere e che cosa
    succede intanto."""
    correggi = "" if FORMATO_DATA in messaggio or "scrivil" in messaggio else f". Correggi la data ({FORMATO_DATA})"
    return f"«{etichetta}»: {messaggio}{correggi}; finché non è corretta, {conseguenza}."


def data_scritta(etichetta: str, valore: dt.date | None, chiave: str, *, aiuto: str | None = None,
                 conseguenza: str = "la data non si salva", where: Any = st) -> tuple[dt.date | None, str | None]:
    """Un campo data da scrivere come testo «GG/MM/AAAA», letto sempre all'italiana (il calendario di
    ``st.date_input`` segue la lingua del browser e sposta in silenzio una data impossibile: il 31/02 diventa
    il 28/02). Restituisce ``(data, None)`` (la data è ``None`` se il campo è vuoto) oppure, se ciò che si è
    scritto non è una data, ``(None, testo scritto)``: il messaggio compare sotto il campo e il testo resta lì
    com'era, da correggere, con ``conseguenza`` (che cosa succede intanto). Una data si cancella svuotando il
    campo."""
    iniziale = testo_data(valore)
    attuale = st.session_state.get(chiave)
    if isinstance(attuale, (dt.date, dt.datetime)):   # una data messa in sessione da una pagina
        st.session_state[chiave] = testo_data(attuale)
    if bozze.campo(chiave, iniziale) or chiave in st.session_state:
        iniziale = None
    scritto = where.text_input(etichetta, value=iniziale, key=chiave, placeholder=FORMATO_DATA, max_chars=10,
                               help=f"{aiuto} {AIUTO_DATA}" if aiuto else AIUTO_DATA)
    try:
        return leggi_data_scritta(scritto), None
    except ValueError as e:
        where.error(errore_data(etichetta, str(e), conseguenza), icon=":material/event_busy:")
        return None, scritto


def data(etichetta: str, valore: dt.date | None, chiave: str, *, aiuto: str | None = None,
         conseguenza: str = "vale la data di oggi", where: Any = st) -> dt.date | None:
    """Un campo data (``data_scritta``) per chi vuole solo la data, come la data di una situazione che, se
    manca, è oggi: ``None`` se è vuoto o se ciò che si è scritto non è una data (e allora il messaggio è sotto
    il campo, con ``conseguenza``)."""
    return data_scritta(etichetta, valore, chiave, aiuto=aiuto, conseguenza=conseguenza, where=where)[0]


def numero(etichetta: str, valore: float | int | None, chiave: str, *, minimo: float | None = 0.0,
           massimo: float | None = None, passo: float = 1.0, formato: str = "%.2f", aiuto: str | None = None,
           intero: bool = False, where: Any = st) -> float | int | None:
    if bozze.campo(chiave, valore):
        valore = None
    if intero:
        return where.number_input(etichetta, value=None if valore is None else int(valore), key=chiave,
                                  min_value=None if minimo is None else int(minimo),
                                  max_value=None if massimo is None else int(massimo), step=1, help=aiuto,
                                  placeholder="—")
    return where.number_input(etichetta, value=None if valore is None else float(valore), key=chiave,
                              min_value=minimo, max_value=massimo, step=passo, format=formato, help=aiuto,
                              placeholder="—")


def numero_testo(etichetta: str, valore: Any, chiave: str, *, decimali: int | None = None, aiuto: str | None = None,
                 segnaposto: str | None = None, where: Any = st) -> str:
    """Un numero da scrivere all'italiana («12,5», «1.234,50»): lo legge il servizio."""
    testo = "" if valore is None else numero_italiano(valore, decimali)
    if bozze.campo(chiave, testo):
        testo = None
    return where.text_input(etichetta, value=testo, key=chiave, help=aiuto, placeholder=segnaposto)


def casella(etichetta: str, valore: bool, chiave: str, *, aiuto: str | None = None, where: Any = st) -> bool:
    iniziale = bool(valore)
    if bozze.campo(chiave, iniziale):
        iniziale = False
    return where.checkbox(etichetta, value=iniziale, key=chiave, help=aiuto)


def scelte(etichetta: str, opzioni: dict[Any, str], valori: list, chiave: str, *, aiuto: str | None = None,
           segnaposto: str = "Scegli", where: Any = st) -> list:
    """Scelta multipla con etichette italiane."""
    iniziali = [x for x in valori if x in opzioni]
    if bozze.campo(chiave, iniziali):
        iniziali = None
    return where.multiselect(etichetta, list(opzioni), default=iniziali, format_func=lambda k: opzioni.get(k, str(k)),
                             key=chiave, help=aiuto, placeholder=segnaposto)


def sezione(titolo: str, where: Any = st) -> None:
    """Titoletto di una parte di un modulo (più piccolo del titolo del passo)."""
    where.markdown(f"#### {titolo}")


_CSS_ITALIANO = """
<style>
/* Caricamento file: i limiti e i formati li dice l'etichetta del campo, una volta sola e uguali a quelli
   controllati dal servizio; il pulsante inglese «Upload» diventa «Scegli i file». */
[data-testid="stFileUploaderDropzoneInstructions"] { display: none; }
[data-testid="stFileUploaderDropzone"] button p { font-size: 0; }
[data-testid="stFileUploaderDropzone"] button p::after { content: "Scegli i file"; font-size: 0.875rem; }
</style>
"""


def testi_italiani() -> None:
    """Ciò che Streamlit scrive in inglese e non si può etichettare dal codice, in italiano."""
    st.html(_CSS_ITALIANO)


def domanda(d: Any, valore: Any, chiave: str, *, scelte: dict | None = None, vuoto: str | None = None,
            where: Any = st) -> Any:
    """Il campo di una domanda del catalogo (``cer_docs.services.catalogo.Domanda``): etichetta, tipo di
    campo, scelte, segnaposto e aiuto vengono dalla dichiarazione, non dalla pagina."""
    _segna(d.percorso, chiave)
    if d.widget == "testo" and d.tipo in ("percentuale", "euro"):
        return numero_testo(d.etichetta, valore, chiave, decimali=2 if d.tipo == "euro" else None, aiuto=d.aiuto,
                            segnaposto=d.segnaposto, where=where)
    if d.widget == "testo":
        return testo(d.etichetta, valore, chiave, aiuto=d.aiuto, segnaposto=d.segnaposto,
                     max_chars=d.massimo_caratteri, where=where)
    if d.widget == "scelta":
        return scelta(d.etichetta, scelte or {}, valore, chiave, aiuto=d.aiuto, vuoto=vuoto or d.vuoto, where=where)
    if d.widget == "scelte":
        return scelte_(d, scelte or {}, valore, chiave, where)
    if d.widget == "data":
        # una data che non si legge arriva al motore com'è scritta: il passo non si salva e il motore la
        # segnala con il suo messaggio (la pratica riceve solo ``datetime.date`` o niente)
        x, scritto = data_scritta(d.etichetta, valore, chiave, aiuto=d.aiuto, conseguenza="il passo non si salva",
                                  where=where)
        return scritto if scritto is not None else x
    if d.widget == "numero":
        # i limiti li controlla il motore con un messaggio (il campo li imporrebbe in silenzio)
        return numero(d.etichetta, valore, chiave, aiuto=d.aiuto, intero=True, minimo=None, where=where)
    if d.widget == "casella":
        return casella(d.etichetta, bool(valore), chiave, aiuto=d.aiuto, where=where)
    raise ValueError(f"tipo di campo senza disegno: {d.widget}")


def scelte_(d: Any, opzioni: dict, valori: Any, chiave: str, where: Any = st) -> list:
    return scelte(d.etichetta, opzioni, list(valori or []), chiave, aiuto=d.aiuto, segnaposto=d.segnaposto or "Scegli",
                  where=where)


def modulo(domande: list, valori: dict[str, Any], chiave: Any, voci: dict[str, dict], *,
           indici: tuple[int, ...] = (), note: dict[str, str] | None = None) -> dict[str, Any]:
    """Disegna un passo generato dal catalogo: per ogni sezione il titoletto e la sua nota, poi i campi
    riga per riga (quelli con la stessa ``riga`` affiancati). Restituisce i valori per nome di domanda.

    ``chiave`` trasforma la chiave dichiarata in quella della pagina (per esempio con il prefisso della
    pratica); ``voci`` sono le scelte risolte dal motore; ``note`` aggiunge testo sotto una sezione."""
    out: dict[str, Any] = {}
    righe: list[tuple[str | None, int, list]] = []
    for d in domande:
        if righe and righe[-1][0] == d.sezione and righe[-1][1] == d.riga:
            righe[-1][2].append(d)
        else:
            righe.append((d.sezione, d.riga, [d]))
    sezione_attuale = object()
    for titolo, _riga, gruppo in righe:
        gruppo = [d for d in gruppo if _chiesta(d, out, valori)]
        if not gruppo:
            continue
        if titolo != sezione_attuale:
            sezione_attuale = titolo
            if titolo:
                sezione(titolo)
            if note and note.get(titolo):
                st.caption(note[titolo])
        colonne = st.columns(len(gruppo)) if len(gruppo) > 1 else [st]
        for d, dove in zip(gruppo, colonne):
            out[d.nome] = domanda(d, valori.get(d.nome), chiave(d.chiave.format(*indici)), scelte=voci.get(d.nome),
                                  where=dove)
    return out


def _chiesta(d: Any, disegnati: dict[str, Any], valori: dict[str, Any]) -> bool:
    """``solo_se``: la domanda si mostra solo se il campo da cui dipende (già disegnato) ha uno dei valori."""
    if d.solo_se is None:
        return True
    nome, ammessi = d.solo_se
    return disegnati.get(nome, valori.get(nome)) in ammessi


def _una_per_colonna(domande: list) -> list:
    """Una domanda per colonna: due domande con lo stesso nome (l'indirizzo di residenza o di sede secondo
    il tipo del soggetto) sono la stessa colonna della tabella."""
    una: dict[str, Any] = {}
    for d in domande:
        una.setdefault(d.nome, d)
    return list(una.values())


VOCE_VUOTA = "—"
"""In una tabella, il valore di una scelta lasciata vuota che ha un nome (``Domanda.vuoto``, per il ruolo
«Non membro»): il menu della cella mostra quel nome invece di una riga bianca. Si legge come vuoto
(``righe_generate``): al motore e alla pratica arriva ``None``, come prima."""


def _col_vuota(d: Any) -> bool:
    return d.widget == "scelta" and bool(d.vuoto)


def data_in_tabella(x: Any) -> str | None:
    """Una data in una cella di tabella: testo all'italiana («10/03/2025»), lo stesso in ogni browser."""
    if isinstance(x, dt.datetime):
        x = x.date()
    return x.strftime("%d/%m/%Y") if isinstance(x, dt.date) else x


def tabella_generata(domande: list, righe: list[dict[str, Any]], altre: tuple[str, ...] = ()) -> Any:
    """Il DataFrame di una tabella generata dal catalogo: una colonna per domanda (per nome) più le ``altre``
    (l'``id`` nascosto, colonne calcolate), le righe numerate da 1 come nei messaggi d'errore, i vuoti come
    ``None`` (i numeri come NaN), le date come testo «GG/MM/AAAA» (le legge il servizio, all'italiana)."""
    import pandas as pd

    domande = _una_per_colonna(domande)
    df = pd.DataFrame(righe, columns=[*altre, *[d.nome for d in domande]])
    for d in domande:
        if d.widget == "numero":
            df[d.nome] = pd.to_numeric(df[d.nome], errors="coerce").astype(float)
        elif d.widget == "data":
            df[d.nome] = [data_in_tabella(x) for x in df[d.nome].astype(object).where(df[d.nome].notna(), None)]
            df[d.nome] = df[d.nome].astype(object).where(df[d.nome].notna(), None)
        elif _col_vuota(d):
            df[d.nome] = df[d.nome].astype(object).where(df[d.nome].notna(), VOCE_VUOTA)
        elif d.widget != "scelte":
            df[d.nome] = df[d.nome].astype(object).where(df[d.nome].notna(), None)
    for c in altre:
        df[c] = df[c].astype(object).where(df[c].notna(), None)
    df.index = pd.RangeIndex(1, len(df) + 1)
    return df


def righe_generate(domande: list, df: Any) -> list[dict[str, Any]]:
    """Le righe di una tabella generata (DataFrame modificato), nell'ordine mostrato, come le vuole il motore:
    la voce «vuota» con un nome (``VOCE_VUOTA``) torna vuota."""
    righe = df.reset_index(drop=True).to_dict("records")
    vuote = [d.nome for d in _una_per_colonna(domande) if _col_vuota(d)]
    for riga in righe:
        for nome in vuote:
            if riga.get(nome) == VOCE_VUOTA:
                riga[nome] = None
    return righe


def colonne_generate(domande: list, voci: dict[str, dict]) -> dict[str, Any]:
    """Le colonne di una tabella generata dal catalogo: tipo, etichetta, scelte, limiti, predefinito (per le
    righe nuove) e aiuto dalle domande.

    Le date sono colonne di testo «GG/MM/AAAA»: il calendario di ``DateColumn`` segue la lingua del browser
    (in un browser inglese «10/03/2025» diventa il 3 ottobre), il testo no; lo legge il servizio con le
    regole italiane e una data che non si legge ha il suo messaggio, con riga e colonna."""
    cc = st.column_config
    out: dict[str, Any] = {}
    for d in _una_per_colonna(domande):
        opzioni = voci.get(d.nome) or {}
        comuni = {"width": d.larghezza, "help": d.aiuto}
        if _col_vuota(d):
            # la scelta vuota ha un nome («Non membro»): è una voce del menu (in fondo), non una riga bianca
            # senza nome; la colonna non resta mai vuota (una riga nuova parte da quella voce)
            out[d.nome] = cc.SelectboxColumn(d.etichetta, options=[*opzioni, VOCE_VUOTA],
                                             format_func=lambda x, o=opzioni, v=d.vuoto: v if x == VOCE_VUOTA
                                             else o.get(x, x),
                                             default=VOCE_VUOTA if d.se_vuoto is None else d.se_vuoto,
                                             required=True, **comuni)
        elif d.widget == "scelta":
            out[d.nome] = cc.SelectboxColumn(d.etichetta, options=list(opzioni),
                                             format_func=lambda x, o=opzioni: o.get(x, x), default=d.se_vuoto,
                                             **comuni)
        elif d.widget == "scelte":
            out[d.nome] = cc.MultiselectColumn(d.etichetta, options=list(opzioni), format_func=opzioni.get, **comuni)
        elif d.widget == "data":
            aiuto = f"{d.aiuto} " if d.aiuto else ""
            out[d.nome] = cc.TextColumn(d.etichetta, max_chars=10, width=d.larghezza,
                                        help=f"{aiuto}Scrivi la data come {FORMATO_DATA}, per esempio 20/10/2025.")
        elif d.widget == "casella":
            out[d.nome] = cc.CheckboxColumn(d.etichetta, default=d.se_vuoto, **comuni)
        elif d.widget == "numero":
            # niente minimo né massimo nella cella: la griglia li imporrebbe in silenzio (−60 diventa 60);
            # li controlla il motore, con un messaggio che dice riga e colonna
            out[d.nome] = cc.NumberColumn(d.etichetta, step=d.passo_numero or 1.0, format=d.formato or "localized",
                                          **comuni)
        else:
            out[d.nome] = cc.TextColumn(d.etichetta, max_chars=d.massimo_caratteri, **comuni)
    return out

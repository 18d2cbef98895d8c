"""Il motore dei passi generati dal catalogo delle domande (``services/catalogo.py``).

Un passo generato non ha funzioni scritte a mano per leggere e scrivere i suoi campi: le sue
domande dicono il percorso nel modello, il tipo di campo, le scelte e il nome da usare negli
errori. Il motore:

- ``valori(pratica, passo, indici)`` legge i valori attuali per percorso (nome della domanda →
  valore pronto per il campo: i ``Decimal`` diventano numeri, i vuoti il loro ``se_vuoto``);
- ``scelte(pratica, passo)`` risolve le voci delle scelte (vocabolario o elenchi della pratica);
- ``applica(pratica, passo, valori, indici, oggi)`` converte e controlla ogni campo (tutti i
  problemi insieme, ciascuno col nome del campo), esegue i controlli tra campi del passo, scrive
  per percorso nei dati della pratica e convalida *una volta* con le regole del file pratica.
  Restituisce una nuova ``Pratica`` o solleva ``ErrorePasso``; la pratica di partenza non cambia.

Un campo che non compare tra i ``valori`` passati non si tocca. Le tabelle generate hanno
``righe(pratica, passo)`` e ``applica_righe(pratica, passo, righe, oggi)``: ogni colonna è una
domanda con ``elenco``, ogni problema ha il numero di riga. I passi generati oggi: referente e
mandato, statuto e riparto, comunità, dettagli di un soggetto (moduli), configurazione con la tabella dei
POD e consumi mensili di un POD (moduli), soggetti e membri, produttori terzi e impianti (tabelle),
contributo PNRR di un impianto (modulo del passo «Impianti» con un interruttore e due tabelle); vedi
``PASSI_GENERATI`` e ``RIGHE_GENERATE``.

La tabella dei soggetti scrive con una riga due elenchi: il soggetto e, se la riga ha un ruolo, il suo
membro (``Collegato``: l'elemento di ``membri[]`` che rimanda all'``id`` del soggetto). Una colonna può
avere due percorsi (due domande con lo stesso nome e ``solo_se`` sul tipo della riga: l'indirizzo è la
residenza di una persona, la sede di un ente); una domanda non chiesta per la riga toglie il suo campo.
``converti_righe`` converte e controlla righe senza scriverle: l'importazione da un file la usa, così una
riga del file e una riga della tabella hanno gli stessi controlli e gli stessi messaggi.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from cer_docs.model import Pratica
from cer_docs.model import vocabolario as voc
from cer_docs.rules import identificativi as idf
from cer_docs.rules import pnrr as regole_pnrr
from cer_docs.services import catalogo
from cer_docs.services import procedura as proc
from cer_docs.services.catalogo import Domanda

__all__ = ["valori", "scelte", "applica", "avvisi", "righe", "applica_righe", "converti_righe",
           "colonne_importabili", "deduci_tipo", "totale_riparto", "PASSI_GENERATI", "RIGHE_GENERATE"]


# --------------------------------------------------------------------------- scelte

def _scelte_soggetti(p: Pratica, attuale: Any) -> dict[str, str]:
    return proc.etichette_soggetti(p)


def _etichette_pod(p: Pratica, indici: tuple[int, ...]) -> dict[str, str]:
    """«IT001E… · Mario Rossi · via Roma 1»: i POD a cui si può collegare un impianto della configurazione,
    con il titolare e l'indirizzo (più quelli già usati dagli impianti)."""
    ci = indici[0] if indici else -1
    if not 0 <= ci < len(p.configurazioni):
        return {}
    nomi = proc.etichette_soggetti(p)
    out = {}
    for pc in p.configurazioni[ci].punti_connessione:
        out[pc.pod] = " · ".join([pc.pod, nomi.get(pc.soggetto, pc.soggetto), *([pc.indirizzo] if pc.indirizzo else [])])
    for pod in proc.pod_della_configurazione(p, ci):
        out.setdefault(pod, pod)
    return out


def _qualifiche_referente(p: Pratica, indici: tuple[int, ...]) -> dict[str, str]:
    """Chi può fare il referente secondo il tipo della configurazione (il parametro della regola REF_QUALIFICA,
    in vigore oggi); la qualifica già scritta resta tra le scelte, e se non va la regola lo dice."""
    from cer_docs.rules.base import param

    tutte = voc.QUALIFICHE_REFERENTE.etichette()
    ci = indici[0] if indici else -1
    if not 0 <= ci < len(p.configurazioni):
        return tutte
    conf = p.configurazioni[ci]
    ammesse = set(param("referente_qualifiche_ammesse", dt.date.today()).get(conf.tipo) or tutte)
    if conf.referente is not None:
        ammesse.add(conf.referente.qualifica)
    return {k: v for k, v in tutte.items() if k in ammesse}


_PER_INDICI: dict[str, Callable[[Pratica, tuple[int, ...]], dict]] = {
    # elenchi che dipendono dall'elemento scelto (la configurazione)
    "pod_configurazione": _etichette_pod,
    "qualifiche_referente": _qualifiche_referente,
}

_ELENCHI: dict[str, Callable[[Pratica, Any], dict]] = {
    "soggetti": _scelte_soggetti,
    # chi può essere produttore terzo (non membro); si controlla però contro tutti i soggetti, perché un
    # membro scelto per errore abbia il suo messaggio («è membro della comunità»)
    "candidati_terzi": lambda p, _a: proc.candidati_produttori_terzi(p),
    "impianti": lambda p, _a: proc.etichette_impianti(p),
    "profili_consumo": lambda _p, _a: proc.ETICHETTE_PROFILO_CONSUMO,
    # chi sostiene la spesa PNRR: vuoto = il produttore dell'impianto, «comunita» = la CER, o un soggetto
    "beneficiari_pnrr": lambda p, _a: proc.beneficiari_pnrr(p),
    "comunita_o_soggetti": lambda p, _a: {"comunita": "La comunità stessa", **proc.etichette_soggetti(p)},
    # un esercizio scritto a mano nel file resta tra le scelte
    "esercizi": lambda _p, a: {**proc.ETICHETTE_ESERCIZIO, **({a: a} if a and a not in proc.ETICHETTE_ESERCIZIO
                                                              else {})},
}


def _voci(p: Pratica, d: Domanda, attuale: Any = None, indici: tuple[int, ...] = ()) -> dict | None:
    if d.scelte is None:
        return None
    if isinstance(d.scelte, str):
        if d.scelte in _PER_INDICI:
            return _PER_INDICI[d.scelte](p, indici)
        return _ELENCHI[d.scelte](p, attuale)
    return dict(d.scelte)


def scelte(pratica: Pratica, passo: str, indici: tuple[int, ...] = ()) -> dict[str, dict]:
    """Le voci di ogni domanda a scelta del passo (nome della domanda → codice → etichetta)."""
    out = {}
    for d in catalogo.domande_del_modulo(passo):
        voci = _voci(pratica, d, None if d.elenco else catalogo.leggi(pratica, d.percorso, indici), indici)
        if voci is not None:
            out[d.nome] = voci
    return out


# --------------------------------------------------------------------------- lettura

def _per_il_campo(d: Domanda, x: Any) -> Any:
    if d.tipo == "lista":
        return ", ".join(x or []) or None
    if d.widget == "mesi":
        return [float(m) for m in x] if x else [None] * 12
    if x is None:
        return d.se_vuoto if d.se_vuoto is not None and not isinstance(d.se_vuoto, Decimal) else None
    if isinstance(x, Decimal):
        return float(x)
    if d.widget == "mesi":
        return [float(m) for m in x] if x else [None] * 12
    if isinstance(x, (list, tuple)):
        return list(x)
    return x


def valori(pratica: Pratica, passo: str, indici: tuple[int, ...] = ()) -> dict[str, Any]:
    """I valori attuali dei campi del passo, per nome della domanda; le tabelle di un modulo (righe per
    nome di colonna) sotto il loro nome, l'interruttore della sezione facoltativa sotto il suo."""
    out = {d.nome: _per_il_campo(d, _leggi(pratica, d, indici))
           for d in catalogo.domande_del_modulo(passo) if not d.elenco}
    spec = PASSI_GENERATI.get(passo)
    if spec is not None:
        if spec.predefiniti is not None and not _esiste(pratica, passo, indici):
            out.update(spec.predefiniti(pratica))
        if spec.contesto is not None:
            out.update(spec.contesto(pratica, indici))
        if spec.interruttore:
            nome, percorso = spec.interruttore
            out[nome] = catalogo.leggi(pratica, percorso, indici) is not None
        for elenco, tab in spec.tabelle.items():
            out[tab.nome] = _righe_elenco(pratica, _colonne_di(passo, elenco), elenco, indici)
    return out


def _esiste(pratica: Pratica, passo: str, indici: tuple[int, ...]) -> bool:
    """L'elemento dell'elenco a cui il modulo si riferisce c'è (il modulo di una configurazione nuova no)."""
    d = next(d for d in catalogo.domande_del_modulo(passo) if not d.elenco)
    contenitore = d.percorso.rpartition(".")[0]
    return catalogo.leggi(pratica, contenitore, indici) is not None


def _leggi(pratica: Pratica, d: Domanda, indici: tuple[int, ...]) -> Any:
    if d.parte is None:
        return catalogo.leggi(pratica, d.percorso, indici)
    padre = d.percorso.rpartition(".")[0]
    return COMPOSTI[padre][0](catalogo.leggi(pratica, padre, indici)).get(d.parte)


def _righe_elenco(pratica: Any, colonne: list[Domanda], elenco: str, indici: tuple[int, ...],
                  collegato: Collegato | None = None) -> list[dict[str, Any]]:
    """Le righe di una tabella, per nome di colonna. Una colonna con due percorsi (due domande con lo stesso
    nome) si legge da quello chiesto per la riga (``solo_se`` sui valori della riga: prima le colonne senza
    condizioni); le colonne di un elenco collegato si leggono dal suo elemento che rimanda alla riga."""
    elementi = catalogo.leggi(pratica, elenco, indici) or []
    legati: dict[Any, int] = {}
    if collegato is not None:
        for j, e in enumerate(catalogo.leggi(pratica, collegato.elenco, indici) or []):
            legati.setdefault(catalogo.leggi(e, collegato.campo), j)
    ordine = sorted(colonne, key=lambda d: d.solo_se is not None)
    out = []
    for i, elemento in enumerate(elementi):
        riga: dict[str, Any] = {}
        for d in ordine:
            if riga.get(d.nome) is not None or not chiesta(d, riga):
                riga.setdefault(d.nome, None)
                continue
            if collegato is not None and collegato.contiene(d):
                j = legati.get(catalogo.leggi(elemento, collegato.chiave))
                x = None if j is None else catalogo.leggi(pratica, d.percorso, (*indici, j))
            else:
                x = catalogo.leggi(pratica, d.percorso, (*indici, i))
            riga[d.nome] = _per_il_campo(d, x)
        out.append({nome: riga[nome] for nome in dict.fromkeys(d.nome for d in colonne)})
    return out


# --------------------------------------------------------------------------- conversione

_SOGGETTI = ("soggetti", "comunita_o_soggetti", "candidati_terzi", "beneficiari_pnrr")


def _controllo_cup(x: str, al: dt.date) -> str | None:
    esito = idf.cup(x, al)
    return esito[1] if esito and esito[0] == "errore" else None   # un CUP di forma insolita si salva (avviso)


def _avviso_cup(x: str, al: dt.date) -> str | None:
    esito = idf.cup(x, al)
    return esito[1] if esito and esito[0] == "avviso" else None    # il CUP si salva, ma va ricontrollato


def _controllo_pec(x: str, _al: dt.date) -> str | None:
    return None if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", x) else f"'{x}' non è un indirizzo di posta elettronica"


def _codice(x: str) -> str:
    return idf.normalizza(x)


CONTROLLI: dict[str, tuple[Callable[[str], str], Callable[[str, dt.date], str | None]]] = {
    # nome del controllo → (come si scrive il valore nel file, controllo (valore, data) → messaggio o None)
    "cup": (_codice, _controllo_cup),
    "cig": (_codice, idf.cig),
    "pod": (_codice, idf.pod),
    "cabina_primaria": (_codice, idf.cabina_primaria),
    "ateco": (str.strip, idf.ateco),
    "codice_fiscale_persona": (_codice, lambda x, _al: idf.codice_fiscale_persona(x)),
    "codice_fiscale_ente": (_codice, lambda x, _al: idf.codice_fiscale_ente(x)),
    "iban": (_codice, lambda x, _al: idf.iban(x)),
    "pec": (str.strip, _controllo_pec),
    "email": (str.strip, _controllo_pec),
    "partita_iva": (_codice, lambda x, _al: idf.partita_iva(x)),
    # la forma del codice fiscale dipende dal tipo della riga (persona o ente): la controlla la riga
    # (``_dopo_riga_soggetti``)
    "codice_fiscale": (_codice, lambda _x, _al: None),
    "cap": (str.strip, lambda x, _al: idf.cap(x)),
    "provincia": (str.upper, lambda x, _al: idf.provincia(x)),
}


AVVISI: dict[str, Callable[[str, dt.date], str | None]] = {
    # nome del controllo → il dato si salva ma va ricontrollato (valore, data) → messaggio o None; la gravità è
    # quella della regola (un CUP di forma insolita è un avviso anche nel riepilogo, rilievo ID_CUP)
    "cup": _avviso_cup,
}


def avvisi(passo: str, valori_modulo: dict[str, Any], al: dt.date) -> list[proc.ProblemaPasso]:
    """I campi del modulo che si salvano ma vanno ricontrollati, con il nome del campo e il messaggio dello
    stesso controllo che al salvataggio blocca gli errori (``CONTROLLI``): la pagina li dice subito, non solo
    nel riepilogo. Con l'interruttore del modulo spento la sezione si toglie: nessun avviso."""
    spec = PASSI_GENERATI.get(passo)
    if spec is not None and spec.interruttore and not valori_modulo.get(spec.interruttore[0], True):
        return []
    out = []
    for d in catalogo.domande_del_modulo(passo):
        if d.elenco or d.controllo not in AVVISI or d.nome not in valori_modulo:
            continue
        x = proc._testo(valori_modulo[d.nome])
        x = CONTROLLI[d.controllo][0](x) if x is not None else None
        if x and (m := AVVISI[d.controllo](x, al)):
            out.append(proc.ProblemaPasso(d.nome_campo, m))
    return out


def _converti(r: Any, p: Pratica, d: Domanda, v: Any, al: dt.date | None = None,
              indici: tuple[int, ...] = (), voci_note: dict[str, dict | None] | None = None) -> Any:
    """Il valore del campo convertito per il modello; un problema va nella raccolta ``r``. Le voci delle
    scelte si risolvono qui, o vengono da ``voci_note`` (nome della domanda → voci: una tabella le risolve
    una volta per colonna, non per cella)."""
    nome = d.nome_campo
    if d.tipo == "percentuale":
        x = proc._numero(r, nome, v, minimo=Decimal(0), massimo=Decimal(100), decimali=2)
    elif d.tipo == "euro":
        x = proc._euro(r, nome, v)
    elif d.tipo == "decimale":
        # nessuna grandezza della pratica è negativa: senza un minimo dichiarato, zero
        x = proc._numero(r, nome, v, minimo=Decimal(0) if d.minimo is None else d.minimo, massimo=d.massimo,
                         decimali=d.decimali, positivo=d.positivo)
    elif d.tipo == "lista":
        x = proc._lista_testi(v)
    elif d.controllo:
        forma, controlla = CONTROLLI[d.controllo]
        x = proc._testo(v)
        x = forma(x) or None if x is not None else None
        if x is not None and (m := controlla(x, al or dt.date.today())):
            r(nome, m)
    elif d.widget == "data":
        x = proc._data(r, nome, v)
    elif d.widget == "numero":
        x = proc._intero(r, nome, v)
    elif d.widget == "casella":
        # in una tabella la casella può restare «non si sa» (vuota); in un modulo è sì o no, ma un «non si sa»
        # letto dalla pratica (None) e mai toccato resta tale
        x = None if v is None or (d.elenco and proc.valore_vuoto(v)) else bool(v)
    elif d.widget == "testo":
        x = proc._testo(v)
    elif d.widget == "scelta":
        x = proc._testo(v)
        voci = voci_note[d.nome] if voci_note is not None and d.nome in voci_note else _voci(p, d, x, indici)
        if voci and x is not None and x not in voci:
            x = {str(k): k for k in voci}.get(x, x)      # voci con chiavi non di testo (2007, 2025)
        if d.scelte == "candidati_terzi":
            voci = (voci_note or {}).get("_soggetti") or proc.etichette_soggetti(p)
        if x is not None and voci is not None and x not in voci:
            r(nome, d.non_trovato.format(x=x) if d.non_trovato else
              f"'{x}' non è tra i soggetti della pratica" if d.scelte in _SOGGETTI else "scegli una delle voci proposte")
            x = None
    elif d.widget == "scelte":
        voci = (voci_note[d.nome] if voci_note is not None and d.nome in voci_note else _voci(p, d)) or {}
        xs = proc._lista_testi(v)
        for x in xs:
            if x not in voci:
                r(nome, d.non_trovato.format(x=x) if d.non_trovato else
                  f"'{x}' non è tra i soggetti della pratica" if d.scelte == "soggetti"
                  else f"'{x}' non è tra le voci previste")
        x = [x for x in dict.fromkeys(xs) if x in voci]
    elif d.widget == "mesi":
        x = _mesi(r, v)
    else:
        raise ValueError(f"il motore non sa convertire un campo «{d.widget}» ({d.percorso})")
    return d.se_vuoto if x is None and d.se_vuoto is not None else x


def _mesi(r: Any, v: Any) -> list[Decimal] | None:
    """Dodici valori mese per mese (kWh, da gennaio): tutti, oppure nessuno (il campo si toglie)."""
    mesi = list(v or [])[:12]
    mesi += [None] * (12 - len(mesi))
    letti = [proc._numero(r, f"consumo di {m} (kWh)", x, minimo=Decimal(0)) for m, x in zip(proc.MESI, mesi)]
    vuoti = [m for m, x in zip(proc.MESI, mesi) if proc.valore_vuoto(x)]
    if len(vuoti) == 12:
        return None
    if vuoti:
        r("consumi mensili", "servono tutti e dodici i mesi (oppure nessuno); mancano: " + ", ".join(vuoti))
        return None
    return letti


# --------------------------------------------------------------------------- campi composti

def _leggi_notaio(atto: Any) -> dict[str, Any]:
    """Il notaio dell'atto, testo (formato storico) o struttura, per parti; il repertorio sta nei dati del
    notaio o nell'atto."""
    if atto is None:
        return {}
    n = atto.dati_notaio
    parti = {"nome": n.nome_completo} if n else {}
    for c in _PARTI_NOTAIO:
        parti[c] = getattr(n, c) if n else None
    parti["repertorio"] = (n.repertorio if n else None) or atto.repertorio
    return parti


_PARTI_NOTAIO = ("sesso", "sede", "distretto", "raccolta")


def _scrivi_notaio(atto: dict[str, Any], parti: dict[str, Any], attuale: Any) -> None:
    """Finché del notaio si conosce solo il nome, il file conserva il testo semplice (formato storico); con
    un dato in più diventa la struttura ``Notaio``, senza perdere ciò che il passo non mostra (il cognome
    separato). Il repertorio resta dove la pratica lo tiene già (dati del notaio o atto)."""
    if "nome" in parti:
        nome = parti["nome"]
        extra = {c: parti.get(c) for c in _PARTI_NOTAIO}
        vecchio = atto.get("notaio")
        if not any(x is not None for x in extra.values()) and not isinstance(vecchio, dict):
            proc._imposta(atto, "notaio", nome)
        else:
            n = dict(vecchio) if isinstance(vecchio, dict) else (
                {k: x for k, x in attuale.dati_notaio.model_dump().items() if x is not None}
                if attuale is not None and attuale.dati_notaio is not None else {})
            if " ".join(x for x in (n.get("nome"), n.get("cognome")) if x) != (nome or ""):
                n["nome"], n["cognome"] = nome, None
            for c, x in extra.items():
                proc._imposta(n, c, x)
            atto["notaio"] = n if any(x is not None for x in n.values()) else None
    if "repertorio" in parti:
        notaio = atto.get("notaio")
        if isinstance(notaio, dict) and notaio.get("repertorio") is not None:
            atto["notaio"] = {**notaio, "repertorio": parti["repertorio"]}
        else:
            proc._imposta(atto, "repertorio", parti["repertorio"])


COMPOSTI: dict[str, tuple[Callable[[Any], dict[str, Any]], Callable[[dict, dict, Any], None]]] = {
    # percorso del contenitore → (lettura per parti dall'oggetto del modello, scrittura delle parti nei dati)
    "comunita.atto_costitutivo": (_leggi_notaio, _scrivi_notaio),
}


# --------------------------------------------------------------------------- scrittura per percorso

def _scrivi(dati: dict[str, Any], percorso: str, indici: tuple[int, ...], valore: Any) -> None:
    """Scrive ``valore`` al percorso nei dati della pratica; un vuoto non crea campi né sezioni nuove."""
    resto = list(indici)
    parti = percorso.split(".")
    contenitore: Any = dati
    for parte in parti[:-1]:
        nome, elenco = parte.removesuffix("[]"), parte.endswith("[]")
        figlio = contenitore.get(nome)
        if elenco:
            contenitore = figlio[resto.pop(0)]
            continue
        if not isinstance(figlio, dict):
            if valore is None or valore == []:
                return
            figlio = {}
        contenitore[nome] = figlio = dict(figlio)
        contenitore = figlio
    proc._imposta(contenitore, parti[-1], valore)


def _sfoltisci(dati: dict[str, Any], percorso: str, indici: tuple[int, ...]) -> None:
    """Una sezione facoltativa rimasta senza alcun valore torna assente (``None``)."""
    padre_percorso, _, nome = percorso.rpartition(".")
    padre = catalogo.leggi(dati, padre_percorso, indici) if padre_percorso else dati
    if isinstance(padre, dict) and isinstance(padre.get(nome), dict) and \
            all(x is None or x == [] for x in padre[nome].values()):
        padre[nome] = None


# --------------------------------------------------------------------------- controlli dei passi

def totale_riparto(valori_modulo: dict[str, Any]) -> Decimal:
    """La somma delle quote del riparto nei valori del modulo (vuoto o illeggibile = 0)."""
    tot = Decimal(0)
    for k in voc.VOCI_RIPARTO:
        x = valori_modulo.get(f"riparto_{k}")
        if not proc.valore_vuoto(x):
            try:
                tot += proc._decimale_italiano(x) if isinstance(x, str) else Decimal(str(float(x)))
            except (TypeError, ValueError, ArithmeticError):
                pass
    return tot


def _prima_statuto(p: Pratica, r: Any, indici: tuple[int, ...]) -> None:
    if p.comunita is None:
        r("comunità", "la pratica non ha una comunità: compila prima il passo «Comunità» (lo statuto è della CER)")


def _dopo_statuto(p: Pratica, v: dict[str, Any], r: Any, indici: tuple[int, ...]) -> None:
    from cer_docs.italiano import percentuale

    quote = [v.get(f"riparto_{k}") for k in voc.VOCI_RIPARTO]
    if any(q is None for q in quote):
        return  # il modulo non tocca il riparto, o una quota illeggibile ha già il suo errore
    totale = sum(quote, Decimal(0))
    if totale != 100:
        r("ripartizione dei benefici",
          f"le quote sommano a {percentuale(totale)}, ma devono fare {percentuale(100)}: "
          + ("mancano " + percentuale(100 - totale) if totale < 100 else "ci sono " + percentuale(totale - 100)
             + " di troppo") + ". Correggi le quote prima di salvare")


def _prima_referente(p: Pratica, r: Any, indici: tuple[int, ...]) -> None:
    if not indici or not 0 <= indici[0] < len(p.configurazioni):
        r("configurazione", "prima aggiungi una configurazione nel passo «Configurazioni»")


def _dopo_referente(p: Pratica, v: dict[str, Any], r: Any, indici: tuple[int, ...]) -> None:
    qualifica = v.get("qualifica")
    if qualifica in proc._QUALIFICHE_CON_SOGGETTO and v.get("soggetto") is None:
        r("referente", f"hai scelto «{proc.ETICHETTE_QUALIFICA.get(qualifica, qualifica)}»: indica chi è")
    if qualifica == "comunita":
        if p.comunita is None:
            r("qualifica del referente", "la pratica non ha una comunità (ente): scegli un'altra qualifica")
        v["soggetto"] = None  # la comunità fa da sé: nessun soggetto referente
    firma, revoca = v.get("mandato_data_firma"), v.get("mandato_data_revoca")
    invio, data_esito = v.get("richiesta_data_invio"), v.get("richiesta_data_esito")
    if firma and revoca and revoca < firma:
        r("data di revoca del mandato", "è prima della data di firma")
    if (v.get("richiesta_esito") or data_esito) and not invio:
        r("data di invio della richiesta", "c'è un esito ma manca la data di invio della richiesta")
    if invio and data_esito and data_esito < invio:
        r("data dell'esito", "è prima dell'invio della richiesta")


def _riga_produttori_terzi(p: Pratica, grezza: dict[str, Any], r: Any, n: int, visti: dict[str, int]) -> None:
    """Un produttore terzo è un soggetto della pratica che non è membro, una volta sola."""
    sog = proc._testo(grezza.get("soggetto"))
    nomi = proc.etichette_soggetti(p)
    if sog is None:
        r("produttore", "scegli il soggetto (deve essere tra i soggetti, senza ruolo di membro)")
    elif sog in nomi and sog in {m.soggetto for m in p.membri}:
        r("produttore", "è membro della comunità: un produttore terzo non è membro. Togli il ruolo nel passo "
                        "«Soggetti e membri» oppure scegli un altro soggetto")
    elif sog in visti:
        r("produttore", f"è già alla riga {visti[sog]}")
    elif sog in nomi:
        visti[sog] = n


def _dopo_comunita(p: Pratica, v: dict[str, Any], r: Any, indici: tuple[int, ...]) -> None:
    if v.get("stato", "") is None:
        v.pop("stato")                      # nessuno stato scelto: resta quello della pratica
    if v.get("denominazione") is None and "denominazione" in v:
        if p.comunita is None:              # AUC o AID senza ente: si aggiorna solo lo stato della pratica
            for nome in [x for x in v if x != "stato"]:
                v.pop(nome)
        else:
            r("denominazione", "scrivi la denominazione della comunità, come apparirà nello statuto")


def _prima_contributo_pnrr(p: Pratica, r: Any, indici: tuple[int, ...]) -> None:
    ci, ii = indici
    if not 0 <= ci < len(p.configurazioni):
        r("configurazione", "prima aggiungi una configurazione nel passo «Configurazioni»")
    elif not 0 <= ii < len(p.configurazioni[ci].impianti):
        r("impianto", "l'impianto non c'è più: salva prima la tabella degli impianti")


def _dopo_contributo_pnrr(p: Pratica, v: dict[str, Any], r: Any, indici: tuple[int, ...]) -> None:
    """Il registro delle spese si tiene nella pagina «Contributo PNRR»: togliere il contributo a un
    impianto che ha spese registrate non si può (si perderebbe il registro). La fine dei lavori prima
    del loro avvio non si salva: è un errore della regola ``PNRR_FINE_PRIMA_DELL_AVVIO``, con le sue parole."""
    c = p.configurazioni[indici[0]].impianti[indici[1]].contributo_pnrr
    if v.get("finanziato"):
        avvio = v["data_avvio_lavori"] if "data_avvio_lavori" in v else c and c.data_avvio_lavori
        fine = v["data_fine_lavori"] if "data_fine_lavori" in v else c and c.data_fine_lavori
        if m := regole_pnrr.fine_prima_dell_avvio(avvio, fine):
            etichette = [catalogo.domanda(_P + x).etichetta for x in (".data_avvio_lavori", ".data_fine_lavori")]
            r(catalogo.domanda(_P + ".data_fine_lavori").nome_campo,
              f"{m}: correggi «{etichette[0]}» o «{etichette[1]}»")
        return
    if c is not None and (n := len(c.spese)):
        r("contributo PNRR", f"l'impianto ha {n} {'spesa' if n == 1 else 'spese'} nel registro PNRR: "
                             f"{'toglila' if n == 1 else 'toglile'} prima dalla pagina «Contributo PNRR», poi "
                             "togli il contributo")


def _niente(*_a: Any) -> None:
    return None


@dataclass(frozen=True)
class Tabella:
    """Una tabella dentro un modulo: le righe stanno nei valori sotto ``nome``; ``chi`` è la colonna che
    dà il nome della riga nei messaggi; ``chiave`` quella del campo nella pagina."""

    nome: str
    chi: str | tuple[str, ...]
    chiave: str
    titolo: str
    identita: str | None = None        # la colonna che riconosce l'elemento (conserva i campi non mostrati)
    dopo_riga: Callable | None = None  # controllo della riga con i valori convertiti


@dataclass(frozen=True)
class Modulo:
    """Ciò che il catalogo non dice di un modulo generato: i controlli prima dei campi e tra i campi,
    le sezioni facoltative da togliere se restano vuote, l'interruttore di una sezione facoltativa
    (nome nei valori, percorso: spento = la sezione si toglie) e le tabelle dentro il modulo."""

    prima: Callable = _niente
    dopo: Callable = _niente
    facoltative: tuple[str, ...] = ()
    interruttore: tuple[str, str] | None = None
    tabelle: dict[str, Tabella] = field(default_factory=dict)
    passo: str | None = None          # il passo dei messaggi d'errore, se il modulo non è un passo
    # un modulo di un elemento di un elenco (la configurazione) che con un indice oltre l'ultimo ne crea uno
    # nuovo: ``nuovo(dati, indici)`` lo aggiunge e dà i suoi indici; ``predefiniti(pratica)`` i suoi valori
    nuovo: Callable | None = None
    predefiniti: Callable | None = None
    # valori letti dalla pratica che decidono quali domande si chiedono (``solo_se``), non scritti
    contesto: Callable | None = None


_P = "configurazioni[].impianti[].contributo_pnrr"


def _prima_configurazione(p: Pratica, r: Any, indici: tuple[int, ...]) -> None:
    if not indici or not 0 <= indici[0] < len(p.configurazioni):
        r("configurazione", "prima aggiungi una configurazione nel passo «Configurazioni»")


def _riga_impianti(p: Pratica, grezza: dict[str, Any], r: Any, n: int, visti: dict[str, int]) -> None:
    lat, lon = proc.valore_vuoto(grezza.get("latitudine")), proc.valore_vuoto(grezza.get("longitudine"))
    if lat != lon:
        r("longitudine" if lon else "latitudine", "scrivi latitudine e longitudine insieme (o lasciale vuote "
                                                 "entrambe)")


def _dopo_impianti(p: Pratica, restano: set[str], r: Any, indici: tuple[int, ...]) -> None:
    """Un impianto tolto dalla tabella non può restare tra quelli di un produttore terzo."""
    tolti = {i.id: i for i in p.configurazioni[indici[0]].impianti if i.id not in restano}
    for t in p.produttori_terzi:
        for iid in sorted(set(tolti) & set(t.impianti)):
            r("riga tolta", f"l'impianto «{tolti[iid].denominazione or iid}» è indicato per un produttore terzo: "
                            "toglilo prima dal passo «Produttori terzi»")


@dataclass(frozen=True)
class Collegato:
    """Un secondo elenco scritto dalla stessa riga di una tabella: i suoi elementi rimandano all'elemento
    della riga (``campo`` = la sua ``chiave``) e ci sono solo se la colonna ``se`` non è vuota. Le colonne
    con il percorso in ``elenco`` vanno lì (il membro di un soggetto: ``membri[]``, ``soggetto`` = ``id``,
    solo con un ruolo)."""

    elenco: str
    campo: str
    se: str
    chiave: str = "id"

    def contiene(self, d: Domanda) -> bool:
        return d.percorso.startswith(self.elenco + ".")


@dataclass(frozen=True)
class TabellaPasso:
    """Ciò che il catalogo non dice di una tabella generata: la colonna che dà il nome della riga nei
    messaggi (o una funzione della riga), il controllo di ogni riga prima della conversione e dopo (sui
    valori convertiti), i controlli prima e dopo (sugli id che restano) e, per gli elementi con un ``id``
    nascosto, come si forma l'id di una riga nuova e quali id sono già usati; l'elenco collegato scritto
    dalla stessa riga; le domande di altri moduli che una riga importata da un file può portare."""

    chi: str | Callable[[dict[str, Any]], str | None]
    controlla_riga: Callable | None = None
    prima: Callable = _niente
    dopo: Callable = _niente
    nuovo_id: Callable[[dict[str, Any]], str] | None = None
    ids_usati: Callable[[Pratica], Any] = lambda _p: ()
    id_vuoto: str = "elemento"
    dopo_riga: Callable | None = None
    collegato: Collegato | None = None
    importabili: tuple[str, ...] = ()


# --------------------------------------------------------------------------- soggetti e membri

def deduci_tipo(riga: dict[str, Any]) -> str:
    """Il tipo di soggetto quando la riga non lo dice: persona se ha nome o cognome, impresa con la partita
    IVA o la dimensione, altrimenti «altro»."""
    if not proc.valore_vuoto(riga.get("tipo")):
        return riga["tipo"]
    if any(not proc.valore_vuoto(riga.get(c)) for c in ("nome", "cognome")):
        return "persona_fisica"
    if any(not proc.valore_vuoto(riga.get(c)) for c in ("partita_iva", "dimensione")):
        return "impresa"
    return "altro"


def _chi_soggetto(riga: dict[str, Any]) -> str | None:
    if deduci_tipo(riga) == "persona_fisica":
        return " ".join(str(x).strip() for x in (riga.get("nome"), riga.get("cognome"))
                        if not proc.valore_vuoto(x)) or None
    return proc._testo(riga.get("denominazione"))


def _riga_soggetti(p: Pratica, riga: dict[str, Any], r: Any, n: int, visti: dict[str, int]) -> None:
    """Il tipo che la riga non dice si deduce (da nome e cognome, dalla partita IVA)."""
    riga["tipo"] = deduci_tipo(riga)


def _dopo_riga_soggetti(p: Pratica, v: dict[str, Any], r: Any, n: int, visti: dict[str, int],
                        al: dt.date | None) -> None:
    """I controlli della riga che dipendono da più colonne: il codice fiscale secondo il tipo (e una volta
    sola), le date in ordine, l'uscita e la dimensione solo dove valgono."""
    tipo = v.get("tipo")
    if tipo == "persona_fisica" and not (v.get("nome") or v.get("cognome")):
        # un tipo illeggibile («ente pubblico») diventa il predefinito, persona, e ha già il suo messaggio: senza
        # nome né cognome non è una persona, e il suo codice fiscale di 11 cifre non è un secondo errore
        tipo = "altro" if len(str(v.get("codice_fiscale") or "")) != 16 else tipo
    if (cf := v.get("codice_fiscale")) and tipo:
        m = idf.codice_fiscale_persona(cf) if tipo == "persona_fisica" else idf.codice_fiscale_ente(cf)
        if m:
            r("codice fiscale", m)
        elif cf in visti:
            r("codice fiscale", f"lo stesso codice fiscale è già alla riga {visti[cf]}: togli il doppione")
        else:
            visti[cf] = n
    if (nato := v.get("nato_il")) and nato > (al or dt.date.today()):
        r("data di nascita", "la data di nascita è nel futuro")
    adesione, recesso = v.get("data_adesione"), v.get("data_recesso")
    if adesione and recesso and recesso < adesione:
        r("data di uscita", "la data di uscita viene prima della data di adesione")
    if recesso and not v.get("ruolo"):
        r("data di uscita", "la data di uscita vale solo per un membro: indica anche il ruolo")
    if v.get("dimensione") and tipo != "impresa":
        r("dimensione impresa", "la dimensione d'impresa vale solo per il tipo «Impresa»")


def _id_soggetto(v: dict[str, Any]) -> str:
    if v.get("tipo") == "persona_fisica":
        return proc._slug(f"{v.get('cognome') or ''} {v.get('nome') or ''}", 40)
    return proc._slug(v.get("denominazione") or "", 40)


def _usi_soggetto(dati: dict[str, Any], sid: str) -> list[str]:
    """Dove un soggetto è citato fuori dall'elenco dei soggetti e dei membri."""
    usi = []
    c = dati.get("comunita") or {}
    organi = c.get("organi") or {}
    for presente, uso in ((sid in (c.get("fondatori") or []), "tra i fondatori"),
                          (organi.get("presidente") == sid, "presidente"),
                          (sid in (organi.get("consiglio_direttivo") or []), "nel consiglio direttivo"),
                          (organi.get("revisore") == sid, "revisore"),
                          (c.get("soggetto_delegato_riparto") == sid, "delegato al riparto")):
        if presente:
            usi.append(uso)
    for i, conf in enumerate(dati.get("configurazioni") or [], start=1):
        nome_conf = conf.get("denominazione") or f"Configurazione {i}"
        usi += [f"titolare del POD {pc.get('pod')} in «{nome_conf}» (passo «Configurazioni»)"
                for pc in conf.get("punti_connessione") or [] if pc.get("soggetto") == sid]
        usi += [f"produttore dell'impianto «{imp.get('denominazione') or imp.get('id')}»"
                for imp in conf.get("impianti") or [] if imp.get("produttore") == sid]
        if (conf.get("referente") or {}).get("soggetto") == sid:
            usi.append(f"referente di «{nome_conf}»")
    usi += [voc.RUOLI_CANDIDATO["produttore_terzo"].nome for t in dati.get("produttori_terzi") or []
            if t.get("soggetto") == sid]
    return usi


def tolti_ma_citati(p: Pratica, restano: set[str]) -> dict[str, list[str]]:
    """I soggetti che non sono tra gli id ``restano`` (righe tolte dalla tabella) ma sono ancora citati altrove
    (POD, impianti, organi...): id → dove. Non si possono togliere; la tabella li rimette al loro posto."""
    dati = None
    citati: dict[str, list[str]] = {}
    for s in p.soggetti:
        if s.id not in restano:
            dati = dati or proc._dati(p)
            if usi := _usi_soggetto(dati, s.id):
                citati[s.id] = usi
    return citati


def _dopo_soggetti(p: Pratica, restano: set[str], r: Any, indici: tuple[int, ...]) -> None:
    """Una riga tolta che è ancora citata altrove (POD, impianti, organi...) blocca il passo e dice dove."""
    for sid, usi in tolti_ma_citati(p, restano).items():
        r("riga tolta", f"«{p.soggetto(sid).nome_completo}» non si può togliere perché è {', '.join(usi)}: toglilo "
                        "prima da lì, poi rimuovi la riga")


RIGHE_GENERATE: dict[str, TabellaPasso] = {
    "soggetti": TabellaPasso(
        _chi_soggetto, _riga_soggetti, dopo=_dopo_soggetti, dopo_riga=_dopo_riga_soggetti,
        nuovo_id=_id_soggetto, id_vuoto="soggetto", collegato=Collegato("membri[]", "soggetto", "ruolo"),
        importabili=("soggetti[].pec", "soggetti[].telefono", "soggetti[].iban")),
    "produttori_terzi": TabellaPasso("soggetto", _riga_produttori_terzi),
    "impianti": TabellaPasso(
        "denominazione", _riga_impianti, _prima_configurazione, _dopo_impianti,
        nuovo_id=lambda v: proc._slug(f"imp {v.get('denominazione') or v.get('fonte') or 'fotovoltaico'}", 40),
        ids_usati=lambda p: [i.id for _pp, _c, i in p.impianti()], id_vuoto="impianto"),
}

def _riga_punti(p: Pratica, v: dict[str, Any], r: Any, n: int, visti: dict[str, int], _al: dt.date | None) -> None:
    """Un POD una volta sola nella tabella; l'uscita non prima dell'ingresso."""
    pod = v.get("pod")
    if pod is not None:
        if pod in visti:
            r("POD", f"il POD è già alla riga {visti[pod]}: togli il doppione")
        else:
            visti[pod] = n
    if v.get("data_ingresso") and v.get("data_uscita") and v["data_uscita"] < v["data_ingresso"]:
        r("data di uscita", "è prima della data di ingresso")


def _nuova_configurazione(dati: dict[str, Any], indici: tuple[int, ...]) -> tuple[int, ...]:
    confs = dati.setdefault("configurazioni", [])
    usati = {c["id"] for c in confs}
    confs.append({"id": proc._unico(f"conf-{len(confs) + 1}", usati, "conf")})
    return (len(confs) - 1, *indici[1:])


def _tipo_predefinito(p: Pratica) -> dict[str, Any]:
    """Una configurazione nuova è del tipo della prima, o CER se c'è la comunità (altrimenti AUC)."""
    return {"tipo": p.configurazioni[0].tipo if p.configurazioni else ("CER" if p.comunita else "AUC")}


def _prima_consumi(p: Pratica, r: Any, indici: tuple[int, ...]) -> None:
    ci, pj = indici
    if not 0 <= ci < len(p.configurazioni) or not 0 <= pj < len(p.configurazioni[ci].punti_connessione):
        r("POD", "il POD non è nella configurazione: salva prima la tabella dei POD")


def _prima_soggetto(p: Pratica, r: Any, indici: tuple[int, ...]) -> None:
    if not indici or not 0 <= indici[0] < len(p.soggetti):
        r("soggetto", "il soggetto non è più nella pratica: ricarica la pagina")


def _contesto_soggetto(p: Pratica, indici: tuple[int, ...]) -> dict[str, Any]:
    """Il tipo del soggetto e se la tabella ha già luogo e data di nascita (altrimenti li chiede il modulo)."""
    s = p.soggetti[indici[0]] if indici and 0 <= indici[0] < len(p.soggetti) else None
    if s is None:
        return {}
    return {"tipo": s.tipo, "manca_nato_a": s.tipo == "persona_fisica" and s.nato_a is None,
            "manca_nato_il": s.tipo == "persona_fisica" and s.nato_il is None}


PASSI_GENERATI: dict[str, Modulo] = {
    "dettaglio_soggetto": Modulo(
        _prima_soggetto, facoltative=("soggetti[].rappresentante.poteri", "soggetti[].rappresentante"),
        passo="soggetti", contesto=_contesto_soggetto),
    "configurazioni": Modulo(
        nuovo=_nuova_configurazione, predefiniti=_tipo_predefinito,
        tabelle={"configurazioni[].punti_connessione[]": Tabella(
            "punti", ("pod", "soggetto"), "tabella-punti-{0}", "Punti di connessione (POD)", identita="pod",
            dopo_riga=_riga_punti)}),
    "consumi_mensili": Modulo(_prima_consumi, passo="configurazioni"),
    "comunita": Modulo(dopo=_dopo_comunita, facoltative=("comunita.atto_costitutivo.registrazione",)),
    "referente": Modulo(_prima_referente, _dopo_referente),
    "statuto": Modulo(_prima_statuto, _dopo_statuto, ("comunita.recesso.restituzione_contributo_pnrr",)),
    "contributo_pnrr": Modulo(
        _prima_contributo_pnrr, _dopo_contributo_pnrr, (_P + ".accordo_concessione",),
        interruttore=("finanziato", _P), passo="impianti",
        tabelle={_P + ".accordo_concessione.rendicontazione[]": Tabella(
                     "tappe", "descrizione", "pnrr-{0}-{1}-tappe", "Tappe della rendicontazione"),
                 _P + ".altri_fondi_ue[]": Tabella(
                     "altri_fondi_ue", "programma", "pnrr-{0}-{1}-fondi", "Altri fondi dell'Unione europea")}),
}
"""I moduli generati: i passi «Referente e mandato» e «Statuto e riparto», il contributo PNRR di un
impianto (modulo del passo «Impianti», indici: configurazione e impianto)."""


# --------------------------------------------------------------------------- applicazione

def chiesta(d: Domanda, valori_modulo: dict[str, Any]) -> bool:
    """La domanda si chiede con questi valori del modulo? (``solo_se``: i dati del notaio solo per un atto
    notarile). Una domanda non chiesta non si legge dal modulo: il suo campo resta com'era."""
    if d.solo_se is None:
        return True
    nome, ammessi = d.solo_se
    return valori_modulo.get(nome) in ammessi

def _colonne_di(modulo: str, elenco: str) -> list[Domanda]:
    return [d for d in catalogo.domande_del_modulo(modulo) if d.elenco == elenco]


def _vuota(x: Any) -> bool:
    return proc.valore_vuoto(x) or x == []


def _converti_righe(r: Any, pratica: Pratica, colonne: list[Domanda], righe_modulo: list[dict[str, Any]],
                    chi_col: str | tuple[str, ...] | Callable, al: dt.date | None, controlla: Callable | None = None,
                    *, indici: tuple[int, ...] = (), vecchi: dict[str, dict] | None = None,
                    nuovo_id: Callable[[dict[str, Any]], str] | None = None, identita: str | None = None,
                    dopo_riga: Callable | None = None, numeri: list[int] | None = None,
                    collegato: Collegato | None = None, legati: list[dict[str, Any]] | None = None,
                    presenti: set[str] | None = None, convertite: list | None = None,
                    solo_converti: bool = False, dati: dict[str, Any] | None = None,
                    se_presenti: frozenset[str] = frozenset()) -> list[dict[str, Any]]:
    """Le righe non vuote di una tabella convertite in elementi dell'elenco; ogni problema con il numero di
    riga (da 1, come nella tabella, o quello di ``numeri``: le righe di un file) e il nome di chi è. Le righe
    con un problema non si scrivono.

    Con ``vecchi`` (id → elemento attuale) la riga porta il suo ``id`` nascosto: l'elemento riparte da
    quello attuale (ciò che la tabella non mostra resta), una riga nuova riceve ``nuovo_id``. Una casella
    al suo predefinito (``se_vuoto``) non si aggiunge a un elemento che non l'aveva. Una colonna di
    ``se_presenti`` che la riga non ha (chiave assente: la PEC, che la tabella non mostra e che porta solo
    una riga importata) non si tocca; una domanda non chiesta per la riga (``solo_se``) toglie il suo campo. Con ``collegato`` le colonne dell'elenco collegato vanno nel suo elemento (in ``legati``)."""
    # Con ``identita`` (una colonna, per esempio il POD) la riga riparte dall'elemento con lo stesso valore;
    # ``dopo_riga`` controlla la riga con i valori già convertiti (doppioni, date in ordine). Il nome della
    # riga nei messaggi è la prima colonna di ``chi_col`` non vuota (o ciò che dice ``chi_col``, se è una
    # funzione della riga). ``presenti`` raccoglie gli id delle righe con un problema (non sono tolte);
    # ``convertite`` i valori convertiti di ogni riga (None per una riga saltata o con un problema); con
    # ``solo_converti`` non si forma alcun elemento (l'importazione controlla soltanto).
    if callable(chi_col):
        _chi = chi_col
    else:
        nomi_chi = (chi_col,) if isinstance(chi_col, str) else chi_col
        cols_chi = [next(d for d in colonne if d.nome == c) for c in nomi_chi]
        voci_chi = [({**proc.etichette_soggetti(pratica), **(_voci(pratica, d, None, indici) or {})}
                     if d.scelte is not None else None) for d in cols_chi]

        def _chi(riga: dict[str, Any]) -> str | None:
            for d, voci in zip(cols_chi, voci_chi):
                testo = proc._testo(riga.get(d.nome))
                x = voci.get(testo or "") if voci is not None else testo
                if x:
                    return x
            return None

    # le voci delle scelte una volta per colonna (l'elenco dei soggetti di una pratica grande costa)
    voci_note = {d.nome: _voci(pratica, d, None, indici) for d in colonne if d.scelte is not None}
    if any(d.scelte == "candidati_terzi" for d in colonne):
        voci_note["_soggetti"] = proc.etichette_soggetti(pratica)
    visti: dict[str, int] = {}
    assegnati: set[str] = set()
    elenco: list[dict[str, Any]] = []
    vecchi_legati = {}
    if collegato is not None and pratica is not None and not solo_converti:
        dati_legati = catalogo.leggi(dati if dati is not None else proc._dati(pratica), collegato.elenco, indici) or []
        vecchi_legati = {e.get(collegato.campo): e for e in dati_legati}
    for k, riga in enumerate(righe_modulo):
        n = numeri[k] if numeri is not None else k + 1
        if convertite is not None:
            convertite.append(None)
        # una riga con soli vuoti e predefiniti (quelli che la tabella mette nelle righe nuove) si salta
        if all(_vuota(riga.get(d.nome)) or (d.se_vuoto is not None and riga.get(d.nome) == d.se_vuoto)
               for d in colonne):
            continue
        riga = dict(riga)
        prima = len(r.problemi)
        if controlla is not None:
            controlla(pratica, riga, lambda *a: r(*a[:2], n, _chi(riga)), n, visti)
        chi = _chi(riga)

        def rr(campo: str, messaggio: str, _riga: Any = None, _nome: Any = None, n: int = n, chi: Any = chi) -> None:
            r(campo, messaggio, n, chi)

        chieste = [d for d in colonne if (d.nome in riga or d.nome not in se_presenti) and chiesta(d, riga)]
        convertiti = {d.nome: _converti(rr, pratica, d, riga.get(d.nome), al, indici, voci_note) for d in chieste}
        chieste_id = {id(d) for d in chieste}
        for d in chieste:
            if d.obbligatorio and convertiti[d.nome] is None and proc.valore_vuoto(riga.get(d.nome)):
                rr(d.nome_campo, d.obbligatorio)
        if dopo_riga is not None:
            dopo_riga(pratica, convertiti, rr, n, visti, al)
        if len(r.problemi) > prima:
            if presenti is not None and (iid := proc._testo(riga.get("id"))):
                presenti.add(iid)          # una riga sbagliata non è una riga tolta
            continue
        if convertite is not None:
            convertite[-1] = convertiti
        if solo_converti:
            continue
        elemento: dict[str, Any] = {}
        if identita is not None:
            elemento = dict((vecchi or {}).get(convertiti[identita]) or {})
        elif vecchi is not None:
            iid = proc._testo(riga.get("id"))
            if iid is None or iid not in vecchi or iid in assegnati:
                iid = nuovo_id(convertiti)
            assegnati.add(iid)
            elemento = {**(vecchi.get(iid) or {}), "id": iid}
        membro = collegato is not None and not _vuota(convertiti.get(collegato.se))
        legato = ({**(vecchi_legati.get(elemento.get(collegato.chiave)) or {}),
                   collegato.campo: elemento.get(collegato.chiave)} if membro else {})
        for d in colonne:
            if d.nome in se_presenti and d.nome not in riga:
                continue                    # colonna che la riga non ha: il campo resta com'era
            nel_legato = collegato is not None and collegato.contiene(d)
            if nel_legato and not membro:
                continue
            dove = legato if nel_legato else elemento
            relativo = d.percorso.removeprefix((collegato.elenco if nel_legato else d.elenco) + ".")
            if id(d) not in chieste_id:
                _togli(dove, relativo)      # campo che per questa riga non si chiede (l'indirizzo di un ente)
                continue
            x = convertiti[d.nome]
            if d.widget == "casella" and x == d.se_vuoto and catalogo.leggi(dove, relativo) is None:
                continue                    # una casella al suo predefinito non si aggiunge al file
            _scrivi(dove, relativo, (), x)
        for k_ in [k_ for k_, x in elemento.items() if isinstance(x, dict) and all(v is None for v in x.values())]:
            elemento.pop(k_)                # una sezione della riga rimasta vuota sparisce
        elenco.append(elemento)
        if membro and legati is not None:
            legati.append(legato)
    return elenco


def _togli(elemento: dict[str, Any], relativo: str) -> None:
    padre, _, nome = relativo.rpartition(".")
    contenitore = catalogo.leggi(elemento, padre) if padre else elemento
    if isinstance(contenitore, dict):
        contenitore.pop(nome, None)


def applica(pratica: Pratica, passo: str, valori_modulo: dict[str, Any], indici: tuple[int, ...] = (),
            oggi: dt.date | None = None, *, al: dt.date | None = None) -> Pratica:
    """I valori del modulo applicati per percorso a una copia della pratica, convalidata una volta.

    Con l'interruttore spento la sezione facoltativa si toglie (e i suoi campi non si leggono); le
    tabelle del modulo sostituiscono i loro elenchi. ``al`` è la data dei controlli che dipendono dalle
    regole in vigore (CUP, CIG); ``oggi`` quella dell'aggiornamento della pratica."""
    al = al or oggi
    spec = PASSI_GENERATI[passo]
    pid = spec.passo or passo
    r = proc._Raccolta(pid)
    spec.prima(pratica, r, indici)
    r.verifica()
    acceso = True
    if spec.interruttore:
        nome_int, percorso_int = spec.interruttore
        acceso = bool(valori_modulo.get(nome_int, catalogo.leggi(pratica, percorso_int, indici) is not None))
    condizioni = {**valori_modulo, **(spec.contesto(pratica, indici) if spec.contesto is not None else {})}
    domande = [d for d in catalogo.domande_del_modulo(passo) if d.nome in valori_modulo and not d.elenco
               and chiesta(d, condizioni)] if acceso else []
    convertiti = {d.nome: _converti(r, pratica, d, valori_modulo[d.nome], al) for d in domande}
    if spec.interruttore:
        convertiti[spec.interruttore[0]] = acceso
    elenchi = {}
    dati = proc._dati(pratica)
    if acceso:
        for elenco, tab in spec.tabelle.items():
            if tab.nome in valori_modulo:
                vecchi = None
                if tab.identita is not None:
                    attuali = catalogo.leggi(dati, elenco, indici) or []
                    vecchi = {e.get(tab.identita): e for e in attuali}
                elenchi[elenco] = _converti_righe(r, pratica, _colonne_di(passo, elenco),
                                                  list(valori_modulo[tab.nome] or []), tab.chi, al, indici=indici,
                                                  vecchi=vecchi, identita=tab.identita, dopo_riga=tab.dopo_riga)
    spec.dopo(pratica, convertiti, r, indici)
    r.verifica()
    if spec.nuovo is not None and not _esiste(pratica, passo, indici):
        indici = spec.nuovo(dati, indici)
    if not acceso:
        _scrivi(dati, spec.interruttore[1], indici, None)
        return proc._valida(dati, pid, oggi)
    if spec.interruttore:
        padre, _, nome = spec.interruttore[1].rpartition(".")
        contenitore = catalogo.leggi(dati, padre, indici)
        if not isinstance(contenitore.get(nome), dict):
            contenitore[nome] = {}          # sezione accesa: c'è anche se ancora vuota
    composti: dict[str, dict[str, Any]] = {}
    for d in domande:
        if d.nome not in convertiti:
            continue                       # tolto dai controlli del passo: resta com'era
        if d.parte is not None:
            composti.setdefault(d.percorso.rpartition(".")[0], {})[d.parte] = convertiti[d.nome]
        elif d.widget == "casella" and convertiti[d.nome] == d.se_vuoto and \
                catalogo.leggi(dati, d.percorso, indici) is None:
            continue                       # una casella al suo predefinito non si aggiunge al file
        else:
            _scrivi(dati, d.percorso, indici, convertiti[d.nome])
    for padre, parti in composti.items():
        contenitore = catalogo.leggi(dati, padre, indici)
        if isinstance(contenitore, dict):
            COMPOSTI[padre][1](contenitore, parti, catalogo.leggi(pratica, padre, indici))
    for elenco, elementi in elenchi.items():
        _scrivi(dati, elenco.removesuffix("[]"), indici, elementi)
    for percorso in spec.facoltative:
        _sfoltisci(dati, percorso, indici)
    return proc._valida(dati, pid, oggi)


# --------------------------------------------------------------------------- tabelle generate

def _colonne(passo: str) -> list[Domanda]:
    return [d for d in catalogo.domande_del_modulo(passo) if d.elenco]


def righe(pratica: Pratica, passo: str, indici: tuple[int, ...] = ()) -> list[dict[str, Any]]:
    """Le righe della tabella del passo: una per elemento dell'elenco, i valori per nome di colonna (con
    l'``id`` nascosto, se gli elementi ne hanno uno)."""
    colonne = _colonne(passo)
    spec = RIGHE_GENERATE[passo]
    out = _righe_elenco(pratica, colonne, colonne[0].elenco, indici, spec.collegato)
    if spec.nuovo_id is not None:
        for i, riga in enumerate(out):
            riga["id"] = catalogo.leggi(pratica, colonne[0].elenco + ".id", (*indici, i))
    return out


def colonne_importabili(passo: str) -> list[Domanda]:
    """Le colonne della tabella più le domande di altri moduli che una riga importata può portare (la PEC, il
    telefono e l'IBAN di un soggetto), come colonne della stessa tabella."""
    colonne = _colonne(passo)
    extra = [catalogo.domanda(x) for x in RIGHE_GENERATE[passo].importabili]
    return colonne + [replace(d, elenco=colonne[0].elenco, solo_se=None) for d in extra if d is not None]


def applica_righe(pratica: Pratica, passo: str, righe_modulo: list[dict[str, Any]],
                  oggi: dt.date | None = None, indici: tuple[int, ...] = (), *, al: dt.date | None = None,
                  numeri: list[int] | None = None) -> Pratica:
    """Le righe della tabella al posto dell'elenco (e dell'elenco collegato): ogni cella convertita per
    percorso, ogni problema con il numero di riga (da 1 nell'ordine delle righe, o quello di ``numeri``: i
    numeri che la tabella mostra, anche dopo righe tolte) e il nome di chi è; le righe vuote si saltano. Le
    righe importate da un file possono portare anche le colonne ``importabili``."""
    colonne = colonne_importabili(passo)
    spec = RIGHE_GENERATE[passo]
    se_presenti = frozenset(d.nome for d in colonne[len(_colonne(passo)):])
    r = proc._Raccolta(passo)
    spec.prima(pratica, r, indici)
    r.verifica()
    elenco_percorso = colonne[0].elenco
    dati = proc._dati(pratica)         # una copia dei dati: gli elementi attuali, poi la pratica da scrivere
    vecchi = nuovo_id = None
    if spec.nuovo_id is not None:
        attuali = catalogo.leggi(dati, elenco_percorso, indici) or []
        vecchi = {e["id"]: e for e in attuali}
        usati = set(spec.ids_usati(pratica)) | set(vecchi)
        nuovo_id = lambda v: proc._unico(spec.nuovo_id(v), usati, spec.id_vuoto)  # noqa: E731
    legati: list[dict[str, Any]] = []
    presenti: set[str] = set()
    elenco = _converti_righe(r, pratica, colonne, righe_modulo, spec.chi, al or oggi, spec.controlla_riga,
                             indici=indici, vecchi=vecchi, nuovo_id=nuovo_id, dopo_riga=spec.dopo_riga,
                             collegato=spec.collegato, legati=legati, presenti=presenti, dati=dati,
                             se_presenti=se_presenti, numeri=numeri)
    spec.dopo(pratica, {e.get("id") for e in elenco} | presenti, r, indici)
    r.verifica()
    _scrivi(dati, elenco_percorso.removesuffix("[]"), indici, elenco) if elenco else \
        _svuota(dati, elenco_percorso.removesuffix("[]"), indici)
    if spec.collegato is not None:
        _scrivi(dati, spec.collegato.elenco.removesuffix("[]"), indici, legati) if legati else \
            _svuota(dati, spec.collegato.elenco.removesuffix("[]"), indici)
    return proc._valida(dati, passo, oggi)


def converti_righe(pratica: Pratica, passo: str, righe_modulo: list[dict[str, Any]], al: dt.date | None = None,
                   numeri: list[int] | None = None) -> tuple[list[dict[str, Any] | None], list[proc.ProblemaPasso]]:
    """Le righe convertite e controllate come farebbe ``applica_righe``, senza scriverle: i valori di ogni
    riga per nome di colonna (None per una riga vuota o con un problema) e i problemi, con il numero di
    riga di ``numeri`` (le righe di un file importato). Serve all'importazione: un solo controllo."""
    spec = RIGHE_GENERATE[passo]
    r = proc._Raccolta(passo)
    convertite: list = []
    colonne = colonne_importabili(passo)
    _converti_righe(r, pratica, colonne, righe_modulo, spec.chi, al, spec.controlla_riga,
                    dopo_riga=spec.dopo_riga, numeri=numeri, convertite=convertite, solo_converti=True,
                    se_presenti=frozenset(d.nome for d in colonne[len(_colonne(passo)):]))
    return convertite, r.problemi


def _svuota(dati: dict[str, Any], percorso: str, indici: tuple[int, ...]) -> None:
    padre, _, nome = percorso.rpartition(".")
    contenitore = catalogo.leggi(dati, padre, indici) if padre else dati
    if isinstance(contenitore, dict):
        contenitore[nome] = []

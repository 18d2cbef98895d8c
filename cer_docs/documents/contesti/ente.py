"""L'ente giuridico: come si chiamano i membri e gli organi in ciascuna forma giuridica, i dati
della comunità, la base comune dei documenti del pacchetto.

I nomi con articoli e preposizioni si calcolano con ``cer_docs.italiano`` dal sostantivo e dal
suo genere: una sola regola per «degli associati», «dei soci», «della Comunità», «del Gruppo».
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from cer_docs import italiano
from cer_docs.model.pratica import Pratica
from cer_docs.model.vocabolario import FORME_GIURIDICHE, TIPI_CONFIGURAZIONE

from ..motore import LACUNA, SPAZIO_VOLUTO
from .comuni import comune, durata_anni, luogo, comune_prov, numero_e_lettere, p
from .parti import rappresentante_ente

FORME = tuple(FORME_GIURIDICHE)


def _termini(plurale: str, singolare: str, quota: str, quote: str) -> dict[str, str]:
    i = italiano.con_articolo
    t = {
        "membri": plurale, "Membri": italiano.maiuscola_iniziale(plurale),
        "i_membri": i(plurale, "m", "p"), "dei_membri": i(plurale, "m", "p", "di"),
        "ai_membri": i(plurale, "m", "p", "a"), "dai_membri": i(plurale, "m", "p", "da"),
        "membro": singolare, "il_membro": i(singolare), "del_membro": i(singolare, preposizione="di"),
        "al_membro": i(singolare, preposizione="a"), "dal_membro": i(singolare, preposizione="da"),
        "un_membro": italiano.indeterminativo(singolare), "nuovo_membro": f"nuovo {singolare}",
        "qualita": f"qualità di {singolare}", "quota": quota, "quote": quote,
    }
    t["I_membri"] = italiano.maiuscola_iniziale(t["i_membri"])
    t["Il_membro"] = italiano.maiuscola_iniziale(t["il_membro"])
    t["tra_i_membri"] = f"tra {t['i_membri']}"
    return t


# Come si chiamano i membri: il sostantivo viene dal vocabolario delle forme giuridiche.
_MEMBRI = {
    "associato": _termini("associati", "associato", "quota associativa", "quote associative"),
    "partecipante": _termini("partecipanti", "partecipante", "quota di partecipazione", "quote di partecipazione"),
    "socio": _termini("soci", "socio", "quota di capitale sociale", "quote di capitale sociale"),
}


# il nome del membro al femminile, per chi chiede l'adesione («di essere ammessa come socia»)
FEMMINILI = {"associato": "associata", "socio": "socia", "partecipante": "partecipante"}


def termini(forma: str | None) -> dict[str, str]:
    return _MEMBRI[FORME_GIURIDICHE[forma].membro] if forma else _MEMBRI["partecipante"]


def _organo(chiave: str, nome: str) -> dict[str, str]:
    f = italiano.forme_articolate(nome, "m")
    return {chiave: nome, f"il_{chiave}": f["il"], f"Il_{chiave}": f["Il"], f"del_{chiave}": f["del"],
            f"al_{chiave}": f["al"], f"dal_{chiave}": f["dal"]}


def organi(forma: str) -> dict[str, str]:
    """I nomi degli organi con le preposizioni articolate già risolte."""
    assemblea = {"fondazione_partecipazione": "Assemblea dei partecipanti", "cooperativa": "Assemblea dei soci",
                 "impresa_sociale": "Assemblea degli associati"}.get(forma, "Assemblea degli associati")
    societaria = forma in ("cooperativa", "impresa_sociale", "fondazione_partecipazione")
    consiglio = "Consiglio di amministrazione" if societaria else "Consiglio direttivo"
    a = italiano.forme_articolate("Assemblea", "f")
    o: dict[str, str] = {
        "assemblea": assemblea, "assemblea_breve": "Assemblea", "dell_assemblea": a["del"],
        "all_assemblea": a["al"], "l_assemblea": a["il"], "L_assemblea": a["Il"], "dall_assemblea": a["dal"],
        "l_assemblea_nome": italiano.con_articolo(assemblea, "f"),
        "consiglieri": "amministratori" if forma in ("cooperativa", "impresa_sociale") else "consiglieri",
    }
    o["consiglio"] = consiglio
    o.update(_organo("consiglio", consiglio))
    controllo = "Revisore dei conti" if forma == "fondazione_partecipazione" else "Organo di controllo"
    o["controllo"] = controllo
    o["l_organo_controllo"] = italiano.con_articolo(controllo, "m")
    o["L_organo_controllo"] = italiano.maiuscola_iniziale(o["l_organo_controllo"])
    o["dell_organo_controllo"] = italiano.con_articolo(controllo, "m", preposizione="di")
    if forma == "fondazione_partecipazione":
        ind = _organo("indirizzo", "Consiglio di indirizzo")
        o.update(indirizzo=ind["indirizzo"], il_indirizzo=ind["il_indirizzo"], Il_indirizzo=ind["Il_indirizzo"],
                 del_indirizzo=ind["del_indirizzo"], al_indirizzo=ind["al_indirizzo"])
        # nella fondazione decide il Consiglio di indirizzo: bilancio, nomine, modifiche
        dec = italiano.forme_articolate("Consiglio di indirizzo", "m")
    else:
        dec = a
    for k in ("il", "Il", "dal", "al", "del"):
        o[f"{k}_deliberante"] = dec[k]
        o[f"{k}_nominante"] = dec[k]
    return o


def soggetto_regolatore(con_comunita: bool, partecipanti: str) -> dict[str, str]:
    """Chi regola la configurazione: «la Comunità» o «il Gruppo», con le preposizioni."""
    f = italiano.forme_articolate("Comunità", "f") if con_comunita else italiano.forme_articolate("Gruppo", "m")
    return {"il": f["il"], "Il": f["Il"], "del": f["del"], "al": f["al"], "dal": f["dal"], "nel": f["nel"],
            "partecipanti": partecipanti}


def ente(pratica: Pratica) -> dict[str, Any]:
    """I dati della comunità (o, senza ente giuridico, il nome del gruppo)."""
    c = pratica.comunita
    if c is None:
        return {"denominazione": pratica.denominazione, "sigla": None, "nome_breve": pratica.denominazione,
                "codice_fiscale": None, "pec": None, "sede_comune": None, "sede_comune_provincia": None,
                "sede_indirizzo": None, "forma": TIPI_CONFIGURAZIONE["AUC"].breve,
                **_articoli(pratica.denominazione, "m")}
    return {**_articoli(c.denominazione, "f"),
        "denominazione": c.denominazione, "sigla": c.sigla, "nome_breve": c.sigla or c.denominazione,
        "codice_fiscale": c.codice_fiscale, "pec": c.pec, "sede_comune": c.sede.comune,
        "sede_comune_provincia": comune_prov(c.sede), "sede_indirizzo": luogo(c.sede),
        "forma": FORME_GIURIDICHE[c.forma_giuridica].nome,
    }


def _articoli(nome: str, predefinito: str) -> dict[str, str]:
    """La denominazione con l'articolo: ``il`` («la Comunità Energetica…»), ``Il``, ``del``,
    ``al``, ``dal``, ``nel``."""
    f = italiano.denominazione_articolata(nome, predefinito)
    return {k: f[k] for k in ("il", "Il", "del", "al", "dal", "nel")}


def base_pacchetto(pratica: Pratica, al: dt.date) -> tuple[dict[str, Any], dict[str, bool]]:
    """I campi comuni a tutti i documenti del pacchetto (mandato, accordo, DSAN, lettera,
    adesione, informativa, registro): una volta per generazione, una copia a ogni documento
    (i costruttori li completano)."""
    return comune(pratica, "base_pacchetto", al, lambda: _base_pacchetto(pratica, al), copia=True)


def origini_pacchetto(pratica: Pratica) -> dict[str, str]:
    """``Contesto.origini`` dei campi comuni del pacchetto che possono mancare: i dati della comunità e il
    luogo della firma (il comune della sede della comunità; senza comunità è uno spazio da completare alla
    firma, come la data, e non un dato mancante: i costruttori lo precisano con il comune del soggetto)."""
    c = pratica.comunita
    if c is None:
        return {"luogo_firma": SPAZIO_VOLUTO}
    return {"ente.codice_fiscale": "comunita.codice_fiscale", "ente.pec": "comunita.pec",
            "ente.sede_comune": "comunita.sede.comune", "ente.sede_indirizzo": "comunita.sede.indirizzo",
            "luogo_firma": "comunita.sede.comune"}


def _base_pacchetto(pratica: Pratica, al: dt.date) -> tuple[dict[str, Any], dict[str, bool]]:
    c = pratica.comunita
    t = termini(c.forma_giuridica if c else None)
    valori: dict[str, Any] = {"ente": ente(pratica), "termini": t, "spazio": LACUNA,
                              "rappresentante_ente": rappresentante_ente(pratica),
                              "luogo_firma": (c.sede.comune if c and c.sede.comune else None)}
    flag = {"con_comunita": c is not None, "senza_comunita": c is None}
    s = soggetto_regolatore(c is not None, t["membri"])
    valori["soggetto"] = {k: s[k] for k in ("il", "Il", "del", "al", "dal")}
    valori["termine_variazioni"] = numero_e_lettere(int(p("variazioni_configurazione_termine_giorni", al)))
    valori["referente_mandato"] = {"durata": durata_anni(int(p("referente_mandato_durata_anni", al)))}
    valori["pnrr_esercizio_minimo"] = numero_e_lettere(int(p("pnrr_esercizio_minimo_anni", al)))
    return valori, flag

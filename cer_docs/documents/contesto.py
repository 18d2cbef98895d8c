"""Costruttori del contesto: dalla ``Pratica`` e dalla data ``al`` ai campi, ai flag e agli
elenchi preparati che le clausole mostrano.

Qui si fanno i conti (totali, percentuali, elisioni, date in lettere) e si scelgono le
varianti (flag); le clausole non fanno altro che mostrare campi, provare flag e scorrere
elenchi. I numeri che vengono dalla legge si leggono dai parametri datati (``param``).
Il contesto è documentato in ``docs/contesto-modelli.md``: è lo stesso che ricevono i
modelli DOCX di uno studio (``--modello``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache
from typing import Any

import yaml

from cer_docs import italiano
from cer_docs.model.pratica import Configurazione, Indirizzo, Pratica, Soggetto
from cer_docs.rules.base import param, rif

from .clausole import CLAUSOLE_DIR, ErroreLibreria
from .contesto_configurazione import integra_regolamento
from .contesto_forma import fonte_poteri, integra_forma_ente
from .motore import LACUNA, Contesto

SPAZIO_FISSO = "\u00a0"

FORME = (
    "associazione_non_riconosciuta", "associazione_riconosciuta", "fondazione_partecipazione",
    "cooperativa", "ets_associazione", "impresa_sociale",
)
FORME_ATTO = ("atto_pubblico", "scrittura_privata_autenticata", "scrittura_privata_registrata")

# Come si chiamano i membri e gli organi in ciascuna forma giuridica (lessico, non norma).
_MEMBRI = {
    "associati": {
        "membri": "associati", "Membri": "Associati", "i_membri": "gli associati", "I_membri": "Gli associati",
        "dei_membri": "degli associati", "ai_membri": "agli associati", "dai_membri": "dagli associati",
        "tra_i_membri": "tra gli associati",
        "membro": "associato", "il_membro": "l'associato", "Il_membro": "L'associato",
        "del_membro": "dell'associato", "al_membro": "all'associato", "dal_membro": "dall'associato",
        "un_membro": "un associato", "nuovo_membro": "nuovo associato", "qualita": "qualità di associato",
        "quota": "quota associativa", "quote": "quote associative",
    },
    "partecipanti": {
        "membri": "partecipanti", "Membri": "Partecipanti", "i_membri": "i partecipanti", "I_membri": "I partecipanti",
        "dei_membri": "dei partecipanti", "ai_membri": "ai partecipanti", "dai_membri": "dai partecipanti",
        "tra_i_membri": "tra i partecipanti",
        "membro": "partecipante", "il_membro": "il partecipante", "Il_membro": "Il partecipante",
        "del_membro": "del partecipante", "al_membro": "al partecipante", "dal_membro": "dal partecipante",
        "un_membro": "un partecipante", "nuovo_membro": "nuovo partecipante", "qualita": "qualità di partecipante",
        "quota": "quota di partecipazione", "quote": "quote di partecipazione",
    },
    "soci": {
        "membri": "soci", "Membri": "Soci", "i_membri": "i soci", "I_membri": "I soci",
        "dei_membri": "dei soci", "ai_membri": "ai soci", "dai_membri": "dai soci", "tra_i_membri": "tra i soci",
        "membro": "socio", "il_membro": "il socio", "Il_membro": "Il socio",
        "del_membro": "del socio", "al_membro": "al socio", "dal_membro": "dal socio",
        "un_membro": "un socio", "nuovo_membro": "nuovo socio", "qualita": "qualità di socio",
        "quota": "quota di capitale sociale", "quote": "quote di capitale sociale",
    },
}
_MEMBRI_PER_FORMA = {
    "associazione_non_riconosciuta": "associati", "associazione_riconosciuta": "associati",
    "ets_associazione": "associati", "impresa_sociale": "associati",
    "fondazione_partecipazione": "partecipanti", "cooperativa": "soci",
}

_ORGANI = {
    "associazione": {
        "assemblea": "Assemblea degli associati", "assemblea_breve": "Assemblea", "dell_assemblea": "dell'Assemblea",
        "all_assemblea": "all'Assemblea", "l_assemblea": "l'Assemblea", "L_assemblea": "L'Assemblea",
        "consiglio": "Consiglio direttivo", "il_consiglio": "il Consiglio direttivo",
        "Il_consiglio": "Il Consiglio direttivo", "del_consiglio": "del Consiglio direttivo",
        "al_consiglio": "al Consiglio direttivo", "dal_consiglio": "dal Consiglio direttivo",
        "consiglieri": "consiglieri",
        "controllo": "Organo di controllo", "l_organo_controllo": "l'Organo di controllo",
        "dell_organo_controllo": "dell'Organo di controllo",
    },
    "fondazione": {
        "assemblea": "Assemblea dei partecipanti", "assemblea_breve": "Assemblea", "dell_assemblea": "dell'Assemblea",
        "all_assemblea": "all'Assemblea", "l_assemblea": "l'Assemblea", "L_assemblea": "L'Assemblea",
        "consiglio": "Consiglio di amministrazione", "il_consiglio": "il Consiglio di amministrazione",
        "Il_consiglio": "Il Consiglio di amministrazione", "del_consiglio": "del Consiglio di amministrazione",
        "al_consiglio": "al Consiglio di amministrazione", "dal_consiglio": "dal Consiglio di amministrazione",
        "consiglieri": "consiglieri",
        "controllo": "Revisore dei conti", "l_organo_controllo": "il Revisore dei conti",
        "dell_organo_controllo": "del Revisore dei conti",
        "indirizzo": "Consiglio di indirizzo", "il_indirizzo": "il Consiglio di indirizzo",
        "Il_indirizzo": "Il Consiglio di indirizzo", "del_indirizzo": "del Consiglio di indirizzo",
        "al_indirizzo": "al Consiglio di indirizzo",
    },
    "societa": {
        "assemblea": "Assemblea dei soci", "assemblea_breve": "Assemblea", "dell_assemblea": "dell'Assemblea",
        "all_assemblea": "all'Assemblea", "l_assemblea": "l'Assemblea", "L_assemblea": "L'Assemblea",
        "consiglio": "Consiglio di amministrazione", "il_consiglio": "il Consiglio di amministrazione",
        "Il_consiglio": "Il Consiglio di amministrazione", "del_consiglio": "del Consiglio di amministrazione",
        "al_consiglio": "al Consiglio di amministrazione", "dal_consiglio": "dal Consiglio di amministrazione",
        "consiglieri": "amministratori",
        "controllo": "Organo di controllo", "l_organo_controllo": "l'Organo di controllo",
        "dell_organo_controllo": "dell'Organo di controllo",
    },
}
_ORGANI_PER_FORMA = {
    "associazione_non_riconosciuta": "associazione", "associazione_riconosciuta": "associazione",
    "ets_associazione": "associazione", "impresa_sociale": "societa",
    "fondazione_partecipazione": "fondazione", "cooperativa": "societa",
}
# L'impresa sociale in forma associativa ha associati ma un Consiglio di amministrazione.


def _organi(forma: str) -> dict[str, str]:
    """I nomi degli organi con le preposizioni articolate già risolte."""
    o = dict(_ORGANI[_ORGANI_PER_FORMA[forma]])
    if forma == "impresa_sociale":
        o.update(controllo="Organo di controllo", l_organo_controllo="l'Organo di controllo",
                 dell_organo_controllo="dell'Organo di controllo")
    o["l_assemblea_nome"] = "l'" + o["assemblea"]
    o["L_organo_controllo"] = o["l_organo_controllo"][0].upper() + o["l_organo_controllo"][1:]
    o["dall_assemblea"] = "dall'Assemblea"
    if forma == "fondazione_partecipazione":
        # nella fondazione decide il Consiglio di indirizzo: bilancio, nomine, modifiche
        dec = {"il": "il Consiglio di indirizzo", "Il": "Il Consiglio di indirizzo",
               "dal": "dal Consiglio di indirizzo", "al": "al Consiglio di indirizzo",
               "del": "del Consiglio di indirizzo"}
    else:
        dec = {"il": "l'Assemblea", "Il": "L'Assemblea", "dal": "dall'Assemblea", "al": "all'Assemblea",
               "del": "dell'Assemblea"}
    for k, v in dec.items():
        o[f"{k}_deliberante"] = v
        o[f"{k}_nominante"] = v
    return o

_FORMA_BREVE = {
    "associazione_non_riconosciuta": "associazione non riconosciuta",
    "associazione_riconosciuta": "associazione riconosciuta",
    "fondazione_partecipazione": "fondazione di partecipazione",
    "cooperativa": "società cooperativa",
    "ets_associazione": "associazione del Terzo settore",
    "impresa_sociale": "impresa sociale in forma associativa",
}
_FORMA_ATTO = {
    "atto_pubblico": "atto pubblico",
    "scrittura_privata_autenticata": "scrittura privata autenticata",
    "scrittura_privata_registrata": "scrittura privata registrata",
}
_FONTE_ENERGIA = {
    "fotovoltaico": "solare fotovoltaica", "eolico": "eolica", "idroelettrico": "idroelettrica",
    "biomassa": "biomasse", "biogas": "biogas", "bioliquidi": "bioliquidi", "geotermico": "geotermica",
    "gas_residuati": "gas residuati dai processi di depurazione", "moto_ondoso": "moto ondoso",
    "altra_rinnovabile": "altra fonte rinnovabile", "non_rinnovabile": "fonte non rinnovabile",
}
_RUOLO = {"consumatore": "consumatore", "prosumer": "prosumer", "produttore": "produttore"}
_TIPO_CONF = {
    "CER": "comunità energetica rinnovabile",
    "AUC": "gruppo di autoconsumatori di energia rinnovabile che agiscono collettivamente",
    "AID": "autoconsumatore individuale di energia rinnovabile «a distanza»",
}
_MESI_SOLO = ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre",
              "ottobre", "novembre", "dicembre")

# codice fiscale: caratteri di omocodia al posto delle cifre
_OMOCODIA = str.maketrans("LMNPQRSTUV", "0123456789")


@lru_cache(maxsize=1)
def _categorie() -> dict[str, str]:
    d = yaml.safe_load((CLAUSOLE_DIR / "voci" / "categorie_soggetti.yaml").read_text(encoding="utf-8"))
    return d["plurale"]


# ----------------------------------------------------------------------------- aiuti


def _p(pid: str, al: dt.date) -> Any:
    """Parametro datato; se manca alla data ``al`` esce ``ParametroNonDefinito`` (il servizio
    lo traduce in «nessuna regola in vigore a quella data»)."""
    return param(pid, al)


def femminile_da_cf(cf: str | None) -> bool | None:
    """Dal codice fiscale di una persona: il giorno di nascita è aumentato di 40 per le donne."""
    if not cf or len(cf) != 16:
        return None
    giorno = cf[9:11].upper().translate(_OMOCODIA)
    if not giorno.isdigit():
        return None
    return int(giorno) > 40


def _nato(f: bool | None) -> str:
    return {True: "nata", False: "nato", None: "nato/a"}[f]


def _o(f: bool | None) -> str:
    return {True: "a", False: "o", None: "o/a"}[f]


def luogo(ind: Indirizzo | None) -> str | None:
    """«San Godenzo (FI), Via Roma 12»."""
    if ind is None or not (ind.comune or ind.indirizzo):
        return None
    comune = ind.comune or LACUNA
    if ind.provincia:
        comune += f" ({ind.provincia})"
    return f"{comune}, {ind.indirizzo}" if ind.indirizzo else comune


def comune_prov(ind: Indirizzo | None) -> str | None:
    if ind is None or not ind.comune:
        return None
    return f"{ind.comune} ({ind.provincia})" if ind.provincia else ind.comune


def _pct(x: Decimal | int | None) -> str | None:
    if x is None:
        return None
    return italiano.percentuale(Decimal(x).normalize() if isinstance(x, Decimal) else x, spazio=SPAZIO_FISSO)


def _inizia_per_vocale(x: Decimal | int) -> bool:
    intero = int(Decimal(x))
    return italiano.numero_in_lettere(intero)[0] in "aeiou"


def percentuale_con_articoli(x: Decimal | int) -> dict[str, str]:
    """Le forme con articolo: «il 12 %», «l'8 %», «al 12 %», «all'11 %», «del 40 %»."""
    p = _pct(x) or ""
    v = _inizia_per_vocale(x)
    return {
        "pct": p,
        "il": f"l'{p}" if v else f"il {p}",
        "al": f"all'{p}" if v else f"al {p}",
        "del": f"dell'{p}" if v else f"del {p}",
        "pari_al": f"pari all'{p}" if v else f"pari al {p}",
    }


def numero_e_lettere(n: int) -> dict[str, str]:
    return {"cifre": str(n), "lettere": italiano.numero_in_lettere(n), "completo": f"{n} ({italiano.numero_in_lettere(n)})"}


def data_per_atto_pubblico(d: dt.date | None) -> str:
    """«l'anno duemilaventicinque, il giorno venti del mese di ottobre» (spazi se manca)."""
    if d is None:
        return f"l'anno {LACUNA}, il giorno {LACUNA} del mese di {LACUNA}"
    giorno = "primo" if d.day == 1 else italiano.numero_in_lettere(d.day)
    return f"l'anno {italiano.numero_in_lettere(d.year)}, il giorno {giorno} del mese di {_MESI_SOLO[d.month - 1]}"


def _elenco_parole(voci: list[str]) -> str:
    voci = [v for v in voci if v]
    if len(voci) <= 1:
        return "".join(voci)
    return ", ".join(voci[:-1]) + " e " + voci[-1]


def identificazione(s: Soggetto, *, con_nascita_rappresentante: bool = True) -> str:
    """Come un atto identifica un soggetto: dati anagrafici e fiscali, e per un ente il suo
    rappresentante (con i dati di nascita se noti, altrimenti spazi da completare)."""
    if s.tipo == "persona_fisica":
        f = femminile_da_cf(s.codice_fiscale)
        parti = [s.nome_completo]
        nascita = f"{_nato(f)} a {s.nato_a or LACUNA} il {italiano.data_lunga(s.nato_il) if s.nato_il else LACUNA}"
        parti.append(nascita)
        res = luogo(s.residenza)
        parti.append(f"residente a {res or LACUNA}")
        parti.append(f"codice fiscale {s.codice_fiscale or LACUNA}")
        return ", ".join(parti)
    parti = [s.denominazione or s.id, f"con sede in {luogo(s.sede) or LACUNA}",
             f"codice fiscale {s.codice_fiscale or LACUNA}"]
    if s.partita_iva and s.partita_iva != s.codice_fiscale:
        parti.append(f"partita IVA {s.partita_iva}")
    r = s.rappresentante
    if r is not None:
        f = femminile_da_cf(r.codice_fiscale)
        nome = " ".join(x for x in (r.nome, r.cognome) if x) or LACUNA
        rapp = f"in persona di {nome}"
        if con_nascita_rappresentante:
            rapp += f", {_nato(f)} a {r.nato_a or LACUNA} il {italiano.data_lunga(r.nato_il) if r.nato_il else LACUNA}"
        rapp += f", codice fiscale {r.codice_fiscale or LACUNA}"
        rapp += f", nella qualità di {r.carica or 'legale rappresentante'}"
        rapp += f", munit{_o(f)} dei poteri necessari in forza {fonte_poteri(r)}"
        parti.append(rapp)
    else:
        parti.append(f"in persona del legale rappresentante pro tempore {LACUNA}")
    return ", ".join(parti)


def nome_firmatario(s: Soggetto) -> tuple[str, str | None]:
    """(nome di chi firma, qualifica) per il blocco delle firme."""
    if s.tipo == "persona_fisica":
        return s.nome_completo, None
    r = s.rappresentante
    if r is not None and (r.nome or r.cognome):
        nome = " ".join(x for x in (r.nome, r.cognome) if x)
        return nome, f"per {s.denominazione}, {r.carica or 'legale rappresentante'}"
    return s.denominazione or s.id, "il legale rappresentante"


def nome_in_organo(s: Soggetto) -> str:
    """Come un componente appare in un organo: le persone per nome; gli enti tramite chi li
    rappresenta."""
    if s.tipo == "persona_fisica":
        return f"{s.nome_completo} (codice fiscale {s.codice_fiscale or LACUNA})"
    r = s.rappresentante
    chi = " ".join(x for x in (r.nome, r.cognome) if x) if r else ""
    if chi:
        return (f"{s.denominazione}, nella persona del proprio legale rappresentante pro tempore, "
                f"attualmente {chi}, o di un suo delegato")
    return f"{s.denominazione}, nella persona del proprio legale rappresentante pro tempore o di un suo delegato"


# ----------------------------------------------------------------------------- comunità


def _versione_elementi(al: dt.date) -> str:
    return str(_p("statuto_elementi_versione", al))


def _categorie_membri(al: dt.date, versione: str) -> tuple[list[str], list[str]]:
    """(categorie ammesse come membri, categorie ammesse al controllo) alla data ``al``."""
    nomi = _categorie()
    ammessi = [nomi[t] for t in _p("membri_categorie_ammesse", al) if t in nomi]
    controllo_tipi = list(_p("controllo_categorie_ammesse", al))
    controllo = [nomi[t] for t in controllo_tipi if t in nomi]
    if versione == "ro_2024" and _p("controllo_associazioni_solo_riconosciute", al) and "associazione" not in controllo_tipi:
        controllo.append(nomi["associazione_riconosciuta"])
    return ammessi, controllo


def _ateco(al: dt.date) -> dict[str, str]:
    codici = _p("ateco_esclusi", al)
    return {f"classificazione_{k}": _elenco_parole(list(v)) for k, v in codici.items()}


def contesto_comunita(pratica: Pratica, al: dt.date) -> Contesto:
    """Contesto di statuto, atto costitutivo e copia GSE."""
    c = pratica.comunita
    if c is None:
        raise ErroreLibreria("la pratica non ha una comunità (ente giuridico): statuto e atto non si generano")
    avvisi: list[str] = []
    forma = c.forma_giuridica
    versione = _versione_elementi(al)
    termini = _MEMBRI[_MEMBRI_PER_FORMA[forma]]
    organi = _organi(forma)

    valori: dict[str, Any] = {}
    flag: dict[str, bool] = {}

    # --- ente
    sede = c.sede
    valori["ente"] = {
        "denominazione": c.denominazione,
        "sigla": c.sigla,
        "nome_breve": c.sigla or c.denominazione,
        "codice_fiscale": c.codice_fiscale,
        "pec": c.pec,
        "sede_comune": sede.comune,
        "sede_comune_provincia": comune_prov(sede),
        "sede_indirizzo": luogo(sede),
        "forma": _FORMA_BREVE[forma],
    }
    flag["ha_sigla"] = bool(c.sigla and c.sigla != c.denominazione)
    flag["ha_pec"] = bool(c.pec)
    for f in FORME:
        flag[f"forma_{f}"] = forma == f
    flag["forma_associativa"] = forma in ("associazione_non_riconosciuta", "associazione_riconosciuta",
                                          "ets_associazione", "impresa_sociale")
    flag["forma_associazione"] = forma in ("associazione_non_riconosciuta", "associazione_riconosciuta",
                                           "ets_associazione")
    flag["ente_terzo_settore"] = forma in ("ets_associazione", "impresa_sociale")
    flag["personalita_giuridica"] = forma in ("associazione_riconosciuta", "fondazione_partecipazione",
                                              "cooperativa")
    flag["consiglio_indirizzo"] = forma == "fondazione_partecipazione"
    flag["organo_controllo_obbligatorio"] = forma in ("fondazione_partecipazione", "impresa_sociale")
    flag["organo_controllo_facoltativo"] = not flag["organo_controllo_obbligatorio"]
    valori["termini"] = termini
    valori["organi"] = organi
    valori["spazio"] = LACUNA

    # --- elementi essenziali: versione e categorie
    valori["elementi"] = {"versione": versione, "fonte": rif("statuto_elementi_versione", al)}
    flag["elementi_ro_2025"] = versione == "ro_2025"
    flag["elementi_ro_2024"] = versione == "ro_2024"
    ammessi, controllo = _categorie_membri(al, versione)
    valori["categorie_membri"] = ammessi
    valori["categorie_controllo"] = controllo
    valori["ateco_esclusi"] = _ateco(al)
    quota_pmi = _p("pmi_quota_enti_territoriali_pct", al)
    flag["regola_pmi_enti_territoriali"] = quota_pmi is not None
    valori["pmi_quota_enti_territoriali"] = percentuale_con_articoli(quota_pmi) if quota_pmi is not None else None
    flag["controllo_ambito_comunale"] = _p("controllo_ambito_territoriale", al) == "comune"

    # --- durata ed esercizio
    flag["durata_illimitata"] = (c.durata or "illimitata").strip().lower() in ("illimitata", "indeterminata")
    valori["durata"] = c.durata
    flag["esercizio_anno_solare"] = (c.esercizio_sociale or "anno_solare") == "anno_solare"
    valori["esercizio_sociale"] = c.esercizio_sociale

    # --- quote
    n_fond = len(c.fondatori)
    valori["numero_fondatori"] = numero_e_lettere(n_fond)
    flag["quota_definita"] = c.quota_associativa_euro is not None
    if c.quota_associativa_euro is not None:
        q = Decimal(c.quota_associativa_euro)
        tot = q * n_fond
        valori["quota"] = {
            "importo": italiano.importo(q, spazio=SPAZIO_FISSO), "lettere": italiano.importo_in_lettere(q),
            "totale": italiano.importo(tot, spazio=SPAZIO_FISSO), "totale_lettere": italiano.importo_in_lettere(tot),
        }
    else:
        valori["quota"] = {"importo": None, "lettere": None, "totale": None, "totale_lettere": None}

    # --- fondatori e firmatari
    fondatori, firmatari = [], []
    for sid in c.fondatori:
        s = pratica.soggetto(sid)
        if s is None:
            avvisi.append(f"il fondatore '{sid}' non è tra i soggetti della pratica")
            continue
        nome, qualifica = nome_firmatario(s)
        fondatori.append({"id": s.id, "nome": s.nome_completo, "identificazione": identificazione(s),
                          "persona_fisica": s.tipo == "persona_fisica"})
        firmatari.append({"nome": nome, "qualifica": qualifica})
    valori["fondatori"] = fondatori
    valori["firmatari"] = firmatari
    flag["fondatori_presenti"] = bool(fondatori)
    if not fondatori:
        avvisi.append("la pratica non indica i fondatori (comunita.fondatori): l'atto costitutivo resta senza parti")
    if c.organi.presidente is None:
        avvisi.append("la pratica non indica il presidente (comunita.organi.presidente): l'atto non lo nomina")

    # --- primi organi
    pres = pratica.soggetto(c.organi.presidente)
    valori["presidente"] = {
        "nome": pres.nome_completo if pres else None,
        "identificazione": (f"{pres.nome_completo}, codice fiscale {pres.codice_fiscale or LACUNA}" if pres else None),
        "nominato": "nominat" + _o(femminile_da_cf(pres.codice_fiscale) if pres and pres.tipo == "persona_fisica" else False),
    }
    flag["presidente_nominato"] = pres is not None
    consiglieri = [nome_in_organo(s) for s in (pratica.soggetto(x) for x in c.organi.consiglio_direttivo) if s]
    valori["consiglieri"] = consiglieri
    valori["numero_consiglieri"] = numero_e_lettere(len(consiglieri))
    flag["consiglio_nominato"] = bool(consiglieri)
    rev = pratica.soggetto(c.organi.revisore)
    valori["revisore"] = {"identificazione": nome_in_organo(rev) if rev else None}
    flag["revisore_nominato"] = rev is not None

    # --- soggetto delegato al riparto
    delegato = c.soggetto_delegato_riparto or "comunita"
    flag["delegato_comunita"] = delegato == "comunita"
    flag["delegato_soggetto"] = not flag["delegato_comunita"]
    ds = pratica.soggetto(delegato) if delegato != "comunita" else None
    valori["delegato"] = {"identificazione": identificazione(ds, con_nascita_rappresentante=False) if ds else None,
                          "nome": ds.nome_completo if ds else None}

    # --- riparto dei benefici
    r = c.riparto_benefici
    flag["riparto_definito"] = r is not None
    flag["riparto_non_definito"] = r is None
    voci = ("spese_gestione", "produttori", "consumatori", "fondo_sociale")
    valori["riparto"] = {}
    for v in voci:
        x = getattr(r, v) if r is not None else Decimal(0)
        flag[f"riparto_{v}"] = r is not None and Decimal(x) > 0
        valori["riparto"][v] = percentuale_con_articoli(x)
    if r is not None and r.totale() != 100:
        avvisi.append(f"le percentuali del riparto dei benefici sommano a {italiano.numero(r.totale())} e non a 100")

    # --- eccedenza
    dest = set(c.destinazione_eccedenza)
    flag["eccedenza_consumatori_non_imprese"] = "consumatori_non_imprese" in dest
    flag["eccedenza_finalita_sociali"] = "finalita_sociali" in dest
    if not dest:
        # lo statuto deve comunque dire dove va l'eccedenza: si riporta la regola per intero
        flag["eccedenza_consumatori_non_imprese"] = flag["eccedenza_finalita_sociali"] = True
        avvisi.append("la pratica non indica la destinazione dell'eccedenza: lo statuto riporta entrambe le "
                      "destinazioni ammesse")
    flag["eccedenza_entrambe"] = flag["eccedenza_consumatori_non_imprese"] and flag["eccedenza_finalita_sociali"]
    flag["eccedenza_solo_consumatori"] = flag["eccedenza_consumatori_non_imprese"] and not flag["eccedenza_finalita_sociali"]
    flag["eccedenza_solo_sociali"] = flag["eccedenza_finalita_sociali"] and not flag["eccedenza_consumatori_non_imprese"]

    # --- recesso
    rec = c.recesso
    mesi = rec.preavviso_mesi if rec and rec.preavviso_mesi else 0
    flag["recesso_preavviso"] = mesi > 0
    valori["recesso"] = {"preavviso": numero_e_lettere(mesi) if mesi else None,
                         "mesi": "mese" if mesi == 1 else "mesi"}
    flag["recesso_fine_esercizio"] = bool(rec and rec.efficacia == "fine_esercizio")
    flag["recesso_immediato"] = not flag["recesso_fine_esercizio"]
    flag["recesso_preavviso_fine_esercizio"] = flag["recesso_preavviso"] and flag["recesso_fine_esercizio"]
    flag["recesso_preavviso_immediato"] = flag["recesso_preavviso"] and flag["recesso_immediato"]
    rp = rec.restituzione_contributo_pnrr if rec else None
    flag["restituzione_pnrr_prevista"] = bool(rp and rp.entro_anni and rp.quota_entro is not None)
    flag["restituzione_pnrr_dopo"] = bool(flag["restituzione_pnrr_prevista"] and rp and rp.quota_dopo)
    valori["restituzione_pnrr"] = {
        "anni": numero_e_lettere(rp.entro_anni) if flag["restituzione_pnrr_prevista"] and rp and rp.entro_anni else None,
        "quota_entro": percentuale_con_articoli(rp.quota_entro) if flag["restituzione_pnrr_prevista"] and rp else None,
        "quota_dopo": percentuale_con_articoli(rp.quota_dopo) if flag["restituzione_pnrr_dopo"] and rp else None,
    }

    # --- configurazioni e impianti
    flag["pnrr_presente"] = any(imp.contributo_pnrr is not None for _, _, imp in pratica.impianti())
    flag["produttori_terzi_presenti"] = bool(pratica.produttori_terzi)
    flag["piu_configurazioni"] = len(pratica.configurazioni) > 1
    valori["configurazioni"] = [
        {"id": k.id, "denominazione": k.denominazione or k.id, "cabina_primaria": k.cabina_primaria}
        for k in pratica.configurazioni
    ]

    # --- parametri con numeri di legge
    valori["termine_variazioni"] = numero_e_lettere(int(_p("variazioni_configurazione_termine_giorni", al)))
    durata_mandato = _p("referente_mandato_durata_anni", al)
    valori["referente_mandato"] = {"durata": "un anno" if durata_mandato == 1 else f"{numero_e_lettere(durata_mandato)['completo']} anni"}

    # --- atto costitutivo
    a = c.atto_costitutivo
    nome_notaio = a.dati_notaio.nome_completo if a.dati_notaio else None
    for f in FORME_ATTO:
        flag[f"atto_{f}"] = a.forma == f
    flag["atto_scrittura_privata"] = a.forma != "atto_pubblico"
    flag["atto_con_notaio"] = a.forma in ("atto_pubblico", "scrittura_privata_autenticata")
    data_atto = a.data or a.data_prevista
    giorni_reg = int(_p("registrazione_termine_giorni", al))
    valori["atto"] = {
        "forma": _FORMA_ATTO[a.forma],
        "luogo": a.luogo or sede.comune,
        "data": italiano.data_lunga(data_atto) if data_atto else None,
        "data_atto_pubblico": data_per_atto_pubblico(data_atto),
        "notaio": nome_notaio,
        "repertorio": a.repertorio or LACUNA,
        "raccolta": LACUNA,
        "termine_registrazione": numero_e_lettere(giorni_reg),
        "spazio": LACUNA,
    }
    valori["atto"]["data_atto_pubblico_inizio"] = "L" + valori["atto"]["data_atto_pubblico"][1:]
    primo = None
    if data_atto is not None and flag["esercizio_anno_solare"]:
        primo = italiano.data_lunga(dt.date(data_atto.year, 12, 31))
    valori["atto"]["primo_esercizio_chiusura"] = primo
    flag["primo_esercizio_noto"] = primo is not None
    valori["atto"]["titolo_patrimonio"] = {
        "fondazione_partecipazione": "Fondo di dotazione", "cooperativa": "Capitale sociale",
    }.get(forma, "Quote associative e fondo comune")
    flag["quota_non_definita"] = not flag["quota_definita"]
    flag["richiede_riconoscimento"] = forma in ("associazione_riconosciuta", "fondazione_partecipazione")
    flag["richiede_iscrizione"] = forma != "associazione_non_riconosciuta"
    notaio = {"nome": nome_notaio or LACUNA, "qualifica": "il notaio"}
    valori["firmatari_atto"] = firmatari + ([notaio] if a.forma == "atto_pubblico" else [])
    valori["firmatari_notaio"] = [notaio]
    flag["notaio_indicato"] = bool(nome_notaio)
    flag["data_atto_indicata"] = data_atto is not None
    forma_richiede_notaio = forma in ("associazione_riconosciuta", "fondazione_partecipazione", "cooperativa",
                                      "impresa_sociale")
    if forma_richiede_notaio and a.forma != "atto_pubblico":
        avvisi.append(f"la forma giuridica '{_FORMA_BREVE[forma]}' richiede di regola l'atto pubblico, "
                      f"ma la pratica indica '{_FORMA_ATTO[a.forma]}'")
    if data_atto is None:
        avvisi.append("la pratica non indica la data dell'atto costitutivo: la data resta da completare")
    integra_forma_ente(pratica, al, valori, flag, avvisi)  # forma giuridica: contesto_forma.py

    return Contesto(valori=valori, flag=flag, avvisi=avvisi)


# ----------------------------------------------------------------------------- regolamento


def contesto_regolamento(pratica: Pratica, conf: Configurazione, al: dt.date) -> Contesto:
    """Contesto del regolamento di una configurazione (CER o gruppo di autoconsumatori)."""
    avvisi: list[str] = []
    if pratica.comunita is not None:
        base = contesto_comunita(pratica, al)
        valori, flag = dict(base.valori), dict(base.flag)
        avvisi += [a for a in base.avvisi if "atto" not in a]
    else:
        valori, flag = _contesto_senza_comunita(pratica, al)
    valori = dict(valori)
    flag["con_comunita"] = pratica.comunita is not None
    flag["senza_comunita"] = pratica.comunita is None
    if pratica.comunita is not None:
        from .motore import numera_articoli
        from .specifiche import load_spec

        valori["statuto_art"] = numera_articoli(load_spec("statuto"), base)
    else:
        valori["statuto_art"] = {}

    flag["tipo_cer"] = conf.tipo == "CER"
    flag["tipo_auc"] = conf.tipo == "AUC"
    flag["tipo_aid"] = conf.tipo == "AID"
    if conf.tipo == "CER" or pratica.comunita is not None:
        valori["soggetto"] = {
            "il": "la Comunità", "Il": "La Comunità", "del": "della Comunità", "al": "alla Comunità",
            "dal": "dalla Comunità", "nel": "nella Comunità", "partecipanti": valori["termini"]["membri"],
        }
    else:
        valori["soggetto"] = {
            "il": "il Gruppo", "Il": "Il Gruppo", "del": "del Gruppo", "al": "al Gruppo", "dal": "dal Gruppo",
            "nel": "nel Gruppo", "partecipanti": "partecipanti al Gruppo",
        }

    membri = {m.soggetto: m for m in pratica.membri}
    terzi = {t.soggetto: t for t in pratica.produttori_terzi}
    impianti_terzi = {i for t in pratica.produttori_terzi for i in t.impianti}

    def nome(sid: str | None) -> str | None:
        s = pratica.soggetto(sid)
        return s.nome_completo if s else sid

    esenti = set(_p("fattore_f_punti_esenti", al))
    nomi_cat = _categorie()
    valori["categorie_esenti"] = [nomi_cat[t] for t in _p("fattore_f_punti_esenti", al) if t in nomi_cat]
    punti = []
    for p in conf.punti_connessione:
        ruolo = membri[p.soggetto].ruolo if p.soggetto in membri else None
        if ruolo:
            descr = _RUOLO[ruolo]
        elif p.soggetto in terzi:
            descr = "produttore terzo"
        else:
            descr = None
        tit = pratica.soggetto(p.soggetto)
        esente = tit is not None and tit.tipo in esenti and p.soggetto not in terzi
        punti.append({"pod": p.pod, "titolare": nome(p.soggetto), "uso": p.uso, "indirizzo": p.indirizzo,
                      "cabina_primaria": p.cabina_primaria or conf.cabina_primaria, "ruolo": descr,
                      "esente": "sì" if esente else "no"})
    impianti = []
    impianti_pnrr = []
    for imp in conf.impianti:
        terzo = imp.id in impianti_terzi or imp.produttore in terzi
        if terzo:
            ruolo = "produttore terzo"
        elif imp.produttore in membri:
            ruolo = "produttore membro"
        elif pratica.comunita is None and any(pc.soggetto == imp.produttore for pc in conf.punti_connessione):
            ruolo = "produttore partecipante"
        else:
            ruolo = "produttore"
        pnrr = imp.contributo_pnrr is not None
        impianti.append({
            "id": imp.id, "denominazione": imp.denominazione or imp.id, "fonte": _FONTE_ENERGIA[imp.fonte],
            "nome_tabella": f"{imp.denominazione}\n({imp.id})" if imp.denominazione else imp.id,
            "potenza": f"{italiano.numero(Decimal(imp.potenza_kw), 1)}{SPAZIO_FISSO}kW", "produttore": nome(imp.produttore),
            "ruolo": ruolo, "pod": imp.pod, "pnrr": "sì" if pnrr else "no",
            "censimp": imp.censimp,
        })
        if pnrr:
            impianti_pnrr.append(_nome_impianto(imp))
    valori["punti_connessione"] = punti
    valori["impianti"] = impianti
    valori["impianti_pnrr"] = impianti_pnrr
    flag["pnrr_nella_configurazione"] = bool(impianti_pnrr)
    valori["numero_punti"] = numero_e_lettere(len(punti))
    valori["numero_impianti"] = numero_e_lettere(len(impianti))
    valori["punti_frase"] = ("il punto di connessione indicato" if len(punti) == 1 else
                             f"i {valori['numero_punti']['completo']} punti di connessione indicati")
    valori["impianti_frase"] = ("l'impianto di produzione indicato" if len(impianti) == 1 else
                                f"i {valori['numero_impianti']['completo']} impianti di produzione indicati")

    terzi_conf = []
    for t in pratica.produttori_terzi:
        propri = [imp for imp in conf.impianti if imp.id in t.impianti]
        if not propri:
            continue
        terzi_conf.append({
            "nome": nome(t.soggetto),
            "impianti": ("l'impianto " if len(propri) == 1 else "gli impianti ")
                        + _elenco_parole([_nome_impianto(i) for i in propri]),
            "quota_incentivo": percentuale_con_articoli(t.quota_incentivo_pct) if t.quota_incentivo_pct is not None else None,
        })
    valori["produttori_terzi"] = terzi_conf
    flag["produttori_terzi_nella_configurazione"] = bool(terzi_conf)
    flag["quota_terzi_definita"] = any(t["quota_incentivo"] for t in terzi_conf)

    ref = conf.referente
    rs = pratica.soggetto(ref.soggetto)
    flag["referente_comunita"] = ref.qualifica == "comunita"
    flag["referente_esco"] = ref.qualifica == "esco_uni_11352"
    flag["referente_altro"] = not (flag["referente_comunita"] or flag["referente_esco"])
    flag["referente_con_mandato"] = not flag["referente_comunita"]
    if flag["referente_comunita"] and pratica.comunita is None:
        flag["referente_comunita"], flag["referente_con_mandato"] = False, True
    firmatari_conf, visti = [], set()
    for p in conf.punti_connessione:
        s = pratica.soggetto(p.soggetto)
        if s is None or s.id in visti:
            continue
        visti.add(s.id)
        n, q = nome_firmatario(s)
        firmatari_conf.append({"nome": n, "qualifica": q})
    valori["firmatari_configurazione"] = firmatari_conf
    valori["referente"] = {"nome": rs.nome_completo if rs else None,
                           "identificazione": identificazione(rs, con_nascita_rappresentante=False) if rs else None}

    valori["configurazione"] = {
        "id": conf.id, "denominazione": conf.denominazione or conf.id, "cabina_primaria": conf.cabina_primaria,
        "tipo": _TIPO_CONF[conf.tipo],
    }
    valori["termine_variazioni"] = numero_e_lettere(int(_p("variazioni_configurazione_termine_giorni", al)))
    soglie = _p("quota_eccedentaria_soglia_pct", al)
    valori["soglia"] = {
        "solo_tariffa": percentuale_con_articoli(soglie["solo_tariffa"]),
        "con_contributo": percentuale_con_articoli(soglie["con_contributo"]),
    }
    pnrr_anni = _p("pnrr_esercizio_minimo_anni", al)
    valori["pnrr_esercizio_minimo"] = numero_e_lettere(int(pnrr_anni))
    integra_regolamento(pratica, conf, al, valori, flag)  # rapporti tra documenti: contesto_configurazione.py
    return Contesto(valori=valori, flag=flag, avvisi=avvisi)


def _nome_impianto(imp) -> str:
    return f"«{imp.denominazione}» ({imp.id})" if imp.denominazione else imp.id


def _contesto_senza_comunita(pratica: Pratica, al: dt.date) -> tuple[dict[str, Any], dict[str, bool]]:
    """Per un gruppo di autoconsumatori senza ente giuridico: i campi comuni con valori neutri."""
    valori: dict[str, Any] = {
        "ente": {"denominazione": pratica.denominazione, "sigla": None, "nome_breve": pratica.denominazione,
                 "codice_fiscale": None, "pec": None, "sede_comune": None, "sede_comune_provincia": None,
                 "sede_indirizzo": None, "forma": "gruppo di autoconsumatori"},
        "termini": _MEMBRI["partecipanti"],
        "organi": _organi("associazione_non_riconosciuta"),
        "spazio": LACUNA,
        "riparto": {v: percentuale_con_articoli(0) for v in ("spese_gestione", "produttori", "consumatori",
                                                               "fondo_sociale")},
        "delegato": {"identificazione": None, "nome": None},
        "referente_mandato": {"durata": "un anno" if _p("referente_mandato_durata_anni", al) == 1 else
                              f"{_p('referente_mandato_durata_anni', al)} anni"},
        "recesso": {"preavviso": None, "mesi": "mesi"},
        "restituzione_pnrr": {"anni": None, "quota_entro": None, "quota_dopo": None},
    }
    flag: dict[str, bool] = {f"forma_{f}": False for f in FORME}
    flag.update({
        "riparto_definito": False, "riparto_non_definito": True, "riparto_spese_gestione": False, "riparto_produttori": False,
        "riparto_consumatori": False, "riparto_fondo_sociale": False,
        "eccedenza_consumatori_non_imprese": True, "eccedenza_finalita_sociali": True, "eccedenza_entrambe": True,
        "eccedenza_solo_consumatori": False, "eccedenza_solo_sociali": False,
        "delegato_comunita": False, "delegato_soggetto": False,
        "recesso_preavviso": False, "recesso_fine_esercizio": False, "recesso_immediato": True,
        "recesso_preavviso_fine_esercizio": False, "recesso_preavviso_immediato": False,
        "restituzione_pnrr_prevista": False, "restituzione_pnrr_dopo": False,
        "pnrr_presente": any(i.contributo_pnrr is not None for _, _, i in pratica.impianti()),
        "produttori_terzi_presenti": bool(pratica.produttori_terzi),
        "piu_configurazioni": len(pratica.configurazioni) > 1,
        "forma_associativa": False, "forma_associazione": False, "ente_terzo_settore": False,
        "personalita_giuridica": False, "consiglio_indirizzo": False,
    })
    return valori, flag

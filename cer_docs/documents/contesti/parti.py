"""Le parti degli atti: come un documento identifica un soggetto, chi firma per lui e con
quali poteri, come un ente siede in un organo.

Chi firma e con quale genere lo dicono i fatti derivati (``cer_docs.rules.fatti``): qui si
scrivono le frasi accordate («nata a», «munita dei poteri», «la dichiarante»).
"""

from __future__ import annotations

from typing import Any

from cer_docs import italiano
from cer_docs.model.pratica import Notaio, Pratica, Soggetto
from cer_docs.model.vocabolario import TIPI_SOGGETTO, forma_societaria
from cer_docs.rules import fatti

from ..motore import LACUNA, lacuna
from .comuni import comune, data, luogo


def percorso(s: Soggetto) -> str:
    """Il soggetto nel file pratica, per i dati mancanti (``lacuna``): ``soggetti[id:rossi-mario]``."""
    return f"soggetti[id:{s.id}]"


def percorso_punto(conf: Any, pc: Any) -> str:
    """Un punto di connessione nel file pratica: ``configurazioni[id:conf-1].punti_connessione[pod:IT001E…]``."""
    return f"configurazioni[id:{conf.id}].punti_connessione[pod:{pc.pod}]"


def percorso_impianto(conf: Any, imp: Any) -> str:
    """Un impianto nel file pratica: ``configurazioni[id:conf-1].impianti[id:fv-1]``."""
    return f"configurazioni[id:{conf.id}].impianti[id:{imp.id}]"


def percorso_luogo(s: Soggetto, campo: str = "comune") -> str:
    """Il comune (o l'indirizzo) di un soggetto nel file pratica: la residenza di una persona, la sede di un ente."""
    return f"{percorso(s)}.{'residenza' if s.tipo == 'persona_fisica' else 'sede'}.{campo}"


def punto(conf: Any, pc: Any) -> dict[str, str]:
    """Indirizzo e uso di un punto di connessione per gli elenchi (spazi da completare se mancano)."""
    base = percorso_punto(conf, pc)
    return {"indirizzo": pc.indirizzo or lacuna(f"{base}.indirizzo"),
            "uso": italiano.in_frase(pc.uso) if pc.uso else lacuna(f"{base}.uso")}


def _manca(base: str | None, campo: str) -> str:
    """Lo spazio da completare per il ``campo`` sotto ``base`` (un soggetto, il suo rappresentante)."""
    return lacuna(f"{base}.{campo}") if base else LACUNA


def femminile(persona: Any) -> bool | None:
    """Vero per una donna, falso per un uomo, ``None`` se non si sa (né dato né codice fiscale).
    In una generazione si calcola una volta per persona (il codice fiscale si rilegge con stdnum:
    ogni documento del pacchetto lo chiede per il presidente)."""
    s = comune(persona, "sesso", None, lambda: fatti.sesso(persona))
    return None if s is None else s == "F"


def accordo(f: bool | None) -> dict[str, str]:
    """Le desinenze e le parole accordate al genere di una persona, per le clausole."""
    g = lambda m, fe: italiano.per_genere(f, m, fe)  # noqa: E731
    return {
        "o": g("o", "a"), "nato": g("nato", "nata"), "il": g("il", "la"), "Il": g("Il", "La"),
        "al_quale": g("al quale", "alla quale"), "sottoscritto": g("sottoscritto", "sottoscritta"),
        "Il_sottoscritto": g("Il sottoscritto", "La sottoscritta"),
        "dichiarante": g("il dichiarante", "la dichiarante"), "Il_dichiarante": g("Il dichiarante", "La dichiarante"),
        "richiedente": "il richiedente" if f is not True else "la richiedente",
        "Il_richiedente": "Il richiedente" if f is not True else "La richiedente", "iscritto": g("iscritto", "iscritta"), "intestatario": g("intestatario", "intestataria"),
        "munito": g("munito", "munita"), "domiciliato": g("domiciliato", "domiciliata"),
        "nominato": g("nominato", "nominata"), "identificato": g("identificato", "identificata"),
        "titolare": "il titolare" if f is not True else "la titolare",
        "referente": "il referente" if f is not True else "la referente",
        "signor": g("il signor", "la signora"), "dottor": g("dottor", "dottoressa"),
    }


def femminile_soggetto(s: Soggetto) -> bool | None:
    """Il genere con cui si accorda un soggetto: una persona per il suo sesso, un ente per il suo
    nome («la Parrocchia», «il Comune»)."""
    if s.tipo == "persona_fisica":
        return femminile(s)
    return italiano.genere_denominazione(s.nome_completo, "m") == "f"


def nome_proprio(s: Soggetto) -> bool:
    """Il nome del soggetto è un nome proprio che nelle frasi va senza articolo: una persona, una
    società o un'impresa («per Energia Verde Mugello S.p.A.», «di Caseificio del Borgo S.r.l.»).
    Gli altri enti hanno un nome che comincia con un sostantivo comune e lo vogliono («il Comune di
    Montese», «la Parrocchia di San Gaudenzio», «il Condominio Aurora»)."""
    return s.tipo in ("persona_fisica", "impresa") or forma_societaria(s.denominazione) is not None


def denominazione(s: Soggetto) -> dict[str, str]:
    """Il nome del soggetto con l'articolo che vuole (o senza, se è un nome proprio): ``il``,
    ``Il``, ``del``, ``al``, ``dal``, ``nel``, ``sul``."""
    return italiano.denominazione_articolata(s.nome_completo or LACUNA, "m", articolo=not nome_proprio(s))


def ente_rappresentato(s: Soggetto) -> dict[str, str]:
    """Come chi firma per un ente chiama l'ente in una dichiarazione: «la società rappresentata»
    (dalla forma societaria nel nome), «l'impresa rappresentata», «l'associazione rappresentata», «il
    condominio rappresentato» (i nomi dei tipi di soggetto del vocabolario), per ogni altro ente
    «l'ente rappresentato» (un Comune, una parrocchia, un ente di ricerca)."""
    if forma_societaria(s.denominazione) is not None:
        nome, genere = "società", "f"
    elif s.tipo in ("impresa", "associazione", "condominio"):
        v = TIPI_SOGGETTO[s.tipo]
        nome, genere = v.breve or v.nome, v.genere
    else:
        nome, genere = "ente", "m"
    rappresentato = "rappresentata" if genere == "f" else "rappresentato"
    il = italiano.con_articolo(f"{nome} {rappresentato}", genere)
    return {"il": il, "Il": italiano.maiuscola_iniziale(il), "nome": nome,
            "del_nome": italiano.con_articolo(nome, genere, preposizione="di"),
            "intestatario": "intestataria" if genere == "f" else "intestatario"}


def nascita(f: bool | None, nato_a: str | None, nato_il, base: str | None = None) -> str:
    """«nata a Bibbiena il 3 maggio 1980», con gli spazi da completare per ciò che manca (``base``: di
    chi sono i dati nel file pratica, per nominarli nell'avviso)."""
    return _nascita(f, nato_a, nato_il, base)


def _nascita(f: bool | None, nato_a: str | None, nato_il, base: str | None = None) -> str:
    # un comune: «nata a Bibbiena»; uno Stato estero: «nata in Marocco», «nato negli Stati Uniti»
    dove = italiano.luogo_di_nascita(nato_a) if nato_a else f"a {_manca(base, 'nato_a')}"
    quando = italiano.con_data("il", nato_il) if nato_il else f"il {_manca(base, 'nato_il')}"
    return f"{accordo(f)['nato']} {dove} {quando}"


def poteri(s: Soggetto) -> str:
    """«munito dei poteri necessari in forza di deliberazione del Consiglio comunale n. 42 del
    30 settembre 2025» (o lo spazio da completare)."""
    r = s.rappresentante
    f = femminile(r) if r else None
    pw = r.poteri if r else None
    if pw is None or not (pw.fonte or pw.atto):
        fonte = f"di {_manca(percorso(s), 'rappresentante.poteri.fonte')}"
    else:
        fonte = " ".join(x for x in (pw.fonte, pw.atto) if x)
        if pw.data:
            fonte += " " + italiano.con_data("del", pw.data)
        # «in forza della deliberazione», «dell'autorizzazione»: la preposizione segue l'atto
        fonte = _PREPOSIZIONE_ATTO.get(fonte.split()[0].lower(), "di ") + fonte
    return f"{accordo(f)['munito']} dei poteri necessari in forza {fonte}"


# preposizione articolata davanti agli atti che conferiscono più spesso i poteri di firma
_PREPOSIZIONE_ATTO = {
    "deliberazione": "della ", "delibera": "della ", "autorizzazione": "dell'", "procura": "della ",
    "determinazione": "della ", "decreto": "del ", "verbale": "del ", "statuto": "dello ", "atto": "dell'",
    "nomina": "della ",
}


def identificazione(s: Soggetto, *, con_nascita_rappresentante: bool = True) -> str:
    """Come un atto identifica un soggetto: dati anagrafici e fiscali, e per un ente il suo
    rappresentante (con i dati di nascita se noti, altrimenti spazi da completare)."""
    base = percorso(s)
    if s.tipo == "persona_fisica":
        f = femminile(s)
        parti = [s.nome_completo, _nascita(f, s.nato_a, s.nato_il, base)]
        res = luogo(s.residenza)
        parti.append(f"residente {italiano.a_luogo(res) if res else 'a ' + _manca(base, 'residenza.indirizzo')}")
        parti.append(f"codice fiscale {s.codice_fiscale or _manca(base, 'codice_fiscale')}")
        return ", ".join(parti)
    parti = [s.denominazione or LACUNA, f"con sede in {luogo(s.sede) or _manca(base, 'sede.indirizzo')}",
             f"codice fiscale {s.codice_fiscale or _manca(base, 'codice_fiscale')}"]
    if s.partita_iva and s.partita_iva != s.codice_fiscale:
        parti.append(f"partita IVA {s.partita_iva}")
    r = s.rappresentante
    if r is not None:
        f = femminile(r)
        rapp = f"in persona di {r.nome_completo or _manca(base, 'rappresentante.nome')}"
        if con_nascita_rappresentante:
            # chi compare per un ente si identifica come ogni comparente (nascita, domicilio, codice
            # fiscale): il domicilio è quello della carica, presso la sede appena indicata
            rapp += (", " + _nascita(f, r.nato_a, r.nato_il, f"{base}.rappresentante") + ", "
                     + domicilio_per_la_carica(s, f))
        rapp += f", codice fiscale {r.codice_fiscale or _manca(base, 'rappresentante.codice_fiscale')}"
        rapp += f", nella qualità di {carica(r.carica)}"
        rapp += ", " + poteri(s)
        parti.append(rapp)
    else:
        parti.append(f"in persona del legale rappresentante pro tempore {_manca(base, 'rappresentante.nome')}")
    return ", ".join(parti)


def domicilio_per_la_carica(s: Soggetto, f: bool | None) -> str:
    """«domiciliato per la carica presso la sede dell'ente» («della società», «dell'associazione»,
    «del condominio»): il domicilio di chi compare per un ente, alla sede che l'atto ha appena
    indicato (se manca, lo spazio da completare è già nella sede)."""
    return f"{accordo(f)['domiciliato']} per la carica presso la sede {ente_rappresentato(s)['del_nome']}"


def carica(testo: str | None) -> str:
    """La carica di chi firma per un ente dentro una frase («nella qualità di procuratore speciale»);
    senza carica indicata, legale rappresentante."""
    return italiano.in_frase(testo.strip()) if testo and testo.strip() else "legale rappresentante"


def identificazione_articolata(s: Soggetto, **kw: Any) -> dict[str, str]:
    """L'identificazione dentro una frase, con l'articolo che il nome vuole: ``il`` («il Condominio
    Aurora, con sede…», «Mario Rossi, nato…») e ``al`` («al Condominio Aurora, …», «a Mario Rossi,
    …»), ``identificazione`` senza articolo (per gli elenchi)."""
    ident = identificazione(s, **kw)
    nome = s.nome_completo or LACUNA
    d = denominazione(s)
    coda = ident[len(nome):] if ident.startswith(nome) else ", " + ident
    return {"identificazione": ident, "il": d["il"] + coda, "al": d["al"] + coda, "del": d["del"] + coda}


def nome_firmatario(s: Soggetto) -> tuple[str, str | None]:
    """(nome di chi firma, qualifica) per il blocco delle firme."""
    fir = fatti.firmatario(s)
    if fir.per_ente is None:
        return fir.nome or LACUNA, None
    if fir.nome:
        return fir.nome, f"per {denominazione(s)['il']}, {carica(fir.carica)}"
    return fir.per_ente, "il legale rappresentante"


def firma(s: Soggetto, qualifica_persona: str | None = None) -> dict[str, Any]:
    n, q = nome_firmatario(s)
    return {"nome": n, "qualifica": q or qualifica_persona}


def nome_in_organo(s: Soggetto) -> str:
    """Come un componente appare in un organo: le persone per nome; gli enti tramite chi li
    rappresenta."""
    if s.tipo == "persona_fisica":
        return f"{s.nome_completo} (codice fiscale {s.codice_fiscale or _manca(percorso(s), 'codice_fiscale')})"
    r = s.rappresentante
    chi = r.nome_completo if r else None
    if chi:
        return (f"{s.denominazione}, nella persona del proprio legale rappresentante pro tempore, "
                f"attualmente {chi}, o di un suo delegato")
    return f"{s.denominazione}, nella persona del proprio legale rappresentante pro tempore o di un suo delegato"


def notaio(n: Notaio | None) -> dict[str, Any]:
    """Il notaio per la comparizione e le firme: nome, sede, distretto e desinenze accordate."""
    f = femminile(n) if n else None
    a = accordo(f)
    nome = n.nome_completo if n else None
    return {
        "nome": nome, "sede": n.sede if n else None, "distretto": n.distretto if n else None,
        "repertorio": n.repertorio if n else None, "raccolta": n.raccolta if n else None,
        "titolo": italiano.per_genere(f, "dottor", "dottoressa", "dott."),
        "iscritto": a["iscritto"], "io_sottoscritto": f"Io {a['sottoscritto']}",
    }


def rappresentante_ente(pratica: Pratica) -> dict[str, Any]:
    """Chi rappresenta la comunità: il presidente indicato nella pratica."""
    c = pratica.comunita
    pres = pratica.soggetto(c.organi.presidente) if c else None
    if pres is None:
        return {"nome": None, "identificazione": None,
                "firma": {"nome": lacuna("comunita.organi.presidente"), "qualifica": "il legale rappresentante"},
                "genere": accordo(None)}
    if pres.tipo == "persona_fisica":
        nome, f = pres.nome_completo, femminile(pres)
    else:
        r = pres.rappresentante
        nome, f = (r.nome_completo if r else None) or pres.nome_completo, femminile(r) if r else None
    return {"nome": nome, "identificazione": identificazione(pres),
            "firma": {"nome": nome,
                      "qualifica": (f"per {italiano.denominazione_articolata(c.denominazione)['il']}, legale rappresentante"
                                    if c else None)},
            "genere": accordo(f)}


__all__ = ["percorso", "percorso_punto", "punto", "accordo", "denominazione", "ente_rappresentato", "femminile", "firma", "identificazione_articolata", "nome_proprio", "identificazione", "nome_firmatario", "nome_in_organo", "notaio",
           "poteri", "rappresentante_ente", "data"]

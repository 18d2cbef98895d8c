"""Regole sui codici identificativi di soggetti, comunità, POD e cabine primarie."""

from __future__ import annotations

from typing import Iterator

from . import identificativi as idf
from .base import Rilievo, cita
from .contesto import Contesto

AMBITO = "codici"


def _r(codice: str, oggetto: str, messaggio: str, riferimento: str, gravita: str = "errore",
       parametri: tuple[str, ...] = ()) -> Rilievo:
    return Rilievo(codice=codice, gravita=gravita, oggetto=oggetto, messaggio=messaggio,  # type: ignore[arg-type]
                   riferimento=riferimento, ambito=AMBITO, parametri=list(parametri))


def _formato_cabina(codice: str | None) -> tuple[str, ...]:
    """Un codice di cabina presente ma rifiutato poggia sul formato atteso, che non è confermato."""
    return ("formato_cabina_primaria",) if (codice or "").strip() else ()


def _indirizzo(path: str, ind) -> Iterator[Rilievo]:
    if ind is None:
        return
    if (m := idf.cap(ind.cap)):
        yield _r("ID_CAP", f"{path}.cap", m + ": correggi l'indirizzo", cita("dpr-605-1973"), "avviso")
    if (m := idf.provincia(ind.provincia)):
        yield _r("ID_PROVINCIA", f"{path}.provincia", m, cita("dpr-605-1973"), "avviso")


def regole_identificativi(ctx: Contesto) -> Iterator[Rilievo]:
    p = ctx.pratica
    rif_cf = cita("dpr-605-1973")
    rif_iva = cita(("dpr-633-1972", "art. 35"))
    if p.comunita is not None:
        c = p.comunita
        if c.codice_fiscale and (m := idf.codice_fiscale_ente(c.codice_fiscale)):
            yield _r("ID_CF_ENTE", "comunita.codice_fiscale", f"Codice fiscale della comunità: {m}.", rif_cf)
        if c.iban and (m := idf.iban(c.iban)):
            yield _r("ID_IBAN", "comunita.iban", f"IBAN della comunità: {m}.", cita("gse-accesso"))
        yield from _indirizzo("comunita.sede", c.sede)

    for i, s in enumerate(p.soggetti):
        base = f"soggetti[{i}]"
        nome = s.nome_completo
        if s.tipo == "persona_fisica":
            m = idf.codice_fiscale_persona(s.codice_fiscale)
            if m:
                yield _r("ID_CF_PERSONA", f"{base}.codice_fiscale", f"Codice fiscale di {nome}: {m}.", rif_cf)
            elif s.nato_il is not None:
                nascita = idf.data_nascita_da_cf(s.codice_fiscale or "")
                if nascita is not None and nascita != s.nato_il:
                    yield _r("ID_CF_NASCITA", f"{base}.nato_il",
                             f"Il codice fiscale di {nome} indica la nascita il {nascita.strftime('%d/%m/%Y')}, "
                             f"ma la data di nascita inserita è {s.nato_il.strftime('%d/%m/%Y')}: "
                             "correggi quella sbagliata.", rif_cf, "avviso")
            yield from _indirizzo(f"{base}.residenza", s.residenza)
        else:
            if s.codice_fiscale:
                if (m := idf.codice_fiscale_ente(s.codice_fiscale)):
                    yield _r("ID_CF_ENTE", f"{base}.codice_fiscale", f"Codice fiscale di {nome}: {m}.", rif_cf)
            elif s.tipo not in ("condominio",):
                yield _r("ID_CF_MANCANTE", f"{base}.codice_fiscale",
                         f"Manca il codice fiscale di {nome}: serve per identificarlo negli atti e al GSE.",
                         rif_cf, "avviso")
            if s.partita_iva and (m := idf.partita_iva(s.partita_iva)):
                yield _r("ID_PIVA", f"{base}.partita_iva", f"Partita IVA di {nome}: {m}.", rif_iva)
            if s.tipo == "impresa" and s.codice_ateco and (m := idf.ateco(s.codice_ateco, ctx.al)):
                yield _r("ID_ATECO", f"{base}.codice_ateco", f"{nome}: {m}.", cita("istat-ateco"))
            if s.rappresentante and s.rappresentante.codice_fiscale:
                if (m := idf.codice_fiscale_persona(s.rappresentante.codice_fiscale)):
                    yield _r("ID_CF_PERSONA", f"{base}.rappresentante.codice_fiscale",
                             f"Codice fiscale del rappresentante di {nome}: {m}.", rif_cf)
            yield from _indirizzo(f"{base}.sede", s.sede)
        if s.iban and (m := idf.iban(s.iban)):
            yield _r("ID_IBAN", f"{base}.iban", f"IBAN di {nome}: {m}.", cita("gse-accesso"))

    for ci, conf in enumerate(p.configurazioni):
        cbase = f"configurazioni[{ci}]"
        if conf.tipo in ("CER", "AUC", "AID") and (m := idf.cabina_primaria(conf.cabina_primaria, ctx.al)):
            yield _r("ID_CABINA", f"{cbase}.cabina_primaria", f"Configurazione «{conf.denominazione or conf.id}»: {m}.",
                     cita("gse-mappa-cabine", ("ro-2024", "§2.1")), parametri=_formato_cabina(conf.cabina_primaria))
        for pi, pc in enumerate(conf.punti_connessione):
            if (m := idf.pod(pc.pod, ctx.al)):
                yield _r("ID_POD", f"{cbase}.punti_connessione[{pi}].pod", f"Punto di connessione di "
                         f"{ctx.nome(pc.soggetto)}: {m}.", cita("arera-pod"))
            if pc.cabina_primaria and (m := idf.cabina_primaria(pc.cabina_primaria, ctx.al)):
                yield _r("ID_CABINA", f"{cbase}.punti_connessione[{pi}].cabina_primaria",
                         f"POD {pc.pod}: {m}.", cita("gse-mappa-cabine"), parametri=_formato_cabina(pc.cabina_primaria))

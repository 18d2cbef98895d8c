"""Dalle candidature ammesse a soggetti, membri, punti di connessione e impianti di una pratica.

I dati passano così come il candidato li ha inseriti: nessuna normalizzazione che cambi il
contenuto. Gli id dei nuovi soggetti sono ricavati dal nome e resi unici nella pratica.
"""

from __future__ import annotations

import re
import unicodedata

from cer_docs.model.campagna import Campagna, Candidatura
from cer_docs.model.pratica import (
    Comunita, Configurazione, Impianto, Membro, MetaPratica, Pratica, ProduttoreTerzo, PuntoConnessione, Soggetto,
)
from cer_docs.rules.identificativi import normalizza
from cer_docs.rules.manifestazione import soggetto_da_candidatura

_RUOLO_MEMBRO = {"consumatore": "consumatore", "produttore": "produttore", "prosumer": "prosumer"}


class ErroreConversione(ValueError):
    pass


def slug(testo: str) -> str:
    t = unicodedata.normalize("NFKD", testo).encode("ascii", "ignore").decode("ascii").lower()
    t = re.sub(r"[^a-z0-9]+", "-", t).strip("-")
    return t[:60] or "soggetto"


def _id_unico(base: str, usati: set[str]) -> str:
    cand, n = base, 2
    while cand in usati:
        cand, n = f"{base}-{n}", n + 1
    usati.add(cand)
    return cand


def nuova_pratica(campagna: Campagna, codice: str, denominazione: str) -> Pratica:
    """Una pratica nuova in promozione, con la comunità da costituire nei comuni dell'avviso."""
    return Pratica(
        pratica=MetaPratica(id=codice, stato="promozione"),
        comunita=Comunita(
            denominazione=denominazione,
            sede=campagna.ente.sede.model_copy(),
            # proposta iniziale, da confermare dai fondatori: le sole destinazioni ammesse dalla norma
            destinazione_eccedenza=["consumatori_non_imprese", "finalita_sociali"],
        ),
    )


def converti(campagna: Campagna, candidature: list[Candidatura], pratica: Pratica) -> tuple[Pratica, dict[str, str]]:
    """Aggiunge le candidature alla pratica; restituisce la nuova pratica e la mappa protocollo → id soggetto."""
    dati = pratica.model_copy(deep=True)
    usati = {s.id for s in dati.soggetti}
    per_cf = {normalizza(s.codice_fiscale): s.id for s in dati.soggetti if s.codice_fiscale}
    pod_presenti = {normalizza(p.pod) for c in dati.configurazioni for p in c.punti_connessione}
    mappa: dict[str, str] = {}
    for c in candidature:
        if c.decisione != "ammessa":
            raise ErroreConversione(f"la candidatura {c.protocollo or c.nome_completo} non è ammessa: "
                                    "si convertono solo le candidature ammesse")
        cf = normalizza(c.codice_fiscale)
        if cf in per_cf:
            raise ErroreConversione(f"{c.nome_completo} (codice fiscale {cf}) è già nella pratica come "
                                    f"'{per_cf[cf]}': togli la candidatura dalla selezione")
        sid = _id_unico(slug(c.nome_completo), usati)
        per_cf[cf] = sid
        dati.soggetti.append(soggetto_da_candidatura(c, sid))
        mappa[c.protocollo or sid] = sid
        if c.ruolo in _RUOLO_MEMBRO:
            dati.membri.append(Membro(soggetto=sid, ruolo=_RUOLO_MEMBRO[c.ruolo]))
        impianto_ids: list[str] = []
        for p in c.pod:
            pod = normalizza(p.pod)
            if pod in pod_presenti:
                raise ErroreConversione(f"il POD {pod} di {c.nome_completo} è già in una configurazione della pratica")
            pod_presenti.add(pod)
            conf = _configurazione(dati, p.cabina_primaria or (campagna.cabine_primarie[0] if campagna.cabine_primarie else None))
            conf.punti_connessione.append(PuntoConnessione(
                pod=p.pod, cabina_primaria=p.cabina_primaria, soggetto=sid, uso=p.uso, indirizzo=p.indirizzo,
                scambio_sul_posto=p.scambio_sul_posto))
        if c.impianto is not None:
            imp = c.impianto
            pod_imp = imp.pod or (c.pod[0].pod if c.pod else None)
            if pod_imp is None:
                raise ErroreConversione(f"l'impianto di {c.nome_completo} non ha un POD: indicalo nella candidatura")
            cabina = next((p.cabina_primaria for p in c.pod if normalizza(p.pod) == normalizza(pod_imp)), None)
            conf = _configurazione(dati, cabina or (campagna.cabine_primarie[0] if campagna.cabine_primarie else None))
            iid = _id_unico(f"imp-{sid}", {i.id for _p, _c, i in dati.impianti()})
            conf.impianti.append(Impianto(
                id=iid, denominazione=f"Impianto di {c.nome_completo}", fonte=imp.fonte, potenza_kw=imp.potenza_kw,
                pod=pod_imp, produttore=sid, intervento="esistente" if imp.esistente else "nuova_costruzione",
                data_entrata_esercizio=imp.data_entrata_esercizio, altri_incentivi=list(imp.altri_incentivi)))
            impianto_ids.append(iid)
        if c.ruolo == "produttore_terzo":
            dati.produttori_terzi.append(ProduttoreTerzo(soggetto=sid, impianti=impianto_ids))
    return dati, mappa


def _configurazione(p: Pratica, cabina: str | None) -> Configurazione:
    cp = normalizza(cabina)
    for c in p.configurazioni:
        if normalizza(c.cabina_primaria) == cp:
            return c
    n = len(p.configurazioni) + 1
    conf = Configurazione(id=f"conf-{n}", tipo="CER", denominazione=f"Configurazione {n}" + (f" ({cp})" if cp else ""),
                          cabina_primaria=cabina)
    p.configurazioni.append(conf)
    return conf

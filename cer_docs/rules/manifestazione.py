"""Screening delle candidature a una manifestazione di interesse.

Le regole sui membri sono le stesse della pratica (categorie ammesse, grandi imprese, ATECO
esclusi, per data): qui si applicano a un candidato prima che diventi membro, e si aggiungono
le condizioni della campagna (area della cabina primaria, ruoli, consenso, dichiarazioni).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterator

from cer_docs.model.campagna import Campagna, Candidatura
from cer_docs.model.pratica import Indirizzo, Soggetto

from . import identificativi as idf
from .base import Rilievo, cita, param, rif
from cer_docs.model.vocabolario import RUOLI_CANDIDATO

from .fatti import ateco_escluso
from .membri import descrizione_tipo, e_grande_impresa, un_tipo

AMBITO = "candidature"
_RUOLI = {k: v.etichetta[:1].lower() + v.etichetta[1:] for k, v in RUOLI_CANDIDATO.items()}


def _r(codice, gravita, oggetto, messaggio, riferimento) -> Rilievo:
    return Rilievo(codice=codice, gravita=gravita, oggetto=oggetto, messaggio=messaggio,
                   riferimento=riferimento, ambito=AMBITO)


def soggetto_da_candidatura(c: Candidatura, sid: str) -> Soggetto:
    """Il soggetto della pratica che il candidato diventerà: dati copiati così come inseriti."""
    comune = dict(id=sid, tipo=c.tipo, codice_fiscale=c.codice_fiscale, email=c.email, pec=c.pec,
                  telefono=c.telefono)
    indirizzo = Indirizzo(**c.indirizzo.model_dump(exclude_unset=True))
    if c.tipo == "persona_fisica":
        return Soggetto(**comune, nome=c.nome, cognome=c.cognome, nato_a=c.nato_a, nato_il=c.nato_il,
                        residenza=indirizzo)
    return Soggetto(**comune, denominazione=c.denominazione, sede=indirizzo, partita_iva=c.partita_iva,
                    dimensione=c.dimensione, codice_ateco=c.codice_ateco,
                    classificazione_ateco=c.classificazione_ateco, riconosciuta=c.riconosciuta,
                    partecipazione_enti_territoriali_pct=c.partecipazione_enti_territoriali_pct,
                    rappresentante=c.rappresentante)


def esamina_candidatura(campagna: Campagna, c: Candidatura, al: dt.date, oggetto: str = "candidatura") -> list[Rilievo]:
    return list(_esamina(campagna, c, al, oggetto))


def _esamina(campagna: Campagna, c: Candidatura, al: dt.date, base: str) -> Iterator[Rilievo]:
    nome = c.nome_completo
    # codici
    if c.tipo == "persona_fisica":
        if (m := idf.codice_fiscale_persona(c.codice_fiscale)):
            yield _r("ID_CF_PERSONA", "errore", f"{base}.codice_fiscale", f"Codice fiscale: {m}.", cita("dpr-605-1973"))
    elif (m := idf.codice_fiscale_ente(c.codice_fiscale)):
        yield _r("ID_CF_ENTE", "errore", f"{base}.codice_fiscale", f"Codice fiscale: {m}.", cita("dpr-605-1973"))
    if c.partita_iva and (m := idf.partita_iva(c.partita_iva)):
        yield _r("ID_PIVA", "errore", f"{base}.partita_iva", f"Partita IVA: {m}.", cita(("dpr-633-1972", "art. 35")))
    if (m := idf.cap(c.indirizzo.cap)):
        yield _r("ID_CAP", "errore", f"{base}.indirizzo.cap", m + ".", cita("dpr-605-1973"))
    if (m := idf.provincia(c.indirizzo.provincia)):
        yield _r("ID_PROVINCIA", "errore", f"{base}.indirizzo.provincia", m + ".", cita("dpr-605-1973"))
    # consenso e ruolo
    if not c.consenso_privacy:
        yield _r("CAND_PRIVACY", "errore", f"{base}.consenso_privacy",
                 "Senza la presa visione dell'informativa sul trattamento dei dati la candidatura non può essere "
                 "trattata.", cita(("gdpr", "artt. 6 e 13")))
    if c.ruolo not in campagna.ruoli_ammessi:
        yield _r("CAND_RUOLO", "errore", f"{base}.ruolo",
                 f"L'avviso non prevede candidature come {_RUOLI[c.ruolo]}.", cita("gse-faq-cer"))
    # categoria del soggetto
    s = soggetto_da_candidatura(c, "candidato")
    terzo = c.ruolo == "produttore_terzo"
    if not terzo:
        if e_grande_impresa(s, al):
            yield _r("CAND_GRANDE_IMPRESA", "errore", f"{base}.dimensione",
                     f"{nome} è una grande impresa: non può essere membro della CER, ma può partecipare come "
                     "produttore terzo mettendo a disposizione un impianto.",
                     cita("gse-faq-cer", ("dl-19-2025", "art. 1-bis")))
        if ateco_escluso(s, al):
            yield _r("CAND_ATECO_ESCLUSO", "errore", f"{base}.codice_ateco",
                     f"L'attività prevalente di {nome} (ATECO {c.codice_ateco}) è la produzione o il commercio di "
                     "energia elettrica: può partecipare solo come produttore terzo.", rif("ateco_esclusi", al))
        if c.tipo in param("membri_categorie_escluse", al):
            yield _r("CAND_CATEGORIA_ESCLUSA", "errore", f"{base}.tipo",
                     f"{nome} è {un_tipo(c.tipo)}: può partecipare solo come produttore terzo.",
                     rif("membri_categorie_escluse", al))
        elif c.tipo not in param("membri_categorie_ammesse", al):
            yield _r("CAND_CATEGORIA", "errore", f"{base}.tipo",
                     f"{nome} ({descrizione_tipo(c.tipo)}) non rientra nelle categorie che possono essere membri.",
                     rif("membri_categorie_ammesse", al))
        if c.tipo == "impresa" and not (c.dichiara_non_grande_impresa and c.dichiara_ateco_non_escluso):
            yield _r("CAND_DICHIARAZIONI", "avviso", f"{base}.dichiara_non_grande_impresa",
                     f"{nome} non ha dichiarato di non essere una grande impresa e di non avere un'attività "
                     "prevalente esclusa: chiedi la dichiarazione sostitutiva prima dell'ammissione.",
                     cita(("dpr-445-2000", "art. 47"), "gse-faq-cer"))
    # punti di connessione e area della cabina primaria
    if not c.pod and c.ruolo in ("consumatore", "prosumer"):
        yield _r("CAND_POD_MANCANTE", "errore", f"{base}.pod",
                 "Per partecipare come consumatore serve almeno un POD (lo trovi in bolletta).", cita("gse-faq-cer"))
    aree = {idf.normalizza(a) for a in campagna.cabine_primarie}
    for i, p in enumerate(c.pod):
        pb = f"{base}.pod[{i}]"
        if (m := idf.pod(p.pod, al)):
            yield _r("ID_POD", "errore", f"{pb}.pod", m + ".", cita("arera-pod"))
        cp = idf.normalizza(p.cabina_primaria)
        if not cp:
            yield _r("CAND_CABINA_IGNOTA", "avviso", f"{pb}.cabina_primaria",
                     f"Per il POD {p.pod} non è indicata la cabina primaria: l'ufficio la verificherà sulla mappa GSE.",
                     cita("gse-mappa-cabine"))
        elif aree and cp not in aree:
            yield _r("CAND_FUORI_AREA", "errore", f"{pb}.cabina_primaria",
                     f"Il POD {p.pod} è sotto la cabina primaria {cp}, fuori dalle aree dell'avviso "
                     f"({', '.join(sorted(aree))}): non può entrare nelle configurazioni previste.",
                     cita(("dlgs-199-2021", "art. 31 c. 2 lett. a"), "gse-mappa-cabine"))
        if p.scambio_sul_posto:
            yield _r("CAND_SSP", "avviso", f"{pb}.scambio_sul_posto",
                     f"Il POD {p.pod} è in Scambio sul Posto: per entrare nella configurazione bisogna prima "
                     "recedere dalla convenzione SSP.", cita("gse-faq-cer"))
    # impianto
    produce = c.ruolo in ("produttore", "prosumer", "produttore_terzo")
    if produce and c.impianto is None:
        yield _r("CAND_IMPIANTO_MANCANTE", "avviso", f"{base}.impianto",
                 "Il candidato si propone come produttore ma non descrive l'impianto (fonte, potenza, stato).",
                 cita("gse-faq-cer"))
    if c.impianto is not None:
        imp = c.impianto
        pmax = Decimal(str(param("impianto_potenza_massima_kw", al)))
        if imp.potenza_kw > pmax:
            yield _r("CAND_IMPIANTO_POTENZA", "avviso", f"{base}.impianto.potenza_kw",
                     f"L'impianto proposto ha {imp.potenza_kw} kW, oltre {pmax} kW: avrebbe solo il contributo di "
                     "valorizzazione.", rif("impianto_potenza_massima_kw", al))
        soglia = param("impianto_data_minima_entrata_esercizio", al)
        if imp.esistente and (imp.data_entrata_esercizio is None or imp.data_entrata_esercizio < soglia):
            yield _r("CAND_IMPIANTO_PREESISTENTE", "avviso", f"{base}.impianto.data_entrata_esercizio",
                     "L'impianto esistente è entrato in esercizio prima del "
                     f"{soglia.strftime('%d/%m/%Y')} (o la data non è indicata): riceverebbe solo la valorizzazione "
                     "e conta nel limite degli impianti preesistenti.",
                     rif("impianto_data_minima_entrata_esercizio", al))
    # territorio
    if campagna.comuni and c.indirizzo.comune:
        comuni = {x.strip().casefold() for x in campagna.comuni}
        if c.indirizzo.comune.strip().casefold() not in comuni:
            yield _r("CAND_FUORI_COMUNE", "info", f"{base}.indirizzo.comune",
                     f"{nome} risiede o ha sede a {c.indirizzo.comune}, fuori dai comuni dell'avviso: può partecipare "
                     "se i suoi POD sono nell'area, ma non potrà esercitare i poteri di controllo.",
                     rif("controllo_ambito_territoriale", al))


@dataclass
class Bilancio:
    consumo_kwh: Decimal
    produzione_kwh: Decimal
    produttori: int
    consumatori: int


def bilancio(campagna: Campagna, candidature: list[Candidatura]) -> Bilancio:
    consumo = sum((c.consumo_annuo_kwh or Decimal(0) for c in candidature), Decimal(0))
    potenza = sum((c.impianto.potenza_kw for c in candidature if c.impianto), Decimal(0))
    produzione = campagna.produzione_prevista_kwh
    if produzione is None:
        produzione = potenza * campagna.producibilita_kwh_per_kw
    return Bilancio(consumo_kwh=consumo, produzione_kwh=produzione,
                    produttori=sum(1 for c in candidature if c.ruolo in ("produttore", "prosumer", "produttore_terzo")),
                    consumatori=sum(1 for c in candidature if c.ruolo in ("consumatore", "prosumer")))


def esamina_insieme(campagna: Campagna, candidature: list[Candidatura], al: dt.date) -> list[Rilievo]:
    """Controlli sull'insieme delle candidature considerate (es. le ammesse): mix di ruoli e bilancio energetico."""
    out: list[Rilievo] = []
    b = bilancio(campagna, candidature)
    minimo = param("composizione_minima", al)["CER"]
    if b.produttori < 1 or b.consumatori < 1:
        out.append(_r("CAMP_RUOLI", "avviso", "candidature",
                      f"Tra le candidature considerate ci sono {b.produttori} produttori e {b.consumatori} consumatori: "
                      "una configurazione richiede almeno un impianto e un'utenza di consumo.",
                      rif("composizione_minima", al)))
    if len(candidature) < minimo["soggetti"]:
        out.append(_r("CAMP_POCHI", "avviso", "candidature",
                      f"Servono almeno {minimo['soggetti']} soggetti per una configurazione; ora sono {len(candidature)}.",
                      rif("composizione_minima", al)))
    if b.produzione_kwh > 0 and b.consumo_kwh < b.produzione_kwh:
        out.append(_r("CAMP_CONSUMI_BASSI", "info", "candidature",
                      f"I consumi dichiarati ({b.consumo_kwh:.0f} kWh/anno) sono inferiori alla produzione prevista "
                      f"({b.produzione_kwh:.0f} kWh/anno): parte dell'energia non sarà condivisa. Cerca altri consumatori.",
                      cita(("dlgs-199-2021", "art. 2 c. 1 lett. q"))))
    elif b.consumo_kwh > 0 and b.produzione_kwh == 0:
        out.append(_r("CAMP_PRODUZIONE_ASSENTE", "avviso", "candidature",
                      "Ci sono consumi dichiarati ma nessun impianto previsto: senza produzione non c'è energia condivisa.",
                      cita(("dlgs-199-2021", "art. 2 c. 1 lett. q"))))
    return out

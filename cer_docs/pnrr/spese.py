"""Registro delle spese PNRR: ammissibilità di ogni spesa e totali per impianto (dominio.md §6.5).

Regole (parametri datati in ``rules/params``):

* la spesa è successiva all'avvio dei lavori, salvo le spese preparatorie
  (``pnrr_spese_preparatorie``: studi, progettazione, costituzione della configurazione, indagini);
* è pagata solo con bonifico bancario o postale (``pnrr_pagamento_tracciabile``);
* è pagata entro il termine per le quietanze (``pnrr_termine_quietanze``): fino al 19/02/2026 il
  30/06/2026 e l'entrata in esercizio; dal 20/02/2026 il termine dell'accordo di concessione
  registrato nella pratica (DL 19/2026 art. 27 c. 6) — se manca, un avviso sul registro lo chiede;
* i documenti emessi dopo l'assegnazione del CUP (``data_assegnazione_cup`` o, se manca,
  ``data_concessione``) riportano il CUP; prima basta il codice del progetto GSE (``fattura_cup_obbligo``);
* la causale del bonifico riporta CUP (o codice del progetto) e numero della fattura;
* la stessa fattura non compare due volte.

Il contributo a consuntivo si ricalcola sulle spese ammissibili sostenute e non supera mai
quello concesso. Funzioni pure: la data ``al`` arriva da chi chiama.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from cer_docs.italiano import importo
from cer_docs.model.pnrr import TIPI_SPESA, Spesa
from cer_docs.model.pratica import Impianto, Pratica
from cer_docs.rules import identificativi as idf
from cer_docs.rules.base import ParametroNonDefinito, Rilievo, cita, fonti_di, param, rif
from cer_docs.rules.pnrr import (PERCORSO_TERMINE_ACCORDO, contributo_massimo, messaggio_termine_mancante,
                                  termine_pagamenti)

from .testo import contiene

__all__ = ["RegistroImpianto", "RegistroSpese", "VoceRegistro", "registro_impianto", "registro_spese",
           "verifica_spesa"]

AMBITO = "spese"
CENT = Decimal("0.01")
CENTO = Decimal(100)
ZERO = Decimal("0.00")
NOTA_CREDITO = "TD04"


def _d(x: dt.date) -> str:
    return x.strftime("%d/%m/%Y")


def _maiuscola(testo: str) -> str:
    return testo[:1].upper() + testo[1:]


@dataclass
class VoceRegistro:
    indice: int
    percorso: str
    spesa: Spesa
    rilievi: list[Rilievo] = field(default_factory=list)

    @property
    def segno(self) -> Decimal:
        return Decimal(-1) if self.spesa.fattura.tipo_documento == NOTA_CREDITO else Decimal(1)

    @property
    def ammissibile(self) -> bool:
        return not any(r.gravita == "errore" for r in self.rilievi)

    @property
    def pagato(self) -> Decimal:
        return self.spesa.pagato

    @property
    def stato_pagamento(self) -> str:
        if not self.spesa.pagamenti:
            return "da pagare"
        if self.spesa.pagato < self.spesa.fattura.totale_euro:
            return "pagata in parte"
        return "pagata"

    @property
    def tipo_spesa(self) -> str:
        return TIPI_SPESA.get(self.spesa.tipo_spesa, self.spesa.tipo_spesa)


@dataclass
class RegistroImpianto:
    percorso: str
    impianto_id: str
    denominazione: str
    cup: str | None
    codice_progetto_gse: str | None
    spesa_ammissibile: Decimal | None
    contributo_concesso: Decimal | None
    voci: list[VoceRegistro] = field(default_factory=list)
    rilievi: list[Rilievo] = field(default_factory=list)
    totale_imponibile: Decimal = ZERO
    totale_iva: Decimal = ZERO
    totale_fatture: Decimal = ZERO
    totale_pagato: Decimal = ZERO
    totale_ammissibile: Decimal = ZERO
    percentuale_spesa: Decimal | None = None
    contributo_consuntivo: Decimal | None = None

    @property
    def tutti_i_rilievi(self) -> list[Rilievo]:
        return [*self.rilievi, *(r for v in self.voci for r in v.rilievi)]


@dataclass
class RegistroSpese:
    pratica: str
    denominazione: str
    al: dt.date
    impianti: list[RegistroImpianto] = field(default_factory=list)

    @property
    def rilievi(self) -> list[Rilievo]:
        return [r for i in self.impianti for r in i.tutti_i_rilievi]


def _r(codice: str, gravita: str, oggetto: str, messaggio: str, riferimento: str,
       fonti: list[str] | None = None) -> Rilievo:
    return Rilievo(codice=codice, gravita=gravita, oggetto=oggetto, messaggio=messaggio,  # type: ignore[arg-type]
                   riferimento=riferimento, ambito=AMBITO, fonti=fonti or [])


def _fonti(pid: str, al: dt.date) -> list[str]:
    return fonti_di(pid, al)


def verifica_spesa(spesa: Spesa, imp: Impianto, percorso: str, al: dt.date) -> list[Rilievo]:
    """I rilievi su una voce del registro (percorso = ``...contributo_pnrr.spese[i]``)."""
    cp = imp.contributo_pnrr
    assert cp is not None
    f = spesa.fattura
    out: list[Rilievo] = []
    etichetta = f"la fattura {f.numero} del {_d(f.data)} di {f.fornitore.denominazione}"

    preparatorie = param("pnrr_spese_preparatorie", al)
    if cp.data_avvio_lavori is not None and f.data < cp.data_avvio_lavori and spesa.tipo_spesa not in preparatorie:
        out.append(_r("SPESA_PRIMA_AVVIO_LAVORI", "errore", f"{percorso}.fattura.data",
                      f"{_maiuscola(etichetta)} precede l'avvio dei lavori ({_d(cp.data_avvio_lavori)}) e il tipo di "
                      f"spesa «{TIPI_SPESA.get(spesa.tipo_spesa, spesa.tipo_spesa)}» non è preparatorio: non è "
                      "ammissibile. Se si tratta di studi, progettazione, costituzione della configurazione o indagini, "
                      "correggi il tipo di spesa.", rif("pnrr_spese_preparatorie", al),
                      _fonti("pnrr_spese_preparatorie", al)))

    # CUP sul documento
    assegnazione = cp.data_assegnazione_cup or cp.data_concessione
    cup = idf.normalizza(cp.cup) or None
    try:
        obbligo = bool(param("fattura_cup_obbligo", f.data))
    except ParametroNonDefinito:
        obbligo = False
    dopo_cup = cup is not None and obbligo and (assegnazione is None or f.data >= assegnazione)
    cup_fattura = idf.normalizza(f.cup) or None
    if dopo_cup and cup_fattura != cup:
        cosa = f"riporta il CUP {cup_fattura}" if cup_fattura else "non riporta il CUP"
        out.append(_r("SPESA_CUP", "errore", f"{percorso}.fattura.cup",
                      f"{_maiuscola(etichetta)} {cosa}: emessa dopo l'assegnazione del CUP deve riportare {cup}. "
                      "Fai correggere la fattura (nota di credito e riemissione, o integrazione del CUP con il "
                      "servizio dell'Agenzia delle Entrate quando disponibile) prima di rendicontarla.",
                      cita(("dl-13-2023", "art. 5 c. 6"), "gse-faq-cup"), ["dl-13-2023", "gse-faq-cup"]))
    elif not dopo_cup and not cup_fattura and cp.codice_progetto_gse and \
            idf.normalizza(f.codice_progetto_gse) != idf.normalizza(cp.codice_progetto_gse):
        out.append(_r("SPESA_CODICE_PROGETTO", "errore", f"{percorso}.fattura.codice_progetto_gse",
                      f"{_maiuscola(etichetta)} è anteriore al CUP e non riporta il codice del progetto GSE "
                      f"({cp.codice_progetto_gse}): prima del CUP serve almeno quello.", cita("gse-faq-cup"),
                      ["gse-faq-cup"]))

    # pagamenti
    tracciabile = param("pnrr_pagamento_tracciabile", al)
    rif_p, fonti_p = rif("pnrr_pagamento_tracciabile", al), _fonti("pnrr_pagamento_tracciabile", al)
    termine = termine_pagamenti(cp.accordo_concessione, al)
    if termine is not None and termine.manca_accordo:
        termine = None  # l'avviso che chiede il termine dell'accordo è uno solo, sul registro dell'impianto
    if not spesa.pagamenti:
        contanti = [m for m in f.modalita_pagamento if m not in tracciabile["codici_fatturapa"]]
        if termine is not None and termine.data is not None and al > termine.data:
            out.append(_r("SPESA_NON_PAGATA_TERMINE_SCADUTO", "errore", f"{percorso}.pagamenti",
                          f"{_maiuscola(etichetta)} non risulta pagata e il termine per pagare le spese "
                          f"({_d(termine.data)}, {termine.fissato_da}) è passato: se l'hai pagata, registra il "
                          "bonifico; altrimenti la spesa non è ammissibile.", termine.riferimento, termine.fonti))
        else:
            entro = f" entro il {_d(termine.data)}" if termine is not None and termine.data else ""
            out.append(_r("SPESA_DA_PAGARE", "avviso" if contanti else "info", f"{percorso}.pagamenti",
                          f"{_maiuscola(etichetta)} è da pagare: usa un bonifico bancario o postale{entro}, con "
                          "CUP (o codice del progetto) e numero della fattura nella causale, e poi registralo."
                          + (" La fattura indica un pagamento in contanti: non usarlo." if contanti else ""),
                          rif_p, fonti_p))
    for j, pg in enumerate(spesa.pagamenti):
        pp = f"{percorso}.pagamenti[{j}]"
        if pg.metodo not in tracciabile["metodi"]:
            out.append(_r("SPESA_PAGAMENTO_NON_TRACCIABILE", "errore", f"{pp}.metodo",
                          f"Il pagamento del {_d(pg.data)} per {etichetta} è avvenuto con «{pg.metodo.replace('_', ' ')}»: "
                          "per il contributo PNRR valgono solo i bonifici bancari o postali, quindi questa spesa non è "
                          "ammissibile.", rif_p, fonti_p))
        if termine is not None and termine.data is not None:
            if pg.data > termine.data:
                out.append(_r("SPESA_PAGATA_OLTRE_TERMINE", "errore", f"{pp}.data",
                              f"Il pagamento del {_d(pg.data)} per {etichetta} è successivo al termine del "
                              f"{_d(termine.data)} {termine.fissato_da} per pagare le spese: la spesa non è "
                              "ammissibile.", termine.riferimento, termine.fonti))
            elif termine.entro_entrata_esercizio and imp.data_entrata_esercizio and \
                    pg.data > imp.data_entrata_esercizio:
                out.append(_r("SPESA_PAGATA_DOPO_ESERCIZIO", "avviso", f"{pp}.data",
                              f"Il pagamento del {_d(pg.data)} per {etichetta} è successivo all'entrata in esercizio "
                              f"dell'impianto ({_d(imp.data_entrata_esercizio)}): sono ammesse le spese pagate entro "
                              "l'entrata in esercizio commerciale.", termine.riferimento, termine.fonti))
        if pg.metodo in tracciabile["metodi"]:
            if not pg.causale:
                out.append(_r("SPESA_CAUSALE_BONIFICO", "info", f"{pp}.causale",
                              f"Annota la causale del bonifico del {_d(pg.data)}: deve riportare CUP (o codice del "
                              "progetto GSE), eventuale CIG, numero e data della fattura.",
                              cita(("ro-2024", "Parte II §2 (documentazione di spesa)"), "avviso-pnrr-2024"),
                              ["ro-2024", "avviso-pnrr-2024"]))
            else:
                manca = []
                serve_cup = cup is not None and (assegnazione is None or pg.data >= assegnazione)
                if serve_cup and not contiene(pg.causale, cup):
                    manca.append(f"il CUP {cup}")
                elif not serve_cup and cp.codice_progetto_gse and not contiene(pg.causale, cp.codice_progetto_gse) \
                        and not (cup and contiene(pg.causale, cup)):
                    manca.append(f"il codice del progetto {cp.codice_progetto_gse}")
                if cp.cig and not contiene(pg.causale, cp.cig):
                    manca.append(f"il CIG {cp.cig}")
                if not contiene(pg.causale, f.numero):
                    manca.append(f"il numero della fattura ({f.numero})")
                if manca:
                    out.append(_r("SPESA_CAUSALE_BONIFICO", "avviso", f"{pp}.causale",
                                  f"Nella causale del bonifico del {_d(pg.data)} manca {', '.join(manca)}: per i "
                                  "bonifici futuri riportali sempre; per questo conserva la fattura con la contabile.",
                                  cita(("ro-2024", "Parte II §2 (documentazione di spesa)"), "avviso-pnrr-2024"),
                                  ["ro-2024", "avviso-pnrr-2024"]))
    if spesa.pagamenti and spesa.pagato < f.totale_euro:
        out.append(_r("SPESA_PAGATA_IN_PARTE", "avviso", f"{percorso}.pagamenti",
                      f"Di {etichetta} risultano pagati {importo(spesa.pagato)} su {importo(f.totale_euro)}: completa "
                      "il pagamento con bonifico entro il termine, o si riconosce solo la parte pagata.",
                      rif_p, fonti_p))
    return out


def _importo_riconoscibile(v: VoceRegistro) -> Decimal:
    """La parte dell'imponibile (o dell'importo rendicontato) coperta dai pagamenti."""
    s = v.spesa
    base = s.importo_rendicontato
    if not s.pagamenti:
        return base
    if s.pagato >= s.fattura.totale_euro or s.fattura.totale_euro == 0:
        return base
    return (base * s.pagato / s.fattura.totale_euro).quantize(CENT, rounding=ROUND_HALF_UP)


def registro_impianto(pratica: Pratica, percorso: str, imp: Impianto, al: dt.date) -> RegistroImpianto:
    cp = imp.contributo_pnrr
    assert cp is not None
    reg = RegistroImpianto(percorso=percorso, impianto_id=imp.id, denominazione=imp.nome,
                           cup=cp.cup, codice_progetto_gse=cp.codice_progetto_gse,
                           spesa_ammissibile=cp.spesa_ammissibile_euro, contributo_concesso=cp.contributo_richiesto_euro)
    visti: dict[tuple[str, str, int], int] = {}
    for i, s in enumerate(cp.spese):
        p = f"{percorso}.contributo_pnrr.spese[{i}]"
        v = VoceRegistro(indice=i, percorso=p, spesa=s, rilievi=verifica_spesa(s, imp, p, al))
        f = s.fattura
        chiave = (idf.normalizza(f.fornitore.partita_iva or f.fornitore.codice_fiscale or f.fornitore.denominazione),
                  idf.normalizza(f.numero), f.data.year)
        if chiave in visti:
            v.rilievi.insert(0, _r("SPESA_DOPPIA", "errore", p,
                                   f"La fattura {f.numero} del {_d(f.data)} di {f.fornitore.denominazione} è già nel "
                                   f"registro (voce {visti[chiave] + 1}): togli il doppione, una spesa si rendiconta "
                                   "una volta sola.", cita(("dl-19-2026", "art. 27")), ["dl-19-2026"]))
        else:
            visti[chiave] = i
        reg.voci.append(v)
        reg.totale_imponibile += v.segno * f.imponibile_euro
        reg.totale_iva += v.segno * f.iva_euro
        reg.totale_fatture += v.segno * f.totale_euro
        reg.totale_pagato += v.segno * s.pagato
        if v.ammissibile:
            reg.totale_ammissibile += v.segno * _importo_riconoscibile(v)
    termine = termine_pagamenti(cp.accordo_concessione, al)
    if cp.spese and termine is not None and termine.manca_accordo:
        reg.rilievi.append(_r("SPESE_TERMINE_ACCORDO_MANCANTE", "avviso", f"{percorso}.{PERCORSO_TERMINE_ACCORDO}",
                              messaggio_termine_mancante(termine, "che le spese del registro siano pagate in tempo"),
                              termine.riferimento, termine.fonti))
    base = reg.totale_ammissibile
    if cp.spesa_ammissibile_euro:
        reg.percentuale_spesa = (base / cp.spesa_ammissibile_euro * CENTO).quantize(CENT, rounding=ROUND_HALF_UP)
        base = min(base, cp.spesa_ammissibile_euro)
    if base > 0:
        cons = contributo_massimo(imp.potenza_kw, base, al, cp.altri_contributi_euro or ZERO)
        if cons is not None and cp.contributo_richiesto_euro is not None:
            cons = min(cons, cp.contributo_richiesto_euro)
        reg.contributo_consuntivo = cons
    elif cp.spese:
        reg.contributo_consuntivo = ZERO
    if cp.spesa_ammissibile_euro and reg.totale_ammissibile > cp.spesa_ammissibile_euro:
        reg.rilievi.append(_r("SPESE_OLTRE_AMMESSO", "info", f"{percorso}.contributo_pnrr.spese",
                              f"Le spese ammissibili registrate ({importo(reg.totale_ammissibile)}) superano la spesa "
                              f"ammessa ({importo(cp.spesa_ammissibile_euro)}): il contributo non cresce oltre "
                              "quello concesso.", rif("pnrr_quota_massima_pct", al),
                              _fonti("pnrr_quota_massima_pct", al)))
    return reg


def registro_spese(pratica: Pratica, al: dt.date) -> RegistroSpese:
    """Il registro di tutti gli impianti con contributo PNRR, nell'ordine del file."""
    out = RegistroSpese(pratica=pratica.pratica.id, denominazione=pratica.denominazione, al=al)
    for percorso, _conf, imp in pratica.impianti():
        if imp.contributo_pnrr is not None:
            out.impianti.append(registro_impianto(pratica, percorso, imp, al))
    return out


def spesa_da_fattura(dati, *, id_spesa: str, tipo_spesa: str | None, nome_file: str, sha256: str, tipo_file: str,
                     dimensione: int, cup_atteso: str | None = None, codice_progetto_gse: str | None = None,
                     cig_atteso: str | None = None) -> Spesa:
    """La voce del registro ricavata da una fattura letta (``fatture.DatiFattura``)."""
    from cer_docs.model.pnrr import DocumentoSpesa, Fattura, Fornitore

    from .fatture import deduci_tipo_spesa

    def euro(x: Decimal | None) -> Decimal:
        return (x or ZERO).quantize(CENT, rounding=ROUND_HALF_UP)

    imponibile = euro(dati.imponibile if dati.imponibile is not None else dati.totale)
    iva = euro(dati.imposta)
    totale = euro(dati.totale if dati.totale is not None else imponibile + iva)
    cup = next(iter(dati.cup_strutturati), None)
    if cup_atteso and (cup_atteso in dati.cup_strutturati or contiene(dati.testo, cup_atteso)):
        cup = cup_atteso
    cig = next(iter(dati.cig_strutturati), None)
    if cig_atteso and (cig_atteso in dati.cig_strutturati or contiene(dati.testo, cig_atteso)):
        cig = cig_atteso
    codice = codice_progetto_gse if codice_progetto_gse and contiene(dati.testo, codice_progetto_gse) else None
    descrizione = "; ".join(dati.righe)[:500] or None
    if dati.data is None:
        raise ValueError("la data della fattura non si legge: inseriscila a mano nel registro")
    fattura = Fattura(
        numero=dati.numero or "senza numero", data=dati.data,
        fornitore=Fornitore(denominazione=dati.cedente.denominazione or "fornitore non indicato",
                            partita_iva=dati.cedente.partita_iva, codice_fiscale=dati.cedente.codice_fiscale),
        tipo_documento=dati.tipo_documento, imponibile_euro=imponibile, iva_euro=iva, totale_euro=totale,
        descrizione=descrizione, cup=cup, cig=cig, codice_progetto_gse=codice,
        modalita_pagamento=dati.modalita_pagamento, scadenza_pagamento=dati.scadenza_pagamento,
        documento=DocumentoSpesa(nome_file=nome_file[:255], sha256=sha256, tipo=tipo_file, dimensione=dimensione),
    )
    tipo = tipo_spesa or deduci_tipo_spesa(dati.righe) or "altro"
    return Spesa(id=id_spesa, tipo_spesa=tipo, descrizione=descrizione, fattura=fattura)

"""Motore delle scadenze: dai fatti datati della pratica e da una data ``al`` alle scadenze.

Ogni scadenza nasce da un fatto (la firma dell'atto, l'entrata in esercizio di un impianto,
l'ingresso di un POD, la domanda PNRR...) e da una regola datata in ``rules/params/``; si
calcola con la convenzione di ``calendario.py`` e porta con sé titolo, conseguenza, fonte e la
spiegazione del calcolo. I codici D1…D23 sono quelli della tabella delle scadenze del dominio
(``dominio.md`` §7). Sono calcolate qui:

====  =========================================================================================
D1    ultimo giorno per chiedere la tariffa premio (per configurazione)
D2    fine della tariffa premio (20 anni dalla decorrenza) — promemoria, ancoraggio non confermato
D3    richiesta di accesso entro 120 giorni dall'entrata in esercizio → decorrenza
D4    come D3 per gli impianti in esercizio prima del DM 414/2023 (dall'apertura del portale)
D6    comunicazione al GSE delle variazioni (POD o impianti entrati o usciti dopo la richiesta)
D7    ricorrenza del mandato al referente (rinnovo tacito)
D10   conguaglio annuale del GSE entro il 15 maggio dell'anno dopo
D10a  approvazione del riparto dell'anno da parte dell'assemblea, dopo il pagamento del conguaglio
D10b  pagamento delle quote ai membri dopo l'approvazione (termini interni, da confermare)
D12   data certa di costituzione della CER prima dell'entrata in esercizio dell'impianto
D13   registrazione della scrittura privata entro 20 giorni dalla firma
D14   domanda PNRR entro la chiusura della finestra del portale
D16   comunicazione dell'avvio dei lavori PNRR entro 30 giorni
D17   istruttoria GSE della domanda PNRR (90 giorni) — promemoria
D18   PNRR, regole DM 414/RO 2024: esercizio entro 18 mesi dall'ammissione e non oltre il 30/06/2026
D19   PNRR, DM 127/2025: lavori entro il 30/06/2026; esercizio entro 24 mesi e non oltre il 31/12/2027
D20   PNRR, DL 19/2026: accordo di concessione entro il 30/06/2026; esercizio entro 24 mesi dalla
      notifica dell'atto di concessione e non oltre il 31/12/2027 indicato dal GSE (la prima delle due)
D21   PNRR, DL 19/2026: ultimo giorno per pagare le spese, quando l'accordo di concessione lo fissa
D23   PNRR, esercizio minimo di 5 anni in una configurazione
====  =========================================================================================

Non calcolate, perché non hanno un termine certo o non riguardano la singola pratica: D5
(regime transitorio chiuso nel 2024), D6b (variazioni anteriori al 4/4/2025), D8 (rendiconto
annuale, termine non confermato), D9 (acconti mensili), D11 (compresa nel conguaglio D10), D15
(è una condizione: la controlla ``record_fatto``), D21 prima del DL 19/2026 e D22 (spese PNRR,
superate o non confermate), D24-D27.

Un fatto con data successiva ad ``al`` non è ancora avvenuto: la pratica vista al 1° marzo non
conosce quello che succede il 2 marzo.

Stato di una scadenza alla data ``al``:

* ``adempiuta``: il fatto che la soddisfa è avvenuto entro la scadenza;
* ``scaduta``: la data è passata senza adempimento in tempo (anche se poi è arrivato in ritardo:
  ``adempiuta_il`` lo dice), oppure un vincolo è stato violato;
* ``imminente``: manca al massimo la finestra indicata (30 giorni, scelta di presentazione);
* ``futura``: manca di più.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from dateutil.relativedelta import relativedelta

from cer_docs.italiano import data_lunga
from cer_docs.model.pratica import Configurazione, Impianto, Pratica
from cer_docs.rules.base import ParametroNonDefinito, ParametroNonInVigore, cita, in_vigore, leggi, param
from cer_docs.rules.contesto import data_costituzione
from cer_docs.rules.pnrr import termine_pagamenti

from .calendario import REGIME_GSE, REGIME_REGISTRO, TermineFuoriCalendario, termine_anni, termine_giorni, termine_mesi
from .testo import con_data
from .oggetti import (Oggetto, entro, individua, oggetto_comunita, oggetto_configurazione, oggetto_impianto,
                      oggetto_pod, pod_dell_impianto)
from .tipi import COMUNICAZIONI_AVVIO_LAVORI, COMUNICAZIONI_VARIAZIONE, canonico

__all__ = ["Scadenza", "Decorrenza", "StatoScadenza", "STATI_SCADENZA", "FINESTRA_IMMINENTE_GIORNI",
           "compute_scadenze", "compute_decorrenze", "compute_scadenze_e_decorrenze"]

StatoScadenza = Literal["futura", "imminente", "scaduta", "adempiuta"]
STATI_SCADENZA: tuple[StatoScadenza, ...] = ("scaduta", "imminente", "futura", "adempiuta")

# Quanti giorni prima una scadenza diventa "imminente": scelta di presentazione, non di legge
# (coincide con il primo promemoria del calendario). Servizi e interfaccia possono cambiarla.
FINESTRA_IMMINENTE_GIORNI = 30

_ORDINE_CODICI = ("D1", "D2", "D3", "D4", "D6", "D7", "D10", "D10a", "D10b", "D12", "D13", "D14", "D16", "D17", "D18",
                  "D19", "D20", "D21", "D23")

_A_CARICO_REFERENTE = "referente della configurazione"
_A_CARICO_COMUNITA = "comunità (legale rappresentante)"
_A_CARICO_BENEFICIARIO = "beneficiario del contributo PNRR"
_A_CARICO_GSE = "GSE"


@dataclass(frozen=True)
class Scadenza:
    """Una scadenza della pratica, spiegata: che cosa, entro quando, perché, che cosa succede se si manca."""

    codice: str
    data: dt.date
    titolo: str
    oggetto: str
    fatto: str
    conseguenza: str
    riferimento: str
    stato: StatoScadenza
    data_fatto: dt.date | None = None
    adempiuta_il: dt.date | None = None
    decorrenza: dt.date | None = None
    a_carico: str = _A_CARICO_REFERENTE
    calcolo: str = ""
    non_confermato: bool = False
    chiave: str = ""
    nome_oggetto: str = ""

    @property
    def aperta(self) -> bool:
        """Da fare: non adempiuta (le scadenze mancate e poi recuperate in ritardo non sono aperte)."""
        return self.stato != "adempiuta" and self.adempiuta_il is None

    def giorni_da(self, al: dt.date) -> int:
        """Giorni da ``al`` alla scadenza (negativi se è passata)."""
        return (self.data - al).days

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for k, v in d.items():
            if isinstance(v, dt.date):
                d[k] = v.isoformat()
        return d


@dataclass(frozen=True)
class Decorrenza:
    """Da quando un impianto riceve gli incentivi, e perché."""

    oggetto: str
    data: dt.date
    motivo: str
    codice: str
    tardiva: bool = False


def _stato(data: dt.date, al: dt.date, adempiuta_il: dt.date | None, finestra: int,
           violata_il: dt.date | None = None) -> StatoScadenza:
    if adempiuta_il is not None and adempiuta_il <= data:
        return "adempiuta"
    if violata_il is not None and violata_il <= al:
        return "scaduta"
    if al > data:
        return "scaduta"
    if (data - al).days <= finestra:
        return "imminente"
    return "futura"


def _dl(d: dt.date) -> str:
    return data_lunga(d)


@dataclass
class _Comunicazione:
    tipo: str
    data: dt.date
    oggetto: Oggetto


@dataclass
class _Motore:
    pratica: Pratica
    al: dt.date
    finestra: int
    scadenze: list[Scadenza] = field(default_factory=list)
    decorrenze: dict[str, Decorrenza] = field(default_factory=dict)

    def __post_init__(self) -> None:
        p = self.pratica
        self.costituzione = entro(data_costituzione(p), self.al)
        self.comunicazioni: list[_Comunicazione] = []
        for ev in p.eventi_validi():
            if ev.data > self.al:
                continue
            tipo = canonico(ev.tipo)
            if tipo not in COMUNICAZIONI_AVVIO_LAVORI | COMUNICAZIONI_VARIAZIONE:
                continue
            ogg = individua(p, ev.oggetto)
            if ogg is not None:
                self.comunicazioni.append(_Comunicazione(tipo, ev.data, ogg))

    # ------------------------------------------------------------------ supporto
    def aggiungi(self, *, codice: str, data: dt.date, titolo: str, oggetto: Oggetto, fatto: str,
                 conseguenza: str, riferimento: str, data_fatto: dt.date | None = None,
                 adempiuta_il: dt.date | None = None, decorrenza: dt.date | None = None,
                 a_carico: str = _A_CARICO_REFERENTE, calcolo: str = "", non_confermato: bool = False,
                 percorso: str | None = None, variante: str | None = None,
                 violata_il: dt.date | None = None) -> Scadenza:
        chiave = oggetto.chiave + (f"#{variante}" if variante else "")
        s = Scadenza(
            codice=codice, data=data, titolo=titolo, oggetto=percorso or oggetto.percorso, fatto=fatto,
            conseguenza=conseguenza, riferimento=riferimento,
            stato=_stato(data, self.al, adempiuta_il, self.finestra, violata_il),
            data_fatto=data_fatto, adempiuta_il=adempiuta_il, decorrenza=decorrenza, a_carico=a_carico,
            calcolo=calcolo, non_confermato=non_confermato, chiave=chiave, nome_oggetto=oggetto.nome)
        self.scadenze.append(s)
        return s

    def comunicata(self, tipi: frozenset[str], bersaglio: Oggetto, dal: dt.date) -> dt.date | None:
        """Prima comunicazione al GSE che copre ``bersaglio`` fatta dal giorno ``dal`` in poi."""
        date = [c.data for c in self.comunicazioni
                if c.tipo in tipi and c.data >= dal and c.oggetto.contiene(bersaglio)]
        return min(date) if date else None

    # ------------------------------------------------------------------ calcolo
    def calcola(self) -> None:
        p = self.pratica
        self._passo(self._registrazione_atto)
        self._passo(self._configurazioni)
        for ci, conf in enumerate(p.configurazioni):
            for ii, imp in enumerate(conf.impianti):
                for passo in (self._costituzione_prima_esercizio, self._richiesta_accesso, self._pnrr):
                    self._passo(passo, ci, conf, ii, imp)
        for ci, conf in enumerate(p.configurazioni):
            self._passo(self._variazioni, ci, conf)
            self._passo(self._fine_tariffa_e_conguaglio, ci, conf)

    @staticmethod
    def _passo(passo, *args) -> None:
        """Un termine che cadrebbe oltre il calendario (date assurde nel file) non produce scadenze; nemmeno
        un fatto anteriore alla prima data d'effetto della regola che lo governerebbe (la regola non c'era)."""
        try:
            passo(*args)
        except (TermineFuoriCalendario, OverflowError, ParametroNonInVigore):
            pass

    # D13 -------------------------------------------------------------------------------------
    def _registrazione_atto(self) -> None:
        p = self.pratica
        if p.comunita is None:
            return
        atto = p.comunita.atto_costitutivo
        firma = entro(atto.data, self.al)
        if atto.forma != "scrittura_privata_registrata" or firma is None:
            return
        n = leggi("registrazione_termine_giorni", firma)
        t = termine_giorni(firma, n.valore, REGIME_REGISTRO)
        reg = entro(atto.registrazione.data, self.al) if atto.registrazione else None
        self.aggiungi(
            codice="D13", data=t.data, titolo="Registrazione dell'atto costitutivo all'Agenzia delle Entrate",
            oggetto=oggetto_comunita(p), percorso="comunita.atto_costitutivo",
            fatto=f"atto costitutivo firmato {con_data('il', firma)} come scrittura privata", data_fatto=firma,
            conseguenza=("Registrazione tardiva: sanzioni dell'imposta di registro. Finché l'atto non è registrato "
                         "la CER non ha una data certa di costituzione: non può inviare la richiesta di accesso "
                         "al GSE né la domanda di contributo PNRR."),
            riferimento=n.riferimento, adempiuta_il=reg, a_carico=_A_CARICO_COMUNITA, calcolo=t.calcolo,
            non_confermato=n.non_confermato or t.non_confermato)

    # D1, D7 ----------------------------------------------------------------------------------
    def _configurazioni(self) -> None:
        p, al = self.pratica, self.al
        for ci, conf in enumerate(p.configurazioni):
            ogg = oggetto_configurazione(p, ci)
            invio = entro(conf.richiesta_accesso.data_invio, al)
            limite = in_vigore("tariffa_premio_termine_accesso", al)
            if limite is not None:
                dm414 = leggi("dm414_entrata_in_vigore", al).valore
                self.aggiungi(
                    codice="D1", data=limite.valore,
                    titolo=f"Ultimo giorno per chiedere la tariffa premio per la configurazione {ogg.nome}",
                    oggetto=ogg, percorso=f"{ogg.percorso}.richiesta_accesso",
                    fatto=f"regime del DM 414/2023, in vigore {con_data('dal', dm414)}", data_fatto=dm414,
                    conseguenza=("Dopo questa data non si accede più alla tariffa premio; l'accesso può chiudersi "
                                 "anche prima, trenta giorni dopo il raggiungimento di 5 GW di potenza "
                                 "incentivata (dato pubblicato dal GSE)."),
                    riferimento=limite.riferimento, adempiuta_il=invio, calcolo="data fissa stabilita dal decreto",
                    non_confermato=limite.non_confermato)
            self._mandato(ci, conf, ogg)

    def _mandato(self, ci: int, conf: Configurazione, ogg: Oggetto) -> None:
        al = self.al
        m = conf.referente.mandato
        firma, revoca = entro(m.data_firma, al), entro(m.data_revoca, al)
        if firma is None or revoca is not None:
            return
        durata = leggi("referente_mandato_durata_anni", al)
        anni = durata.valore
        t = termine_anni(firma, anni)
        while t.data < al:
            anni += durata.valore
            t = termine_anni(firma, anni)
        self.aggiungi(
            codice="D7", data=t.data,
            titolo=f"Rinnovo tacito del mandato al referente della configurazione {ogg.nome}",
            oggetto=ogg, percorso=f"{ogg.percorso}.referente.mandato", variante=str(t.data.year),
            fatto=f"mandato al referente firmato {con_data('il', firma)}", data_fatto=firma,
            conseguenza=("Alla ricorrenza il mandato si rinnova da solo per un altro anno. Se non deve proseguire "
                         "va revocato (è revocabile in ogni momento), designando un nuovo referente e "
                         "comunicando il cambio al GSE."),
            riferimento=durata.riferimento, a_carico=_A_CARICO_COMUNITA,
            calcolo=f"ricorrenza annuale: {t.calcolo}", non_confermato=durata.non_confermato)

    # D12 -------------------------------------------------------------------------------------
    def _costituzione_prima_esercizio(self, ci: int, conf: Configurazione, ii: int, imp: Impianto) -> None:
        p, al = self.pratica, self.al
        if conf.tipo != "CER" or p.comunita is None:
            return
        es = entro(imp.data_entrata_esercizio, al)
        data = es or imp.data_entrata_esercizio or imp.data_entrata_esercizio_prevista
        if data is None:
            return
        try:
            dm414 = param("dm414_entrata_in_vigore", data)
        except ParametroNonDefinito:
            return
        if data < dm414:  # impianti anteriori al DM 414: altra regola (documentazione con data certa)
            return
        ogg = oggetto_impianto(p, ci, ii)
        cost = self.costituzione
        fatto = (f"impianto entrato in esercizio {con_data('il', es)}" if es
                 else f"entrata in esercizio dell'impianto prevista per {con_data('il', data)}")
        self.aggiungi(
            codice="D12", data=data,
            titolo=f"Data certa di costituzione della CER entro l'entrata in esercizio di {ogg.nome}",
            oggetto=ogg, percorso=f"{ogg.percorso}.data_entrata_esercizio", fatto=fatto, data_fatto=data,
            conseguenza=("Un impianto entrato in esercizio prima della data certa di costituzione della CER (atto "
                         "pubblico o registrazione della scrittura privata) riceve solo il contributo di "
                         "valorizzazione, non la tariffa premio."),
            riferimento=cita(("ro-2025", "§1.2.1"), ("ro-2024", "§1.2.2")),
            adempiuta_il=cost, a_carico=_A_CARICO_COMUNITA,
            calcolo=("la data certa deve essere al più tardi il giorno dell'entrata in esercizio"
                     + ("" if es else " (data prevista: si aggiorna quando l'impianto entra in esercizio)")))

    # D3, D4 ----------------------------------------------------------------------------------
    def _richiesta_accesso(self, ci: int, conf: Configurazione, ii: int, imp: Impianto) -> None:
        p, al = self.pratica, self.al
        es = entro(imp.data_entrata_esercizio, al)
        if es is None:
            return
        invio = entro(conf.richiesta_accesso.data_invio, al)
        if invio is not None and invio < es:
            return  # impianto entrato dopo la richiesta: è una variazione (D6)
        # date fisse (entrata in vigore del decreto, apertura del portale): come note alla data al
        dm414 = leggi("dm414_entrata_in_vigore", al).valore
        apertura = leggi("portale_richieste_accesso_apertura", al)
        anteriore = es < dm414
        base = apertura.valore if anteriore else max(es, apertura.valore)
        n = leggi("richiesta_accesso_termine_giorni", base)
        t = termine_giorni(base, n.valore, REGIME_GSE)
        ogg = oggetto_impianto(p, ci, ii)
        in_tempo = invio is not None and invio <= t.data
        decorrenza_piena = dm414 if anteriore else es
        if in_tempo:
            decorrenza = decorrenza_piena
            motivo = (f"richiesta inviata {con_data('il', invio)}, entro {con_data('il', t.data)}: gli incentivi decorrono "
                      f"{con_data('dal', decorrenza)}")
        elif invio is not None:
            decorrenza = invio + dt.timedelta(days=1)
            motivo = (f"richiesta inviata {con_data('il', invio)}, oltre {con_data('il', t.data)}: gli incentivi decorrono dal "
                      f"giorno dopo l'invio, {_dl(decorrenza)}")
        else:
            decorrenza, motivo = None, ""
        codice = "D4" if anteriore else "D3"
        if decorrenza is not None:
            self.decorrenze[ogg.percorso] = Decorrenza(ogg.percorso, decorrenza, motivo, codice, tardiva=not in_tempo)
        fatto = f"impianto entrato in esercizio {con_data('il', es)}"
        if base != es:
            fatto += f"; portale GSE per le richieste aperto {con_data('il', base)}"
        riferimento = n.riferimento + (f"; {apertura.riferimento}" if base != es else "")
        self.aggiungi(
            codice=codice, data=t.data,
            titolo=(f"Richiesta di accesso al GSE per {ogg.nome} con decorrenza dall'entrata in esercizio"
                    if not anteriore else
                    f"Richiesta di accesso al GSE per {ogg.nome} con decorrenza {con_data('dal', dm414)}"),
            oggetto=ogg, fatto=fatto, data_fatto=es,
            conseguenza=(f"Se la richiesta parte dopo, gli incentivi decorrono dal giorno successivo all'invio e "
                         f"i contributi maturati {con_data('dal', decorrenza_piena)} all'invio sono persi."),
            riferimento=riferimento, adempiuta_il=invio, decorrenza=decorrenza, calcolo=t.calcolo
            + (f". {motivo[0].upper()}{motivo[1:]}" if motivo else ""),
            non_confermato=n.non_confermato or t.non_confermato or (base != es and apertura.non_confermato))

    # D6 --------------------------------------------------------------------------------------
    def _variazioni(self, ci: int, conf: Configurazione) -> None:
        p, al = self.pratica, self.al
        invio = entro(conf.richiesta_accesso.data_invio, al)
        if invio is None:
            return
        nome_conf = oggetto_configurazione(p, ci).nome
        entrate_impianti: set[tuple[str, dt.date]] = set()
        for ii, imp in enumerate(conf.impianti):
            es = entro(imp.data_entrata_esercizio, al)
            if es is None or es <= invio:
                continue
            entrate_impianti.add((imp.pod.replace(" ", "").upper(), es))
            ogg = oggetto_impianto(p, ci, ii)
            self._variazione(ogg, es, f"ingresso dell'impianto {ogg.nome} nella configurazione {nome_conf}",
                             f"impianto entrato in esercizio {con_data('il', es)}, dopo la richiesta di accesso "
                             f"{con_data('del', invio)}", "ingresso", decorre=True)
        for pi, pc in enumerate(conf.punti_connessione):
            ogg = oggetto_pod(p, ci, pi)
            ingresso, uscita = entro(pc.data_ingresso, al), entro(pc.data_uscita, al)
            if ingresso is not None and ingresso > invio and (pc.pod.replace(" ", "").upper(), ingresso) not in entrate_impianti:
                self._variazione(ogg, ingresso, f"ingresso del POD {pc.pod} nella configurazione {nome_conf}",
                                 f"POD entrato nella configurazione {con_data('il', ingresso)}", "ingresso", decorre=True)
            if uscita is not None and uscita > invio:
                self._variazione(ogg, uscita, f"uscita del POD {pc.pod} dalla configurazione {nome_conf}",
                                 f"POD uscito dalla configurazione {con_data('il', uscita)}", "uscita", decorre=False)

    def _variazione(self, ogg: Oggetto, quando: dt.date, che_cosa: str, fatto: str, variante: str,
                    decorre: bool) -> None:
        n = leggi("variazioni_configurazione_termine_giorni", quando)
        t = termine_giorni(quando, n.valore, REGIME_GSE)
        com = self.comunicata(COMUNICAZIONI_VARIAZIONE, ogg, quando)
        decorrenza = None
        if decorre and com is not None:
            decorrenza = quando if com <= t.data else com
        if decorrenza is not None and ogg.genere == "impianto":
            motivo = (f"variazione comunicata {con_data('il', com)}, "
                      + ("in tempo" if com <= t.data else f"oltre {con_data('il', t.data)}")
                      + f": conta {con_data('dal', decorrenza)}")
            self.decorrenze[ogg.percorso] = Decorrenza(ogg.percorso, decorrenza, motivo, "D6", tardiva=com > t.data)
        conseguenza = ("Comunicazione tardiva: la variazione vale solo dalla data della comunicazione"
                       + (" e l'energia del periodo precedente non conta per la configurazione." if decorre else "."))
        self.aggiungi(
            codice="D6", data=t.data, titolo=f"Comunicazione al GSE dell'{che_cosa}", oggetto=ogg, fatto=fatto,
            data_fatto=quando, conseguenza=conseguenza, riferimento=n.riferimento, adempiuta_il=com,
            decorrenza=decorrenza, calcolo=t.calcolo, variante=variante,
            non_confermato=n.non_confermato or t.non_confermato)

    # D2, D10 ---------------------------------------------------------------------------------
    def _fine_tariffa_e_conguaglio(self, ci: int, conf: Configurazione) -> None:
        p, al = self.pratica, self.al
        ra = conf.richiesta_accesso
        esito = entro(ra.data_esito, al)
        if ra.esito != "accolta" or esito is None:
            return
        ogg_conf = oggetto_configurazione(p, ci)
        decorrenze = []
        for ii, _imp in enumerate(conf.impianti):
            ogg = oggetto_impianto(p, ci, ii)
            dec = self.decorrenze.get(ogg.percorso)
            if dec is None:
                continue
            decorrenze.append(dec.data)
            durata = leggi("tariffa_premio_durata_anni", dec.data)
            t = termine_anni(dec.data, durata.valore)
            self.aggiungi(
                codice="D2", data=t.data, titolo=f"Fine della tariffa premio per {ogg.nome}", oggetto=ogg,
                fatto=f"incentivi {con_data('dal', dec.data)} ({dec.codice})", data_fatto=dec.data,
                conseguenza="Finito il periodo di incentivazione l'impianto non riceve più la tariffa premio.",
                riferimento=durata.riferimento, a_carico=_A_CARICO_GSE, calcolo=t.calcolo,
                non_confermato=durata.non_confermato or t.non_confermato)
        primo_anno = min(decorrenze).year if decorrenze else esito.year
        cong = leggi("conguaglio_termine", al)
        anno = primo_anno
        while True:
            try:
                data = dt.date(anno + 1, cong.valore["mese"], cong.valore["giorno"])
            except ValueError:
                raise TermineFuoriCalendario("conguaglio oltre il calendario") from None
            if data >= al:
                break
            anno += 1
        self.aggiungi(
            codice="D10", data=data, titolo=f"Conguaglio annuale del GSE per il {anno} (configurazione {ogg_conf.nome})",
            oggetto=ogg_conf, variante=str(anno),
            fatto=f"contratto con il GSE attivo {con_data('dal', esito)}; anno di riferimento {anno}", data_fatto=esito,
            conseguenza=("Entro questa data il GSE riconosce quanto spetta per ogni mese dell'anno sui dati di "
                         "misura; il pagamento segue entro il mese successivo. Controlla gli importi pubblicati e "
                         "destina l'eventuale quota eccedentaria come prevede lo statuto."),
            riferimento=cong.riferimento, a_carico=_A_CARICO_GSE,
            calcolo=f"data fissa dell'anno successivo a quello di riferimento ({anno + 1})",
            non_confermato=cong.non_confermato)
        for anno_riparto in (anno - 1, anno):
            if anno_riparto >= primo_anno:
                self._riparto(anno_riparto, cong)

    # D10a, D10b ------------------------------------------------------------------------------
    def _riparto(self, anno: int, cong) -> None:  # noqa: ANN001
        """Approvazione del riparto e pagamento ai membri dopo il conguaglio dell'anno (una volta per pratica)."""
        fatti = self.__dict__.setdefault("_riparti", set())
        if anno in fatti:
            return
        fatti.add(anno)
        p, al = self.pratica, self.al
        t = leggi("riparto_termini", al)
        pubblicazione = dt.date(anno + 1, cong.valore["mese"], cong.valore["giorno"])
        # ultimo giorno del mese successivo (mesi_pagamento_gse) a quello della pubblicazione
        pagato_gse = (pubblicazione + relativedelta(months=t.valore["mesi_pagamento_gse"] + 1, day=1)
                      - dt.timedelta(days=1))
        ogg = oggetto_comunita(p)
        approvazioni = [r.approvato_il for r in p.riparti_approvati if r.periodo == str(anno) and r.approvato_il <= al]
        approvato = min(approvazioni) if approvazioni else None
        termine = termine_giorni(pagato_gse, t.valore["approvazione_giorni"])
        self.aggiungi(
            codice="D10a", data=termine.data, titolo=f"Approvazione del riparto {anno} in assemblea", oggetto=ogg,
            variante=f"riparto-{anno}", fatto=f"conguaglio {anno} pagato dal GSE entro il {_dl(pagato_gse)}",
            data_fatto=pagato_gse, adempiuta_il=approvato,
            conseguenza=("L'assemblea approva il riparto degli importi ricevuti (fondo A e fondo B); la versione "
                         "approvata resta congelata ed è la base dei bonifici ai membri."),
            riferimento=t.riferimento, a_carico=_A_CARICO_COMUNITA, calcolo=termine.calcolo,
            non_confermato=t.non_confermato)
        base = approvato or termine.data
        pagamenti = [e.data for e in p.eventi_validi() if canonico(e.tipo) == "pagamento_membri" and e.nota == str(anno)
                     and e.data <= al]
        termine_pag = termine_giorni(base, t.valore["pagamento_giorni"])
        self.aggiungi(
            codice="D10b", data=termine_pag.data, titolo=f"Pagamento ai membri delle quote del riparto {anno}",
            oggetto=ogg, variante=f"pagamento-{anno}", data_fatto=base,
            fatto=(f"riparto {anno} approvato {con_data('il', approvato)}" if approvato else
                   f"riparto {anno} da approvare entro il {_dl(termine.data)}"),
            adempiuta_il=min(pagamenti) if pagamenti else None,
            conseguenza="Bonifici ai membri secondo il riparto approvato; chi non ha un IBAN va pagato in altro modo.",
            riferimento=t.riferimento, a_carico=_A_CARICO_COMUNITA, calcolo=termine_pag.calcolo,
            non_confermato=True)

    # D14, D16, D17, D18-D20, D23 -------------------------------------------------------------
    def _pnrr(self, ci: int, conf: Configurazione, ii: int, imp: Impianto) -> None:
        p, al = self.pratica, self.al
        cp = imp.contributo_pnrr
        if cp is None:
            return
        ogg = oggetto_impianto(p, ci, ii)
        base = f"{ogg.percorso}.contributo_pnrr"
        domanda = entro(cp.data_domanda, al)
        concessione = entro(cp.data_concessione, al)
        avvio = entro(cp.data_avvio_lavori, al)
        fine = entro(cp.data_fine_lavori, al)
        es = entro(imp.data_entrata_esercizio, al)
        # D14: finestra delle domande
        finestra = in_vigore("pnrr_finestra_domande", al)
        # una CER non ancora costituita alla chiusura del portale non poteva presentare la domanda: la
        # finestra chiusa non è una sua scadenza mancata (la verifica lo dice come informazione, PNRR_FINESTRA_CHIUSA)
        mai_aperta = (finestra is not None and domanda is None and al > finestra.valore["chiusura"]
                      and (self.costituzione is None or self.costituzione > finestra.valore["chiusura"]))
        if finestra is not None and not mai_aperta and (domanda is None or domanda <= finestra.valore["chiusura"]):
            self.aggiungi(
                codice="D14", data=finestra.valore["chiusura"],
                titolo=f"Domanda di contributo PNRR per {ogg.nome}: chiusura del portale", oggetto=ogg, percorso=base,
                fatto=f"finestra delle domande aperta {con_data('il', finestra.valore['apertura'])}",
                data_fatto=finestra.valore["apertura"],
                conseguenza="Chiuso il portale la domanda non si può più presentare: niente contributo PNRR.",
                riferimento=finestra.riferimento, adempiuta_il=domanda, a_carico=_A_CARICO_BENEFICIARIO,
                calcolo="data fissa di chiusura della finestra", non_confermato=finestra.non_confermato)
        if domanda is None:
            return
        # D17: istruttoria del GSE (promemoria finché non c'è la concessione)
        if concessione is None:
            n = leggi("pnrr_istruttoria_giorni", domanda)
            t = termine_giorni(domanda, n.valore, REGIME_GSE)
            self.aggiungi(
                codice="D17", data=t.data, titolo=f"Fine dell'istruttoria GSE della domanda PNRR per {ogg.nome}",
                oggetto=ogg, percorso=base, fatto=f"domanda di contributo presentata {con_data('il', domanda)}",
                data_fatto=domanda,
                conseguenza=("Termine del GSE, al netto delle sospensioni per le integrazioni chieste: se passa senza "
                             "notizie, sollecita l'esito della domanda."),
                riferimento=n.riferimento, a_carico=_A_CARICO_GSE, calcolo=t.calcolo + "; al netto delle sospensioni",
                non_confermato=n.non_confermato or t.non_confermato)
        # D16: comunicazione dell'avvio dei lavori
        if avvio is not None:
            n = leggi("pnrr_comunicazione_avvio_lavori_giorni", avvio)
            t = termine_giorni(avvio, n.valore, REGIME_GSE)
            com = self.comunicata(COMUNICAZIONI_AVVIO_LAVORI, ogg, avvio)
            self.aggiungi(
                codice="D16", data=t.data, titolo=f"Comunicazione al GSE dell'avvio dei lavori di {ogg.nome}",
                oggetto=ogg, percorso=f"{base}.data_avvio_lavori", fatto=f"lavori avviati {con_data('il', avvio)}",
                data_fatto=avvio,
                conseguenza=("La comunicazione è richiesta dal GSE per i progetti finanziati; la conseguenza del "
                             "ritardo non è indicata dalle fonti disponibili: da verificare."),
                riferimento=n.riferimento, adempiuta_il=com, a_carico=_A_CARICO_BENEFICIARIO, calcolo=t.calcolo,
                non_confermato=True)
        # D18 / D19 / D20: traguardi di realizzazione nella versione in vigore alla data al
        self._traguardi_pnrr(ogg, base, concessione, fine, es)
        # D21: termine dei pagamenti fissato dall'accordo di concessione (DL 19/2026)
        self._pagamenti_pnrr(ogg, base, imp)
        # D23: esercizio minimo
        if concessione is not None and es is not None:
            anni = leggi("pnrr_esercizio_minimo_anni", al)
            t = termine_anni(es, anni.valore)
            trovato = pod_dell_impianto(conf, imp)
            uscita = entro(trovato[1].data_uscita, al) if trovato else None
            violata = uscita if uscita is not None and uscita < t.data else None
            compiuto = t.data if violata is None and al > t.data else None
            calcolo = t.calcolo
            if violata is not None:
                calcolo += (f"; il POD dell'impianto è uscito dalla configurazione {con_data('il', violata)}: verifica che "
                            "l'impianto sia entrato in un'altra configurazione, altrimenti il contributo è revocato")
            self.aggiungi(
                codice="D23", data=t.data,
                titolo=f"Esercizio minimo di {anni.valore} anni in una configurazione per {ogg.nome} (contributo PNRR)",
                oggetto=ogg, fatto=f"impianto in esercizio {con_data('dal', es)}", data_fatto=es,
                conseguenza=("Se prima di questa data l'impianto smette di funzionare in una configurazione di "
                             "autoconsumo, il contributo PNRR è revocato per intero."),
                riferimento=anni.riferimento, adempiuta_il=compiuto, a_carico=_A_CARICO_BENEFICIARIO,
                calcolo=calcolo, non_confermato=anni.non_confermato, violata_il=violata)

    def _pagamenti_pnrr(self, ogg: Oggetto, base: str, imp: Impianto) -> None:
        cp = imp.contributo_pnrr
        t = termine_pagamenti(cp.accordo_concessione, self.al)
        if t is None or not t.da_accordo or t.data is None:
            return
        pagate = [s for s in cp.spese if s.pagamenti and s.pagato >= s.fattura.totale_euro]
        ultimo = max((pg.data for s in pagate for pg in s.pagamenti), default=None)
        tutte = bool(cp.spese) and len(pagate) == len(cp.spese)
        self.aggiungi(
            codice="D21", data=t.data, titolo=f"Ultimo giorno per pagare le spese PNRR di {ogg.nome}", oggetto=ogg,
            percorso=f"{base}.accordo_concessione.termine_pagamenti", variante="pagamenti",
            fatto=f"termine {t.fissato_da}", data_fatto=cp.accordo_concessione.data_firma,
            conseguenza=("Le spese pagate dopo questa data non sono ammissibili al contributo: paga con bonifico "
                         "entro il termine e registra i pagamenti nel registro spese."),
            riferimento=t.riferimento, adempiuta_il=entro(ultimo, self.al) if tutte else None,
            a_carico=_A_CARICO_BENEFICIARIO, calcolo="data fissata dall'accordo di concessione"
            + ("; adempiuta quando tutte le spese del registro risultano pagate" if cp.spese else ""))

    def _traguardi_pnrr(self, ogg: Oggetto, base: str, concessione: dt.date | None, fine: dt.date | None,
                        es: dt.date | None) -> None:
        al = self.al
        regola = in_vigore("pnrr_termini_realizzazione", al)
        if regola is None:
            return
        v = regola.valore
        revoca = "Revoca del contributo PNRR."
        comune = dict(riferimento=regola.riferimento, non_confermato=regola.non_confermato,
                      a_carico=_A_CARICO_BENEFICIARIO)
        if v["schema"] == "ammissione":
            data, calcolo = _entro_mesi_e_limite(concessione, v["entrata_esercizio_mesi"],
                                                 v["entrata_esercizio_entro"], "dall'ammissione")
            fatto = (f"contributo concesso {con_data('il', concessione)}" if concessione is not None
                     else "domanda di contributo PNRR presentata")
            self.aggiungi(codice="D18", data=data, titolo=f"Entrata in esercizio di {ogg.nome} (contributo PNRR)",
                          oggetto=ogg, fatto=fatto, data_fatto=concessione, conseguenza=revoca, adempiuta_il=es,
                          calcolo=calcolo, **comune)
        elif v["schema"] == "fine_lavori":
            self.aggiungi(codice="D19", data=v["fine_lavori_entro"],
                          titolo=f"Fine dei lavori di {ogg.nome} (contributo PNRR)", oggetto=ogg, percorso=base,
                          variante="lavori", fatto="progetto finanziato dal contributo PNRR", data_fatto=concessione,
                          conseguenza=revoca, adempiuta_il=fine, calcolo="data fissa stabilita dal decreto", **comune)
            data, calcolo = _entro_mesi_e_limite(fine, v["entrata_esercizio_mesi"], v["entrata_esercizio_entro"],
                                                 "dalla fine dei lavori")
            fatto = (f"lavori conclusi {con_data('il', fine)}" if fine is not None
                     else "progetto finanziato dal contributo PNRR")
            self.aggiungi(codice="D19", data=data, titolo=f"Entrata in esercizio di {ogg.nome} (contributo PNRR)",
                          oggetto=ogg, variante="esercizio", fatto=fatto, data_fatto=fine, conseguenza=revoca,
                          adempiuta_il=es, calcolo=calcolo, **comune)
        elif v["schema"] == "accordo_concessione":
            self.aggiungi(codice="D20", data=v["accordo_entro"],
                          titolo=f"Accordo di concessione del contributo PNRR per {ogg.nome}", oggetto=ogg,
                          percorso=base, variante="accordo", fatto="programma di sovvenzione PNRR gestito dal GSE",
                          conseguenza="Senza accordo di concessione firmato entro questa data il contributo non è assegnato.",
                          adempiuta_il=self._firma_accordo(ogg) or concessione, calcolo="data fissa stabilita dal decreto-legge",
                          **{**comune, "a_carico": f"{_A_CARICO_GSE} e {_A_CARICO_BENEFICIARIO}"})
            self._esercizio_dl19(ogg, concessione, es, v, regola)

    def _firma_accordo(self, ogg: Oggetto) -> dt.date | None:
        cp = self.pratica.configurazioni[ogg.ci].impianti[ogg.ii].contributo_pnrr
        acc = cp.accordo_concessione if cp is not None else None
        return entro(acc.data_firma, self.al) if acc is not None else None

    def _esercizio_dl19(self, ogg: Oggetto, concessione: dt.date | None, es: dt.date | None, v: dict,
                        regola) -> None:
        """D20: esercizio entro 24 mesi dalla notifica della concessione (DL 19/2026 art. 27 c. 3) e comunque
        non oltre il limite indicato dal GSE (31/12/2027, fonte: pagina del GSE, non il decreto): la prima delle due."""
        cp = self.pratica.configurazioni[ogg.ci].impianti[ogg.ii].contributo_pnrr
        acc = cp.accordo_concessione if cp is not None else None
        notifica = entro(acc.data_notifica, self.al) if acc is not None else None
        dal = notifica or concessione
        if dal is None:
            return
        t = termine_mesi(dal, v["entrata_esercizio_mesi"], REGIME_GSE)
        quale = "notifica dell'atto di concessione" if notifica else "concessione (data di notifica non registrata)"
        data, calcolo = t.data, f"{t.calcolo} dalla {quale}"
        riferimento, non_confermato = regola.riferimento, regola.non_confermato or t.non_confermato
        limite = in_vigore("pnrr_entrata_esercizio_limite_gse", self.al)
        if limite is not None:
            if limite.valore < t.data:
                data = limite.valore
                calcolo += (f"; vale il limite {con_data('del', limite.valore)} indicato dal GSE, che viene prima "
                            "(limite da confermare: non è nel testo del decreto-legge)")
                non_confermato = non_confermato or limite.non_confermato
            else:
                calcolo += f"; viene prima del limite {con_data('del', limite.valore)} indicato dal GSE"
            riferimento = riferimento + "; " + limite.riferimento
        fatto = (f"atto di concessione notificato {con_data('il', notifica)}" if notifica
                 else f"contributo concesso {con_data('il', concessione)}")
        self.aggiungi(codice="D20", data=data, titolo=f"Entrata in esercizio di {ogg.nome} (contributo PNRR)",
                      oggetto=ogg, variante="esercizio", fatto=fatto, data_fatto=dal,
                      conseguenza=("Revoca del contributo PNRR. Conseguenza da confermare con le nuove Regole "
                                   "Operative del GSE e con l'atto di concessione."),
                      adempiuta_il=es, calcolo=calcolo, riferimento=riferimento, non_confermato=non_confermato,
                      a_carico=_A_CARICO_BENEFICIARIO)


def _ordine(s: Scadenza) -> tuple:
    pos = _ORDINE_CODICI.index(s.codice) if s.codice in _ORDINE_CODICI else len(_ORDINE_CODICI)
    return (s.data, pos, s.oggetto, s.chiave)


def _motore(pratica: Pratica, al: dt.date, finestra_imminente: int | None) -> _Motore:
    if not isinstance(al, dt.date):
        raise TypeError("la data 'al' è obbligatoria: le scadenze si calcolano sempre a una data precisa")
    finestra = FINESTRA_IMMINENTE_GIORNI if finestra_imminente is None else finestra_imminente
    m = _Motore(pratica, al, finestra)
    m.calcola()
    return m


def compute_scadenze(pratica: Pratica, al: dt.date, *, finestra_imminente: int | None = None) -> list[Scadenza]:
    """Le scadenze della pratica alla data ``al``, in ordine di data."""
    return sorted(_motore(pratica, al, finestra_imminente).scadenze, key=_ordine)


def compute_scadenze_e_decorrenze(pratica: Pratica, al: dt.date, *, finestra_imminente: int | None = None
                                  ) -> tuple[list[Scadenza], dict[str, Decorrenza]]:
    """Scadenze e decorrenze in un solo calcolo (per chi servono entrambe, come gli stati)."""
    m = _motore(pratica, al, finestra_imminente)
    return sorted(m.scadenze, key=_ordine), dict(m.decorrenze)


def compute_decorrenze(pratica: Pratica, al: dt.date) -> dict[str, Decorrenza]:
    """Decorrenza degli incentivi per ogni impianto che ne ha una alla data ``al`` (chiave: percorso)."""
    return dict(_motore(pratica, al, None).decorrenze)


def _entro_mesi_e_limite(dal: dt.date | None, mesi: int, limite: dt.date, da_che_cosa: str) -> tuple[dt.date, str]:
    """Entro ``mesi`` da un fatto e comunque non oltre ``limite``; se il fatto manca vale il limite."""
    if dal is not None:
        t = termine_mesi(dal, mesi, REGIME_GSE)
        return min(t.data, limite), f"{t.calcolo}, e comunque non oltre {con_data('il', limite)}"
    return limite, f"{mesi} mesi {da_che_cosa} (non ancora registrata) e comunque non oltre {con_data('il', limite)}"

"""Registrare un fatto sulla pratica: controlli, campo datato, evento.

``record_fatto(pratica, fatto, al)`` restituisce una *copia* della pratica con il campo datato
aggiornato (quando il fatto ne ha uno) e un evento in più in ``eventi``; la pratica di partenza
non cambia. Un fatto impossibile o non ammesso dalle regole è rifiutato con ``FattoRifiutato``,
il cui messaggio spiega in italiano perché e che cosa fare: un fatto nel futuro rispetto ad
``al``, la registrazione di un atto mai firmato, la richiesta di accesso prima della data certa
di costituzione della CER, l'entrata in esercizio di un impianto PNRR prima della fine dei
lavori, la revoca di un mandato mai firmato, la domanda PNRR a portale chiuso...

I fatti ammessi ma con conseguenze (una richiesta oltre i 120 giorni, un impianto in esercizio
prima della costituzione) sono registrati e tornano come ``avvisi``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from cer_docs.italiano import data_lunga
from cer_docs.model.pratica import ContributoPnrr, Evento, Pratica, Registrazione
from cer_docs.rules.base import in_vigore
from cer_docs.model.vocabolario import FORME_ATTO
from cer_docs.rules.contesto import data_costituzione
from cer_docs.rules.fatti import serve_mandato

from .calendario import REGIME_GSE, REGIME_REGISTRO, TermineFuoriCalendario, termine_giorni
from .testo import con_data
from .oggetti import NOMI_GENERE, Oggetto, individua, oggetto_comunita, oggetto_configurazione, oggetto_impianto, pod_dell_impianto
from .scadenze import compute_decorrenze
from .stati import data_lavori, stato_pratica
from .tipi import ALIAS, COMUNICAZIONI_AVVIO_LAVORI, TIPI_FATTO, TipoFatto, canonico


def _valore(pid: str, d: dt.date):
    """Valore del parametro in vigore alla data ``d`` (``rules.base.in_vigore``); ``None`` se la regola non c'era."""
    lettura = in_vigore(pid, d)
    return None if lettura is None else lettura.valore

__all__ = ["Fatto", "FattoRegistrato", "FattoRifiutato", "TipoFattoSconosciuto", "record_fatto"]


class FattoRifiutato(ValueError):
    """Il fatto non si può registrare: ``motivo`` dice perché e che cosa fare."""

    def __init__(self, motivo: str):
        self.motivo = motivo
        super().__init__(motivo)


class TipoFattoSconosciuto(FattoRifiutato):
    pass


@dataclass(frozen=True)
class Fatto:
    tipo: str
    data: dt.date
    oggetto: str | None = None
    nota: str | None = None
    autore: str | None = None
    riferimento: str | None = None


@dataclass(frozen=True)
class FattoRegistrato:
    pratica: Pratica
    evento: Evento
    avvisi: tuple[str, ...] = ()


def _dl(d: dt.date) -> str:
    return data_lunga(d)


def _testo(x: str | None) -> str | None:
    if x is None:
        return None
    x = " ".join(str(x).split())
    return x or None


# --------------------------------------------------------------------------- contesto di un fatto

@dataclass
class _Ctx:
    p: Pratica
    f: Fatto
    al: dt.date
    ogg: Oggetto
    avvisi: list[str]

    @property
    def d(self) -> dt.date:
        return self.f.data

    @property
    def conf(self):
        return self.p.configurazioni[self.ogg.ci]

    @property
    def imp(self):
        return self.conf.impianti[self.ogg.ii]

    @property
    def pc(self):
        return self.conf.punti_connessione[self.ogg.pi]


def _rifiuta(motivo: str) -> None:
    raise FattoRifiutato(motivo)


def _elenco(valori: list[str]) -> str:
    return ", ".join(f"«{v}»" for v in valori)


def _oggetto(p: Pratica, tipo: TipoFatto, testo: str | None) -> Oggetto:
    generi = tipo.generi
    if testo and testo.strip():
        ogg = individua(p, testo)
        if ogg is None:
            _rifiuta(f"Non trovo «{testo.strip()}» nella pratica: indica l'oggetto con il suo id (configurazione o "
                     "impianto), il codice POD oppure il percorso nel file (es. «configurazioni[0].impianti[1]»).")
        if ogg.genere not in generi:
            _rifiuta(f"«{testo.strip()}» è {NOMI_GENERE[ogg.genere]}, ma il fatto «{tipo.etichetta}» riguarda "
                     + " o ".join(NOMI_GENERE[g] for g in generi) + ": indica l'oggetto giusto.")
        return ogg
    genere = generi[0]
    if genere == "comunita":
        if p.comunita is None:
            _rifiuta("La pratica non ha una comunità (è un gruppo di autoconsumatori o un autoconsumatore a "
                     f"distanza): il fatto «{tipo.etichetta}» non si applica.")
        return oggetto_comunita(p)
    if genere == "configurazione":
        if len(p.configurazioni) == 1:
            return oggetto_configurazione(p, 0)
        if not p.configurazioni:
            _rifiuta("La pratica non ha configurazioni: aggiungine una prima di registrare questo fatto.")
        _rifiuta("La pratica ha più configurazioni: indica quale con l'oggetto, per esempio "
                 + _elenco([c.id for c in p.configurazioni]) + ".")
    if genere == "impianto":
        tutti = [(ci, ii) for ci, c in enumerate(p.configurazioni) for ii, _ in enumerate(c.impianti)]
        if tipo.codice in ("concessione_pnrr", "avvio_lavori", "fine_lavori", "comunicazione_avvio_lavori"):
            pnrr = [(ci, ii) for ci, ii in tutti
                    if p.configurazioni[ci].impianti[ii].contributo_pnrr is not None]
            if len(pnrr) == 1:
                tutti = pnrr
        if len(tutti) == 1:
            return oggetto_impianto(p, *tutti[0])
        if not tutti:
            _rifiuta("La pratica non ha impianti: aggiungine uno prima di registrare questo fatto.")
        _rifiuta("Indica a quale impianto si riferisce il fatto, per esempio "
                 + _elenco([p.configurazioni[ci].impianti[ii].id for ci, ii in tutti]) + ".")
    _rifiuta("Indica il punto di connessione con il codice POD (es. «IT001E00112233») o con il percorso "
             "(es. «configurazioni[0].punti_connessione[2]»).")
    raise AssertionError  # pragma: no cover


# --------------------------------------------------------------------------- comunità

def _atto(c: _Ctx):
    if c.p.comunita is None:
        _rifiuta("La pratica non ha una comunità: non c'è un atto costitutivo.")
    return c.p.comunita.atto_costitutivo


def _atto_firmato(c: _Ctx) -> tuple[str, str]:
    atto = _atto(c)
    if atto.data is not None:
        _rifiuta(f"L'atto costitutivo risulta già firmato {con_data('il', atto.data)}: per correggere la data modifica "
                 "la pratica.")
    reg = atto.registrazione.data if atto.registrazione else None
    if reg is not None and reg < c.d:
        _rifiuta(f"L'atto risulta registrato {con_data('il', reg)}, prima della firma {con_data('del', c.d)}: un atto si registra "
                 "dopo averlo firmato. Controlla le date.")
    atto.data = c.d
    n = _valore("registrazione_termine_giorni", c.d) if atto.forma == "scrittura_privata_registrata" else None
    if n is not None:
        t = termine_giorni(c.d, n, REGIME_REGISTRO)
        c.avvisi.append(f"Registra l'atto all'Agenzia delle Entrate entro {con_data('il', t.data)} ({n} giorni): fino "
                        "alla registrazione la CER non ha una data certa di costituzione.")
    forma = FORME_ATTO[atto.forma]
    return "comunita.atto_costitutivo", f"Firma dell'atto costitutivo e dello statuto ({forma.breve or forma.nome})"


def _atto_registrato(c: _Ctx) -> tuple[str, str]:
    atto = _atto(c)
    if atto.data is None:
        _rifiuta("L'atto costitutivo non risulta firmato: registra prima la firma (fatto «atto_firmato»), poi la "
                 "registrazione all'Agenzia delle Entrate.")
    if c.d < atto.data:
        _rifiuta(f"La registrazione ({_dl(c.d)}) non può precedere la firma dell'atto ({_dl(atto.data)}).")
    if atto.registrazione is not None and atto.registrazione.data is not None:
        _rifiuta(f"L'atto risulta già registrato {con_data('il', atto.registrazione.data)}: per correggere la data "
                 "modifica la pratica.")
    if atto.registrazione is None:
        atto.registrazione = Registrazione()
    atto.registrazione.data = c.d
    if c.f.riferimento and not atto.registrazione.numero:
        atto.registrazione.numero = _testo(c.f.riferimento)
    if atto.forma == "scrittura_privata_registrata":
        n = _valore("registrazione_termine_giorni", atto.data)
        t = termine_giorni(atto.data, n, REGIME_REGISTRO) if n is not None else None
        if t is not None and c.d > t.data:
            c.avvisi.append(f"Registrazione oltre il termine di {n} giorni dalla firma (scadeva {con_data('il', t.data)}): "
                            "sono dovute le sanzioni per il ritardo. La data certa della CER è quella della "
                            "registrazione.")
    return "comunita.atto_costitutivo", "Registrazione dell'atto costitutivo all'Agenzia delle Entrate"


# --------------------------------------------------------------------------- configurazione

def _richiesta_inviata(c: _Ctx) -> tuple[str, str]:
    conf, p = c.conf, c.p
    ra = conf.richiesta_accesso
    if ra.data_invio is not None:
        _rifiuta(f"La richiesta di accesso per la configurazione {c.ogg.nome} risulta già inviata "
                 f"{con_data('il', ra.data_invio)}.")
    if conf.tipo == "CER":
        cost = data_costituzione(p)
        if cost is None:
            _rifiuta("La CER non ha ancora una data certa di costituzione (data dell'atto pubblico o della "
                     "registrazione della scrittura privata all'Agenzia delle Entrate): la richiesta di accesso si "
                     "invia solo dopo la costituzione. Registra prima la firma e la registrazione dell'atto.")
        if cost > c.d:
            _rifiuta(f"La richiesta ({_dl(c.d)}) precederebbe la data certa di costituzione della CER "
                     f"({_dl(cost)}): la CER deve essere costituita quando si invia la richiesta.")
    if not [i for i in conf.impianti if i.data_entrata_esercizio and i.data_entrata_esercizio <= c.d]:
        _rifiuta(f"Nessun impianto della configurazione {c.ogg.nome} risulta in esercizio {con_data('il', c.d)}: la "
                 "richiesta di accesso riguarda impianti già in esercizio e registrati su GAUDÌ. Registra prima "
                 "l'entrata in esercizio (fatto «entrata_esercizio»).")
    if serve_mandato(p, conf):
        m = conf.referente.mandato
        if m.data_firma is None or m.data_firma > c.d:
            _rifiuta("Il referente di questa configurazione agisce con un mandato senza rappresentanza, che va "
                     "firmato prima della richiesta: registra prima la firma del mandato (fatto «mandato_firmato»).")
        if m.data_revoca is not None and m.data_revoca <= c.d:
            _rifiuta(f"Il mandato al referente risulta revocato {con_data('il', m.data_revoca)}: designa un nuovo referente "
                     "e registra il nuovo mandato prima della richiesta.")
    ra.data_invio = c.d
    limite = _valore("tariffa_premio_termine_accesso", c.d)
    if limite is not None and c.d > limite:
        c.avvisi.append(f"La richiesta è successiva {con_data('al', limite)}: non dà più accesso alla tariffa premio.")
    for percorso, dec in compute_decorrenze(p, c.al).items():
        if dec.tardiva and percorso.startswith(c.ogg.percorso + "."):
            c.avvisi.append(f"Impianto {individua(p, percorso).nome}: {dec.motivo}; i contributi del periodo "
                            "precedente sono persi.")
    return f"{c.ogg.percorso}.richiesta_accesso", f"Invio della richiesta di accesso al GSE per la configurazione {c.ogg.nome}"


def _esito(esito: str) -> Callable[[_Ctx], tuple[str, str]]:
    def fa(c: _Ctx) -> tuple[str, str]:
        ra = c.conf.richiesta_accesso
        if ra.data_invio is None:
            _rifiuta(f"La richiesta di accesso per la configurazione {c.ogg.nome} non risulta inviata: registra "
                     "prima l'invio (fatto «richiesta_inviata»).")
        if c.d < ra.data_invio:
            _rifiuta(f"L'esito ({_dl(c.d)}) non può precedere l'invio della richiesta ({_dl(ra.data_invio)}).")
        if ra.esito is not None:
            quando = f" {con_data('il', ra.data_esito)}" if ra.data_esito else ""
            _rifiuta(f"La richiesta ha già un esito ({ra.esito}{quando}): per correggerlo modifica la pratica.")
        ra.esito = esito
        ra.data_esito = c.d
        if esito == "respinta":
            c.avvisi.append("Richiesta respinta: leggi le motivazioni del GSE, correggi e ripresenta la richiesta.")
        parola = "accolta" if esito == "accolta" else "respinta"
        return (f"{c.ogg.percorso}.richiesta_accesso",
                f"Richiesta di accesso {parola} dal GSE per la configurazione {c.ogg.nome}")
    return fa


def _mandato_firmato(c: _Ctx) -> tuple[str, str]:
    m = c.conf.referente.mandato
    if m.data_firma is not None and m.data_revoca is None:
        _rifiuta(f"Il mandato al referente risulta già firmato {con_data('il', m.data_firma)} e non revocato: per un nuovo "
                 "referente registra prima la revoca.")
    if m.data_revoca is not None and c.d < m.data_revoca:
        _rifiuta(f"Il nuovo mandato ({_dl(c.d)}) non può precedere la revoca del precedente ({_dl(m.data_revoca)}).")
    m.data_firma = c.d
    m.data_revoca = None
    durata = _valore("referente_mandato_durata_anni", c.d)
    if durata:
        c.avvisi.append(f"Il mandato dura {durata} anno e si rinnova tacitamente a ogni ricorrenza; è revocabile "
                        "in ogni momento." if durata == 1 else
                        f"Il mandato dura {durata} anni e si rinnova tacitamente; è revocabile in ogni momento.")
    return f"{c.ogg.percorso}.referente.mandato", f"Firma del mandato al referente della configurazione {c.ogg.nome}"


def _mandato_revocato(c: _Ctx) -> tuple[str, str]:
    m = c.conf.referente.mandato
    if m.data_firma is None:
        _rifiuta(f"Il mandato al referente della configurazione {c.ogg.nome} non risulta mai firmato: non si può "
                 "revocare un mandato che non esiste.")
    if m.data_revoca is not None:
        _rifiuta(f"Il mandato risulta già revocato {con_data('il', m.data_revoca)}.")
    if c.d < m.data_firma:
        _rifiuta(f"La revoca ({_dl(c.d)}) non può precedere la firma del mandato ({_dl(m.data_firma)}).")
    m.data_revoca = c.d
    c.avvisi.append("Designa un nuovo referente, fagli firmare il mandato e comunica il cambio al GSE.")
    return f"{c.ogg.percorso}.referente.mandato", f"Revoca del mandato al referente della configurazione {c.ogg.nome}"


# --------------------------------------------------------------------------- punti di connessione

def _variazione_da_comunicare(c: _Ctx, che_cosa: str) -> None:
    invio = c.conf.richiesta_accesso.data_invio
    if invio is not None and invio < c.d:
        n = _valore("variazioni_configurazione_termine_giorni", c.d)
        if n:
            t = termine_giorni(c.d, n, REGIME_GSE)
            c.avvisi.append(f"La configurazione è già stata presentata al GSE: comunica {che_cosa} entro "
                            f"{con_data('il', t.data)} ({n} giorni), altrimenti la variazione vale solo dalla comunicazione.")
    elif invio is None:
        c.avvisi.append("La richiesta di accesso al GSE non è ancora partita: la variazione entrerà nella richiesta "
                        "e non va comunicata a parte.")


def _pod_aggiunto(c: _Ctx) -> tuple[str, str]:
    pc = c.pc
    if pc.data_ingresso is not None:
        _rifiuta(f"Il POD {pc.pod} risulta già entrato nella configurazione {con_data('il', pc.data_ingresso)}.")
    if pc.data_uscita is not None and pc.data_uscita <= c.d:
        _rifiuta(f"Il POD {pc.pod} risulta uscito dalla configurazione {con_data('il', pc.data_uscita)}: non può entrare "
                 "dopo essere uscito nello stesso elenco; aggiungi una nuova voce per il POD.")
    pc.data_ingresso = c.d
    _variazione_da_comunicare(c, "l'ingresso del POD")
    return c.ogg.percorso, f"Ingresso del POD {pc.pod} nella configurazione {oggetto_configurazione(c.p, c.ogg.ci).nome}"


def _pod_rimosso(c: _Ctx) -> tuple[str, str]:
    pc = c.pc
    if pc.data_uscita is not None:
        _rifiuta(f"Il POD {pc.pod} risulta già uscito dalla configurazione {con_data('il', pc.data_uscita)}.")
    if pc.data_ingresso is not None and c.d < pc.data_ingresso:
        _rifiuta(f"L'uscita ({_dl(c.d)}) non può precedere l'ingresso del POD ({_dl(pc.data_ingresso)}).")
    pc.data_uscita = c.d
    _variazione_da_comunicare(c, "l'uscita del POD")
    for imp in c.conf.impianti:
        if imp.contributo_pnrr and imp.contributo_pnrr.data_concessione and imp.data_entrata_esercizio and \
                "".join(imp.pod.split()).upper() == "".join(pc.pod.split()).upper():
            anni = _valore("pnrr_esercizio_minimo_anni", c.d)
            if anni:
                c.avvisi.append(f"Il POD è quello dell'impianto «{imp.denominazione or imp.id}», finanziato dal PNRR: "
                                f"se l'impianto non resta in una configurazione per almeno {anni} anni dall'entrata "
                                "in esercizio il contributo è revocato.")
    return c.ogg.percorso, f"Uscita del POD {pc.pod} dalla configurazione {oggetto_configurazione(c.p, c.ogg.ci).nome}"


# --------------------------------------------------------------------------- impianti e PNRR

def _pnrr_attivo(imp) -> bool:
    return imp.contributo_pnrr is not None and imp.contributo_pnrr.data_domanda is not None


def _entrata_esercizio(c: _Ctx) -> tuple[str, str]:
    imp, conf, p = c.imp, c.conf, c.p
    if imp.data_entrata_esercizio is not None:
        _rifiuta(f"L'impianto {c.ogg.nome} risulta già in esercizio {con_data('dal', imp.data_entrata_esercizio)}.")
    avvio, fine = data_lavori(p, c.ogg.ci, c.ogg.ii, c.d)
    if _pnrr_attivo(imp):
        fine_pnrr = imp.contributo_pnrr.data_fine_lavori
        if fine_pnrr is None:
            _rifiuta(f"L'impianto {c.ogg.nome} è finanziato dal PNRR: l'entrata in esercizio segue la fine dei lavori, "
                     "che non risulta registrata. Registra prima la fine dei lavori (fatto «fine_lavori»).")
        if fine_pnrr > c.d:
            _rifiuta(f"L'impianto {c.ogg.nome} è finanziato dal PNRR e i lavori risultano conclusi "
                     f"{con_data('il', fine_pnrr)}, dopo {con_data('il', c.d)}: l'entrata in esercizio segue la fine dei lavori.")
    elif avvio is not None and avvio > c.d:
        _rifiuta(f"I lavori dell'impianto {c.ogg.nome} risultano avviati {con_data('il', avvio)}, dopo {con_data('il', c.d)}.")
    trovato = pod_dell_impianto(conf, imp)
    if trovato and trovato[1].data_uscita is not None and trovato[1].data_uscita <= c.d:
        _rifiuta(f"Il POD {imp.pod} dell'impianto è uscito dalla configurazione {con_data('il', trovato[1].data_uscita)}.")
    imp.data_entrata_esercizio = c.d
    if conf.tipo == "CER" and p.comunita is not None:
        cost = data_costituzione(p)
        if cost is None or cost > c.d:
            c.avvisi.append(f"L'impianto entra in esercizio prima della data certa di costituzione della CER: riceverà "
                            "solo il contributo di valorizzazione, non la tariffa premio.")
    invio = conf.richiesta_accesso.data_invio
    if invio is not None and invio < c.d:
        _variazione_da_comunicare(c, "l'ingresso dell'impianto")
    else:
        # date fisse (entrata in vigore del decreto, apertura del portale) come note alla data al
        dm414 = _valore("dm414_entrata_in_vigore", c.al)
        apertura = _valore("portale_richieste_accesso_apertura", c.al)
        base = None if dm414 is None or apertura is None else (apertura if c.d < dm414 else max(c.d, apertura))
        n = _valore("richiesta_accesso_termine_giorni", base) if base is not None else None
        if base is not None and n is not None:
            _avviso_richiesta_accesso(c, base, n)
    return c.ogg.percorso, f"Entrata in esercizio dell'impianto {c.ogg.nome}"


def _avviso_richiesta_accesso(c: _Ctx, base: dt.date, n: int) -> None:
    t = termine_giorni(base, n, REGIME_GSE)
    c.avvisi.append(f"Invia la richiesta di accesso al GSE entro {con_data('il', t.data)} ({n} giorni) perché gli "
                    "incentivi decorrano dall'entrata in esercizio.")


def _domanda_pnrr(c: _Ctx) -> tuple[str, str]:
    imp, conf, p = c.imp, c.conf, c.p
    cp = imp.contributo_pnrr
    if cp is not None and cp.data_domanda is not None:
        _rifiuta(f"La domanda di contributo PNRR per {c.ogg.nome} risulta già presentata {con_data('il', cp.data_domanda)}.")
    finestra = _valore("pnrr_finestra_domande", c.d)
    if finestra is None or not finestra["apertura"] <= c.d <= finestra["chiusura"]:
        quando = (f"tra {con_data('il', finestra['apertura'])} e {con_data('il', finestra['chiusura'])}" if finestra
                  else "solo dopo l'apertura del portale")
        _rifiuta(f"La domanda di contributo PNRR si presenta sul portale GSE {quando}: {con_data('il', c.d)} il portale "
                 "era chiuso. Controlla la data.")
    if conf.tipo == "CER":
        cost = data_costituzione(p)
        if cost is None or cost > c.d:
            _rifiuta("La CER deve essere già costituita, con data certa, quando si presenta la domanda di contributo "
                     "PNRR" + (f" (data certa: {_dl(cost)})" if cost else ": registra prima la costituzione") + ".")
    avvio, _ = data_lavori(p, c.ogg.ci, c.ogg.ii, c.d)
    if avvio is not None and avvio <= c.d:
        _rifiuta(f"I lavori di {c.ogg.nome} risultano avviati {con_data('il', avvio)}: il contributo PNRR spetta solo per "
                 "lavori avviati dopo la domanda.")
    if imp.data_entrata_esercizio is not None and imp.data_entrata_esercizio <= c.d:
        _rifiuta(f"L'impianto {c.ogg.nome} è già in esercizio {con_data('dal', imp.data_entrata_esercizio)}: il contributo "
                 "PNRR riguarda impianti da costruire o potenziare, con lavori avviati dopo la domanda.")
    if cp is None:
        imp.contributo_pnrr = cp = ContributoPnrr()
    cp.data_domanda = c.d
    if c.f.riferimento and not cp.codice_progetto_gse:
        cp.codice_progetto_gse = _testo(c.f.riferimento)
    return f"{c.ogg.percorso}.contributo_pnrr", f"Domanda di contributo PNRR per l'impianto {c.ogg.nome}"


def _cp_con_domanda(c: _Ctx) -> ContributoPnrr:
    cp = c.imp.contributo_pnrr
    if cp is None or cp.data_domanda is None:
        _rifiuta(f"La domanda di contributo PNRR per {c.ogg.nome} non risulta presentata: registra prima la domanda "
                 "(fatto «domanda_pnrr»).")
    return cp


def _concessione_pnrr(c: _Ctx) -> tuple[str, str]:
    cp = _cp_con_domanda(c)
    if cp.data_concessione is not None:
        _rifiuta(f"Il contributo PNRR per {c.ogg.nome} risulta già concesso {con_data('il', cp.data_concessione)}.")
    if c.d < cp.data_domanda:
        _rifiuta(f"La concessione ({_dl(c.d)}) non può precedere la domanda ({_dl(cp.data_domanda)}).")
    cp.data_concessione = c.d
    return f"{c.ogg.percorso}.contributo_pnrr", f"Concessione del contributo PNRR per l'impianto {c.ogg.nome}"


def _avvio_lavori(c: _Ctx) -> tuple[str, str]:
    imp = c.imp
    cp = imp.contributo_pnrr
    avvio, _ = data_lavori(c.p, c.ogg.ci, c.ogg.ii, dt.date.max)
    if avvio is not None:
        _rifiuta(f"I lavori di {c.ogg.nome} risultano già avviati {con_data('il', avvio)}.")
    if imp.data_entrata_esercizio is not None and imp.data_entrata_esercizio < c.d:
        _rifiuta(f"L'impianto {c.ogg.nome} è in esercizio {con_data('dal', imp.data_entrata_esercizio)}: i lavori non possono "
                 "iniziare dopo.")
    if cp is not None:
        if cp.data_domanda is None or c.d <= cp.data_domanda:
            dopo = f" ({_dl(cp.data_domanda)})" if cp.data_domanda else " (non ancora presentata)"
            _rifiuta(f"L'impianto {c.ogg.nome} ha un contributo PNRR: i lavori devono iniziare dopo la domanda di "
                     f"contributo{dopo}, altrimenti il contributo non spetta. Se i lavori sono davvero iniziati "
                     f"{con_data('il', c.d)}, togli il contributo PNRR dalla pratica.")
        cp.data_avvio_lavori = c.d
        n = _valore("pnrr_comunicazione_avvio_lavori_giorni", c.d)
        if n is not None:
            t = termine_giorni(c.d, n, REGIME_GSE)
            c.avvisi.append(f"Comunica l'avvio dei lavori al GSE entro {con_data('il', t.data)} ({n} giorni).")
        return f"{c.ogg.percorso}.contributo_pnrr", f"Avvio dei lavori dell'impianto {c.ogg.nome}"
    return c.ogg.percorso, f"Avvio dei lavori dell'impianto {c.ogg.nome}"


def _fine_lavori(c: _Ctx) -> tuple[str, str]:
    imp = c.imp
    cp = imp.contributo_pnrr
    avvio, fine = data_lavori(c.p, c.ogg.ci, c.ogg.ii, dt.date.max)
    if fine is not None:
        _rifiuta(f"I lavori di {c.ogg.nome} risultano già conclusi {con_data('il', fine)}.")
    if avvio is None:
        _rifiuta(f"L'avvio dei lavori di {c.ogg.nome} non risulta registrato: registra prima l'avvio (fatto "
                 "«avvio_lavori»).")
    if c.d < avvio:
        _rifiuta(f"La fine dei lavori ({_dl(c.d)}) non può precedere l'avvio ({_dl(avvio)}).")
    if cp is not None and cp.data_avvio_lavori is not None:
        cp.data_fine_lavori = c.d
        regola = _valore("pnrr_termini_realizzazione", c.al)
        if regola and regola.get("fine_lavori_entro") and c.d > regola["fine_lavori_entro"]:
            c.avvisi.append(f"Lavori conclusi dopo {con_data('il', regola['fine_lavori_entro'])}: per le regole in vigore il "
                            "contributo PNRR rischia la revoca.")
        return f"{c.ogg.percorso}.contributo_pnrr", f"Fine dei lavori dell'impianto {c.ogg.nome}"
    return c.ogg.percorso, f"Fine dei lavori dell'impianto {c.ogg.nome}"


def _comunicazione_avvio_lavori(c: _Ctx) -> tuple[str, str]:
    avvio, _ = data_lavori(c.p, c.ogg.ci, c.ogg.ii, c.d)
    if avvio is None:
        _rifiuta(f"L'avvio dei lavori di {c.ogg.nome} non risulta registrato entro {con_data('il', c.d)}: registra prima "
                 "l'avvio (fatto «avvio_lavori»).")
    for ev in c.p.eventi_validi():
        o = individua(c.p, ev.oggetto)
        if canonico(ev.tipo) in COMUNICAZIONI_AVVIO_LAVORI and ev.data >= avvio and o is not None and o.contiene(c.ogg):
            _rifiuta(f"L'avvio dei lavori di {c.ogg.nome} risulta già comunicato al GSE {con_data('il', ev.data)}.")
    return c.ogg.percorso, f"Comunicazione al GSE dell'avvio dei lavori dell'impianto {c.ogg.nome}"


def _comunicazione_variazione(c: _Ctx) -> tuple[str, str]:
    p = c.p
    conf = p.configurazioni[c.ogg.ci]
    invio = conf.richiesta_accesso.data_invio
    variazioni: list[dt.date] = []
    if invio is not None and invio <= c.d:
        for ii, imp in enumerate(conf.impianti):
            d = imp.data_entrata_esercizio
            if d and invio < d <= c.d and c.ogg.contiene(oggetto_impianto(p, c.ogg.ci, ii)):
                variazioni.append(d)
        for pi, pc in enumerate(conf.punti_connessione):
            percorso = f"configurazioni[{c.ogg.ci}].punti_connessione[{pi}]"
            if not (c.ogg.percorso == percorso or percorso.startswith(c.ogg.percorso + ".")):
                continue
            variazioni += [d for d in (pc.data_ingresso, pc.data_uscita) if d and invio < d <= c.d]
    if not variazioni:
        _rifiuta(f"Per {c.ogg.nome} non risulta nessuna variazione da comunicare al GSE fino {con_data('al', c.d)}: si "
                 "comunicano gli ingressi e le uscite di POD e impianti avvenuti dopo la richiesta di accesso. "
                 "Registra prima la variazione (es. «pod_aggiunto»).")
    return c.ogg.percorso, f"Comunicazione al GSE della variazione di {c.ogg.nome}"


_APPLICA: dict[str, Callable[[_Ctx], tuple[str, str]]] = {
    "atto_firmato": _atto_firmato,
    "atto_registrato": _atto_registrato,
    "richiesta_inviata": _richiesta_inviata,
    "richiesta_accolta": _esito("accolta"),
    "richiesta_respinta": _esito("respinta"),
    "entrata_esercizio": _entrata_esercizio,
    "pod_aggiunto": _pod_aggiunto,
    "pod_rimosso": _pod_rimosso,
    "mandato_firmato": _mandato_firmato,
    "mandato_revocato": _mandato_revocato,
    "domanda_pnrr": _domanda_pnrr,
    "concessione_pnrr": _concessione_pnrr,
    "avvio_lavori": _avvio_lavori,
    "fine_lavori": _fine_lavori,
    "comunicazione_avvio_lavori": _comunicazione_avvio_lavori,
    "comunicazione_variazione": _comunicazione_variazione,
}
assert set(_APPLICA) == set(TIPI_FATTO)


def tipo_fatto(tipo: str) -> TipoFatto:
    t = TIPI_FATTO.get(canonico(tipo))
    if t is None:
        raise TipoFattoSconosciuto(
            f"Tipo di fatto «{tipo}» sconosciuto. Tipi ammessi: " + ", ".join(TIPI_FATTO)
            + " (sono accettati anche i nomi " + ", ".join(f"{a} = {b}" for a, b in ALIAS.items()) + ").")
    return t


def record_fatto(pratica: Pratica, fatto: Fatto, al: dt.date) -> FattoRegistrato:
    """Registra ``fatto`` sulla pratica alla data ``al`` (oggi, per chi registra): copia aggiornata ed evento."""
    if not isinstance(al, dt.date) or not isinstance(fatto.data, dt.date):
        raise TypeError("la data del fatto e la data 'al' sono obbligatorie")
    tipo = tipo_fatto(fatto.tipo)
    if fatto.data > al:
        _rifiuta(f"La data del fatto ({_dl(fatto.data)}) è successiva {con_data('al', al)}: si registrano solo fatti già "
                 "avvenuti. Controlla la data.")
    p = pratica.model_copy(deep=True)
    ogg = _oggetto(p, tipo, fatto.oggetto)
    ctx = _Ctx(p=p, f=fatto, al=al, ogg=ogg, avvisi=[])
    try:
        percorso, descrizione = _APPLICA[tipo.codice](ctx)
    except (TermineFuoriCalendario, OverflowError):
        _rifiuta(f"La data {_dl(fatto.data)} porta i termini fuori dal calendario: controlla la data.")
    evento = Evento(data=fatto.data, tipo=tipo.codice, descrizione=descrizione,
                    riferimento=_testo(fatto.riferimento), autore=_testo(fatto.autore), oggetto=percorso,
                    nota=_testo(fatto.nota))
    p.eventi.append(evento)
    p.pratica.stato = stato_pratica(p, al)
    p.pratica.aggiornata_il = al
    return FattoRegistrato(pratica=p, evento=evento, avvisi=tuple(ctx.avvisi))

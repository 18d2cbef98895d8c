"""Genera in memoria una pratica CER realistica e valida, grande a piacere.

Serve ai benchmark (importazione, verifica, documenti) e ai test sulle grandi pratiche::

    from bench.genera_pratica import genera_pratica
    p = genera_pratica(10_000)            # 10.000 membri, sempre la stessa con lo stesso seed

Forma della pratica: una comunità (associazione non riconosciuta, costituita), un Comune
che partecipa con l'impianto sul municipio, alcune PMI (ATECO non esclusi) di cui qualcuna
con un impianto, il resto persone fisiche consumatrici; una sola configurazione CER con
tutti i POD (``IT001E`` + 8 cifre) sotto la stessa cabina primaria. Codici fiscali delle
persone calcolati con l'algoritmo ufficiale (omocodie escluse), partite IVA con cifra di
controllo corretta. Nomi, indirizzi e codici sono inventati.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from cer_docs.model import Pratica, parse_data

__all__ = ["genera_pratica", "codice_fiscale_persona", "partita_iva"]

# --------------------------------------------------------------------------- codici

_MESI = "ABCDEHLMPRST"
_DISPARI = dict(zip("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                    [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3,
                     6, 8, 12, 14, 16, 10, 22, 25, 24, 23]))
_PARI = {c: (int(c) if c.isdigit() else ord(c) - ord("A")) for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
_VOCALI = set("AEIOU")


def _lettere(testo: str) -> tuple[list[str], list[str]]:
    s = [c for c in testo.upper() if "A" <= c <= "Z"]
    return [c for c in s if c not in _VOCALI], [c for c in s if c in _VOCALI]


def _parte_cognome(cognome: str) -> str:
    cons, voc = _lettere(cognome)
    return ("".join(cons + voc) + "XXX")[:3]


def _parte_nome(nome: str) -> str:
    cons, voc = _lettere(nome)
    if len(cons) >= 4:
        return cons[0] + cons[2] + cons[3]
    return ("".join(cons + voc) + "XXX")[:3]


def codice_fiscale_persona(nome: str, cognome: str, sesso: str, nato_il: dt.date, codice_catastale: str) -> str:
    """Codice fiscale di una persona fisica (DM 23/12/1976), senza omocodia."""
    giorno = nato_il.day + (40 if sesso == "F" else 0)
    base = (_parte_cognome(cognome) + _parte_nome(nome) + f"{nato_il.year % 100:02d}" + _MESI[nato_il.month - 1]
            + f"{giorno:02d}" + codice_catastale.upper())
    somma = sum(_DISPARI[c] if i % 2 == 0 else _PARI[c] for i, c in enumerate(base))
    return base + chr(ord("A") + somma % 26)


def partita_iva(progressivo: int, ufficio: str = "048") -> str:
    """Partita IVA (o codice fiscale numerico) con cifra di controllo di Luhn e codice ufficio valido."""
    corpo = f"{progressivo % 9_999_999 + 1:07d}{ufficio}"  # 0000000 non è una matricola valida
    somma = 0
    for i, c in enumerate(corpo):
        d = int(c)
        if i % 2 == 1:
            d *= 2
            d = d - 9 if d > 9 else d
        somma += d
    return corpo + str((10 - somma % 10) % 10)


# --------------------------------------------------------------------------- dati di contorno

_NOMI_M = ["Marco", "Luca", "Giuseppe", "Francesco", "Andrea", "Alessandro", "Matteo", "Lorenzo", "Paolo", "Stefano",
           "Giovanni", "Roberto", "Davide", "Simone", "Federico", "Riccardo", "Antonio", "Fabio", "Claudio", "Enrico",
           "Massimo", "Daniele", "Gabriele", "Tommaso", "Nicola", "Pietro", "Alberto", "Filippo", "Michele", "Sergio"]
_NOMI_F = ["Giulia", "Francesca", "Chiara", "Sara", "Laura", "Valentina", "Elena", "Martina", "Anna", "Silvia",
           "Alessandra", "Federica", "Paola", "Elisa", "Roberta", "Marta", "Giovanna", "Serena", "Cristina", "Ilaria",
           "Beatrice", "Caterina", "Simona", "Barbara", "Monica", "Lucia", "Teresa", "Irene", "Agnese", "Veronica"]
_COGNOMI = ["Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco",
            "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa", "Giordano", "Rizzo", "Lombardi", "Moretti",
            "Barbieri", "Fontana", "Santoro", "Mariani", "Rinaldi", "Caruso", "Ferrara", "Galli", "Martini", "Leone",
            "Longo", "Gentile", "Martinelli", "Vitale", "Lombardo", "Serra", "Coppola", "De Santis", "D'Angelo",
            "Marchetti", "Parisi", "Villa", "Conte", "Ferraro", "Ferri", "Fabbri", "Bianco", "Marini", "Grasso",
            "Valentini", "Messina", "Sala", "De Angelis", "Gatti", "Pellegrini", "Palumbo", "Sanna", "Farina",
            "Rizzi", "Monti", "Cattaneo", "Morelli", "Amato", "Silvestri", "Mazza", "Testa", "Grassi", "Pellegrino",
            "Carbone", "Giuliani", "Benedetti", "Barone", "Rossetti", "Caputo", "Montanari", "Guerra", "Palmieri",
            "Bernardi", "Martino", "Fiore", "De Rosa", "Ferretti", "Bellini", "Basile", "Riva", "Donati", "Piras",
            "Vitali", "Battaglia", "Sartori", "Neri", "Costantini", "Milani", "Pagano", "Ruggiero", "Sorrentino",
            "D'Amico", "Orlando", "Damico", "Negri"]
# luoghi di nascita: (comune, codice catastale)
_LUOGHI_NASCITA = [("Empoli", "D403"), ("Firenze", "D612"), ("Prato", "G999"), ("Pisa", "G702"), ("Livorno", "E625"),
                   ("Siena", "I726"), ("Lucca", "E715"), ("Pistoia", "G713"), ("Roma", "H501"), ("Napoli", "F839"),
                   ("Milano", "F205"), ("Bologna", "A944")]
_VIE = ["Via Roma", "Via Garibaldi", "Via Mazzini", "Via Cavour", "Via Dante Alighieri", "Via Verdi", "Via Puccini",
        "Via dei Cappuccini", "Via Tosco Romagnola", "Via Ridolfi", "Via XX Settembre", "Via Leonardo da Vinci",
        "Viale Petrarca", "Via Boccaccio", "Via della Repubblica", "Via Carrucci", "Via Chiarugi", "Via Masini",
        "Piazza della Vittoria", "Via Livornese"]
# ATECO 2025 di PMI che possono essere membri (nessuno dei 35.11/35.12/35.15 esclusi)
_ATTIVITA = [
    ("10.71.10", "Panificio {c}", "S.n.c."), ("56.11.10", "Ristorante {c}", "S.r.l."),
    ("47.73.10", "Farmacia {c}", "S.a.s."), ("25.62.00", "Officina Meccanica {c}", "S.r.l."),
    ("43.21.01", "{c} Impianti Elettrici", "S.r.l."), ("55.10.00", "Albergo {c}", "S.r.l."),
    ("01.21.00", "Azienda Agricola {c}", "S.s."), ("96.21.00", "Acconciature {c}", "S.n.c."),
    ("71.12.10", "Studio Tecnico {c}", "S.t.p. S.r.l."), ("14.13.10", "Confezioni {c}", "S.r.l."),
    ("23.41.00", "Ceramiche {c}", "S.r.l."), ("16.23.10", "Falegnameria {c}", "S.n.c."),
]

COMUNE = {"comune": "Empoli", "provincia": "FI", "cap": "50053", "regione": "Toscana"}
POPOLAZIONE = 48_600
CABINA_PRIMARIA = "AC001E01234"


# --------------------------------------------------------------------------- generatore

def genera_pratica(n_membri: int, seed: int = 1) -> Pratica:
    """Una pratica CER valida con ``n_membri`` membri (almeno 3), deterministica per ``seed``."""
    if n_membri < 3:
        raise ValueError("servono almeno 3 membri (il Comune, un'impresa e una persona)")
    rng = random.Random(seed)
    costituzione = dt.date(2025, 10, 20)
    soggetti: list[dict] = []
    membri: list[dict] = []
    punti: list[dict] = []
    impianti: list[dict] = []
    pod_usati: set[int] = set()
    cf_usati: set[str] = set()

    def nuovo_pod() -> str:
        while True:
            n = rng.randrange(10**7, 10**8)
            if n not in pod_usati:
                pod_usati.add(n)
                return f"IT001E{n:08d}"

    def indirizzo() -> dict:
        return {"indirizzo": f"{rng.choice(_VIE)} {rng.randint(1, 180)}", "cap": COMUNE["cap"],
                "comune": COMUNE["comune"], "provincia": COMUNE["provincia"]}

    def persona(sid: str | None = None, *, adulta_dal: int = 1940) -> dict:
        while True:
            sesso = "F" if rng.random() < 0.5 else "M"
            nome = rng.choice(_NOMI_F if sesso == "F" else _NOMI_M)
            cognome = rng.choice(_COGNOMI)
            nato_il = dt.date(rng.randint(adulta_dal, 2004), rng.randint(1, 12), rng.randint(1, 28))
            luogo, catastale = rng.choice(_LUOGHI_NASCITA)
            cf = codice_fiscale_persona(nome, cognome, sesso, nato_il, catastale)
            if cf not in cf_usati:
                cf_usati.add(cf)
                break
        return {"id": sid, "tipo": "persona_fisica", "nome": nome, "cognome": cognome, "codice_fiscale": cf,
                "nato_a": luogo, "nato_il": nato_il.isoformat()}

    def adesione() -> str:
        return (costituzione + dt.timedelta(days=rng.randint(0, 330))).isoformat()

    def punto(sid: str, uso: str, ind: dict) -> str:
        pod = nuovo_pod()
        punti.append({"pod": pod, "cabina_primaria": CABINA_PRIMARIA, "soggetto": sid, "uso": uso,
                      "indirizzo": f"{ind['indirizzo']}, {ind['comune']}"})
        return pod

    def impianto(iid: str, nome: str, kw: str, pod: str, produttore: str) -> None:
        impianti.append({
            "id": iid, "denominazione": nome, "fonte": "fotovoltaico", "potenza_kw": kw, "pod": pod,
            "produttore": produttore, "intervento": "nuova_costruzione",
            "data_entrata_esercizio_prevista": (costituzione + dt.timedelta(days=rng.randint(200, 500))).isoformat(),
            "ubicazione": {"comune": COMUNE["comune"], "provincia": COMUNE["provincia"], "popolazione": POPOLAZIONE,
                           "popolazione_fonte": "ISTAT, popolazione residente al 2025-01-01 (dato di prova)"},
            "potenza_obbligo_kw": 0, "altri_incentivi": [],
        })

    # il Comune, prosumer con l'impianto sul municipio
    sede_comune = {"indirizzo": "Via Giuseppe del Papa 41", **{k: COMUNE[k] for k in ("cap", "comune", "provincia")}}
    sindaco = persona(None, adulta_dal=1955)
    soggetti.append({"id": "comune", "tipo": "ente_territoriale", "denominazione": f"Comune di {COMUNE['comune']}",
                     "codice_fiscale": partita_iva(100_000 + seed % 1000, "048"), "sede": sede_comune,
                     "pec": "comune.empoli@postacert.example.it",
                     "rappresentante": {"nome": sindaco["nome"], "cognome": sindaco["cognome"],
                                        "codice_fiscale": sindaco["codice_fiscale"], "carica": "Sindaco pro tempore"}})
    membri.append({"soggetto": "comune", "ruolo": "prosumer", "data_adesione": costituzione.isoformat()})
    impianto("fv-municipio", "Fotovoltaico sul tetto del municipio", "180.0",
             punto("comune", "Municipio", sede_comune), "comune")

    # PMI: circa il 3 % dei membri (almeno una); una ogni quattro, fino a quattro, ha un impianto
    n_imprese = max(1, min(n_membri - 2, round(n_membri * 0.03)))
    n_impianti_pmi = min(4, max(1, n_imprese // 4))
    for i in range(n_imprese):
        sid = f"impresa-{i + 1:04d}"
        ateco, modello, forma = _ATTIVITA[i % len(_ATTIVITA)]
        cognome = rng.choice(_COGNOMI)
        piva = partita_iva(2_000_000 + i * 7 + seed * 100_003)
        sede = indirizzo()
        legale = persona(None, adulta_dal=1950)
        soggetti.append({
            "id": sid, "tipo": "impresa", "dimensione": rng.choice(["micro", "micro", "piccola", "media"]),
            "denominazione": f"{modello.format(c=cognome)} {forma}", "codice_fiscale": piva, "partita_iva": piva,
            "codice_ateco": ateco, "classificazione_ateco": 2025, "partecipazione_enti_territoriali_pct": 0,
            "sede": sede, "pec": f"{sid}@pec.example.it",
            "rappresentante": {"nome": legale["nome"], "cognome": legale["cognome"],
                               "codice_fiscale": legale["codice_fiscale"], "carica": "Legale rappresentante"},
        })
        produce = i < n_impianti_pmi
        membri.append({"soggetto": sid, "ruolo": "prosumer" if produce else "consumatore", "data_adesione": adesione()})
        pod = punto(sid, "Sede dell'attività", sede)
        if produce:
            impianto(f"fv-{sid}", f"Fotovoltaico sulla copertura di {soggetti[-1]['denominazione']}",
                     rng.choice(["60.0", "99.0", "200.0", "450.0"]), pod, sid)

    # persone fisiche: tutte consumatrici, tranne qualche prosumer con il fotovoltaico di casa
    n_persone = n_membri - 1 - n_imprese
    n_domestici = min(3, max(1, n_persone // 1000))
    for i in range(n_persone):
        sid = f"persona-{i + 1:05d}"
        p = persona(sid)
        p["residenza"] = indirizzo()
        if rng.random() < 0.3:
            p["email"] = f"{sid}@example.it"
        soggetti.append(p)
        produce = i < n_domestici
        membri.append({"soggetto": sid, "ruolo": "prosumer" if produce else "consumatore",
                       "data_adesione": costituzione.isoformat() if i < 3 else adesione()})
        pod = punto(sid, "Abitazione", p["residenza"])
        if produce:
            impianto(f"fv-{sid}", f"Fotovoltaico residenziale {p['nome']} {p['cognome']}", "6.0", pod, sid)

    persone = [s["id"] for s in soggetti if s["tipo"] == "persona_fisica"]
    presidente = persone[0]
    dati = {
        "formato": "cer-docs/pratica@1",
        "pratica": {"id": f"cer-prova-{n_membri}-{seed}", "stato": "costituita", "aggiornata_il": "2026-11-20"},
        "comunita": {
            "denominazione": f"Comunità Energetica Rinnovabile {COMUNE['comune']} Sole Comune",
            "sigla": f"CER {COMUNE['comune']}",
            "forma_giuridica": "associazione_non_riconosciuta",
            "sede": {**sede_comune, "regione": COMUNE["regione"]},
            "codice_fiscale": partita_iva(9_400_000 + seed % 10_000, "048"),
            "pec": "cer.empoli@pec.example.it",
            "atto_costitutivo": {"forma": "scrittura_privata_registrata", "luogo": COMUNE["comune"],
                                 "data_prevista": costituzione.isoformat(), "data": costituzione.isoformat(),
                                 "registrazione": {"data": (costituzione + dt.timedelta(days=8)).isoformat(),
                                                   "ufficio": "Empoli", "numero": "4321 serie 3"}},
            "durata": "illimitata",
            "esercizio_sociale": "anno_solare",
            "quota_associativa_euro": Decimal("10.00"),
            "fondatori": ["comune", "impresa-0001", *persone[:3]],
            "organi": {"presidente": presidente, "consiglio_direttivo": [presidente, "comune", persone[1]],
                       "revisore": None},
            "soggetto_delegato_riparto": "comunita",
            "riparto_benefici": {"spese_gestione": 10, "produttori": 40, "consumatori": 40, "fondo_sociale": 10},
            "destinazione_eccedenza": ["consumatori_non_imprese", "finalita_sociali"],
            "recesso": {"preavviso_mesi": 3, "efficacia": "fine_esercizio"},
        },
        "soggetti": soggetti,
        "membri": membri,
        "produttori_terzi": [],
        "configurazioni": [{
            "id": "conf-1", "tipo": "CER", "denominazione": f"Configurazione {COMUNE['comune']}",
            "cabina_primaria": CABINA_PRIMARIA,
            "referente": {"qualifica": "comunita", "soggetto": None, "mandato": {"data_firma": None}},
            "richiesta_accesso": {"data_invio": None, "esito": None, "data_esito": None},
            "punti_connessione": punti,
            "impianti": impianti,
        }],
        "eventi": [],
    }
    return parse_data(dati, f"genera_pratica({n_membri}, seed={seed})")

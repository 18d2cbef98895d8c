"""Diritti dell'interessato: l'esportazione contiene tutto (due pratiche e una campagna, allegati
compresi); la cancellazione non lascia traccia del codice fiscale nel file del database e rifiuta,
con motivo e data, ciò che un obbligo di conservazione copre ancora."""

from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path

import pytest

from cer_docs.campagne.file import carica_campagna
from cer_docs.model import load_pratica
from cer_docs.services import archivio, campagne, persona, pubblico, utenti
from cer_docs.services.accesso import AccessoNegato
from cer_docs.store import get_engine

ROOT = Path(__file__).resolve().parents[2]
CF = "RSSMRA75D12D612N"  # Mario Rossi, membro consumatore della pratica d'esempio
AL = dt.date(2026, 12, 2)
ORA = dt.datetime(2026, 9, 20, 10, 0, tzinfo=dt.timezone.utc)
ALLEGATO = b"%PDF-1.4 carta d'identita di Mario Rossi " + CF.encode() + b" fine"


def _pratica(codice: str, stato: str = "in_progetto", recesso: dt.date | None = None):
    p = load_pratica(ROOT / "samples" / "pratica-esempio.yaml")
    p.pratica = p.pratica.model_copy(update={"id": codice, "stato": stato})
    if recesso is not None:
        for m in p.membri:
            if m.soggetto == "rossi-mario":
                m.data_recesso = recesso
    return p


@pytest.fixture
def sqlite(tmp_path, monkeypatch) -> Path:
    file_db = tmp_path / "archivio.db"
    monkeypatch.setenv("CER_DOCS_DATABASE_URL", f"sqlite:///{file_db}")
    return file_db


def _semina():
    archivio.importa_pratica(_pratica("cer-prima"), autore="ufficio")
    archivio.importa_pratica(_pratica("cer-seconda"), autore="ufficio")
    fc = carica_campagna(ROOT / "samples" / "campagne" / "avviso-san-godenzo.yaml")
    campagne.crea_campagna(fc.campagna.model_copy(update={"stato": "aperta", "codice": "mi-aperta", "scadenza": None}))
    dati = {"tipo": "persona_fisica", "nome": "Mario", "cognome": "Rossi", "nato_il": "1975-04-12",
            "codice_fiscale": CF,
            "indirizzo": {"indirizzo": "Via del Castagno 3", "cap": "50060", "comune": "San Godenzo", "provincia": "FI"},
            "ruolo": "consumatore", "pod": [{"pod": "IT001E00223399", "cabina_primaria": "AC001E00934"}],
            "consumo_annuo_kwh": 2700, "consenso_privacy": True}
    return pubblico.invia_candidatura("mi-aperta", dati, [("identita.pdf", ALLEGATO)], "prova", ORA)


def _byte_del_database(file_db: Path) -> bytes:
    return b"".join(p.read_bytes() for p in file_db.parent.glob(file_db.name + "*"))


def test_esportazione_contiene_tutto(sqlite):
    ricevuta = _semina()
    e = persona.esporta_persona(CF.lower())
    assert [p["pratica"] for p in e["pratiche"]] == ["cer-prima", "cer-seconda"]
    for p in e["pratiche"]:
        dove = {d["dove"] for d in p["dati"]}
        assert {"soggetti[1]", "membri[1]", "configurazioni[0].punti_connessione[1]"} <= dove
        soggetto = next(d["contenuto"] for d in p["dati"] if d["dove"] == "soggetti[1]")
        assert soggetto["email"] == "mario.rossi@example.it" and soggetto["codice_fiscale"] == CF
    [c] = e["candidature"]
    assert c["protocollo"] == ricevuta.protocollo and c["dati"]["codice_fiscale"] == CF
    assert base64.b64decode(c["allegati"][0]["contenuto_base64"]) == ALLEGATO
    # una persona che non c'è non tira fuori nulla di altri
    vuota = persona.esporta_persona("VRDLGU80A01H501U")
    assert vuota["pratiche"] == [] and vuota["candidature"] == []
    # il PDF leggibile
    pdf = persona.pdf_persona(e)
    assert pdf.startswith(b"%PDF") and len(pdf) > 2000
    # l'esportazione è nel registro, senza il codice fiscale
    ev = archivio.eventi("cer-prima")[-1]
    assert ev.tipo == "esportazione_dati_personali" and CF not in str(ev.dettagli) + ev.descrizione


def test_cancellazione_non_lascia_traccia_nel_file(sqlite):
    _semina()
    assert CF.encode() in _byte_del_database(sqlite)
    esito = persona.cancella_persona(CF, AL)
    assert esito.pratiche == ["cer-prima", "cer-seconda"] and len(esito.candidature) == 1 and esito.rifiuti == []
    grezzo = _byte_del_database(sqlite)
    assert CF.encode() not in grezzo and CF.lower().encode() not in grezzo
    assert b"mario.rossi@example.it" not in grezzo and b"carta d'identita di Mario Rossi" not in grezzo
    # le pratiche restano valide, senza la persona; gli altri membri ci sono ancora
    p = archivio.apri("cer-prima").pratica
    assert "rossi-mario" not in {s.id for s in p.soggetti} and len(p.membri) == 5
    assert persona.esporta_persona(CF)["pratiche"] == []


def test_la_conservazione_legale_rifiuta_con_motivo_e_data(sqlite):
    archivio.importa_pratica(_pratica("cer-costituita", stato="costituita"), autore="ufficio")
    archivio.importa_pratica(_pratica("cer-uscito", stato="operativa", recesso=dt.date(2022, 3, 1)), autore="ufficio")
    archivio.importa_pratica(_pratica("cer-uscito-da-tempo", stato="operativa", recesso=dt.date(2014, 6, 30)),
                             autore="ufficio")
    esito = persona.cancella_persona(CF, AL)
    assert esito.pratiche == ["cer-uscito-da-tempo"]  # dieci anni dal recesso sono passati
    rifiuti = {r.dove: r for r in esito.rifiuti}
    assert rifiuti["cer-costituita"].possibile_dal is None and "finché è membro" in rifiuti["cer-costituita"].motivo
    assert rifiuti["cer-uscito"].possibile_dal == dt.date(2032, 3, 1)
    assert "art. 2220" in rifiuti["cer-uscito"].motivo
    assert "rossi-mario" in {s.id for s in archivio.apri("cer-costituita").pratica.soggetti}


def test_beneficiario_pnrr_rifiutato(sqlite):
    # Mario Rossi sostiene la spesa dell'impianto con contributo PNRR (fv-cantina)
    p = _pratica("cer-pnrr")
    imp = next(i for c in p.configurazioni for i in c.impianti if i.id == "fv-cantina")
    imp.contributo_pnrr.beneficiario = "rossi-mario"
    archivio.importa_pratica(p, autore="ufficio")
    esito = persona.cancella_persona(CF, AL)
    [r] = esito.rifiuti
    assert esito.pratiche == [] and "contributo PNRR" in r.motivo and "fv-cantina" in r.motivo


def test_persona_ancora_necessaria_alla_pratica_rifiutata_con_il_motivo(sqlite):
    # Giulia Bianchi presiede la comunità e produce con il suo impianto: va prima tolta dalla pratica
    archivio.importa_pratica(_pratica("cer-giulia"), autore="ufficio")
    esito = persona.cancella_persona("BNCGLI82P43B036N", AL)
    [r] = esito.rifiuti
    assert esito.pratiche == [] and "produttore" in r.motivo and "procedura guidata" in r.motivo


def test_solo_chi_puo_esporta_e_cancella(sqlite):
    _semina()
    utenti.crea_utente("lia", "Lia Lettrice", "una password abbastanza lunga")
    utenti.condividi_pratica("cer-prima", "lia", "lettura")
    lia = utenti.attore_da_username("lia")
    e = persona.esporta_persona(CF, attore=lia)
    assert e["pratiche"] == [] and e["candidature"] == []
    with pytest.raises(AccessoNegato):
        persona.cancella_persona(CF, AL, attore=lia)
    assert CF in archivio.apri("cer-prima").pratica.model_dump_json()
    # il titolare di una pratica cancella solo lì, e non scopre dove altro è la persona
    utenti.condividi_pratica("cer-prima", "lia", "titolare")
    esito = persona.cancella_persona(CF, AL, attore=lia)
    assert esito.pratiche == ["cer-prima"] and esito.candidature == [] and esito.rifiuti == []
    assert CF in archivio.apri("cer-seconda").pratica.model_dump_json()
    assert [c["protocollo"] for c in persona.esporta_persona(CF)["candidature"]]


def test_candidature_escluse_cancellate_dopo_il_periodo(sqlite):
    ricevuta = _semina()
    [v] = campagne.candidature("mi-aperta")
    campagne.decidi(ricevuta.protocollo, "esclusa", "fuori ambito", "ufficio", v.versione)
    assert persona.purga_candidature_non_ammesse(AL) == []  # decisa oggi: resta
    assert persona.purga_candidature_non_ammesse(AL + dt.timedelta(days=400)) == [ricevuta.protocollo]
    assert campagne.candidature("mi-aperta") == []
    with get_engine().connect() as c:
        assert c.exec_driver_sql("SELECT count(*) FROM allegato_candidatura").scalar_one() == 0


def test_riga_di_comando(sqlite, tmp_path):
    from typer.testing import CliRunner

    from cer_docs import cli

    _semina()
    archivio.importa_pratica(_pratica("cer-costituita", stato="costituita"), autore="ufficio")
    cli._register_all()
    r = CliRunner().invoke(cli.app, ["persona", "esporta", CF, "--out", str(tmp_path / "out")])
    assert r.exit_code == 0, r.output
    assert "3 pratiche, 1 candidatura, 1 allegato" in r.stdout
    assert (tmp_path / "out" / f"dati-personali-{CF}.pdf").read_bytes().startswith(b"%PDF")
    [allegato] = (tmp_path / "out" / "allegati").rglob("identita.pdf")
    assert allegato.read_bytes() == ALLEGATO
    r = CliRunner().invoke(cli.app, ["persona", "cancella", CF, "--al", "2026-12-02"])
    assert r.exit_code == 3
    assert "Cancellati: 2 pratiche (cer-prima, cer-seconda), 1 candidatura." in r.stdout
    assert "Non cancellato in 'cer-costituita': è membro di una comunità costituita" in r.stdout

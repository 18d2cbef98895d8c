"""La coda dei lavori su un PostgreSQL vero, con esecutori in processi separati (``cer-docs
worker``): si dividono i lavori, ognuno eseguito una volta sola; un esecutore ucciso con SIGKILL a
metà lavoro lascia il lavoro a un altro, che lo rifà da capo dopo la scadenza dell'affitto."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from cer_docs.model import load_pratica
from cer_docs.services import archivio, lavori
from cer_docs.services import procedura as proc
from database_prova import database_vuoto

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

RADICE = Path(__file__).resolve().parents[2]
PROVA = Path(__file__).with_name("esecutore_prova.py")
AL = dt.date(2026, 12, 1)


@pytest.fixture
def pg(tmp_path, monkeypatch):
    with database_vuoto("postgresql", tmp_path) as url:
        monkeypatch.setenv("CER_DOCS_DATABASE_URL", url)
        yield url


def _pratiche(n: int) -> list[str]:
    ref = load_pratica(RADICE / "samples" / "pratica-esempio.yaml")
    codici = []
    for i in range(n):
        p = ref.model_copy(deep=True)
        p.pratica.id = f"cer-prova-{i:02d}"
        archivio.importa_pratica(p, autore="Anna")
        codici.append(p.pratica.id)
    return codici


class Esecutori:
    """Processi ``cer-docs worker`` avviati dal test; alla fine nessuno resta vivo."""

    def __init__(self, cartella: Path):
        self.cartella = cartella
        self.registro = cartella / "registro.txt"
        self.registro.touch()
        self.processi: list[subprocess.Popen] = []

    def avvia(self, nome: str, **extra_env: str) -> subprocess.Popen:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(RADICE), os.environ.get("PYTHONPATH", "")]),
               "PROVA_REGISTRO": str(self.registro), **extra_env}
        errori = open(self.cartella / f"{nome}.log", "w", encoding="utf-8")  # noqa: SIM115
        p = subprocess.Popen([sys.executable, str(PROVA), "worker", "--nome", nome, "--affitto", "2",
                              "--attesa", "0.2"], env=env, stdout=subprocess.DEVNULL, stderr=errori, cwd=RADICE)
        self.processi.append(p)
        self._attendi(lambda: "avviato" in self.log(nome) or p.poll() is not None, f"avvio di {nome}")
        assert p.poll() is None, self.log(nome)
        return p

    def log(self, nome: str) -> str:
        return (self.cartella / f"{nome}.log").read_text(encoding="utf-8")

    def righe(self) -> list[tuple[int, str]]:
        return [(int(a), b) for a, b in (r.split() for r in self.registro.read_text().splitlines())]

    @staticmethod
    def _attendi(condizione, cosa: str, secondi: float = 240) -> None:  # noqa: ANN001
        limite = time.monotonic() + secondi
        while not condizione():
            if time.monotonic() > limite:
                raise AssertionError(f"tempo scaduto: {cosa}")
            time.sleep(0.1)

    def ferma(self, p: subprocess.Popen) -> int:
        p.send_signal(signal.SIGTERM)
        return p.wait(120)

    def chiudi(self) -> None:
        for p in self.processi:
            if p.poll() is None:
                p.kill()
                p.wait(30)


@pytest.fixture
def esecutori(tmp_path):
    e = Esecutori(tmp_path)
    yield e
    e.chiudi()


def _tutti_finiti(ids: list[int]) -> bool:
    return not any(lavori.lavoro(i).attivo for i in ids)


def _generazioni(codice: str) -> list[Path]:
    base = proc.cartella_documenti(codice)
    return sorted(base.iterdir()) if base.is_dir() else []


def test_due_esecutori_si_dividono_venti_lavori_ognuno_eseguito_una_volta(pg, esecutori):
    codici = _pratiche(20)
    # una generazione dura più dell'affitto (2 secondi): il battito la tiene a chi l'ha presa
    lenta = {"PROVA_PAUSA_PRATICA": codici[3], "PROVA_PAUSA_SECONDI": "6"}
    a = esecutori.avvia("esecutore-a", **lenta)
    b = esecutori.avvia("esecutore-b", **lenta)
    ids = [lavori.accoda_generazione(c, ["statuto"], bozza=True, al=AL, formati=["docx"]).id for c in codici]
    esecutori._attendi(lambda: _tutti_finiti(ids), "fine dei 20 lavori")
    assert esecutori.ferma(a) == 0 and esecutori.ferma(b) == 0, "SIGTERM: si fermano puliti"

    finiti = [lavori.lavoro(i) for i in ids]
    assert [x.stato for x in finiti] == ["fatto"] * 20, [x.errore for x in finiti]
    assert all(x.tentativi == 1 for x in finiti), "nessun lavoro è stato ripreso: gli esecutori erano vivi"
    righe = esecutori.righe()
    assert Counter(c for _pid, c in righe) == Counter(codici), "ogni pratica generata una volta sola"
    assert {pid for pid, _c in righe} == {a.pid, b.pid}, "il lavoro è diviso tra i due esecutori"
    for c in codici:
        gen = proc.ultima_generazione(c)
        assert gen is not None and [f.documento for f in gen.file] == ["statuto"]
        assert len(_generazioni(c)) == 1
    assert "Esecutore esecutore-a fermato" in esecutori.log("esecutore-a")


def test_un_esecutore_ucciso_a_meta_lavoro_lo_lascia_a_un_altro(pg, esecutori, tmp_path):
    codici = _pratiche(3)
    bloccata = codici[1]
    segnale = tmp_path / "bloccato.pid"
    a = esecutori.avvia("esecutore-a", PROVA_BLOCCA_PRATICA=bloccata, PROVA_SEGNALE=str(segnale))
    b = esecutori.avvia("esecutore-b", PROVA_BLOCCA_PRATICA=bloccata, PROVA_SEGNALE=str(segnale))
    thread_a_riposo = {p.pid: len(os.listdir(f"/proc/{p.pid}/task")) for p in (a, b)}
    ids = {c: lavori.accoda_generazione(c, ["statuto", "regolamento"], bozza=True, al=AL, formati=["docx"]).id
           for c in codici}
    esecutori._attendi(segnale.exists, "un esecutore fermo a metà della pratica bloccata")
    pid = int(segnale.read_text())
    ucciso, vivo = (a, b) if pid == a.pid else (b, a)
    # l'esecutore non aggiunge thread durante il lavoro (il battito è un processo figlio): la resa PDF
    # in parallelo, che usa fork solo in un processo senza altri thread, non perde nulla per colpa sua
    assert len(os.listdir(f"/proc/{pid}/task")) == thread_a_riposo[pid]
    a_meta = lavori.lavoro(ids[bloccata])
    assert (a_meta.stato, a_meta.fatti, a_meta.totale) == ("in_corso", 1, 2)
    assert len(_generazioni(bloccata)) == 1, "il primo documento è già su disco, senza generazione.json"
    assert proc.ultima_generazione(bloccata) is None, "una generazione a metà non si vede"

    os.kill(ucciso.pid, signal.SIGKILL)
    ucciso.wait(30)
    esecutori._attendi(lambda: _tutti_finiti(list(ids.values())), "ripresa del lavoro dell'esecutore ucciso")
    assert esecutori.ferma(vivo) == 0

    ripreso = lavori.lavoro(ids[bloccata])
    assert ripreso.stato == "fatto" and ripreso.tentativi == 2
    assert all(lavori.lavoro(ids[c]).stato == "fatto" for c in codici)
    righe = esecutori.righe()
    assert Counter(c for _pid, c in righe) == Counter(codici), "ogni pratica completata una volta sola"
    assert (vivo.pid, bloccata) in righe
    gen = proc.ultima_generazione(bloccata)
    assert sorted(f.documento for f in gen.file) == ["regolamento", "statuto"]
    assert _generazioni(bloccata) == [Path(gen.cartella)], "la cartella a metà dell'esecutore ucciso è stata tolta"

"""Lo schema creato dalle migrazioni è quello dei modelli; SQLite ha le impostazioni giuste."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import Session

from cer_docs.store import PraticaRecord, get_engine, metadata, migrate
from cer_docs.store.engine import alembic_config, current_revisions, head_revisions


def test_schema_migrato_uguale_ai_modelli(engine):
    with engine.connect() as conn:
        mc = MigrationContext.configure(conn, opts={"compare_type": True, "render_as_batch": True})
        diff = compare_metadata(mc, metadata)
    assert diff == [], f"le migrazioni non corrispondono ai modelli: {diff}"


def test_database_alla_migrazione_piu_recente(engine):
    assert current_revisions(engine) == head_revisions()
    assert len(head_revisions()) == 1, "le migrazioni hanno più teste: unificale"


def test_migrate_ripetuto_non_cambia_nulla(engine, arch):
    arch.importa_file(Path(__file__).resolve().parents[2] / "samples" / "pratica-esempio.yaml", autore="Anna")
    migrate(engine)
    migrate(engine)
    assert [v.codice for v in arch.elenco_pratiche()] == ["cer-colline-sieve"]


def test_downgrade_e_upgrade(engine):
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    assert not {"pratica", "evento"} & set(sa.inspect(engine).get_table_names())
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    assert {"pratica", "evento"} <= set(sa.inspect(engine).get_table_names())


def test_vincoli_con_nome(engine):
    insp = sa.inspect(engine)
    assert insp.get_pk_constraint("pratica")["name"] in ("pk_pratica", None)  # SQLite non riporta il nome della PK
    assert [u["name"] for u in insp.get_unique_constraints("pratica")] == ["uq_pratica_codice"]
    fks = insp.get_foreign_keys("evento")
    assert [(f["name"], f["options"].get("ondelete")) for f in fks] == [("fk_evento_pratica_id_pratica", "CASCADE")]


def test_istanti_in_utc(engine):
    roma = dt.timezone(dt.timedelta(hours=1))
    with Session(engine) as s:
        row = PraticaRecord(codice="x", denominazione="X", stato="in_progetto", numero_membri=0, dati="{}",
                            created_at=dt.datetime(2026, 1, 1, 10, 0, tzinfo=roma),
                            updated_at=dt.datetime(2026, 1, 1, 10, 0, tzinfo=roma))
        s.add(row)
        s.commit()
        pk = row.id
    with Session(engine) as s:
        letto = s.get(PraticaRecord, pk)
        assert letto.created_at == dt.datetime(2026, 1, 1, 9, 0, tzinfo=dt.timezone.utc)
        assert letto.created_at.utcoffset() == dt.timedelta(0)


def test_sqlite_impostazioni(tmp_path, monkeypatch):
    """Una cartella dati nuova funziona subito: file creato, migrato, WAL, chiavi esterne, attesa sui lock."""
    cartella = tmp_path / "nuova" / "cartella"
    monkeypatch.setenv("CER_DOCS_DATA_DIR", str(cartella))
    engine = get_engine()
    assert (cartella / "cer-docs.db").is_file()
    with engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert c.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
    assert current_revisions(engine) == head_revisions()


def test_migrazioni_concorrenti(db_url):
    """Più processi che aprono insieme un database nuovo: uno migra, gli altri aspettano."""
    from concurrent.futures import ThreadPoolExecutor

    from cer_docs.store import create_store_engine

    engines = [create_store_engine(db_url) for _ in range(4)]
    try:
        with ThreadPoolExecutor(4) as ex:
            list(ex.map(migrate, engines))
        assert current_revisions(engines[0]) == head_revisions()
    finally:
        for e in engines:
            e.dispose()


def test_database_di_una_versione_futura(engine, db_url):
    """Un database migrato da un cer-docs più nuovo non si tocca: messaggio chiaro, nessun traceback."""
    from cer_docs.store import ErroreDatabase, dispose_engines, open_engine

    with engine.begin() as c:
        c.exec_driver_sql("UPDATE alembic_version SET version_num = 'ffff_futura'")
    dispose_engines()
    with pytest.raises(ErroreDatabase, match="versione di cer-docs più recente"):
        open_engine(db_url)

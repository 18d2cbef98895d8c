"""lavori: le generazioni di documenti in sottofondo, con stato, avanzamento e affitto

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 10:50:00

Una riga per lavoro (oggi: la generazione dei documenti di una pratica chiesta dall'interfaccia).
L'indice parziale ammette un solo lavoro in coda o in corso per pratica.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel  # noqa: F401


revision: str = "0007"
down_revision: Union[str, Sequence[str], None] = "0006"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_ATTIVO = sa.text("stato IN ('in_coda', 'in_corso')")


def upgrade() -> None:
    op.create_table(
        "lavoro",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pratica_id", sa.Integer(), nullable=False),
        sa.Column("codice", sa.String(length=120), nullable=False),
        sa.Column("tipo", sa.String(length=40), nullable=False),
        sa.Column("stato", sa.String(length=20), nullable=False),
        sa.Column("parametri", sa.JSON(), nullable=False),
        sa.Column("utente_id", sa.Integer(), nullable=True),
        sa.Column("autore", sa.String(), nullable=False),
        sa.Column("fatti", sa.Integer(), nullable=False),
        sa.Column("totale", sa.Integer(), nullable=False),
        sa.Column("descrizione", sa.String(), nullable=False),
        sa.Column("dettaglio_fatti", sa.Integer(), nullable=False),
        sa.Column("dettaglio_totale", sa.Integer(), nullable=False),
        sa.Column("dettaglio", sa.String(), nullable=False),
        sa.Column("annulla", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("tentativi", sa.Integer(), nullable=False),
        sa.Column("esecutore", sa.String(length=200), nullable=True),
        sa.Column("scade_il", sa.DateTime(timezone=True), nullable=True),
        sa.Column("creato_il", sa.DateTime(timezone=True), nullable=False),
        sa.Column("iniziato_il", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finito_il", sa.DateTime(timezone=True), nullable=True),
        sa.Column("errore", sa.Text(), nullable=True),
        sa.Column("risultato", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["pratica_id"], ["pratica.id"], name=op.f("fk_lavoro_pratica_id_pratica"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lavoro")),
    )
    with op.batch_alter_table("lavoro", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lavoro_pratica_id"), ["pratica_id"], unique=False)
        batch_op.create_index("ix_lavoro_stato_id", ["stato", "id"], unique=False)
        batch_op.create_index("uq_lavoro_attivo_pratica", ["pratica_id"], unique=True, sqlite_where=_ATTIVO,
                              postgresql_where=_ATTIVO)


def downgrade() -> None:
    with op.batch_alter_table("lavoro", schema=None) as batch_op:
        batch_op.drop_index("uq_lavoro_attivo_pratica")
        batch_op.drop_index("ix_lavoro_stato_id")
        batch_op.drop_index(batch_op.f("ix_lavoro_pratica_id"))
    op.drop_table("lavoro")

"""pratica ed evento: archivio delle pratiche come documenti, con registro delle modifiche

Revision ID: 0001
Revises:
Create Date: 2026-11-22 04:26:39

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel  # noqa: F401


# revision identifiers, used by Alembic.
revision: str = "0001"
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "pratica",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("codice", sa.String(length=120), nullable=False),
        sa.Column("denominazione", sa.String(), nullable=False),
        sa.Column("stato", sa.String(length=40), nullable=False),
        sa.Column("tipo_configurazione", sa.String(length=10), nullable=True),
        sa.Column("numero_membri", sa.Integer(), nullable=False),
        sa.Column("dati", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pratica")),
        sa.UniqueConstraint("codice", name=op.f("uq_pratica_codice")),
    )
    op.create_table(
        "evento",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pratica_id", sa.Integer(), nullable=True),
        sa.Column("codice", sa.String(length=120), nullable=False),
        sa.Column("quando", sa.DateTime(timezone=True), nullable=False),
        sa.Column("autore", sa.String(), nullable=False),
        sa.Column("tipo", sa.String(length=40), nullable=False),
        sa.Column("descrizione", sa.String(), nullable=False),
        sa.Column("dettagli", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["pratica_id"], ["pratica.id"], name=op.f("fk_evento_pratica_id_pratica"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evento")),
    )
    with op.batch_alter_table("evento", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evento_codice"), ["codice"], unique=False)
        batch_op.create_index(batch_op.f("ix_evento_pratica_id"), ["pratica_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("evento", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evento_pratica_id"))
        batch_op.drop_index(batch_op.f("ix_evento_codice"))
    op.drop_table("evento")
    op.drop_table("pratica")

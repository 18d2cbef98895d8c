"""documento_caricato: file caricati per una pratica (fatture del registro spese PNRR)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 04:47:42

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel  # noqa: F401


# revision identifiers, used by Alembic.
revision: str = "0002"
down_revision: Union[str, Sequence[str], None] = "0001"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "documento_caricato",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pratica_id", sa.Integer(), nullable=False),
        sa.Column("nome_file", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("tipo", sa.String(length=40), nullable=False),
        sa.Column("dimensione", sa.Integer(), nullable=False),
        sa.Column("contenuto", sa.LargeBinary(), nullable=False),
        sa.Column("caricato_il", sa.DateTime(timezone=True), nullable=False),
        sa.Column("autore", sa.String(), nullable=False),
        sa.Column("esito", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["pratica_id"], ["pratica.id"], name=op.f("fk_documento_caricato_pratica_id_pratica"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documento_caricato")),
        sa.UniqueConstraint("pratica_id", "sha256", name="uq_documento_caricato_pratica_sha256"),
    )
    with op.batch_alter_table("documento_caricato", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_documento_caricato_pratica_id"), ["pratica_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("documento_caricato", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_documento_caricato_pratica_id"))
    op.drop_table("documento_caricato")

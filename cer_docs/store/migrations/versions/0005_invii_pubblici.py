"""invii pubblici: limiti di frequenza e di spazio per campagna e identità del mittente

Revision ID: 0005
Revises: 0003
Create Date: 2026-12-02 07:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel  # noqa: F401


revision: str = "0005"
down_revision: Union[str, Sequence[str], None] = "0004"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "invio_pubblico",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campagna_id", sa.Integer(), nullable=False),
        sa.Column("candidatura_id", sa.Integer(), nullable=False),
        sa.Column("ricevuto_il", sa.DateTime(timezone=True), nullable=False),
        sa.Column("mittente", sa.String(length=64), nullable=False),
        sa.Column("impronta_cf", sa.String(length=64), nullable=False),
        sa.Column("impronta_email", sa.String(length=64), nullable=True),
        sa.Column("byte", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["campagna_id"], ["campagna.id"], name=op.f("fk_invio_pubblico_campagna_id_campagna"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["candidatura_id"], ["candidatura.id"],
                                name=op.f("fk_invio_pubblico_candidatura_id_candidatura"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invio_pubblico")),
    )
    with op.batch_alter_table("invio_pubblico", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_invio_pubblico_campagna_id"), ["campagna_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_invio_pubblico_candidatura_id"), ["candidatura_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_invio_pubblico_ricevuto_il"), ["ricevuto_il"], unique=False)
        batch_op.create_index(batch_op.f("ix_invio_pubblico_mittente"), ["mittente"], unique=False)
        batch_op.create_index(batch_op.f("ix_invio_pubblico_impronta_cf"), ["impronta_cf"], unique=False)
        batch_op.create_index(batch_op.f("ix_invio_pubblico_impronta_email"), ["impronta_email"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("invio_pubblico", schema=None) as batch_op:
        for col in ("impronta_email", "impronta_cf", "mittente", "ricevuto_il", "candidatura_id", "campagna_id"):
            batch_op.drop_index(batch_op.f(f"ix_invio_pubblico_{col}"))
    op.drop_table("invio_pubblico")

"""campagne: manifestazioni di interesse, candidature e loro allegati

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 05:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel  # noqa: F401


revision: str = "0003"
down_revision: Union[str, Sequence[str], None] = "0002"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "campagna",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("codice", sa.String(length=80), nullable=False),
        sa.Column("titolo", sa.String(), nullable=False),
        sa.Column("stato", sa.String(length=20), nullable=False),
        sa.Column("dati", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campagna")),
        sa.UniqueConstraint("codice", name=op.f("uq_campagna_codice")),
    )
    op.create_table(
        "candidatura",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campagna_id", sa.Integer(), nullable=False),
        sa.Column("protocollo", sa.String(length=40), nullable=False),
        sa.Column("ricevuta_il", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decisione", sa.String(length=20), nullable=False),
        sa.Column("mittente", sa.String(length=64), nullable=False),
        sa.Column("dati", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["campagna_id"], ["campagna.id"], name=op.f("fk_candidatura_campagna_id_campagna"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_candidatura")),
        sa.UniqueConstraint("protocollo", name=op.f("uq_candidatura_protocollo")),
    )
    with op.batch_alter_table("candidatura", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_candidatura_campagna_id"), ["campagna_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_candidatura_mittente"), ["mittente"], unique=False)
    op.create_table(
        "allegato_candidatura",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("candidatura_id", sa.Integer(), nullable=False),
        sa.Column("nome_file", sa.String(length=255), nullable=False),
        sa.Column("tipo", sa.String(length=40), nullable=False),
        sa.Column("dimensione", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("contenuto", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["candidatura_id"], ["candidatura.id"],
                                name=op.f("fk_allegato_candidatura_candidatura_id_candidatura"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_allegato_candidatura")),
    )
    with op.batch_alter_table("allegato_candidatura", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_allegato_candidatura_candidatura_id"), ["candidatura_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("allegato_candidatura", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_allegato_candidatura_candidatura_id"))
    op.drop_table("allegato_candidatura")
    with op.batch_alter_table("candidatura", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_candidatura_mittente"))
        batch_op.drop_index(batch_op.f("ix_candidatura_campagna_id"))
    op.drop_table("candidatura")
    op.drop_table("campagna")

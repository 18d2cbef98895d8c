"""versioni dei documenti: documento_caricato tiene anche le versioni di statuto, atto e regolamento

Revision ID: 0006
Revises: 0003
Create Date: 2026-12-02 07:15:00

Ogni versione di un documento della pratica (generata, caricata dopo le modifiche
dell'avvocato, unita dopo una rigenerazione) è una riga di ``documento_caricato`` con il
documento a cui appartiene, il numero di versione, l'origine, la versione da cui viene e
se è quella firmata.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel  # noqa: F401


revision: str = "0006"
down_revision: Union[str, Sequence[str], None] = "0005"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("documento_caricato", schema=None) as batch_op:
        batch_op.add_column(sa.Column("documento", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("versione", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("origine", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("base_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("firmato", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_index(batch_op.f("ix_documento_caricato_documento"), ["documento"], unique=False)
        batch_op.create_unique_constraint("uq_documento_caricato_pratica_documento_versione",
                                          ["pratica_id", "documento", "versione"])


def downgrade() -> None:
    with op.batch_alter_table("documento_caricato", schema=None) as batch_op:
        batch_op.drop_constraint("uq_documento_caricato_pratica_documento_versione", type_="unique")
        batch_op.drop_index(batch_op.f("ix_documento_caricato_documento"))
        batch_op.drop_column("firmato")
        batch_op.drop_column("base_id")
        batch_op.drop_column("origine")
        batch_op.drop_column("versione")
        batch_op.drop_column("documento")

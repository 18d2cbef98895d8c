"""accessi: utenti, sessioni, condivisioni per pratica e campagna, lapidi delle pratiche eliminate

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 07:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel  # noqa: F401


revision: str = "0004"
down_revision: Union[str, Sequence[str], None] = "0003"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "utente",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("nome", sa.String(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("password_hash", sa.String(), nullable=False),
        sa.Column("amministratore", sa.Boolean(), nullable=False),
        sa.Column("attivo", sa.Boolean(), nullable=False),
        sa.Column("deve_cambiare_password", sa.Boolean(), nullable=False),
        sa.Column("tentativi_falliti", sa.Integer(), nullable=False),
        sa.Column("bloccato_fino", sa.DateTime(timezone=True), nullable=True),
        sa.Column("password_il", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_utente")),
        sa.UniqueConstraint("username", name=op.f("uq_utente_username")),
    )
    op.create_table(
        "sessione",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("utente_id", sa.Integer(), nullable=False),
        sa.Column("creata_il", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ultimo_uso", sa.DateTime(timezone=True), nullable=False),
        sa.Column("scade_il", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["utente_id"], ["utente.id"], name=op.f("fk_sessione_utente_id_utente"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sessione")),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_sessione_token_sha256")),
    )
    with op.batch_alter_table("sessione", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sessione_utente_id"), ["utente_id"], unique=False)
    for tabella, padre in (("accesso_pratica", "pratica"), ("accesso_campagna", "campagna")):
        op.create_table(
            tabella,
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column(f"{padre}_id", sa.Integer(), nullable=False),
            sa.Column("utente_id", sa.Integer(), nullable=False),
            sa.Column("ruolo", sa.String(length=20), nullable=False),
            sa.Column("concesso_il", sa.DateTime(timezone=True), nullable=False),
            sa.Column("concesso_da", sa.String(), nullable=False),
            sa.ForeignKeyConstraint([f"{padre}_id"], [f"{padre}.id"], name=op.f(f"fk_{tabella}_{padre}_id_{padre}"),
                                    ondelete="CASCADE"),
            sa.ForeignKeyConstraint(["utente_id"], ["utente.id"], name=op.f(f"fk_{tabella}_utente_id_utente"),
                                    ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{tabella}")),
            sa.UniqueConstraint(f"{padre}_id", "utente_id", name=f"uq_{tabella}_{padre}_utente"),
        )
        with op.batch_alter_table(tabella, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f"ix_{tabella}_{padre}_id"), [f"{padre}_id"], unique=False)
            batch_op.create_index(batch_op.f(f"ix_{tabella}_utente_id"), ["utente_id"], unique=False)
    op.create_table(
        "pratica_eliminata",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("codice", sa.String(length=120), nullable=False),
        sa.Column("denominazione", sa.String(), nullable=False),
        sa.Column("eliminata_il", sa.DateTime(timezone=True), nullable=False),
        sa.Column("autore", sa.String(), nullable=False),
        sa.Column("conserva_fino", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pratica_eliminata")),
    )
    with op.batch_alter_table("pratica_eliminata", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pratica_eliminata_codice"), ["codice"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("pratica_eliminata", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pratica_eliminata_codice"))
    op.drop_table("pratica_eliminata")
    for tabella, padre in (("accesso_campagna", "campagna"), ("accesso_pratica", "pratica")):
        with op.batch_alter_table(tabella, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{tabella}_utente_id"))
            batch_op.drop_index(batch_op.f(f"ix_{tabella}_{padre}_id"))
        op.drop_table(tabella)
    with op.batch_alter_table("sessione", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sessione_utente_id"))
    op.drop_table("sessione")
    op.drop_table("utente")

"""aftercare: the organisation's schedule, check-in answers, the weekly check-in

New NOT NULL columns get server defaults so existing rows stay valid. No enum types.

Revision ID: 0003_aftercare
Revises: 0002
Create Date: 2026-11-25 15:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import app.models

revision: str = '0003_aftercare'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('aftercare_schedule',
                                      sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))

    with op.batch_alter_table('aftercarecheckin', schema=None) as batch_op:
        batch_op.add_column(sa.Column('held_how', sqlmodel.sql.sqltypes.AutoString(length=10),
                                      nullable=False, server_default=''))
        batch_op.add_column(sa.Column('how_it_goes', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('hours_per_week', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('what_is_hard',
                                      sqlmodel.sql.sqltypes.AutoString(length=1000),
                                      nullable=False, server_default=''))
        batch_op.add_column(sa.Column('wants_contact', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=2000),
                                      nullable=False, server_default=''))
        batch_op.add_column(sa.Column('contact_done_at', app.models.UTCDateTime(timezone=True),
                                      nullable=True))

    op.create_table('weeklycheckin',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('week_of', sa.Date(), nullable=False),
    sa.Column('how_it_went', sa.Integer(), nullable=False),
    sa.Column('wants_to_talk', sa.Boolean(), nullable=False),
    sa.Column('answered_at', app.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('contact_done_at', app.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['participant_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('participant_id', 'week_of')
    )
    with op.batch_alter_table('weeklycheckin', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_weeklycheckin_participant_id'), ['participant_id'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('weeklycheckin', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_weeklycheckin_participant_id'))
    op.drop_table('weeklycheckin')

    with op.batch_alter_table('aftercarecheckin', schema=None) as batch_op:
        for column in ('contact_done_at', 'note', 'wants_contact', 'what_is_hard',
                       'hours_per_week', 'how_it_goes', 'held_how'):
            batch_op.drop_column(column)

    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_column('aftercare_schedule')

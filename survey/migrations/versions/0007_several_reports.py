"""several reports per organisation and round (one per development work): response.number,
survey_round.several_reports

Revision ID: 7c6af09e4a11
Revises: 7d2e4b9a6c10
Create Date: 2026-11-23 02:05:47.534245

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c6af09e4a11'
down_revision = '7d2e4b9a6c10'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.add_column(sa.Column('number', sa.Integer(), server_default='1', nullable=False))
        batch_op.drop_constraint(batch_op.f('uq_response_round_organisation'), type_='unique')
        batch_op.create_unique_constraint('uq_response_round_organisation_number', ['round_id', 'organisation_id', 'number'])

    with op.batch_alter_table('survey_round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('several_reports', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    # Refused by the database while an organisation has several reports in one round.
    with op.batch_alter_table('survey_round', schema=None) as batch_op:
        batch_op.drop_column('several_reports')

    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_constraint('uq_response_round_organisation_number', type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_response_round_organisation'), ['round_id', 'organisation_id'])
        batch_op.drop_column('number')

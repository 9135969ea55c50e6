"""organisation registry codes: the diariekoder that begin an organisation's case numbers

Revision ID: 5b1e0c7d9a42
Revises: 34cce22f9d89
Create Date: 2026-11-24 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b1e0c7d9a42'
down_revision = '34cce22f9d89'
branch_labels = None
depends_on = None


def upgrade():
    # Empty for the organisations already there; `flask --app survey seed` fills in the
    # known codes of the data file where an organisation has none.
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('registry_codes', sa.String(length=100), server_default='',
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_column('registry_codes')

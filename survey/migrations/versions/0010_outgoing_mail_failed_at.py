"""outgoing mail failed_at: when the last attempt to send a message failed

Revision ID: 9e4b2c7a1d35
Revises: 5b1e0c7d9a42
Create Date: 2026-12-03 18:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9e4b2c7a1d35'
down_revision = '5b1e0c7d9a42'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outgoing_mail', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failed_at', sa.DateTime(timezone=True), nullable=True))
    # A message that failed before this column existed kept its SMTP error; the time of
    # that attempt was not kept, and its creation is the nearest known time.
    op.execute("UPDATE outgoing_mail SET failed_at = created_at "
               "WHERE sent_at IS NULL AND error <> ''")


def downgrade():
    with op.batch_alter_table('outgoing_mail', schema=None) as batch_op:
        batch_op.drop_column('failed_at')

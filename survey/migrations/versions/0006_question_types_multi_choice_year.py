"""question types multi_choice and year (the development-funds report)

Revision ID: 7d2e4b9a6c10
Revises: c1375894b3ae
Create Date: 2026-11-23 02:32:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7d2e4b9a6c10'
down_revision = 'c1375894b3ae'
branch_labels = None
depends_on = None

OLD_TYPES = ('long_text', 'short_text', 'date', 'amount', 'choice')
NEW_TYPES = OLD_TYPES + ('multi_choice', 'year')


def _questiontype(values):
    return sa.Enum(*values, name='questiontype', native_enum=False, create_constraint=True,
                   length=20)


def upgrade():
    # The enum is a VARCHAR checked by ck_round_question_questiontype: widen the check.
    with op.batch_alter_table('round_question', schema=None) as batch_op:
        batch_op.alter_column('qtype', existing_type=_questiontype(OLD_TYPES),
                              type_=_questiontype(NEW_TYPES), existing_nullable=False)


def downgrade():
    with op.batch_alter_table('round_question', schema=None) as batch_op:
        batch_op.alter_column('qtype', existing_type=_questiontype(NEW_TYPES),
                              type_=_questiontype(OLD_TYPES), existing_nullable=False)

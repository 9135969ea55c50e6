"""evidence quotes indexed by (assessment, component), for the annex's Bedömningar sheet

Revision ID: c1375894b3ae
Revises: f3d27a80d64f
Create Date: 2026-11-23 01:53:38.022088

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c1375894b3ae'
down_revision = 'f3d27a80d64f'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('evidence_quote', schema=None) as batch_op:
        batch_op.create_index('ix_evidence_quote_assessment_component', ['assessment_id', 'component_id'], unique=False)


def downgrade():
    with op.batch_alter_table('evidence_quote', schema=None) as batch_op:
        batch_op.drop_index('ix_evidence_quote_assessment_component')

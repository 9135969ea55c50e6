"""response components: the components an analyst tags a development work with

Revision ID: 34cce22f9d89
Revises: 7c6af09e4a11
Create Date: 2026-11-23 02:10:00.155914

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '34cce22f9d89'
down_revision = '7c6af09e4a11'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('response_component',
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('component_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['component_id'], ['component.id'], name=op.f('fk_response_component_component_id_component')),
    sa.ForeignKeyConstraint(['response_id'], ['response.id'], name=op.f('fk_response_component_response_id_response'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('response_id', 'component_id', name=op.f('pk_response_component'))
    )
    with op.batch_alter_table('response_component', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_response_component_component_id'), ['component_id'], unique=False)


def downgrade():
    with op.batch_alter_table('response_component', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_response_component_component_id'))

    op.drop_table('response_component')
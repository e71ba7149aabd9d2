"""scenario_levels: each submitted assessment's indicator scores and scenario levels, and each
help request's modules, as rows (the bureaus' indicator means, scenario heatmap and module
demand), filled from the stored results and requests

Revision ID: 0012_scenario_levels
Revises: 0010_api_tokens
Create Date: 2026-12-08
"""
from alembic import op
import sqlalchemy as sa


revision = '0012_scenario_levels'
down_revision = '0010_api_tokens'
branch_labels = None
depends_on = None

BATCH = 2000


def upgrade() -> None:
    op.create_table('assessment_indicator_scores',
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.String(length=64), nullable=False),
    sa.Column('dimension_id', sa.String(length=64), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('max', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_assessment_indicator_scores_assessment_id_assessments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('assessment_id', 'indicator_id', name=op.f('pk_assessment_indicator_scores'))
    )
    op.create_table('assessment_scenario_levels',
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('scenario_id', sa.String(length=64), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_assessment_scenario_levels_assessment_id_assessments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('assessment_id', 'scenario_id', name=op.f('pk_assessment_scenario_levels'))
    )
    op.create_table('project_modules',
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_modules_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('project_id', 'module_id', name=op.f('pk_project_modules'))
    )
    _backfill()
    _backfill_modules()


def _backfill():
    """Rows from the results already stored (in batches: results are large)."""
    bind = op.get_bind()
    assessments = sa.table('assessments', sa.column('id', sa.Integer()),
                           sa.column('status', sa.String()), sa.column('result', sa.JSON()))
    indicators = sa.table('assessment_indicator_scores', sa.column('assessment_id'),
                          sa.column('indicator_id'), sa.column('dimension_id'),
                          sa.column('score'), sa.column('max'))
    scenarios = sa.table('assessment_scenario_levels', sa.column('assessment_id'),
                         sa.column('scenario_id'), sa.column('level'))
    last = 0
    while True:
        rows = bind.execute(sa.select(assessments.c.id, assessments.c.result)
                            .where(assessments.c.status == 'submitted', assessments.c.id > last,
                                   assessments.c.result.is_not(None))
                            .order_by(assessments.c.id).limit(BATCH)).all()
        if not rows:
            return
        found_indicators, found_scenarios = [], []
        for assessment_id, result in rows:
            result = result or {}
            for dim_id, dim in (result.get('dimensions') or {}).items():
                for ind_id, ind in (dim.get('indicators') or {}).items():
                    found_indicators.append({'assessment_id': assessment_id, 'indicator_id': ind_id,
                                             'dimension_id': dim_id, 'score': ind['score'],
                                             'max': ind['max']})
            for scenario_id, level in (result.get('scenarios') or {}).items():
                found_scenarios.append({'assessment_id': assessment_id, 'scenario_id': scenario_id,
                                        'level': int(level)})
        if found_indicators:
            bind.execute(indicators.insert(), found_indicators)
        if found_scenarios:
            bind.execute(scenarios.insert(), found_scenarios)
        last = rows[-1][0]


def _backfill_modules():
    bind = op.get_bind()
    projects = sa.table('projects', sa.column('id', sa.Integer()), sa.column('modules', sa.JSON()))
    modules = sa.table('project_modules', sa.column('project_id'), sa.column('module_id'))
    rows = [{'project_id': project_id, 'module_id': module_id}
            for project_id, listed in bind.execute(sa.select(projects.c.id, projects.c.modules))
            for module_id in dict.fromkeys(m for m in listed or () if isinstance(m, str))]
    if rows:
        bind.execute(modules.insert(), rows)


def downgrade() -> None:
    op.drop_table('project_modules')
    op.drop_table('assessment_scenario_levels')
    op.drop_table('assessment_indicator_scores')

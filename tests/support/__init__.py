"""What the tests share besides fixtures: PostgreSQL plumbing, clients, factories of rounds'
responses and assessments, and helpers per job. Test modules import from here, never from one
another; tests/conftest.py loads `support.plugin` and holds the fixtures."""

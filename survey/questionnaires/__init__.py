"""Questionnaire definitions (TOML data) and survey rounds."""

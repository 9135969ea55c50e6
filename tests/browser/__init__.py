"""End-to-end tests in Chromium (Playwright) and accessibility checks (axe-core)."""

"""Demo data: realistic Swedish example answers, written for the demo."""

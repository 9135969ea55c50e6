"""`flask --app survey …` commands: init-db, seed, create-user, demo, seed-synthetic, …"""

from __future__ import annotations

import click
from flask import Flask, current_app
from werkzeug.serving import run_simple

from survey.accounts.models import Role
from survey.accounts.services import AccountError, create_user
from survey.extensions import db
from survey.organisations.services import by_short_name
from survey.provisioning import init_database, seed_all


@click.command("init-db")
def init_db_command():
    """Skapa eller uppgradera databasen till senaste schemat."""
    init_database()
    click.echo("Databasen är uppdaterad till senaste schemat.")


@click.command("seed")
def seed_command():
    """Lägg in komponenter, mognadsskala, rättighetsområden och organisationer."""
    seed_all()
    click.echo("Grunddata är inlagd.")


@click.command("create-user")
@click.option("--email", required=True, help="Inloggningens e-postadress.")
@click.option("--name", required=True, help="Namn som visas för kollegor.")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--organisation", "organisation_short_name", default=None,
              help="Organisationens kortnamn (krävs för svarande), t.ex. ASN.")
@click.password_option("--password", help="Minst 12 tecken.")
def create_user_command(email, name, role, organisation_short_name, password):
    """Skapa en användare."""
    organisation_id = None
    if organisation_short_name:
        organisation = by_short_name(organisation_short_name.upper())
        if organisation is None:
            raise click.ClickException(
                f"Ingen organisation med kortnamnet {organisation_short_name}."
            )
        organisation_id = organisation.id
    try:
        user = create_user(email, name, password, Role(role), organisation_id)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Användaren {user.email} är skapad.")


@click.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="Bygg demodatabasen men starta inte servern.")
def demo_command(host, port, no_serve):
    """Skapa (eller återanvänd) en demodatabas med exempelsvar och starta servern."""
    from survey.demo.build import DEMO_PASSWORD, build_demo

    init_database()
    logins = build_demo()
    click.echo("Demoinloggningar (lösenord för alla: " + DEMO_PASSWORD + "):")
    for email, label in logins:
        click.echo(f"  {email:<28} {label}")
    if no_serve:
        return
    click.echo(f"Öppna http://{host}:{port}/ i webbläsaren.")
    # Flask ignores app.run() inside a `flask` command, so serve directly.
    run_simple(host, port, current_app._get_current_object(), use_reloader=False, threaded=True)


@click.command("backup")
@click.argument("destination", metavar="DEST", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Skriv över DEST om filen redan finns.")
def backup_command(destination, force):
    """Gör en konsekvent säkerhetskopia av databasen (går bra medan appen kör)."""
    from survey.backup import BackupError, backup_database

    try:
        summary = backup_database(db.engine, destination, force=force)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    for line in summary.lines():
        click.echo(line)


@click.command("suggest")
@click.argument("source", metavar="[FIL]", type=click.File("r", encoding="utf-8"), default="-")
def suggest_command(source):
    """Läs svensk text ur FIL (standard in utan FIL eller med -) och skriv förslag (en JSON-rad
    per mening)."""
    import json

    from survey.suggestions.engine import suggest

    # click.File("-") opens standard input; click.get_text_stream is deprecated in click 8.5.
    text = source.read()
    for item in suggest(text):
        click.echo(json.dumps({
            "start": item.start, "end": item.end, "text": item.text,
            "components": list(item.components), "level": item.level,
            "rights_areas": list(item.rights_areas),
        }, ensure_ascii=False))


@click.command("seed-synthetic")
@click.option("--orgs", default=6000, show_default=True, type=click.IntRange(1, 99_999),
              help="Antal syntetiska organisationer.")
@click.option("--rounds", default=10, show_default=True, type=click.IntRange(1, 50),
              help="Antal år (omgångar) bakåt från i fjol.")
@click.option("--seed", default=2024, show_default=True, type=int,
              help="Slumpfrö: samma frö ger samma data.")
def seed_synthetic_command(orgs, rounds, seed):
    """Lägg in syntetiska organisationer och stängda omgångar, för prestandamätning.

    Kräver en databas med schema (init-db). Skapar ORGS organisationer (Syntetisk nämnd 0001,
    SYN0001, …; omkring var femte ett bolag) och svar på den särskilda frågan för ROUNDS år till
    och med i fjol (befintliga omgångar de åren återanvänds). Omkring 90 % svarar: 85 %
    inskickade, 10 % utkast, 5 % återsända; 60 % av de inskickade har en klar bedömning.
    Vägrar om syntetiska organisationer redan finns.
    """
    from survey.demo.synthetic import SyntheticError, seed_synthetic

    try:
        summary = seed_synthetic(orgs, rounds, seed=seed, echo=click.echo)
    except SyntheticError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo("Rader inlagda:")
    for line in summary.lines():
        click.echo(line)


def register(app: Flask) -> None:
    for command in (init_db_command, seed_command, create_user_command, demo_command,
                    backup_command, suggest_command, seed_synthetic_command):
        app.cli.add_command(command)

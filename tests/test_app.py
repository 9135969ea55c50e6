from survey import create_app


def test_factory_uses_test_config(app):
    assert app.testing
    assert not create_app({"TESTING": True, "SECRET_KEY": "x" * 40,
                           "SQLALCHEMY_DATABASE_URI": "sqlite://"}).debug


def test_login_and_start_page(client, auth):
    auth.login_as("respondent", "ASN")
    page = client.get("/")
    assert page.status_code == 200
    assert "Arbetsmarknads- och socialnämnden" in page.get_data(as_text=True)


def test_wrong_password_is_refused_in_swedish(client, make_user):
    make_user("respondent", "ASN")
    page = client.post(
        "/logga-in", {"email": "respondent-asn@example.org", "password": "fel-lösenord-x"}
    )
    assert page.status_code == 200
    assert "Fel e-postadress eller lösenord." in page.get_data(as_text=True)


def test_accessibility_statement_is_linked_from_every_page(client):
    page = client.get("/logga-in").get_data(as_text=True)
    assert 'href="/tillganglighet"' in page
    statement = client.get("/tillganglighet").get_data(as_text=True)
    assert "delvis förenlig" in statement and "digg.se" in statement

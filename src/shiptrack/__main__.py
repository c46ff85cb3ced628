from shiptrack.cli.main import app

app()

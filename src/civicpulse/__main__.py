"""``python -m civicpulse`` runs the command line."""

from civicpulse.cli.main import run

if __name__ == "__main__":
    run()

"""``python -m worksheet`` runs the same CLI as the ``worksheet`` command."""

from worksheet.cli.main import main

if __name__ == "__main__":
    main()

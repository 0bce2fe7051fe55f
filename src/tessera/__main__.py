"""``python -m tessera`` runs the command line."""

from tessera.cli import main

main()

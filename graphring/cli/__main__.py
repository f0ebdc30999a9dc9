"""``python -m graphring.cli``: the console entry point."""

from graphring.cli.app import main

if __name__ == "__main__":  # pragma: no cover
    main()

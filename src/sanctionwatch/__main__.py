"""`python -m sanctionwatch`: the same as the `sanctionwatch` command."""

from sanctionwatch.cli import main

if __name__ == "__main__":
    main()

"""The file to give spark-submit: runs `sanctionwatch spark ingest` with the arguments after
it, on the master and resources spark-submit was given (see the README, Spark)."""

import sys

from sanctionwatch.cli import main

if __name__ == "__main__":
    sys.argv = ["sanctionwatch", "spark", "ingest", *sys.argv[1:]]
    main()

"""`python -m quotetrail.spark extract|link …`, and the script to give `spark-submit` on a cluster."""
import sys

from quotetrail.cli import main

if __name__ == "__main__":
    main(["spark", *sys.argv[1:]], prog_name="quotetrail spark")

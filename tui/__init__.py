"""tradegap: the United States' goods trade balance with every partner, in the terminal."""

__version__ = "0.1.0"

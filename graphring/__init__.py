"""graphring: find fraud rings in consumer-lending data.

Loaders turn bank exports into a property graph, community detection surfaces the
networks behind them, and evidence-backed signals score and classify every ring.
"""

from graphring.errors import GraphringError

__version__ = "0.1.0"

__all__ = ["GraphringError", "__version__"]

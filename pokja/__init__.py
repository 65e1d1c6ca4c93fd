"""pokja: the shared record of a Pokja Netralitas ASN, TNI dan Polri."""

from pokja.app import create_app

__version__ = "0.1.0"
__all__ = ["__version__", "create_app"]

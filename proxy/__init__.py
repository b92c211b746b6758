"""LLM traffic monitoring proxy: the aiohttp application and its command line."""

__version__ = "0.1.0"

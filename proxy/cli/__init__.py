"""The ``llm-proxy`` command line: :mod:`proxy.cli.main` parses the arguments and hands each
command to its module."""

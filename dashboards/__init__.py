"""Grafana dashboards for the proxy, written as Python and rendered to ``dashboards/json``.

``python -m dashboards.build`` writes the JSON files that Grafana provisions; the tests in
``tests/dashboards`` check the files are up to date and execute every query in them.
"""

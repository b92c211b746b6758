"""The admin API on its own loopback listener: log search and export, register status, anomalies,
spend, configuration history and the evidence report, each read audited."""

"""Which controls each section of the evidence report gives evidence for.

ISO/IEC 27001:2022 Annex A and ISO/IEC 42001:2023 Annex A, by control number and title.
The mapping says where an auditor can look; whether a control is met is the
organisation's statement of applicability and the auditor's judgement, not the report's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: ``section`` is the id of the report's section (an HTML anchor, a JSON top-level key).
CONTROLS: tuple[Mapping[str, Any], ...] = (
    {
        "section": "register",
        "title": "AI use register and review state",
        "evidence": "approved models, owners, approvals, data classes, review dates; "
        "models used without being listed (shadow AI)",
        "iso27001": [
            "A.5.9 Inventory of information and other associated assets",
            "A.5.19 Information security in supplier relationships",
            "A.5.23 Information security for use of cloud services",
        ],
        "iso42001": [
            "A.4.2 Resource documentation",
            "A.9.2 Processes for responsible use of AI systems",
            "A.10.3 Suppliers",
        ],
    },
    {
        "section": "configuration",
        "title": "Policy versions in force and changes",
        "evidence": "which policy, register, limits and key set were in force, every change "
        "with its time and trigger, refused changes with their reason",
        "iso27001": [
            "A.5.1 Policies for information security",
            "A.8.9 Configuration management",
            "A.8.32 Change management",
        ],
        "iso42001": ["A.2.2 AI policy", "A.2.4 Review of the AI policy"],
    },
    {
        "section": "volume",
        "title": "Volume per model, team and application",
        "evidence": "calls and tokens per day, model, team and application",
        "iso27001": [
            "A.8.16 Monitoring activities",
            "A.5.23 Information security for use of cloud services",
        ],
        "iso42001": [
            "A.6.2.6 AI system operation and monitoring",
            "A.9.4 Intended use of the AI system",
        ],
    },
    {
        "section": "decisions",
        "title": "Decisions per rule",
        "evidence": "calls blocked, redacted, pseudonymised and flagged per rule; what rules "
        "in monitor mode would have blocked",
        "iso27001": [
            "A.5.10 Acceptable use of information and other associated assets",
            "A.8.11 Data masking",
            "A.8.12 Data leakage prevention",
            "A.5.34 Privacy and protection of PII",
        ],
        "iso42001": [
            "A.9.2 Processes for responsible use of AI systems",
            "A.9.3 Objectives for responsible use of AI systems",
        ],
    },
    {
        "section": "coverage",
        "title": "Detection coverage",
        "evidence": "calls inspected against calls that needed inspection; detector failures "
        "and whether they failed open; texts over the inspection limit",
        "iso27001": [
            "A.8.12 Data leakage prevention",
            "A.8.16 Monitoring activities",
            "A.5.36 Compliance with policies, rules and standards",
        ],
        "iso42001": ["A.6.2.6 AI system operation and monitoring"],
    },
    {
        "section": "entity_types",
        "title": "Top entity types",
        "evidence": "kinds of personal data and secrets found in prompts and answers",
        "iso27001": [
            "A.5.12 Classification of information",
            "A.5.34 Privacy and protection of PII",
            "A.8.12 Data leakage prevention",
        ],
        "iso42001": ["A.9.2 Processes for responsible use of AI systems"],
    },
    {
        "section": "anomalies",
        "title": "Anomalies and their state",
        "evidence": "unusual volume, block spikes, new models and output drift, and whether "
        "someone read the logs behind them",
        "iso27001": [
            "A.8.16 Monitoring activities",
            "A.5.25 Assessment and decision on information security events",
        ],
        "iso42001": ["A.6.2.6 AI system operation and monitoring"],
    },
    {
        "section": "content_access",
        "title": "Content-read audit",
        "evidence": "who read logged prompts and answers, when, through what, which calls",
        "iso27001": [
            "A.8.15 Logging",
            "A.8.3 Information access restriction",
            "A.5.33 Protection of records",
        ],
        "iso42001": ["A.6.2.8 AI system recording of event logs"],
    },
    {
        "section": "retention",
        "title": "Retention settings",
        "evidence": "how long calls and their text are kept; what each call's content mode kept",
        "iso27001": [
            "A.5.33 Protection of records",
            "A.8.10 Information deletion",
            "A.8.15 Logging",
        ],
        "iso42001": ["A.6.2.8 AI system recording of event logs"],
    },
    {
        "section": "log_chain",
        "title": "Log-chain verification",
        "evidence": "the event log's hash chain recomputed: no call altered, deleted or inserted",
        "iso27001": [
            "A.8.15 Logging",
            "A.5.28 Collection of evidence",
            "A.5.33 Protection of records",
        ],
        "iso42001": ["A.6.2.8 AI system recording of event logs"],
    },
)

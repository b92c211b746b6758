"""Evaluation sets written independently of the detectors' rules, and their scoring.

``fill`` fills templates with Faker values (labels by construction), ``parts`` defines the
independent set's tuning and held-out parts and the presidio-evaluator set, ``scoring``
matches findings to labels, ``stock`` runs stock Presidio beside our detectors.
"""

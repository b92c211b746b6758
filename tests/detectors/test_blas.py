"""The spaCy model's matrix products run on numpy's OpenBLAS pinned to one thread, with the
entities BLIS gives; where no OpenBLAS can be pinned the model keeps BLIS."""

from __future__ import annotations

import spacy
from spacy.language import Language
from spacy.pipeline import EntityRecognizer
from thinc.api import Model, NumpyOps, Ops

from detectors.blas import openblas_threads, use_single_threaded_blas

# Names, places and organisations in several shapes, so that every label the model has
# is decided somewhere; the check is that both BLAS libraries decide alike.
TEXTS = (
    "Maria Schmidt flew from Berlin to Lisbon on Tuesday to meet the Acme Corp board.",
    "Please forward the invoice to Dr. Hans-Peter Vogel at Siemens in Munich.",
    "Jean Dupont lives at 12 rue de la Paix, Paris, and works for Banque Populaire.",
    "We moved the Redis cache behind Envoy last week; ask Priya or Tomás about it.",
    "The meeting with Oluwaseun Adeyemi from Lagos is on 3 March 2025 at 10am.",
    "Kind regards,\nAnne-Marie O'Connor\nHead of Sales, Northwind Traders, Dublin",
)


def _ner_nodes(nlp: Language) -> list[Model]:  # type: ignore[type-arg]  # any layer
    ner = nlp.get_pipe("ner")
    assert isinstance(ner, EntityRecognizer)
    return list(ner.model.walk())


def _ner_ops(nlp: Language) -> list[Ops]:
    return [node.ops for node in _ner_nodes(nlp)]


def _entities(nlp: Language) -> list[list[tuple[int, int, str]]]:
    return [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in nlp.pipe(TEXTS)]


def test_the_loaded_model_multiplies_on_openblas_with_one_thread(nlp: Language) -> None:
    """load_spacy_model leaves every NER layer on numpy's BLAS and that BLAS on one thread."""
    assert openblas_threads() is not None, "numpy's wheels ship OpenBLAS; this machine's loads one"
    assert all(isinstance(ops, NumpyOps) and not ops.use_blis for ops in _ner_ops(nlp))
    assert openblas_threads() == 1


def test_openblas_and_blis_give_the_same_entities(nlp: Language) -> None:
    """The entities on OpenBLAS are exactly the entities on BLIS, text by text."""
    ours = _entities(nlp)
    nodes = _ner_nodes(nlp)
    kept = [node.ops for node in nodes]
    try:
        for node in nodes:
            node.ops = NumpyOps(use_blis=True)
        on_blis = _entities(nlp)
    finally:
        for node, ops in zip(nodes, kept, strict=True):
            node.ops = ops
    assert any(ours), "the texts hold entities"
    assert ours == on_blis


def test_without_an_openblas_to_pin_the_model_keeps_blis() -> None:
    """If no OpenBLAS can be pinned to one thread, the model's layers keep BLIS."""
    nlp = spacy.blank("en")
    nlp.add_pipe("ner")
    nlp.initialize()
    assert use_single_threaded_blas(nlp, pin=lambda threads: False) is False
    assert all(getattr(ops, "use_blis", True) for ops in _ner_ops(nlp))

"""One module per API wire format, behind one Protocol, and the registry that holds them.

Each API's module (:mod:`~wire.apis.openai_chat`, :mod:`~wire.apis.openai_completions`,
:mod:`~wire.apis.openai_embeddings`, :mod:`~wire.apis.openai_responses`,
:mod:`~wire.apis.anthropic_messages`) implements :class:`~wire.apis.protocol.WireApi`: the
endpoints it serves, the texts of its requests and answers, rewriting a request, the text
deltas and usage of its stream events, and how a logged call reads. What the APIs share sits
in one module each: the deny-by-default request walk and base64 sniffing
(:mod:`~wire.apis.walk`), located texts (:mod:`~wire.apis.texts`), stream deltas
(:mod:`~wire.apis.deltas`), usage (:mod:`~wire.apis.usage`) and rendering
(:mod:`~wire.apis.render`). Adding an API is adding one module and listing it in
:func:`~wire.apis.registry.default_apis`.
"""

"""What the proxy knows of the providers' wire formats, shared by policies and the proxy.

A layer of its own between ``core`` (standard library only) and ``detectors``/``policies``:
reading provider JSON the way the callers' SDKs read it needs orjson for speed, which
``core`` must not import, and policies (output inspection, stream deltas) must read it
exactly as the proxy's relay and recorder do.
"""

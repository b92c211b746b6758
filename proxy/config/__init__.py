"""What the proxy loads from files and swaps whole on reload: settings, the AI use register,
virtual keys, and the per-call snapshot of them."""

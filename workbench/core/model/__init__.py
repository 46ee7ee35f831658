"""Loading causal LMs and knowing where their modules are (the architecture adapters)."""

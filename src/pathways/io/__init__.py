"""Layer 1, files in and out: the data dictionary and the indicator catalogue, the registry, partner
submissions read into typed frames, the export table, atomic writes, content hashes and the
project's folders. Imports nothing of the layers above it.
"""

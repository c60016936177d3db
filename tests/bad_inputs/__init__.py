"""A small valid submission and a corpus of bad ones made from it, one fault each (see corpus.py)."""

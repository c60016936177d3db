"""Layer 5, the book: assemble and build the Jupyter Book from the runs, its generated pages, the
clerks' data templates, the standalone copies, publishing a version and its disclosure audit.
"""

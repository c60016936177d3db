// The book has no mathematics: this placeholder stands where Sphinx would load MathJax from a CDN.

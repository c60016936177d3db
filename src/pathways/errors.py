"""Errors that a user sees as a message, not a traceback."""


class PathwaysError(Exception):
    """An error whose message is written for the person running the command."""

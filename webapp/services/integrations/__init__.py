"""Closer and the tools around it: personal API tokens, calls from a dialer."""

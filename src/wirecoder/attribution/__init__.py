"""Placeholder until the attribution stage lands: adds nothing."""


def make_stage(config):
    return lambda adoc: None

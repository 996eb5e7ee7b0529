"""Placeholder until the events stage lands: adds nothing."""


def make_stage(config):
    return lambda adoc: None

"""Reporters: turn results into text, markdown, json, github annotations or html."""

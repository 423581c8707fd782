"""Turning exact figures into words, tables, files and pictures, in Japanese or English.

catalogue (every word), numbers (rounding for display), tables (aligned text and markdown), rows (the
tables every output shares), report, json_out, check, reconcile, stagegate, messages (errors and the
load table), csvfile, export, files (atomic writes), html and charts.
"""

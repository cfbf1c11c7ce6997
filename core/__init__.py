"""Building blocks with no domain: clock and dates, amounts, postcodes, form fields, uploads,
rate limits, roles and staff access, log redaction and logged state transitions.

This package imports nothing else of the project; every other package may import it.
"""

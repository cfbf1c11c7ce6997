"""Moving in: importing the registry a Servicepunt already keeps elsewhere (issue 18).

`reading.py` reads CSV and XLSX files within limits, `mapping.py` knows the columns,
`cleaning.py` cleans a row as the forms clean, `matching.py` finds who a row already is,
`services.py` holds the use cases and `writing.py` the all-or-nothing write.
"""

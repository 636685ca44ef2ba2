"""The ``cancu`` command line: ``commands`` parses and calls the library, ``output``
renders (pure functions of the results)."""

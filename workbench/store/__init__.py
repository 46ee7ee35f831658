"""The project store: one SQLite file (``*.wbproj``) holding models, runs, curves and notes.

``project.ProjectStore`` is the entry point; ``records`` holds the plain dataclasses it
returns (importable without SQLAlchemy), ``codec`` turns job results and parameters into
JSON plus numpy blobs and back, ``schema`` the ORM tables and ``migrations`` the upgrades.
"""

// Module Extraction: see the target comment in Package.swift.

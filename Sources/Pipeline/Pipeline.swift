// Module Pipeline: see the target comment in Package.swift.

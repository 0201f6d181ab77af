// Module Mapping: see the target comment in Package.swift.

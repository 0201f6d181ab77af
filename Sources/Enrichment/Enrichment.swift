// Module Enrichment: see the target comment in Package.swift.

// Module Sink: see the target comment in Package.swift.

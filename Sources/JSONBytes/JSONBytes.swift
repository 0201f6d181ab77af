// Module JSONBytes: see the target comment in Package.swift.

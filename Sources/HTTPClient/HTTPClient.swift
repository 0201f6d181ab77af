// Module HTTPClient: see the target comment in Package.swift.

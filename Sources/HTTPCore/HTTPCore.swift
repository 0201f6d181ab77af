// Module HTTPCore: see the target comment in Package.swift.

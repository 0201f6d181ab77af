// Module ServiceSupport: see the target comment in Package.swift.

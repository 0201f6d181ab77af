// Module HTTPServer: see the target comment in Package.swift.

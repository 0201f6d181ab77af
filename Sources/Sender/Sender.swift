// Module Sender: see the target comment in Package.swift.

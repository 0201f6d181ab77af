// Module Codecs: see the target comment in Package.swift.

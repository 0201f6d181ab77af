// Module Firehose: see the target comment in Package.swift.

extension ConfigurationOption {
    /// The options of the embedded mapping engine (catalogs, model, entities, cache), listed after `map_api` in the
    /// reference.
    static let embeddedEngineOptions: [ConfigurationOption] = [
        .init("catalog_dir", ["LAKEMARK_CATALOG_DIR"], "(bundled)", "directory", "Catalogs of the embedded engine.")
        {
            $0.catalogDirectory = try string($1, key: "catalog_dir")
        },
        .init(
            "model_dir",
            ["LAKEMARK_MODEL_DIR"],
            "(none)",
            "directory",
            "all-MiniLM-L6-v2 model directory (scripts/fetch_model.sh; set in the image): the embedded engine "
                + "re-ranks its candidates semantically; a bad directory stops start-up."
        ) {
            $0.modelDirectory = try string($1, key: "model_dir")
        },
        .init(
            "entities",
            ["LAKEMARK_ENTITIES"],
            "(none)",
            "comma-separated phrases",
            "What the organisation is, for requirements that bind only some entities (PCI DSS: `service "
                + "provider`, `multi tenant`, `hosting provider`, `card issuer`, `issuing services`, `wireless`, "
                + "`payment terminal`, `early TLS`, `PAN hash`): they are then answered for every event, not only "
                + "for events that name the entity. Embedded engine only; a value that is none of them stops "
                + "start-up."
        ) {
            $0.entities = try list($1, key: "entities")
        },
        .init(
            "mapping_cache_entries",
            ["LAKEMARK_MAPPING_CACHE_ENTRIES"],
            "100000",
            "entries (0-10000000)",
            "Distinct texts whose mapping is cached; 0 disables the cache."
        ) {
            $0.mappingCacheEntries = try int($1, key: "mapping_cache_entries", in: 0...10_000_000)
        },
    ]
}

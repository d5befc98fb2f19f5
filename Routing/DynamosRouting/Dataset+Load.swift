extension Dataset {
    /// Reads `datasets.json` from a configuration directory: what workers need, without the rest of the
    /// knowledge base.
    /// - Throws: `RoutingError` naming the file and the failing entry.
    public static func loadAll(directory: String) throws(RoutingError) -> [Dataset] {
        let base = directory.hasSuffix("/") ? directory : directory + "/"
        return try KnowledgeBase.decode([Dataset].self, base + ConfigKind.datasets.fileName)
    }
}

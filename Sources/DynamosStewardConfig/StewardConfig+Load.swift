extension Dataset {
    /// The file a configuration directory keeps datasets in.
    public static let fileName = "datasets.json"

    /// Reads `datasets.json` from a configuration directory: what workers need, without the rest of the
    /// knowledge base.
    /// - Throws: ``ConfigFileError`` naming the file and the failing entry.
    public static func loadAll(directory: String) throws(ConfigFileError) -> [Dataset] {
        try ConfigFile.decode([Dataset].self, ConfigFile.path(fileName, in: directory))
    }
}

extension StewardSettings {
    /// The file a configuration directory keeps the parties' settings in.
    public static let fileName = "stewards.json"

    /// The parties of `stewards.json` in a configuration directory.
    /// - Throws: ``ConfigFileError`` naming the file and the failing entry.
    public static func loadAll(directory: String) throws(ConfigFileError) -> [StewardSettings] {
        try ConfigFile.decode([StewardSettings].self, ConfigFile.path(fileName, in: directory))
    }
}

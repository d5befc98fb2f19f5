public import DynamosMessages

/// The two UNL tables of one steward, as the generator made them.
///
/// Bundled so callers can write the files, load them into a query worker, or join them in memory the way
/// the thesis benchmark query does.
public struct UNLDataset: Sendable, Equatable {
    /// The columns of `Personen`, in file order.
    public static let personenColumns = [
        "Instcode", "Unieknr", "Geslacht", "Gebdat", "Nationaliteit", "BKO", "SKO", "Peildat",
    ]
    /// The columns of `Aanstellingen`, in file order.
    public static let aanstellingenColumns = [
        "Instcode", "Unieknr", "Volgnrar", "Aadnstvb", "Ingdatdv", "Eindatdv", "HOOPgeb", "Functcat",
        "WelGeenHGL", "Salschal", "Taakomv", "Aanst_22", "Peildat",
    ]

    /// Whose data this is.
    public let steward: Steward
    /// One row per person.
    public let personen: DataTable
    /// One row per appointment; `Unieknr` refers to `personen`.
    public let aanstellingen: DataTable

    /// Bundles the tables of a steward.
    public init(steward: Steward, personen: DataTable, aanstellingen: DataTable) {
        self.steward = steward
        self.personen = personen
        self.aanstellingen = aanstellingen
    }

    /// `SELECT * FROM Personen p JOIN Aanstellingen s ON p.Unieknr = s.Unieknr`, first `limit` rows (all when
    /// `nil`): 21 columns, `Instcode`, `Unieknr` and `Peildat` appearing twice.
    public func joined(limit: Int? = nil) -> DataTable {
        personen.innerJoin(aanstellingen, leftColumn: 1, rightColumn: 1, limit: limit)
    }

    /// The `;`-separated files of this steward, `Personen.csv` and `Aanstellingen.csv`, with a header line.
    public func csvFiles(lineEnding: CSVLineEnding = .lf) -> [(fileName: String, text: String)] {
        [
            ("Personen.csv", personen.csvText(separator: ";", lineEnding: lineEnding)),
            ("Aanstellingen.csv", aanstellingen.csvText(separator: ";", lineEnding: lineEnding)),
        ]
    }
}

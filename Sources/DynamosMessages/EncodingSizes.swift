/// The byte sizes of one table in our wire format and in the formats DYNAMOS used, for the benchmark report.
///
/// The thesis measured 30,000 joined UNL rows at 4,036,759 B as a protobuf Struct and 3,542,934 B as JSON.
/// DYNAMOS's query service put a pandas frame into a Struct with one list of *strings* per column
/// (`columnStringListsStruct`); the row-shaped forms are what a straightforward JSON/Struct API would send.
public struct EncodingSizes: Sendable, Equatable {
    /// The serialized `Dynamos_Table` (our columnar encoding).
    public var columnar: Int
    /// JSON, an array of row objects `[{"column": value, ...}]`.
    public var rowObjectsJSON: Int
    /// A protobuf `ListValue` holding one `Struct` per row, typed values.
    public var rowStructs: Int
    /// A protobuf `Struct` mapping each column name to a `ListValue` of string values (DYNAMOS's query service).
    public var columnStringListsStruct: Int
    /// The JSON form of `columnStringListsStruct`: `{"column": ["value", ...], ...}`.
    public var columnStringListsJSON: Int

    /// Makes a size record.
    public init(
        columnar: Int, rowObjectsJSON: Int, rowStructs: Int, columnStringListsStruct: Int,
        columnStringListsJSON: Int
    ) {
        self.columnar = columnar
        self.rowObjectsJSON = rowObjectsJSON
        self.rowStructs = rowStructs
        self.columnStringListsStruct = columnStringListsStruct
        self.columnStringListsJSON = columnStringListsJSON
    }
}
